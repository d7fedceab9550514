// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/run_recording.h"

#include "seqlens/compare/validation_stats.h"
#include "seqlens/result_json.h"
#include "seqlens/util/error.h"
#include "seqlens/util/hex.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace seqlens {

using nlohmann::json;

namespace {

RunInfo newRun(const char *kind, const Config &cfg, const std::string &outputPath)
{
    RunInfo r;
    r.kind = kind;
    r.configJson = configToJson(cfg);
    r.seed = cfg.training.seed;
    r.threads = cfg.training.threads;
    r.outputPath = outputPath.empty() ? "" : std::filesystem::absolute(outputPath).string();
    return r;
}

// Records each finished epoch, then forwards to the caller's progress function.
ProgressFn recordingProgress(ProjectStore &store, int64_t run, ProgressFn next)
{
    return [&store, run, next = std::move(next)](const TrainProgress &p) {
        if (p.epochEnd)
            store.addEpoch(run, EpochRow{p.task.empty() ? "sequence" : p.task, p.epoch, p.loss,
                                         p.validLoss, p.validAuc, p.epochSeconds});
        if (next)
            next(p);
    };
}

void linkDatasets(ProjectStore &store, int64_t run, const LoadReport &load)
{
    std::error_code ec;
    auto info = [&](const std::string &role, const std::string &path, uint64_t fingerprint,
                    int64_t rows) {
        const auto size = std::filesystem::file_size(path, ec);
        store.linkDataset(run, DatasetInfo{0, role, std::filesystem::absolute(path).string(),
                                           ec ? -1 : int64_t(size), hex64(fingerprint), rows, ""});
    };
    if (load.sources.size() > 1) // one link per source: "events:bureau", ...
        for (const auto &s : load.sources)
            info("events:" + s.name, s.path, s.fingerprint, s.rows);
    else
        info("events", load.eventsPath, load.eventsFingerprint, load.eventRows);
    info("labels", load.labelsPath, load.labelsFingerprint, load.labelRows);
}

void addScores(ProjectStore &store, int64_t run, const std::string &model, const char *split,
               const std::vector<std::string> &ids, const std::vector<int> &labels,
               const std::vector<double> &scores)
{
    std::vector<ScoreRow> rows;
    for (size_t i = 0; i < ids.size(); ++i)
        rows.push_back(ScoreRow{model, ids[i], split, labels[i], scores[i]});
    store.addScores(run, rows);
}

// The run's global attention and explanation audit, when computed.
void putExplanations(ProjectStore &store, int64_t run,
                     const std::optional<GlobalAttention> &attention,
                     const std::optional<ExplanationAudit> &audit)
{
    if (attention)
        store.putArtifact(run, "global_attention", globalAttentionJson(*attention).dump());
    if (audit)
        store.putArtifact(run, "explanation_audit", explanationAuditJson(*audit).dump());
}

void recordTrain(ProjectStore &store, int64_t run, const TrainSummary &s, uint64_t seed)
{
    linkDatasets(store, run, s.audit.load);
    std::vector<MetricRow> m;
    for (const auto &[split, sm] : {std::pair{"valid", &s.valid}, std::pair{"test", &s.test}}) {
        if (!sm->available)
            continue;
        const auto &b = sm->metrics;
        const AucInterval auc = delongAuc(sm->scores, sm->labels);
        const BootstrapInterval ks = bootstrapKs(sm->scores, sm->labels, 1000, seed);
        m.push_back(MetricRow{split, "sequence", "auc", b.auc, auc.lo, auc.hi});
        m.push_back(MetricRow{split, "sequence", "ks", b.ks, ks.lo, ks.hi});
        m.push_back(MetricRow{split, "sequence", "gini", b.gini, 2 * auc.lo - 1, 2 * auc.hi - 1});
        for (const auto &[name, v] : {std::pair{"ks_threshold", b.ksThreshold},
                                      {"n", double(b.n)},
                                      {"bads", double(b.positives)}})
            m.push_back(MetricRow{split, "sequence", name, v});
        store.putArtifact(run, std::string("curves/") + split + "/sequence",
                          curvesJson(sm->roc, sm->ks).dump());
        addScores(store, run, "sequence", split, sm->entities, sm->labels, sm->scores);
    }
    m.push_back(MetricRow{"train", "sequence", "best_epoch", double(s.training.bestEpoch)});
    m.push_back(MetricRow{"train", "sequence", "epochs_run", double(s.training.epochsRun)});
    m.push_back(MetricRow{"train", "sequence", "seconds", s.training.seconds});
    store.addMetrics(run, m);
    store.putArtifact(run, "metrics", trainMetricsJson(s).dump(2));
    store.putArtifact(run, "data_report", dataReportJson(s.audit).dump());
    putExplanations(store, run, s.globalAttention, s.explanationAudit);
}

void addEvaluation(std::vector<MetricRow> &m, const std::string &model, const ModelEvaluation &e)
{
    m.push_back(MetricRow{"test", model, "auc", e.auc.auc, e.auc.lo, e.auc.hi});
    m.push_back(MetricRow{"test", model, "ks", e.ks.value, e.ks.lo, e.ks.hi});
    m.push_back(MetricRow{"test", model, "gini", e.gini, 2 * e.auc.lo - 1, 2 * e.auc.hi - 1});
    m.push_back(MetricRow{"test", model, "psi", e.psi});
    m.push_back(MetricRow{"test", model, "brier", e.calibration.brier});
    m.push_back(MetricRow{"test", model, "hosmer_lemeshow_p_value", e.calibration.hlPValue});
}

void recordCompare(ProjectStore &store, int64_t run, const CompareSummary &s)
{
    linkDatasets(store, run, s.audit.load);
    std::vector<MetricRow> m;
    addEvaluation(m, "baseline", s.baseline);
    addEvaluation(m, "sequence", s.sequence);
    addEvaluation(m, "stacking", s.stacking);
    m.push_back(MetricRow{"test", "stacking-baseline", "delta_auc", s.deltaAuc.delta, s.deltaAuc.lo,
                          s.deltaAuc.hi});
    m.push_back(MetricRow{"test", "stacking-baseline", "delta_auc_p_value", s.deltaAuc.pValue});
    m.push_back(MetricRow{"test", "stacking-baseline", "delta_ks", s.deltaKs.value, s.deltaKs.lo,
                          s.deltaKs.hi});
    store.addMetrics(run, m);
    for (const auto &[name, e] :
         {std::pair{"baseline", &s.baseline}, {"sequence", &s.sequence}, {"stacking", &s.stacking}})
        store.putArtifact(run, std::string("curves/test/") + name,
                          curvesJson(e->roc, e->ksCurve).dump());
    store.putArtifact(run, "compare", compareJson(s).dump(2));
    store.putArtifact(run, "data_report", dataReportJson(s.audit).dump());
    putExplanations(store, run, s.globalAttention, s.explanationAudit);
    addScores(store, run, "baseline", "test", s.testEntities, s.testLabels, s.baselineScores);
    addScores(store, run, "sequence", "test", s.testEntities, s.testLabels, s.sequenceScores);
    addScores(store, run, "stacking", "test", s.testEntities, s.testLabels, s.stackingScores);
}

// Runs `job`; records failure (and rethrows) or cancellation; `record` runs on success.
template <typename Summary, typename Job, typename Record>
Summary recorded(ProjectStore &store, int64_t run, Job job, Record record)
{
    Summary s;
    try {
        s = job();
    } catch (const std::exception &e) {
        store.finishRun(run, RunStatus::Failed, e.what());
        throw;
    }
    if (s.cancelled) {
        store.finishRun(run, RunStatus::Cancelled, "cancelled by the user");
        return s;
    }
    record(s);
    store.finishRun(run, RunStatus::Finished);
    return s;
}

} // namespace

