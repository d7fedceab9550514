// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/monitor/monitor_project.h"

#include "seqlens/util/error.h"
#include "seqlens/util/hex.h"

namespace seqlens {

namespace {

ModelBundle runBundle(const RunInfo &run)
{
    const std::string what = "run " + std::to_string(run.id);
    if (run.status != RunStatus::Finished)
        throwData(what + " is " + toString(run.status) +
                  ": only a finished run has a model to monitor with");
    if (run.outputPath.empty())
        throwData(what + " has no model: it was run without an output directory (--out)");
    return loadBundle(bundleDirOf(run));
}

ReferenceScores referenceScores(const ProjectStore &store, int64_t runId)
{
    ReferenceScores ref;
    for (const auto &row : store.scores(runId, "sequence", "test")) {
        ref.scores.push_back(row.score);
        ref.labels.push_back(row.label);
    }
    if (ref.scores.empty())
        throwData("run " + std::to_string(runId) +
                  " has no recorded test scores of its sequence model (run with a test split)");
    return ref;
}

} // namespace

MonitorResult monitorRunInProject(ProjectStore &store, int64_t runId, const MonitorRequest &request,
                                  const std::string &outDir, int64_t *recordId)
{
    const RunInfo run = store.run(runId);
    const ModelBundle bundle = runBundle(run);
    const MonitorResult r = monitorBatch(bundle, referenceScores(store, runId), request);
    if (r.cancelled)
        return r;
    if (!outDir.empty())
        writeMonitorOutputs(outDir, r);
    MonitoringRecord rec;
    rec.run = runId;
    rec.name = r.name;
    rec.eventsPath = r.batchLoad.eventsPath;
    rec.labelsPath = r.batchLoad.labelsPath;
    rec.eventsFingerprint = hex64(r.batchLoad.eventsFingerprint);
    rec.applicants = r.batchApplicants;
    rec.cohortBy = r.cohortBy;
    rec.status = toString(r.status);
    rec.json = monitorResultJson(r).dump();
    const int64_t id = store.addMonitoring(std::move(rec));
    if (recordId)
        *recordId = id;
    return r;
}

} // namespace seqlens
