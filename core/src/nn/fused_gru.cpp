// SPDX-License-Identifier: GPL-3.0-or-later
#include "fused_gru.h"

#include "fast_dropout.h"

#include <ATen/Parallel.h>

#include <cmath>

namespace seqlens::nn {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

inline float sigmoid(float x)
{
    return 1.0f / (1.0f + std::exp(-x));
}

struct Dims {
    int64_t B, T, d;
};

// One row's steps t < L. gi [T, 3d] input projections; out [T, d]; cache [T, 4d] keeps r, z, n
// and the hidden projection of the n gate (W_hn h + b_hn) for the backward pass.
void forwardRow(const float *gi, const float *w, const float *bias, float *out, float *cache,
                int64_t L, int64_t d)
{
    std::vector<float> zero(size_t(d), 0.0f), gh(size_t(3 * d));
    for (int64_t t = 0; t < L; ++t) {
        const float *g = gi + t * 3 * d;
        const float *hp = t == 0 ? zero.data() : out + (t - 1) * d;
        for (int64_t j = 0; j < 3 * d; ++j) {
            const float *wj = w + j * d;
            float s = bias[j];
            for (int64_t k = 0; k < d; ++k)
                s += wj[k] * hp[k];
            gh[size_t(j)] = s;
        }
        float *c = cache + t * 4 * d, *h = out + t * d;
        for (int64_t j = 0; j < d; ++j) {
            const float r = sigmoid(g[j] + gh[size_t(j)]);
            const float z = sigmoid(g[d + j] + gh[size_t(d + j)]);
            const float ghn = gh[size_t(2 * d + j)];
            const float n = std::tanh(g[2 * d + j] + r * ghn);
            h[j] = (1.0f - z) * n + z * hp[j];
            c[j] = r;
            c[d + j] = z;
            c[2 * d + j] = n;
            c[3 * d + j] = ghn;
        }
    }
}

// Backward through one row, t = L-1 .. 0. dOut [T, d] gradient of the outputs; writes dGi
// [T, 3d] and dGh [T, 3d] (the gradient of W_hh h + b_hh, for the weight gradients).
void backwardRow(const float *dOut, const float *out, const float *cache, const float *w,
                 float *dGi, float *dGh, int64_t L, int64_t d)
{
    std::vector<float> next(size_t(d), 0.0f), dh(size_t(d), 0.0f);
    for (int64_t t = L - 1; t >= 0; --t) {
        const float *c = cache + t * 4 * d;
        float *gi = dGi + t * 3 * d, *gh = dGh + t * 3 * d;
        for (int64_t j = 0; j < d; ++j) {
            const float g = dOut[t * d + j] + next[size_t(j)];
            const float hp = t == 0 ? 0.0f : out[(t - 1) * d + j];
            const float r = c[j], z = c[d + j], n = c[2 * d + j], ghn = c[3 * d + j];
            const float an = g * (1.0f - z) * (1.0f - n * n);
            const float ar = an * ghn * r * (1.0f - r);
            const float az = g * (hp - n) * z * (1.0f - z);
            gi[j] = ar;
            gi[d + j] = az;
            gi[2 * d + j] = an;
            gh[j] = ar;
            gh[d + j] = az;
            gh[2 * d + j] = an * r;
            dh[size_t(j)] = g * z;
        }
        for (int64_t j = 0; j < 3 * d; ++j) {
            const float *wj = w + j * d;
            const float a = gh[j];
            for (int64_t k = 0; k < d; ++k)
                dh[size_t(k)] += wj[k] * a;
        }
        next.swap(dh);
    }
}

// The hidden state before each step: out shifted one step later, 0 at t = 0. [B, T, d].
torch::Tensor previousStates(const torch::Tensor &out)
{
    using torch::indexing::None;
    using torch::indexing::Slice;
    auto prev = torch::zeros_like(out);
    if (out.size(1) > 1)
        prev.index_put_({Slice(), Slice(1, None)}, out.index({Slice(), Slice(0, -1)}));
    return prev;
}

struct GruRecurrence : public torch::autograd::Function<GruRecurrence> {
    static torch::Tensor forward(AutogradContext *ctx, torch::Tensor gi, torch::Tensor lengths,
                                 torch::Tensor wHh, torch::Tensor bHh)
    {
        gi = gi.contiguous();
        wHh = wHh.contiguous();
        bHh = bHh.contiguous();
        const Dims s{gi.size(0), gi.size(1), wHh.size(1)};
        auto out = torch::zeros({s.B, s.T, s.d}, gi.options());
        auto cache = torch::zeros({s.B, s.T, 4 * s.d}, gi.options());
        const float *g = gi.data_ptr<float>(), *w = wHh.data_ptr<float>(),
                    *bias = bHh.data_ptr<float>();
        const int64_t *len = lengths.data_ptr<int64_t>();
        float *o = out.data_ptr<float>(), *c = cache.data_ptr<float>();
        at::parallel_for(0, s.B, 8, [&](int64_t begin, int64_t end) {
            for (int64_t b = begin; b < end; ++b)
                forwardRow(g + b * s.T * 3 * s.d, w, bias, o + b * s.T * s.d, c + b * s.T * 4 * s.d,
                           std::min(len[b], s.T), s.d);
        });
        ctx->save_for_backward({out, cache, lengths, wHh});
        return out;
    }

