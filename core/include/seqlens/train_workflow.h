// SPDX-License-Identifier: GPL-3.0-or-later
// Train: load the data, split, fit the encoder on the train split, train the sequence model,
// evaluate it on the validation and test splits, and write the model bundle.
#pragma once

#include "seqlens/compare/calibrator.h"
#include "seqlens/compare/metrics.h"
#include "seqlens/compare/validation_stats.h"
#include "seqlens/data/audit.h"
#include "seqlens/monitor/segments.h"
#include "seqlens/explain/explanation_audit.h"
#include "seqlens/explain/global_attention.h"
#include "seqlens/nn/model_fit.h"
#include "seqlens/nn/trainer.h"
#include "seqlens/util/cancel.h"
#include "seqlens/util/log.h"

#include <optional>
#include <string>
#include <vector>

namespace seqlens {

struct TrainRequest {
    std::string outDir; // bundle directory; empty: nothing written
    ProgressFn progress;
    const CancelToken *cancel = nullptr;
    LogFn log;
    bool explainGlobally = false; // also fill globalAttention and explanationAudit
};

struct SplitMetrics {
    bool available = false; // false when the split is empty or has one class
    std::string split;      // "valid" or "test"
    std::string note;       // why not available
    BinaryMetrics metrics;
    std::vector<RocPoint> roc;
    std::vector<KsPoint> ks;
    std::vector<std::string> entities; // the split's labeled applicants, their scores and labels
    std::vector<double> scores;        // calibrated probabilities (model.calibration)
    std::vector<int> labels;
    // Calibration tables (deciles of the probability) of the plain sigmoid of the logit and of
    // the calibrated probability; on the test split "after" is the honest check (the map was
    // fitted on the validation split).
    Calibration before, after;
};

struct TrainSummary {
    bool cancelled = false;
    SplitMetrics valid, test;
    TrainResult training;
    Calibrator calibrator; // fitted on the validation split; None without one
    ItemAggregation aggregation = ItemAggregation::Transformer; // kept ("auto" resolved)
    std::vector<AggregationTrial> aggregationTrials;            // "auto": both candidates
    AuditReport audit; // data load, profile, encoding and split counts
    int64_t threads = 0;
    std::optional<GlobalAttention> globalAttention; // with explainGlobally: over the test
                                                    // applicants (validation when no test split)
    std::optional<ExplanationAudit> explanationAudit; // with explainGlobally: faithfulness,
                                                      // global attributions, surrogate (same rows)
    std::optional<SegmentChecks> segments; // monitoring.segments on the test split
};

// Trains on `config` as given (apply overrides with applyOverrides first). Throws Config/Data
// errors for bad input; returns cancelled = true (and writes nothing) when cancelled, during
// loading as during training.
TrainSummary runTraining(const Config &config, const TrainRequest &request);

// Writes <dir>/roc_<name>.csv (threshold,fpr,tpr) and <dir>/ks_<name>.csv (score,cum_good,cum_bad).
void writeCurveCsvs(const std::string &dir, const std::string &name,
                    const std::vector<RocPoint> &roc, const std::vector<KsPoint> &ks);

} // namespace seqlens