TrainSummary runTrainingInProject(ProjectStore &store, const Config &config,
                                  const TrainRequest &request, int64_t *runId)
{
    const int64_t run = store.beginRun(newRun("train", config, request.outDir));
    if (runId)
        *runId = run;
    TrainRequest req = request;
    req.progress = recordingProgress(store, run, request.progress);
    req.explainGlobally = true;
    return recorded<TrainSummary>(
        store, run, [&] { return runTraining(config, req); },
        [&](const TrainSummary &s) {
            recordTrain(store, run, s, config.training.seed);
            store.audit("trained", "run " + std::to_string(run),
                        "test AUC " +
                            (s.test.available ? std::to_string(s.test.metrics.auc) : "n/a"));
        });
}

CompareSummary runCompareInProject(ProjectStore &store, const Config &config,
                                   const CompareRequest &request, int64_t *runId)
{
    const int64_t run = store.beginRun(newRun("compare", config, request.outDir));
    if (runId)
        *runId = run;
    CompareRequest req = request;
    req.progress = recordingProgress(store, run, request.progress);
    req.explainGlobally = true;
    return recorded<CompareSummary>(
        store, run, [&] { return runCompare(config, req); },
        [&](const CompareSummary &s) {
            recordCompare(store, run, s);
            store.audit("compared", "run " + std::to_string(run),
                        "delta AUC " + std::to_string(s.deltaAuc.delta) + ", p " +
                            std::to_string(s.deltaAuc.pValue));
        });
}

} // namespace seqlens
