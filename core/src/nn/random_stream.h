// SPDX-License-Identifier: GPL-3.0-or-later
// Seeds for the dropout masks. A training run installs its own stream on its thread, so two
// models trained at the same time on different threads draw independent, reproducible seeds
// (LibTorch's default generator is one per process and would interleave their draws).
// Without an installed stream, seeds come from LibTorch's default generator.
#pragma once

#include <cstdint>

namespace seqlens::nn {

uint64_t nextRandomSeed();

// Installs a splitmix64 stream seeded with `seed` on the calling thread for its lifetime
// (nests: the previous stream, if any, is restored on destruction).
class ScopedRandomStream {
public:
    explicit ScopedRandomStream(uint64_t seed);
    ~ScopedRandomStream();
    ScopedRandomStream(const ScopedRandomStream &) = delete;
    ScopedRandomStream &operator=(const ScopedRandomStream &) = delete;

private:
    bool m_hadPrevious;
    uint64_t m_previous;
};

} // namespace seqlens::nn
