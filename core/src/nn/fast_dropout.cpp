// SPDX-License-Identifier: GPL-3.0-or-later
#include "fast_dropout.h"

#include "random_stream.h"

#include <ATen/Parallel.h>

namespace seqlens::nn {

namespace {
inline uint64_t splitmix64(uint64_t &state)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
} // namespace

torch::Tensor fastDropout(const torch::Tensor &x, double p, bool training)
{
    if (!training || p <= 0.0)
        return x;
    const uint32_t drop = uint32_t(p * 65536.0 + 0.5); // drop when a 16-bit draw is below this
    const float scale = float(65536.0 / double(65536 - drop));
    const uint64_t seed = nextRandomSeed();
    auto mask = torch::empty(x.sizes(), x.options().dtype(torch::kFloat32).requires_grad(false));
    float *m = mask.data_ptr<float>();
    const int64_t n = mask.numel();
    constexpr int64_t kChunk = 4096;
    at::parallel_for(0, (n + kChunk - 1) / kChunk, 16, [&](int64_t begin, int64_t end) {
        for (int64_t c = begin; c < end; ++c) {
            uint64_t state = seed ^ (uint64_t(c) * 0xD1B54A32D192ED03ULL);
            const int64_t stop = std::min(n, (c + 1) * kChunk);
            for (int64_t i = c * kChunk; i < stop; i += 4) {
                uint64_t r = splitmix64(state);
                for (int64_t j = 0; j < 4 && i + j < stop; ++j, r >>= 16)
                    m[i + j] = (r & 0xFFFF) >= drop ? scale : 0.0f;
            }
        }
    });
    return x * mask;
}

} // namespace seqlens::nn
