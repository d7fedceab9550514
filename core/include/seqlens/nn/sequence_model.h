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
    std::vector<double> timeBucketsDays = {}; // edges of the time-gap buckets (time_bias)
    // Several event sources: the source of every input (-1 = every event has it) and the number
    // of sources. Field attention of an event runs over its own source's inputs only, and a
    // learned source embedding tags its vector.
    std::vector<int32_t> inputSources = {};
    int64_t sources = 1;
    // Index of the time-before-cutoff input among the categorical inputs (-1: none), and the
    // scale of its exact-time map (the last bucket edge, in days).
    int64_t timeBeforeCutoffInput = -1;
    double timeScaleDays = 730;
    // Per numeric input: 1 where it gets periodic embeddings whatever model.numeric_encoding
    // says (the time_since_same gaps: a regular rhythm is a periodic function of the gap).
    std::vector<uint8_t> periodicNumeric = {};
    // Per numeric input: 1 where it is computed from an earlier event of the applicant
    // (time_since_same, change_since_same) rather than read from the event itself.
    std::vector<uint8_t> derivedNumeric = {};
};

ModelLayout layoutOf(const Encoder &encoder);

// Attention of the model for one applicant.
struct Explanation {
    double score = 0; // probability of bad
    double logit = 0;
    std::vector<std::vector<float>> fieldWeights; // [events][inputs], each row sums to 1
    std::vector<float> itemWeights;               // [events], sums to 1 (empty history: no rows)
};

// The reference an attribution is measured from (see docs/explain.md for the choice).
enum class AttributionReference {
    Missing, // every input of every event at its "missing" code; same length (the default)
    Empty,   // the empty history: the Missing path plus a length term for having n events
    Mean     // every input at the training population's mean embedding of that input
};
const char *toString(AttributionReference r);
// Throws a Usage error naming the accepted values.
AttributionReference parseAttributionReference(const std::string &name);

// Integrated Gradients of one applicant's logit over the embedding of every (event, input) cell.
struct InputAttribution {
    double logit = 0;          // the applicant's logit
    double referenceLogit = 0; // the reference's logit
    double lengthTerm = 0;     // Empty only: logit(all inputs missing, same length) - logit(empty)
    std::vector<std::vector<double>> cells; // [events][inputs], signed, in logit units
    // (sum of cells + lengthTerm) - (logit - referenceLogit): the integration error.
    double completenessGap() const;
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

    // Integrated Gradients with `steps` trapezoid intervals along the straight path from the
    // reference to the applicant's embeddings, all points in one forward/backward pass.
    // `meanEmbedding` ([inputs * embDim], meanInputEmbedding) is needed for the Mean reference.
    InputAttribution integratedGradients(const EncodedDataset &data, int64_t applicant,
                                         AttributionReference reference, int64_t steps,
                                         const std::vector<float> &meanEmbedding = {}) const;
    // Per input, the mean of its embedding over the events of `applicants`: [inputs * embDim].
    std::vector<float> meanInputEmbedding(const EncodedDataset &data,
                                          const std::vector<int64_t> &applicants) const;
    // The item aggregator's output for every event of one applicant: [events][embDim].
    std::vector<std::vector<float>> eventStates(const EncodedDataset &data,
                                                int64_t applicant) const;

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
