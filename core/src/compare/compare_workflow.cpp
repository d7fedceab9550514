// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/compare/compare_workflow.h"

#include "compare_jobs.h"

#include "seqlens/compare/baseline_models.h"
#include "seqlens/result_json.h"
#include "seqlens/train_workflow.h"
#include "seqlens/util/error.h"
#include "seqlens/util/text_util.h"
#include "seqlens/compare/window_features.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>

namespace seqlens {

using nlohmann::json;

namespace {

using Context = CompareContext;

// Stratified split of `rows` into k folds (fold id per position of `rows`), seeded.
std::vector<int> stratifiedFolds(const RawDataset &d, const std::vector<int64_t> &rows, int64_t k,
                                 uint64_t seed)
{
    std::vector<int> fold(rows.size());
    std::mt19937_64 rng(seed);
    for (int cls = 0; cls <= 1; ++cls) {
        std::vector<size_t> pos;
        for (size_t i = 0; i < rows.size(); ++i)
            if (d.applicants[size_t(rows[i])].label == cls)
                pos.push_back(i);
        std::shuffle(pos.begin(), pos.end(), rng);
        for (size_t i = 0; i < pos.size(); ++i)
            fold[pos[i]] = int(i % size_t(k));
    }
    return fold;
}

std::vector<int> labelsOf(const RawDataset &d, const std::vector<int64_t> &rows)
{
    std::vector<int> y;
    for (int64_t a : rows)
        y.push_back(d.applicants[size_t(a)].label);
    return y;
}

ModelEvaluation evaluate(const std::vector<double> &test, const std::vector<double> &dev,
                         const std::vector<int> &y, const BaselineConfig &b, uint64_t seed)
{
    ModelEvaluation e;
    e.auc = delongAuc(test, y);
    e.ks = bootstrapKs(test, y, int(b.bootstrapReps), seed);
    e.gini = 2 * e.auc.auc - 1;
    e.roc = rocCurve(test, y);
    e.ksCurve = ksCurve(test, y);
    e.lift = liftTable(test, y, 10);
    e.calibration = calibration(test, y, 10);
    e.psi = populationStabilityIndex(dev, test, 10);
    return e;
}

void writeTables(const std::string &dir, const std::string &name, const ModelEvaluation &e)
{
    writeCurveCsvs(dir, name, e.roc, e.ksCurve);
    std::ofstream lift(dir + "/lift_" + name + ".csv"), cal(dir + "/calibration_" + name + ".csv");
    lift << "group,count,bads,min_score,max_score,bad_rate,cum_capture,lift\n";
    for (const auto &r : e.lift)
        lift << r.group << "," << r.count << "," << r.bads << "," << r.minScore << "," << r.maxScore
             << "," << r.badRate << "," << r.cumCapture << "," << r.lift << "\n";
    cal << "bin,count,bads,mean_predicted,observed_rate\n";
    for (size_t i = 0; i < e.calibration.bins.size(); ++i) {
        const auto &b = e.calibration.bins[i];
        cal << i + 1 << "," << b.count << "," << b.bads << "," << b.meanPredicted << ","
            << b.observedRate << "\n";
    }
}

void writeOutputs(const CompareRequest &req, const CompareSummary &s, const RawDataset &raw,
                  const std::vector<int64_t> &test, const std::vector<double> &base,
                  const std::vector<double> &seq, const std::vector<double> &stack)
{
    std::filesystem::create_directories(req.outDir);
    std::ofstream(req.outDir + "/compare.json") << compareJson(s).dump(2) << "\n";
    std::ofstream sc(req.outDir + "/test_scores.csv");
    sc.precision(10);
    sc << "entity,label,baseline,sequence,stacking\n";
    for (size_t i = 0; i < test.size(); ++i)
        sc << csvEscape(raw.applicants[size_t(test[i])].id) << ","
           << raw.applicants[size_t(test[i])].label << "," << base[i] << "," << seq[i] << ","
           << stack[i] << "\n";
    writeTables(req.outDir, "baseline", s.baseline);
    writeTables(req.outDir, "sequence", s.sequence);
    writeTables(req.outDir, "stacking", s.stacking);
    std::ofstream sw(req.outDir + "/swap_set.csv");
    sw << "baseline_band,stacking_band,count,bads,bad_rate\n";
    for (size_t i = 0; i < s.swap.bands.size(); ++i)
        for (size_t j = 0; j < s.swap.bands.size(); ++j) {
            const auto n = s.swap.counts[i][j], b = s.swap.bads[i][j];
            sw << s.swap.bands[i] << "," << s.swap.bands[j] << "," << n << "," << b << ",";
            if (n > 0)
                sw << double(b) / double(n);
            sw << "\n";
        }
    if (!sc || !sw)
        throwData(req.outDir + ": cannot write the comparison files");
}

// Sequence-model logits: out-of-fold for development; for test and (in sample) for development
// the scoring model's: the mean of the fold models (bagged) or the full model.
struct SequenceLogits {
    std::vector<double> oof, test, devInSample;
    std::vector<ModelChoice> choices; // the full model's (if any), then each fold model's
};

// The K fold jobs, after the full-development job unless bagged. Scoring jobs score the test
// rows, then the development rows (for PSI and the in-sample check), after their own rows.
std::vector<SequenceJob> sequenceJobs(const Context &c, int64_t folds, bool bagged)
{
    const uint64_t seed = c.cfg.training.seed;
    const auto fold = stratifiedFolds(c.raw, c.dev, folds, seed + 11);
    std::vector<int64_t> testThenDev = c.test;
    testThenDev.insert(testThenDev.end(), c.dev.begin(), c.dev.end());
    std::vector<SequenceJob> jobs;
    if (!bagged) { // first: it is the largest, so the fold models fill in around it
        SequenceJob full;
        full.what = "full model (all development applicants)";
        full.seed = seed + 101 * uint64_t(folds + 1);
        full.fitRows = c.dev;
        full.scoreRows = testThenDev;
        full.keep = full.calibrate = full.explain = true;
        jobs.push_back(std::move(full));
    }
    for (int64_t k = 0; k < folds; ++k) {
        SequenceJob job;
        job.what = "fold " + std::to_string(k + 1) + "/" + std::to_string(folds);
        job.seed = seed + 101 * uint64_t(k + 1);
        for (size_t i = 0; i < c.dev.size(); ++i) {
            if (fold[i] != k) {
                job.fitRows.push_back(c.dev[i]);
            } else {
                job.scoreRows.push_back(c.dev[i]);
                job.scorePos.push_back(i);
            }
        }
        if (bagged) {
            job.keep = true;
            job.scoreRows.insert(job.scoreRows.end(), testThenDev.begin(), testThenDev.end());
        }
        jobs.push_back(std::move(job));
    }
    return jobs;
}

// The test and in-sample development logits of the scoring jobs (their mean).
void scoringLogits(const Context &c, const std::vector<SequenceJob *> &scoring, SequenceLogits &out)
{
    out.test.assign(c.test.size(), 0.0);
    out.devInSample.assign(c.dev.size(), 0.0);
    for (const SequenceJob *job : scoring) {
        const size_t own = job->scorePos.size(); // a fold's own rows come first
        for (size_t i = 0; i < c.test.size(); ++i)
            out.test[i] += job->logits[own + i] / double(scoring.size());
        for (size_t i = 0; i < c.dev.size(); ++i)
            out.devInSample[i] += job->logits[own + c.test.size() + i] / double(scoring.size());
    }
}

// The bundle scoring test: the full model, or fold 1 with the other folds as a bag.
ModelBundle scoringBundle(const Context &c, const std::vector<SequenceJob *> &scoring,
                          const SequenceLogits &logits)
{
    ModelBundle bundle = std::move(scoring.front()->bundle);
    for (size_t k = 1; k < scoring.size(); ++k) {
        ModelBundle &fold = scoring[k]->bundle;
        bundle.otherFolds.push_back(
            {std::move(fold.encoder), std::move(fold.model), std::move(fold.referenceEmbedding)});
    }
    // A bag is calibrated on the out-of-fold logits: every development applicant scored by a
    // model that did not see it.
    if (bundle.isBag() && c.cfg.model.calibration != CalibrationMethod::None)
        bundle.calibrator = fitCalibrator(c.cfg.model.calibration, logits.oof, labelsOf(c.raw, c.dev));
    return bundle;
}

bool sequenceLogits(const Context &c, int64_t folds, int64_t threads, SequenceLogits &out,
                    SequenceJob &reported)
{
    const bool bagged = c.cfg.baseline.testScores == TestScoring::Bagged;
    std::vector<SequenceJob> jobs = sequenceJobs(c, folds, bagged);
    if (!runSequenceJobs(c, jobs, threads))
        return false;
    out.oof.assign(c.dev.size(), 0.0);
    std::vector<SequenceJob *> scoring;
    for (SequenceJob &job : jobs) {
        for (size_t i = 0; i < job.scorePos.size(); ++i)
            out.oof[job.scorePos[i]] = job.logits[i];
        if (job.keep)
            scoring.push_back(&job);
        out.choices.push_back(job.choice);
    }
    scoringLogits(c, scoring, out);
    ModelBundle bundle = scoringBundle(c, scoring, out);
    reported = std::move(*scoring.front()); // its training, seed and explanations are reported
    reported.bundle = std::move(bundle);
    if (!bagged)
        return true;
    CancelToken never;
    return explainGlobally(c, reported.bundle, reported.bundle.encoder.encode(c.raw),
                           c.req.cancel ? *c.req.cancel : never, reported.globalAttention,
                           reported.explanationAudit);
}

// The sequence-logit column: `devValues` on development rows, the scoring model's on test rows.
std::vector<double> logitColumn(const Context &c, int64_t rows,
                                const std::vector<double> &devValues,
                                const std::vector<double> &test)
{
    std::vector<double> col(size_t(rows), std::nan(""));
    for (size_t i = 0; i < c.dev.size(); ++i)
        col[size_t(c.dev[i])] = devValues[i];
    for (size_t i = 0; i < c.test.size(); ++i)
        col[size_t(c.test[i])] = test[i];
    return col;
}

struct ModelScores {
    std::vector<double> dev, test;
};

ModelScores fitAndPredict(const Context &c, const FeatureMatrix &x, int64_t threads,
                          BaselineFitInfo &info)
{
    auto model = makeBaselineModel(c.cfg.baseline, c.cfg.training.seed, threads);
    info = model->fit(x, c.dev, labelsOf(c.raw, c.dev));
    return {model->predict(x, c.dev), model->predict(x, c.test)};
}

// The bundle of the sequence model that scored the test split, so its applicants can be explained.
void saveFullModel(const Context &c, const CompareSummary &s, SequenceJob &full,
                   const std::string &dir)
{
    ModelBundle &bundle = full.bundle;
    bundle.metrics = compareModelMetricsJson(s);
    // "seed" is the config's (it fixes the splits); the model was initialised with its job's seed.
    bundle.metadata = bundleMetadataJson(c.cfg.training.seed, c.cfg.training.threads,
                                         bundle.model->parameterCount(), full.training.seconds,
                                         c.raw.report,
                                         {{"model_seed", full.seed},
                                          {"test_scores", bundle.isBag() ? "bagged" : "full_model"},
                                          {"models", bundle.members().size()}});
    bundle.history = trainingHistoryJson(full.training.history);
    bundle.report = dataReportJson(s.audit);
    saveBundle(dir, bundle);
}

CompareSummary compare(const Config &cfg, const CompareRequest &req)
{
    const int64_t threads = setTorchThreads(cfg.training.threads);
    const uint64_t seed = cfg.training.seed;
    LoadOptions opt;
    opt.cancel = req.cancel;
    const RawDataset raw = loadDataset(cfg, opt);
    const auto splits = assignSplits(raw, cfg.training.validFraction, cfg.training.testFraction,
                                     seed);
    Context c{cfg, req, raw, {}, {}};
    for (size_t a = 0; a < raw.applicants.size(); ++a)
        if (raw.applicants[a].label >= 0)
            (splits[a] == Split::Test ? c.test : c.dev).push_back(int64_t(a));
    if (c.test.empty())
        throwData("compare needs a test split: set training.test_fraction above 0 or give test "
                  "rows in the split column");
    CompareSummary s;
    s.nDevelopment = int64_t(c.dev.size());
    s.nTest = int64_t(c.test.size());
    s.folds = cfg.baseline.folds;
    s.baselineModel = cfg.baseline.model;
    s.audit.load = raw.report;
    s.audit.profile = profileData(raw);
    s.audit.splits = {int64_t(rowsIn(raw, splits, Split::Train).size()),
                      int64_t(rowsIn(raw, splits, Split::Valid).size()), s.nTest};

    SequenceLogits seq;
    SequenceJob fullModel;
    if (!sequenceLogits(c, s.folds, threads, seq, fullModel)) {
        s.cancelled = true;
        return s;
    }
    const FeatureMatrix x = WindowFeatureBuilder::fit(raw, cfg, c.dev).build(raw);
    s.features = int64_t(x.columns());
    const ModelScores base = fitAndPredict(c, x, threads, s.baselineFit);
    const ModelScores stack = fitAndPredict(
        c, withColumn(x, "sequence_logit", logitColumn(c, x.rows, seq.oof, seq.test)), threads,
        s.stackingFit);
    const auto yTest = labelsOf(raw, c.test);
    if (req.alsoInSampleStacking) {
        BaselineFitInfo ignored;
        const auto leaky = withColumn(x, "sequence_logit",
                                      logitColumn(c, x.rows, seq.devInSample, seq.test));
        s.inSampleStackingAuc = aucScore(fitAndPredict(c, leaky, threads, ignored).test, yTest);
    }

    const auto &bc = cfg.baseline;
    // PSI compares the scoring model's scores on development and test (the full model's or the
    // bag's), as its bundle reports them (calibrated). The stacker takes the raw out-of-fold logits.
    const Calibrator &cal = fullModel.bundle.calibrator;
    const auto seqTest = cal.probabilities(seq.test), seqDev = cal.probabilities(seq.devInSample);
    s.baseline = evaluate(base.test, base.dev, yTest, bc, seed);
    s.sequence = evaluate(seqTest, seqDev, yTest, bc, seed);
    s.stacking = evaluate(stack.test, stack.dev, yTest, bc, seed);
    s.deltaAuc = delongPaired(base.test, stack.test, yTest);
    s.deltaKs = bootstrapDeltaKs(base.test, stack.test, yTest, int(bc.bootstrapReps), seed);
    s.swap = swapSet(base.test, stack.test, yTest);
    s.globalAttention = std::move(fullModel.globalAttention);
    s.explanationAudit = std::move(fullModel.explanationAudit);
    s.audit.encode = fullModel.encodeReport;
    s.testScores = cfg.baseline.testScores;
    s.fullModelSeed = fullModel.seed;
    s.fullModelTraining = fullModel.training;
    s.aggregations = seq.choices;
    s.testLabels = yTest;
    for (int64_t a : c.test)
        s.testEntities.push_back(raw.applicants[size_t(a)].id);
    s.baselineScores = base.test;
    s.sequenceScores = seqTest;
    s.stackingScores = stack.test;
    if (!req.outDir.empty()) {
        writeOutputs(req, s, raw, c.test, base.test, seqTest, stack.test);
        saveFullModel(c, s, fullModel, req.outDir + "/model");
    }
    return s;
}

} // namespace

CompareSummary runCompare(const Config &config, const CompareRequest &req)
{
    return cancelledAsResult<CompareSummary>([&] { return compare(config, req); });
}

} // namespace seqlens
