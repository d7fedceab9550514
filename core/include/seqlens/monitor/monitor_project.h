// SPDX-License-Identifier: GPL-3.0-or-later
// Monitoring a recorded run: the run's own bundle and recorded test scores against a new batch;
// the result is stored as a monitoring record of the run, so batches accumulate.
#pragma once

#include "seqlens/monitor/monitor_workflow.h"
#include "seqlens/store/project_store.h"

namespace seqlens {

// Monitors a batch against finished run `runId` of `store`, writes the outputs to `outDir`
// (when not empty), then adds the record (its id in `recordId`). Data errors, before anything
// is written: an unknown or unfinished run, a run without a model or without recorded test
// scores, and everything monitorBatch refuses. Nothing is written when cancelled.
MonitorResult monitorRunInProject(ProjectStore &store, int64_t runId, const MonitorRequest &request,
                                  const std::string &outDir = "", int64_t *recordId = nullptr);

} // namespace seqlens
