// SPDX-License-Identifier: GPL-3.0-or-later
// Builds and trains the sequence model of a config. With "item_aggregation": "auto" it trains
// the Transformer and the GRU on the same data, budget and seed and keeps the one with the
// better best validation AUC (ties: the Transformer); both trials are recorded.
#pragma once

#include "seqlens/nn/sequence_model.h"
#include "seqlens/nn/trainer.h"

#include <memory>
#include <vector>

namespace seqlens {

struct AggregationTrial {
    ItemAggregation aggregation = ItemAggregation::Transformer;
    double bestValidAuc = 0;
    int64_t bestEpoch = 0, epochsRun = 0;
    double seconds = 0;
};

struct FittedModel {
    std::unique_ptr<SequenceModel> model; // null when cancelled
    ModelConfig config;                   // resolved: never "auto"
    TrainResult training;                 // of the kept model (seconds: all trials)
    std::vector<AggregationTrial> trials; // "auto" only: every candidate, in training order
};

// Throws a Data error for "auto" without validation rows (nothing to choose on).
FittedModel fitSequenceModel(const ModelConfig &config, const ModelLayout &layout,
                             const EncodedDataset &data, const std::vector<int64_t> &trainRows,
                             const std::vector<int64_t> &validRows, const TrainingConfig &training,
                             const ProgressFn &progress = {}, const CancelToken *cancel = nullptr);

} // namespace seqlens
