// SPDX-License-Identifier: GPL-3.0-or-later
// Builds and trains the sequence model of a config. With "item_aggregation": "auto" it trains
// the Transformer and the GRU on the same data, budget and seed and keeps the one with the
// better best validation AUC (ties: the Transformer); both trials are recorded. The two race
// (trial_race.h): after training.min_epochs epochs the one behind stops, and its trial records
// it as it stood then; when a training ends before that epoch the finished ones are compared.
// Without validation rows there is nothing to choose on: "auto" trains the GRU (the better of
// the two on most families of the pattern benchmark, README) and records no trial. With "auto", progress
// reports name the candidate in `task` after the caller's ("sequence · gru", "fold 2/5 · gru"),
// so the recorded epochs of the two trials stay apart.
#pragma once

#include "seqlens/nn/sequence_model.h"
#include "seqlens/nn/trainer.h"

#include <memory>
#include <string>
#include <vector>

namespace seqlens {

// Between the caller's task and the candidate's name in an "auto" trial's progress task.
inline constexpr const char *kTrialSeparator = " · ";

struct AggregationTrial {
    ItemAggregation aggregation = ItemAggregation::Transformer;
    double bestValidAuc = 0;
    int64_t bestEpoch = 0, epochsRun = 0;
    double seconds = 0;
    int64_t stoppedAt = 0; // behind after this epoch (the race, trial_race.h): stopped; 0 = ran on
};

// Which aggregation one trained model kept, and the trials it was chosen on (compare: one per
// fold model and one for the full model).
struct ModelChoice {
    std::string model; // "sequence", "fold 2/5", "full model (…)"
    ItemAggregation kept = ItemAggregation::Transformer;
    std::vector<AggregationTrial> trials;
    std::string chosenOn; // compare: the model whose trials chose it ("fold 1/5"), or empty
};

struct FittedModel {
    std::unique_ptr<SequenceModel> model; // null when cancelled
    ModelConfig config;                   // resolved: never "auto"
    TrainResult training;                 // of the kept model (seconds: all trials)
    std::vector<AggregationTrial> trials; // "auto" with validation rows: both, in training order
};

FittedModel fitSequenceModel(const ModelConfig &config, const ModelLayout &layout,
                             const EncodedDataset &data, const std::vector<int64_t> &trainRows,
                             const std::vector<int64_t> &validRows, const TrainingConfig &training,
                             const ProgressFn &progress = {}, const CancelToken *cancel = nullptr,
                             ThreadBudget *budget = nullptr, const EpochGate &keepGoing = {});

} // namespace seqlens
