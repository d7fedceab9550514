// SPDX-License-Identifier: GPL-3.0-or-later
// The allowed ranges of every bounded config value, in one table: config validation, the CLI's
// overrides and the Train form's spin boxes all read them from here.
#pragma once

#include <cstddef>
#include <cstdint>

namespace seqlens {

struct IntRange {
    int64_t lo, hi;
    bool contains(int64_t v) const { return v >= lo && v <= hi; }
};

struct RealRange {
    double lo, hi;
    bool hiOpen = false; // [lo, hi) instead of [lo, hi]
    bool contains(double v) const { return v >= lo && (hiOpen ? v < hi : v <= hi); }
};

namespace limits {
// events[].fields[]
inline constexpr IntRange minCount{1, 1000000000};
inline constexpr IntRange maxVocab{1, 10000000};
// sequence
inline constexpr IntRange maxItems{1, 4096};
inline constexpr IntRange sourceMaxItems{0, 4096}; // 0 = only sequence.max_items
inline constexpr size_t eventSources = 32;         // events[]: at most this many sources
inline constexpr size_t maxTimeBuckets = 64;
// model
inline constexpr IntRange embDim{2, 256};
inline constexpr IntRange heads{1, 64}; // and, for the transformer, a divisor of emb_dim
inline constexpr IntRange layers{1, 8};
inline constexpr IntRange ffDim{0, 4096};
inline constexpr RealRange dropout{0.0, 1.0, true};
// explain
inline constexpr IntRange igSteps{1, 1024};
inline constexpr RealRange reasonDays{0.0, 36500.0};
// training
inline constexpr IntRange epochs{1, 100000};
inline constexpr IntRange batchSize{1, 1000000};
inline constexpr RealRange learningRate{1e-9, 10.0};
inline constexpr RealRange weightDecay{0.0, 10.0};
inline constexpr RealRange embeddingLrScale{1e-6, 1000.0};
inline constexpr RealRange derivedLrScale{1e-6, 1000.0};
inline constexpr RealRange posWeight{1e-6, 1e6};
inline constexpr RealRange gradClip{0.0, 1e6};
inline constexpr IntRange patience{1, 100000};
inline constexpr IntRange minEpochs{1, 100000};
inline constexpr RealRange warmupEpochs{0.0, 1000.0};
inline constexpr IntRange seed{0, INT64_MAX};
inline constexpr RealRange validFraction{0.0, 0.9};
inline constexpr RealRange testFraction{0.0, 0.9};
inline constexpr double maxHeldOutShare = 0.95; // valid_fraction + test_fraction below this
inline constexpr IntRange threads{0, 1024};
// baseline
inline constexpr size_t maxWindows = 32;
inline constexpr IntRange topValues{1, 100};
inline constexpr RealRange l2{0.0, 1e6};
inline constexpr IntRange folds{2, 20};
inline constexpr IntRange bootstrapReps{2, 100000};
inline constexpr IntRange rounds{1, 100000};
inline constexpr IntRange maxDepth{1, 16};
inline constexpr RealRange eta{1e-6, 1.0};
inline constexpr RealRange subsample{1e-3, 1.0};
inline constexpr RealRange colsampleByTree{1e-3, 1.0};
inline constexpr RealRange minChildWeight{0.0, 1e6};
// monitoring
inline constexpr RealRange approvalRate{0.01, 0.99};
inline constexpr IntRange minSegment{1, 1000000};
inline constexpr IntRange monitorBins{2, 100};
inline constexpr RealRange psi{1e-6, 100.0};
inline constexpr RealRange alpha{1e-12, 0.5};
inline constexpr RealRange adverseImpact{0.0, 1.0};
// synth
inline constexpr IntRange applicants{1, 100000000};
} // namespace limits

} // namespace seqlens
