// SPDX-License-Identifier: GPL-3.0-or-later
// Dropout with a fast counter-based mask generator. LibTorch's CPU bernoulli_ costs about
// 10 ns per element, which made dropout on the [B, heads, T, T] attention weights the most
// expensive op of a training step. Here each 4096-element chunk draws its mask from
// splitmix64 seeded by (one draw from nextRandomSeed(), chunk index): the result
// is reproducible for a seed and independent of the thread count. The keep probability is
// quantized to 1/65536 and the scale uses the quantized value, so the output stays unbiased.
#pragma once

#include <torch/torch.h>

namespace seqlens::nn {

torch::Tensor fastDropout(const torch::Tensor &x, double p, bool training);

class FastDropoutImpl : public torch::nn::Module {
public:
    explicit FastDropoutImpl(double p) : m_p(p) {}
    torch::Tensor forward(const torch::Tensor &x) { return fastDropout(x, m_p, is_training()); }

private:
    double m_p;
};
TORCH_MODULE(FastDropout);

} // namespace seqlens::nn
