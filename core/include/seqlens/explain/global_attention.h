// SPDX-License-Identifier: GPL-3.0-or-later
// Global explanations over a population of applicants: the mean field attention per input
// field, and the mean item (event) weight by time before the cutoff.
#pragma once

#include "seqlens/data/dataset.h"
#include "seqlens/data/encoder.h"
#include "seqlens/nn/sequence_model.h"

#include <string>
#include <vector>

namespace seqlens {

// Several event sources: one source's share of the attention. Its events' field attention goes
// to its own inputs and the time inputs only, so each is averaged over the source's events.
struct SourceAttention {
    std::string source;
    int64_t events = 0;             // explained events of this source
    double timelineShare = 0;       // mean over applicants of its events' summed item weight
    std::vector<std::string> inputs; // its own inputs, then the time inputs
    std::vector<double> meanFieldWeight; // per input: mean over the source's events
};

struct GlobalAttention {
    int64_t applicants = 0;          // applicants explained (with at least one event)
    std::vector<std::string> inputs; // encoder.inputNames()
    std::vector<double>
        meanFieldWeight;            // per input: mean over applicants of its mean over their events
    // Time before the cutoff, banded exactly as the encoder buckets it (bucketIndex):
    // "≤ 1 d", "1-3 d" (more than 1, at most 3), ..., "> 730 d".
    std::vector<std::string> bands;
    std::vector<double>
        meanItemWeight; // per band: mean attention weight of its events (NaN when none)
    std::vector<double>
        meanItemWeightUniform; // per band: the mean of 1/length, what uniform attention would give
    std::vector<int64_t> bandEvents; // per band: events counted
    std::vector<SourceAttention> sources; // several event sources only, in the encoder's order
};

// Names of the time bands before the cutoff, as the encoder buckets them (bucketIndex).
std::vector<std::string> timeBandNames(const std::vector<double> &edges);
// Up to `max` of `rows`, evenly spaced (deterministic).
std::vector<int64_t> evenSample(const std::vector<int64_t> &rows, int64_t max);

// Explains up to `maxApplicants` of `applicants` (an even, deterministic sample when there are
// more).
GlobalAttention globalAttention(const SequenceModel &model, const Encoder &encoder,
                                const RawDataset &raw, const EncodedDataset &data,
                                const std::vector<int64_t> &applicants,
                                const std::vector<double> &bandEdgesDays,
                                int64_t maxApplicants = 5000);

} // namespace seqlens
