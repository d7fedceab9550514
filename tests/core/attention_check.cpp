// SPDX-License-Identifier: GPL-3.0-or-later
#include "attention_check.h"

#include "nn/masked_attention.h"

using namespace seqlens::nn;

namespace attncheck {

namespace {
struct Inputs {
    torch::Tensor q, k, v, lengths, realQuery; // realQuery: [B, 1, T, 1] 1 on real query positions
};

Inputs make(uint64_t seed)
{
    torch::manual_seed(seed);
    Inputs in;
    in.q = torch::randn({3, 2, 9, 4}, torch::requires_grad());
    in.k = torch::randn({3, 2, 9, 4}, torch::requires_grad());
    in.v = torch::randn({3, 2, 9, 4}, torch::requires_grad());
    in.lengths = torch::tensor({9, 3, 1}, torch::kInt64);
    in.realQuery = (torch::arange(9).unsqueeze(0) < in.lengths.unsqueeze(1))
                       .view({3, 1, 9, 1})
                       .to(torch::kFloat32);
    return in;
}

double maxAbs(const torch::Tensor &t)
{
    return t.abs().max().item<double>();
}
} // namespace

double forwardMaxDiff(uint64_t seed)
{
    Inputs in = make(seed);
    auto a = maskedAttention(in.q, in.k, in.v, in.lengths, 0.3, /*training=*/false);
    auto b = maskedAttentionReference(in.q, in.k, in.v, in.lengths);
    torch::NoGradGuard noGrad; // the inference path (no probabilities kept)
    auto c = maskedAttention(in.q, in.k, in.v, in.lengths, 0.3, /*training=*/false);
    return std::max(maxAbs((a - b) * in.realQuery), maxAbs((c - b) * in.realQuery));
}

double gradientMaxDiff(uint64_t seed)
{
    Inputs in = make(seed);
    auto w = torch::randn({3, 2, 9, 4}) * in.realQuery;
    auto ga = torch::autograd::grad(
        {(maskedAttention(in.q, in.k, in.v, in.lengths, 0.0, true) * w).sum()}, {in.q, in.k, in.v});
    auto gb = torch::autograd::grad(
        {(maskedAttentionReference(in.q, in.k, in.v, in.lengths) * w).sum()}, {in.q, in.k, in.v});
    double d = 0;
    for (int i = 0; i < 3; ++i)
        d = std::max(d, maxAbs(ga[size_t(i)] - gb[size_t(i)]));
    return d;
}

double dropoutFdRelError(uint64_t seed)
{
    Inputs in = make(seed);
    auto w = torch::randn({3, 2, 9, 4});
    auto f = [&](const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v) {
        torch::manual_seed(seed + 100); // same dropout mask on every call
        return (maskedAttention(q, k, v, in.lengths, 0.3, true) * w).sum();
    };
    auto g = torch::autograd::grad({f(in.q, in.k, in.v)}, {in.q, in.k, in.v});
    torch::NoGradGuard noGrad;
    auto dq = torch::randn_like(in.q), dk = torch::randn_like(in.k), dv = torch::randn_like(in.v);
    const double eps = 1e-2;
    double fd = (f(in.q + eps * dq, in.k + eps * dk, in.v + eps * dv).item<double>() -
                 f(in.q - eps * dq, in.k - eps * dk, in.v - eps * dv).item<double>()) /
                (2 * eps);
    double analytic = (g[0] * dq).sum().item<double>() + (g[1] * dk).sum().item<double>() +
                      (g[2] * dv).sum().item<double>();
    return std::fabs(fd - analytic) / std::max(1e-6, std::fabs(analytic));
}

double droppedShare(uint64_t seed, double p)
{
    torch::manual_seed(seed);
    // v = identity-like one-hot per key: output[i, c] = attention weight of key c (after dropout).
    const int64_t T = 64;
    auto q = torch::zeros({4, 1, T, T}), k = torch::zeros({4, 1, T, T});
    auto v = torch::eye(T).expand({4, 1, T, T}).contiguous();
    auto out = maskedAttention(q, k, v, torch::full({4}, T, torch::kInt64), p, true);
    return (out == 0).to(torch::kFloat64).mean().item<double>();
}

} // namespace attncheck
