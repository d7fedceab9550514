// SPDX-License-Identifier: GPL-3.0-or-later
// Model bundle: a directory holding everything needed to score exactly as trained.
//   manifest.json  format, version, and size + CRC-32 of every other file
//   bundle.json    resolved config, fitted encoder, metrics, metadata, per-epoch history
//   weights.pt     LibTorch parameters
//   weights_fold_K.pt  a bag's other fold models (format version 2, see ModelBundle::otherFolds)
//   metrics.json   the headline metrics (also inside bundle.json)
#pragma once

#include "seqlens/compare/calibrator.h"
#include "seqlens/data/config.h"
#include "seqlens/data/encoder.h"
#include "seqlens/nn/sequence_model.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace seqlens {

constexpr int kBundleFormatVersion = 2; // 2: bags; single models are still written as 1

// One more fold model of a bag: its own encoder (fitted on its fold's training part) and weights.
struct BagMember {
    Encoder encoder;
    std::unique_ptr<SequenceModel> model;
    std::vector<float> referenceEmbedding;
};

// One model of a bundle as the explanation code sees it.
struct MemberView {
    const Encoder &encoder;
    const SequenceModel &model;
    const std::vector<float> &referenceEmbedding;
};

struct ModelBundle {
    Config config;
    Encoder encoder;
    std::unique_ptr<SequenceModel> model;
    // The bundle's documents, as written (see result_json.h for their shapes).
    nlohmann::json metrics = nlohmann::json::object();  // metrics.json
    nlohmann::json metadata = nlohmann::json::object(); // versions, fingerprints, seed, threads
    nlohmann::json history = nlohmann::json::array();   // per-epoch history
    nlohmann::json report = nlohmann::json::object();   // data load and encoding counts
    // Per model input, its mean embedding over the training events ([inputs * emb_dim]): the
    // "mean" attribution reference. Empty in bundles written before it existed.
    std::vector<float> referenceEmbedding;
    // Logit -> probability of bad, fitted on the validation split (model.calibration). Bundles
    // written before calibration existed load with method None (the plain sigmoid).
    Calibrator calibrator;
    // A bag (compare with baseline.test_scores "bagged"): `encoder`, `model` and
    // `referenceEmbedding` are fold 1's, these the other folds'. The bundle's logit is the mean
    // of the fold models' logits, each model on its own encoding; the calibrator maps that mean.
    // Empty for a single model.
    std::vector<BagMember> otherFolds;

    bool isBag() const { return !otherFolds.empty(); }
    // Fold 1 (or the single model) first.
    std::vector<MemberView> members() const;
    // The bundle's logits for `applicants` of `raw`; `data` is `raw` encoded with `encoder`
    // (the other folds encode `raw` themselves).
    std::vector<double> logits(const RawDataset &raw, const EncodedDataset &data,
                               const std::vector<int64_t> &applicants) const;
    std::vector<double> logits(const RawDataset &raw, const std::vector<int64_t> &applicants) const;
    // `raw` encoded by every member (fold 1 first): encode once, then score in chunks.
    std::vector<EncodedDataset> encodeForMembers(const RawDataset &raw) const;
    std::vector<double> logits(const std::vector<EncodedDataset> &perMember,
                               const std::vector<int64_t> &applicants) const;
    // Calibrated probabilities of bad for the given applicants, in that order.
    std::vector<double> predict(const RawDataset &raw, const EncodedDataset &data,
                                const std::vector<int64_t> &applicants) const;
};

nlohmann::json calibratorJson(const Calibrator &c);
// Throws a Data error naming `where` and the JSON path for a malformed calibrator.
Calibrator calibratorFromJson(const nlohmann::json &j, const std::string &where);

// Writes the bundle directory (created if needed; files replaced atomically one by one).
void saveBundle(const std::string &dir, const ModelBundle &bundle);
// Loads and verifies a bundle. Throws a Data error naming the file for a missing,
// truncated or corrupted part.
ModelBundle loadBundle(const std::string &dir);

uint32_t fileCrc32(const std::string &path, int64_t *size = nullptr);

} // namespace seqlens
