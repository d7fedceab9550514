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

namespace {
AttentionBias makeBias(uint64_t seed)
{
    torch::manual_seed(seed + 1000);
    const int64_t K = 7;
    return {(torch::randn({2, K}) * 2).requires_grad_(),
            torch::randint(0, K, {3, 9, 9}, torch::kInt64).to(torch::kUInt8)};
}
} // namespace

double biasForwardMaxDiff(uint64_t seed)
{
    Inputs in = make(seed);
    const AttentionBias bias = makeBias(seed);
    auto a = maskedAttention(in.q, in.k, in.v, in.lengths, 0.3, false, bias);
    auto b = maskedAttentionReference(in.q, in.k, in.v, in.lengths, bias);
    auto plain = maskedAttentionReference(in.q, in.k, in.v, in.lengths);
    if (maxAbs((plain - b) * in.realQuery) < 1e-2)
        return 1.0; // the bias must matter, or the comparison proves nothing
    torch::NoGradGuard noGrad;
    auto c = maskedAttention(in.q, in.k, in.v, in.lengths, 0.3, false, bias);
    return std::max(maxAbs((a - b) * in.realQuery), maxAbs((c - b) * in.realQuery));
}

double biasGradientMaxDiff(uint64_t seed)
{
    Inputs in = make(seed);
    const AttentionBias bias = makeBias(seed);
    auto w = torch::randn({3, 2, 9, 4}) * in.realQuery;
    const std::vector<torch::Tensor> wrt = {in.q, in.k, in.v, bias.table};
    auto ga = torch::autograd::grad(
        {(maskedAttention(in.q, in.k, in.v, in.lengths, 0.0, true, bias) * w).sum()}, wrt);
    auto gb = torch::autograd::grad(
        {(maskedAttentionReference(in.q, in.k, in.v, in.lengths, bias) * w).sum()}, wrt);
    if (maxAbs(gb[3]) < 1e-3)
        return 1.0; // the table's gradient must be non-trivial
    double d = 0;
    for (size_t i = 0; i < wrt.size(); ++i)
        d = std::max(d, maxAbs(ga[i] - gb[i]));
    return d;
}

double biasedWeightError(double b)
{
    const int64_t L = 5;
    auto q = torch::zeros({1, 1, L, L}), k = torch::zeros({1, 1, L, L});
    auto v = torch::eye(L).view({1, 1, L, L}); // output[i, c] = weight of key c
    auto index = torch::zeros({1, L, L}, torch::kUInt8);
    index.select(2, 2).fill_(1); // every query sees key 2 through bucket 1
    AttentionBias bias{torch::tensor({{0.0f, float(b)}}), index};
    torch::NoGradGuard noGrad;
    auto out = maskedAttention(q, k, v, torch::full({1}, L, torch::kInt64), 0.0, false, bias);
    const double expected = std::exp(b) / (std::exp(b) + double(L - 1));
    return (out.select(3, 2) - expected).abs().max().item<double>();
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