    static tensor_list backward(AutogradContext *ctx, tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const auto &out = saved[0], &cache = saved[1], &lengths = saved[2], &wHh = saved[3];
        const Dims s{out.size(0), out.size(1), out.size(2)};
        const auto dOut = grads[0].contiguous();
        auto dGi = torch::zeros({s.B, s.T, 3 * s.d}, out.options());
        auto dGh = torch::zeros({s.B, s.T, 3 * s.d}, out.options());
        const float *go = dOut.data_ptr<float>(), *o = out.data_ptr<float>(),
                    *c = cache.data_ptr<float>(), *w = wHh.data_ptr<float>();
        const int64_t *len = lengths.data_ptr<int64_t>();
        float *gi = dGi.data_ptr<float>(), *gh = dGh.data_ptr<float>();
        at::parallel_for(0, s.B, 8, [&](int64_t begin, int64_t end) {
            for (int64_t b = begin; b < end; ++b)
                backwardRow(go + b * s.T * s.d, o + b * s.T * s.d, c + b * s.T * 4 * s.d, w,
                            gi + b * s.T * 3 * s.d, gh + b * s.T * 3 * s.d, std::min(len[b], s.T),
                            s.d);
        });
        auto flatGh = dGh.view({s.B * s.T, 3 * s.d});
        auto dW = torch::mm(flatGh.t(), previousStates(out).view({s.B * s.T, s.d}));
        return {dGi, torch::Tensor(), dW, flatGh.sum(0)};
    }
};

} // namespace

torch::Tensor gruLayer(const torch::Tensor &x, const torch::Tensor &lengths,
                       const torch::Tensor &wIh, const torch::Tensor &wHh, const torch::Tensor &bIh,
                       const torch::Tensor &bHh)
{
    auto gi = torch::linear(x, wIh, bIh); // [B, T, 3d]: every step's input projection at once
    return GruRecurrence::apply(gi, lengths.to(torch::kInt64).contiguous(), wHh, bHh);
}

torch::Tensor fusedGru(torch::nn::GRU &gru, const torch::Tensor &x, const torch::Tensor &lengths)
{
    const auto &o = gru->options;
    TORCH_CHECK(o.batch_first() && !o.bidirectional(), "fusedGru: batch-first, one direction");
    const auto params = gru->named_parameters(false);
    torch::Tensor h = x;
    for (int64_t l = 0; l < o.num_layers(); ++l) {
        const std::string k = "_l" + std::to_string(l);
        if (l > 0)
            h = fastDropout(h, o.dropout(), gru->is_training());
        h = gruLayer(h, lengths, params["weight_ih" + k], params["weight_hh" + k],
                     params["bias_ih" + k], params["bias_hh" + k]);
    }
    return h;
}

} // namespace seqlens::nn
