// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to compare: the sequence models of a comparison (K fold models and the full
// development model) as jobs, trained side by side on worker threads. The jobs only read the
// shared context: each draws its own inner split and fits its own encoder.
#pragma once

#include "seqlens/bundle.h"
#include "seqlens/compare/compare_workflow.h"
#include "seqlens/nn/model_fit.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace seqlens {

struct CompareContext {
    const Config &cfg;
    const CompareRequest &req;
    const RawDataset &raw;
    std::vector<int64_t> dev, test; // applicant indices
};

// One sequence model of the comparison: the fold models and the full development model.
struct SequenceJob {
    std::string what;
    uint64_t seed = 0;
    std::vector<int64_t> fitRows, scoreRows;
    std::vector<size_t> scorePos; // fold jobs: positions in c.dev of scoreRows
    // Overrides the config's item aggregation ("auto" resolved once for the comparison).
    std::optional<ItemAggregation> aggregation;
    std::vector<double> logits; // result: logits of scoreRows
    bool keep = false;      // keep the model and its encoder in `bundle` (the models scoring test)
    bool calibrate = false; // and fit the bundle's calibrator on its inner validation rows
    bool explain = false;   // and explain it globally over the test split (request permitting)
    ModelBundle bundle;     // kept: config (aggregation resolved), encoder, model, reference
    std::optional<GlobalAttention> globalAttention;
    std::optional<ExplanationAudit> explanationAudit;
    EncodeReport encodeReport;
    TrainResult training;
    ModelChoice choice; // the kept item aggregation (and with "auto" both trials)
    EpochGate keepGoing; // asked after each epoch (the "auto" race between two trial jobs)
};

// With request.explainGlobally: the global attention and the explanation audit of `bundle`
// (a single model or a bag) over the test split; `data` is the raw data encoded with
// bundle.encoder. Returns false when stopped.
bool explainGlobally(const CompareContext &c, const ModelBundle &bundle, const EncodedDataset &data,
                     const CancelToken &stop, std::optional<GlobalAttention> &attention,
                     std::optional<ExplanationAudit> &audit);

// Trains every job (in order, as many at once as `threads` allows, one LibTorch thread each;
// a worker without jobs left lends its thread to the training still running) and fills its
// logits. Returns false when cancelled; rethrows the first error. Steps are reported as
// firstStep + 1 .. of `steps` (0: jobs.size()).
bool runSequenceJobs(const CompareContext &c, std::span<SequenceJob> jobs, int64_t threads,
                     int64_t firstStep = 0, int64_t steps = 0);

std::vector<int> labelsOf(const RawDataset &d, const std::vector<int64_t> &rows);

// Sequence-model logits: out-of-fold for development; for test and (in sample) for development
// the scoring model's: the mean of the fold models (bagged) or the full model.
struct SequenceLogits {
    std::vector<double> oof, test, devInSample;
    std::vector<ModelChoice> choices; // the full model's (if any), then each fold model's
};

// Trains the comparison's sequence models (compare_sequence.cpp). `reported` receives the model
// scoring test (its bundle: the full model or the bag) with its training record and, with
// request.explainGlobally, its explanations. Returns false when cancelled.
bool sequenceLogits(const CompareContext &c, int64_t folds, int64_t threads, SequenceLogits &out,
                    SequenceJob &reported);

} // namespace seqlens
