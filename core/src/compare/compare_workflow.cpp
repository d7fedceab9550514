// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/compare/compare_workflow.h"

#include "compare_jobs.h"

#include "seqlens/compare/baseline_models.h"
#include "seqlens/compare/window_features.h"
#include "seqlens/result_json.h"
#include "seqlens/train_workflow.h"
#include "seqlens/util/error.h"
#include "seqlens/util/text_util.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>

namespace seqlens {

using nlohmann::json;

namespace {

using Context = CompareContext;

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
        throwData("compare needs a test split: set training.test_fraction above 0, give test "
                  "rows in the split column, or a labels.split test_after before the last cutoff");
    CompareSummary s;
    s.nDevelopment = int64_t(c.dev.size());
    s.nTest = int64_t(c.test.size());
    s.folds = cfg.baseline.folds;
    s.baselineModel = cfg.baseline.model;
    s.audit.load = raw.report;
    s.audit.profile = profileData(raw);
    s.audit.splits = countSplits(raw, splits, cfg);

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
    // bag's), as its bundle reports them (calibrated). The stacker takes the raw out-of-fold
    // logits.
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
    s.segments = segmentChecksOf(raw, c.test, stack.test, cfg);
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
