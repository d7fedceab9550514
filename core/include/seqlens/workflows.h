// SPDX-License-Identifier: GPL-3.0-or-later
// Headless workflows: train, score and explain. The CLI and the desktop UI are thin
// front ends over these calls.
#pragma once

#include "seqlens/bundle.h"
#include "seqlens/data/dataset.h"
#include "seqlens/compare/metrics.h"
#include "seqlens/nn/trainer.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace seqlens {

using LogFn = std::function<void(const std::string &)>;

struct TrainRequest {
    std::string configPath;
    std::string outDir;             // bundle directory
    std::optional<int64_t> epochs;  // overrides training.epochs
    std::optional<uint64_t> seed;   // overrides training.seed
    std::optional<int64_t> threads; // overrides training.threads
    ProgressFn progress;
    const CancelToken *cancel = nullptr;
    LogFn log;                    // human-readable lines (stderr in the CLI)
    bool explainGlobally = false; // also fill TrainSummary::globalAttentionJson (a few seconds)
};

struct SplitMetrics {
    bool available = false; // false when the split is empty or has one class
    std::string note;       // why not available
    BinaryMetrics metrics;
    std::vector<RocPoint> roc;
    std::vector<KsPoint> ks;
    std::vector<std::string>
        entities; // the split's labeled applicants, with their scores and labels
    std::vector<double> scores;
    std::vector<int> labels;
};

struct TrainSummary {
    bool cancelled = false;
    SplitMetrics valid, test;
    TrainResult training;
    LoadReport load;
    EncodeReport encode;
    int64_t threads = 0;
    std::string metricsJson;         // as written to <out>/metrics.json
    std::string reportJson;          // data audit: {"load": ..., "encode": ...}
    std::string globalAttentionJson; // with explainGlobally: over the test applicants (validation
                                     // when there is no test split)
};

// Loads data, fits the encoder on the train split, trains, evaluates and writes the bundle
// (unless cancelled). Throws Config/Data errors for bad input.
TrainSummary runTraining(const TrainRequest &request);

// Same, on an already loaded config (for callers that built one in memory).
TrainSummary runTraining(const Config &config, const TrainRequest &request);

struct ScoredApplicant {
    std::string id;
    double score = 0; // probability of bad
    int label = -1;   // 1, 0, or -1 unknown
};

// Loads events (and labels, which supply cutoffs and known labels) and scores every
// applicant with the bundle's own encoder and model.
std::vector<ScoredApplicant> scoreWithBundle(const ModelBundle &bundle,
                                             const std::string &eventsPath,
                                             const std::string &labelsPath,
                                             LoadReport *report = nullptr);
void writeScoresCsv(const std::string &path, const std::vector<ScoredApplicant> &scores);

// JSON explanation of one applicant: score, every event's time and values, its field
// attention and its item weight. Throws a Data error when the entity is unknown.
std::string explainWithBundle(const ModelBundle &bundle, const std::string &eventsPath,
                              const std::string &labelsPath, const std::string &entity);

// Writes <dir>/roc_<name>.csv (threshold,fpr,tpr) and <dir>/ks_<name>.csv (score,cum_good,cum_bad).
void writeCurveCsvs(const std::string &dir, const std::string &name,
                    const std::vector<RocPoint> &roc, const std::vector<KsPoint> &ks);

std::string loadReportJson(const LoadReport &load, const RawDataset *data = nullptr);
// A bundle's per-epoch history, as JSON: [{"epoch", "train_loss", "valid_loss", "valid_auc",
// "seconds"}].
std::string trainingHistoryJson(const std::vector<EpochRecord> &history);
// A bundle's metadata: versions, git revision, creation time, seed, threads, parameters, training
// seconds and data fingerprints; `extra` (a JSON object) is merged in.
std::string bundleMetadataJson(uint64_t seed, int64_t threads, int64_t parameters,
                               double trainSeconds, const LoadReport &load,
                               const std::string &extra = "{}");
// Truncation, unseen categories and missing values of an encoding, as JSON.
std::string encodeReportJson(const EncodeReport &report, const Encoder &encoder);
std::string utcNowIso();

} // namespace seqlens
