// SPDX-License-Identifier: GPL-3.0-or-later
// Train and compare, recorded in a project store: the run is written (status running) before
// any work, each epoch as it ends, then the datasets with their fingerprints, the metrics with
// intervals, curves and tables, per-applicant scores, a global explanation, and the final
// status: finished, cancelled, or failed with its error (which is then rethrown). Each
// finished run adds an audit entry ("trained" or "compared").
#pragma once

#include "seqlens/compare/compare_workflow.h"
#include "seqlens/store/project_store.h"
#include "seqlens/train_workflow.h"

namespace seqlens {

// `config` is the resolved config (overrides applied): it is recorded with the run and run as is.

TrainSummary runTrainingInProject(ProjectStore &store, const Config &config,
                                  const TrainRequest &request, int64_t *runId = nullptr);

CompareSummary runCompareInProject(ProjectStore &store, const Config &config,
                                   const CompareRequest &request, int64_t *runId = nullptr);

} // namespace seqlens
