// SPDX-License-Identifier: GPL-3.0-or-later
#include "random_stream.h"

#include <ATen/CPUGeneratorImpl.h>

#include <mutex>

namespace seqlens::nn {

namespace {
struct Stream {
    bool active = false;
    uint64_t state = 0;
};
thread_local Stream t_stream;

uint64_t splitmix64(uint64_t &state)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
} // namespace

uint64_t nextRandomSeed()
{
    if (t_stream.active)
        return splitmix64(t_stream.state);
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    return gen.get<at::CPUGeneratorImpl>()->random64();
}

ScopedRandomStream::ScopedRandomStream(uint64_t seed)
    : m_hadPrevious(t_stream.active), m_previous(t_stream.state)
{
    t_stream.active = true;
    t_stream.state = seed;
}

ScopedRandomStream::~ScopedRandomStream()
{
    t_stream.active = m_hadPrevious;
    t_stream.state = m_previous;
}

} // namespace seqlens::nn
