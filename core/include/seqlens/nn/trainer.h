// SPDX-License-Identifier: GPL-3.0-or-later
// Training loop: Adam, binary cross-entropy with optional positive-class weight, early
// stopping on validation AUC with patience, best epoch restored. Synchronous; reports
// progress through a callback and checks a cancellation flag between batches.
#pragma once

#include "seqlens/data/config.h"
#include "seqlens/data/encoder.h"
#include "seqlens/nn/sequence_model.h"
#include "seqlens/util/cancel.h"
#include "seqlens/util/thread_budget.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace seqlens {

struct TrainProgress {
    int64_t epoch = 0, epochs = 0;   // 1-based epoch, maximum epochs
    int64_t batch = 0, batches = 0;  // 1-based batch within the epoch
    double loss = 0;                 // running mean training loss of this epoch
    double validAuc = std::nan("");  // last validation AUC (NaN before the first)
    double etaSeconds = 0;           // estimate for the remaining epochs at the current pace
    bool epochEnd = false;           // true on the report after an epoch's validation
    double validLoss = std::nan(""); // on epochEnd: this epoch's validation loss
    double epochSeconds = 0;         // on epochEnd: this epoch's duration, validation included
    std::string task;                // which model, when a job trains several (e.g. "fold 2/5")
};
using ProgressFn = std::function<void(const TrainProgress &)>;

struct EpochRecord {
    int64_t epoch = 0;
    double trainLoss = 0, validLoss = 0, validAuc = 0, seconds = 0;
};

struct TrainResult {
    bool cancelled = false;
    int64_t bestEpoch = 0, epochsRun = 0;
    double bestValidAuc = std::nan("");
    double seconds = 0;
    int64_t sequencesSeen = 0; // training sequences processed (for throughput)
    std::vector<EpochRecord> history;
};

// Trains `model` on the applicants `trainRows`, early-stopping on `validRows` (no early
// stopping when empty); both are labeled applicant indices of `data`. Throws a Data error when
// a split lacks one of the classes. On cancel, returns with cancelled = true and the best
// weights so far (TrainResult::cancelled; the workflows turn it into their own cancelled flag).
// The run uses the calling thread's LibTorch threads, plus what it claims from `budget` at the
// start of each epoch (given back at the end); the numbers do not depend on either.
// `keepGoing`, when given, is asked after each epoch's validation with the epoch and the best
// validation AUC so far; false ends the training there (not a cancel: best weights restored).
using EpochGate = std::function<bool(int64_t epoch, double bestValidAuc)>;
TrainResult trainModel(SequenceModel &model, const EncodedDataset &data,
                       const std::vector<int64_t> &trainRows, const std::vector<int64_t> &validRows,
                       const TrainingConfig &config, const ProgressFn &progress = {},
                       const CancelToken *cancel = nullptr, ThreadBudget *budget = nullptr,
                       const EpochGate &keepGoing = {});

} // namespace seqlens
