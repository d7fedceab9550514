// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/train_workflow.h"

#include "seqlens/bundle.h"
#include "seqlens/result_json.h"
#include "seqlens/util/error.h"
#include "seqlens/util/text_util.h"

#include <fstream>

namespace seqlens {

namespace {

std::vector<int> labelsOf(const EncodedDataset &enc, const std::vector<int64_t> &rows)
{
    std::vector<int> out;
    for (int64_t a : rows)
        out.push_back(enc.labels[size_t(a)] > 0.5f);
    return out;
}

// Fits model.calibration on the validation split's logits; the plain sigmoid when there is no
// validation split (or calibration is off).
Calibrator fitOnValidation(const Config &config, const SequenceModel &model,
                           const EncodedDataset &enc, const std::vector<int64_t> &validRows,
                           const LogFn &log)
{
    if (validRows.empty() || config.model.calibration == CalibrationMethod::None)
        return {};
    Calibrator c = fitCalibrator(config.model.calibration, model.predictLogits(enc, validRows),
                                 labelsOf(enc, validRows));
    if (log)
        log("calibration: " + std::string(toString(c.method)) + " on " +
            std::to_string(c.fittedOn) + " validation applicants" +
            (c.method == CalibrationMethod::Platt
                 ? " (a = " + std::to_string(c.a) + ", b = " + std::to_string(c.b) + ")"
                 : ""));
    return c;
}

SplitMetrics evaluate(const SequenceModel &model, const Calibrator &calibrator,
                      const EncodedDataset &enc, const RawDataset &raw,
                      const std::vector<int64_t> &rows, Split split)
{
    SplitMetrics out;
    out.split = toString(split);
    if (rows.empty()) {
        out.note = "no applicants in the " + out.split + " split";
        return out;
    }
    const auto logits = model.predictLogits(enc, rows);
    out.scores = calibrator.probabilities(logits);
    out.labels = labelsOf(enc, rows);
    for (int64_t a : rows)
        out.entities.push_back(raw.applicants[size_t(a)].id);
    try {
        out.before = calibration(Calibrator{}.probabilities(logits), out.labels, 10);
        out.after = calibration(out.scores, out.labels, 10);
        out.metrics = binaryMetrics(out.scores, out.labels);
        out.roc = rocCurve(out.scores, out.labels);
        out.ks = ksCurve(out.scores, out.labels);
        out.available = true;
    } catch (const Error &e) {
        out.note = out.split + " split: " + e.what();
    }
    return out;
}

void logLoad(const LogFn &log, const LoadReport &r, const EncodeReport &e)
{
    if (!log)
        return;
    log("data: " + std::to_string(r.applicants) + " applicants (" + std::to_string(r.positives) +
        " bad, " + std::to_string(r.negatives) + " good, " +
        std::to_string(r.applicantsWithoutEvents) + " without events), " +
        std::to_string(r.eventsKept) + " events kept of " + std::to_string(r.eventRows) + " rows");
    log("data: " + std::to_string(r.eventsAfterCutoff) +
        " events at or after the cutoff excluded, " + std::to_string(r.eventsUnknownEntity) +
        " events of unlabeled entities ignored, " + std::to_string(r.labelMissing) +
        " label rows without a target skipped");
    log("data: " + std::to_string(e.truncatedApplicants) + " histories truncated to max_items (" +
        std::to_string(e.truncatedEvents) + " older events dropped)");
}

ModelBundle makeBundle(const Config &config, const TrainSummary &sum, Encoder encoder,
                       std::unique_ptr<SequenceModel> model, std::vector<float> reference)
{
    ModelBundle bundle;
    bundle.config = config;
    bundle.encoder = std::move(encoder);
    bundle.metrics = trainMetricsJson(sum);
    bundle.metadata = bundleMetadataJson(config.training.seed, sum.threads,
                                         model->parameterCount(), sum.training.seconds,
                                         sum.audit.load);
    bundle.history = trainingHistoryJson(sum.training.history);
    bundle.report = dataReportJson(sum.audit);
    bundle.referenceEmbedding = std::move(reference);
    bundle.calibrator = sum.calibrator;
    bundle.model = std::move(model);
    return bundle;
}

void writeBundle(const std::string &dir, const TrainSummary &sum, const ModelBundle &bundle)
{
    saveBundle(dir, bundle);
    for (const SplitMetrics *m : {&sum.valid, &sum.test})
        if (m->available)
            writeCurveCsvs(dir, m->split, m->roc, m->ks);
}

TrainSummary train(const Config &config, const TrainRequest &req)
{
    TrainSummary sum;
    sum.threads = setTorchThreads(config.training.threads);
    LoadOptions opt;
    opt.cancel = req.cancel;
    const RawDataset raw = loadDataset(config, opt);
    const auto splits = assignSplits(raw, config.training.validFraction,
                                     config.training.testFraction, config.training.seed);
    const auto trainRows = rowsIn(raw, splits, Split::Train);
    const auto validRows = rowsIn(raw, splits, Split::Valid);
    const auto testRows = rowsIn(raw, splits, Split::Test);
    Encoder encoder = Encoder::fit(raw, config, trainRows);
    const EncodedDataset enc = encoder.encode(raw, &sum.audit.encode, sum.threads);
    sum.audit.load = raw.report;
    sum.audit.profile = profileData(raw);
    sum.audit.splits = countSplits(raw, splits, config);
    logLoad(req.log, sum.audit.load, sum.audit.encode);

    if (req.log)
        req.log("model: " + std::string(toString(config.model.itemAggregation)) + ", " +
                std::to_string(sum.threads) + " threads");
    FittedModel fit = fitSequenceModel(config.model, layoutOf(encoder), enc, trainRows, validRows,
                                       config.training, req.progress, req.cancel);
    sum.training = fit.training;
    sum.cancelled = sum.training.cancelled;
    if (sum.cancelled)
        return sum;
    sum.aggregation = fit.config.itemAggregation;
    sum.aggregationTrials = fit.trials;
    auto model = std::move(fit.model);
    if (req.log) {
        for (const AggregationTrial &t : fit.trials)
            req.log("auto: " + std::string(toString(t.aggregation)) + " best validation AUC " +
                    std::to_string(t.bestValidAuc) + " at epoch " + std::to_string(t.bestEpoch) +
                    (t.stoppedAt ? ", stopped behind after epoch " + std::to_string(t.stoppedAt)
                                 : std::string()));
        req.log("model: " + std::string(toString(sum.aggregation)) + " kept, " +
                std::to_string(model->parameterCount()) + " parameters");
    }
    sum.calibrator = fitOnValidation(config, *model, enc, validRows, req.log);
    sum.valid = evaluate(*model, sum.calibrator, enc, raw, validRows, Split::Valid);
    sum.test = evaluate(*model, sum.calibrator, enc, raw, testRows, Split::Test);
    if (sum.test.available)
        sum.segments = segmentChecksOf(raw, testRows, sum.test.scores, config);
    const auto &explainRows = testRows.empty() ? validRows : testRows;
    if (req.explainGlobally)
        sum.globalAttention = globalAttention(*model, encoder, raw, enc, explainRows,
                                              config.sequence.timeBucketsDays);
    auto reference = model->meanInputEmbedding(enc, trainRows);
    Config resolved = config;
    resolved.model = fit.config; // "auto" resolved: the bundle rebuilds the kept architecture
    const ModelBundle bundle =
        makeBundle(resolved, sum, std::move(encoder), std::move(model), std::move(reference));
    if (req.explainGlobally) {
        AuditOptions o;
        o.explain = explainOptions(config);
        o.seed = config.training.seed;
        o.cancel = req.cancel;
        if (req.log)
            req.log("explain: faithfulness, global attributions and surrogate on " +
                    std::to_string(std::min<int64_t>(o.applicants, int64_t(explainRows.size()))) +
                    " applicants");
        sum.explanationAudit = auditExplanations(bundle, raw, enc, explainRows, o);
    }
    if (!req.outDir.empty())
        writeBundle(req.outDir, sum, bundle);
    return sum;
}

} // namespace

void writeCurveCsvs(const std::string &dir, const std::string &name,
                    const std::vector<RocPoint> &roc, const std::vector<KsPoint> &ks)
{
    std::ofstream r(dir + "/roc_" + name + ".csv"), k(dir + "/ks_" + name + ".csv");
    r.precision(10);
    k.precision(10);
    r << "threshold,fpr,tpr\n";
    for (const auto &p : roc)
        r << (std::isinf(p.threshold) ? std::string("inf") : formatNumber(p.threshold)) << ","
          << p.fpr << "," << p.tpr << "\n";
    k << "score,cum_good,cum_bad\n";
    for (const auto &p : ks)
        k << p.threshold << "," << p.cumGood << "," << p.cumBad << "\n";
    if (!r || !k)
        throwData(dir + ": cannot write the " + name + " curves");
}

TrainSummary runTraining(const Config &config, const TrainRequest &req)
{
    return cancelledAsResult<TrainSummary>([&] { return train(config, req); });
}

} // namespace seqlens
