// SPDX-License-Identifier: GPL-3.0-or-later
// The sequence model behind a torch-free interface (pimpl): per-field embeddings ->
// attention over the fields of each event -> item aggregation over the timeline
// (Transformer with padding mask, GRU, LSTM, or none) -> attention pooling over events
// -> fully connected head -> logit. Safe to include from Qt code.
#pragma once

#include "seqlens/data/config.h"
#include "seqlens/data/encoder.h"

#include <memory>
#include <string>
#include <vector>

namespace seqlens {

struct ModelLayout {
    std::vector<int64_t> cardinalities; // per categorical input (event fields, then time buckets)
    int64_t numNumeric = 0;
    int64_t maxItems = 128;
};

ModelLayout layoutOf(const Encoder &encoder);

// Attention of the model for one applicant.
struct Explanation {
    double score = 0; // probability of bad
    double logit = 0;
    std::vector<std::vector<float>> fieldWeights; // [events][inputs], each row sums to 1
    std::vector<float> itemWeights;               // [events], sums to 1 (empty history: no rows)
};

class SequenceModel {
public:
    // Builds a freshly initialised model; `seed` fixes the initial weights.
    SequenceModel(const ModelConfig &config, const ModelLayout &layout, uint64_t seed);
    ~SequenceModel();
    SequenceModel(SequenceModel &&) noexcept;
    SequenceModel &operator=(SequenceModel &&) noexcept;

    // Probabilities of bad for the given applicants, in that order (eval mode, no dropout).
    std::vector<double> predict(const EncodedDataset &data, const std::vector<int64_t> &applicants,
                                int64_t batchSize = 512) const;
    std::vector<double> predictLogits(const EncodedDataset &data,
                                      const std::vector<int64_t> &applicants,
                                      int64_t batchSize = 512) const;
    Explanation explain(const EncodedDataset &data, int64_t applicant) const;

    void saveWeights(const std::string &path) const;
    // Throws a Data error when the file does not hold weights of this architecture.
    void loadWeights(const std::string &path);
    int64_t parameterCount() const;

    const ModelConfig &config() const;
    const ModelLayout &layout() const;

    struct Impl;
    Impl &impl() { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

// Sets LibTorch's intra-op thread count (0 = all cores); returns the count in use.
int64_t setTorchThreads(int64_t threads);

} // namespace seqlens
