// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to compare: the sequence models of a comparison (K fold models and the full
// development model) as jobs, trained side by side on worker threads.
#pragma once

#include "seqlens/bundle.h"
#include "seqlens/compare/compare_workflow.h"

#include <mutex>
#include <string>
#include <vector>

namespace seqlens {

struct CompareContext {
    Config cfg;
    const CompareRequest &req;
    RawDataset raw;
    std::vector<int64_t> dev, test; // applicant indices
    std::mutex splitMutex;          // encodeForFit borrows raw's split column
};

// One sequence model of the comparison: the fold models and the full development model.
struct SequenceJob {
    std::string what;
    uint64_t seed = 0;
    std::vector<int64_t> fitRows, scoreRows;
    std::vector<size_t> scorePos; // fold jobs: positions in c.dev of scoreRows
    std::vector<double> logits;   // result: logits of scoreRows
    bool keep = false; // keep the model, its encoder and a global explanation (the full model)
    ModelBundle bundle;
    std::string globalAttentionJson;
    std::string encodeReportJson;
    double trainSeconds = 0;
};

// Trains every job (in order, as many at once as `threads` allows, one LibTorch thread each)
// and fills its logits. Returns false when cancelled; rethrows the first error.
bool runSequenceJobs(CompareContext &c, std::vector<SequenceJob> &jobs, int64_t threads);

} // namespace seqlens
