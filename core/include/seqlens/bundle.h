// SPDX-License-Identifier: GPL-3.0-or-later
// Model bundle: a directory holding everything needed to score exactly as trained.
//   manifest.json  format, version, and size + CRC-32 of every other file
//   bundle.json    resolved config, fitted encoder, metrics, metadata, per-epoch history
//   weights.pt     LibTorch parameters
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

constexpr int kBundleFormatVersion = 1;

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

    // Calibrated probabilities of bad for the given applicants, in that order.
    std::vector<double> predict(const EncodedDataset &data,
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
