// SPDX-License-Identifier: GPL-3.0-or-later
#include "ig_check.h"

#include "nn/integrated_gradients.h"

using namespace seqlens::nn;

namespace igcheck {

double linearMaxError(uint64_t seed, int64_t steps)
{
    torch::manual_seed(seed);
    auto w = torch::randn({3, 5}, torch::kFloat64), x = torch::randn({1, 3, 5}, torch::kFloat64),
         r = torch::randn({1, 3, 5}, torch::kFloat64);
    auto ig = integrateGradients(
        [&](const torch::Tensor &z) { return (z * w).sum({1, 2}) + 0.7; }, x, r, steps);
    return (ig.attribution - (x[0] - r[0]) * w).abs().max().item<double>();
}

double quadraticMaxError(uint64_t seed, int64_t steps)
{
    torch::manual_seed(seed);
    auto c = torch::randn({4}, torch::kFloat64), x = torch::randn({1, 4}, torch::kFloat64),
         r = torch::randn({1, 4}, torch::kFloat64);
    auto ig = integrateGradients([&](const torch::Tensor &z) { return (c * z * z).sum(1); }, x, r,
                                 steps);
    return (ig.attribution - c * (x[0] * x[0] - r[0] * r[0])).abs().max().item<double>();
}

double cubicError(int64_t steps)
{
    auto x = torch::ones({1, 1}, torch::kFloat64), r = torch::zeros({1, 1}, torch::kFloat64);
    auto ig = integrateGradients([](const torch::Tensor &z) { return z.pow(3).sum(1); }, x, r,
                                 steps);
    return ig.attribution.sum().item<double>() - 1.0;
}

double mlpCompletenessGap(uint64_t seed, int64_t steps)
{
    torch::manual_seed(seed);
    auto w1 = torch::randn({6, 8}, torch::kFloat64), w2 = torch::randn({8}, torch::kFloat64);
    auto x = torch::randn({1, 6}, torch::kFloat64), r = torch::zeros({1, 6}, torch::kFloat64);
    auto f = [&](const torch::Tensor &z) { return torch::tanh(z.matmul(w1)).matmul(w2); };
    auto ig = integrateGradients(f, x, r, steps);
    return std::abs(ig.attribution.sum().item<double>() -
                    (ig.outputs[steps] - ig.outputs[0]).item<double>());
}

} // namespace igcheck
