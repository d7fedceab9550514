// SPDX-License-Identifier: GPL-3.0-or-later
#include "transformer_layer.h"

#include "masked_attention.h"

#include <cmath>

namespace seqlens::nn {

EncoderLayerImpl::EncoderLayerImpl(int64_t dim, int64_t heads, int64_t ffDim, double dropout,
                                   int64_t biasBuckets)
    : m_heads(heads), m_attentionDropout(dropout)
{
    if (biasBuckets > 0)
        m_bias = register_parameter("time_bias", torch::zeros({heads, biasBuckets}));
    m_qkv = register_module("qkv", torch::nn::Linear(dim, 3 * dim));
    m_out = register_module("out", torch::nn::Linear(dim, dim));
    m_ff1 = register_module("ff1", torch::nn::Linear(dim, ffDim));
    m_ff2 = register_module("ff2", torch::nn::Linear(ffDim, dim));
    m_norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    m_norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    m_dropout = register_module("dropout", FastDropout(dropout));
}

torch::Tensor EncoderLayerImpl::forward(const torch::Tensor &x, const torch::Tensor &lengths,
                                        const torch::Tensor &biasIndex)
{
    const int64_t B = x.size(0), T = x.size(1), D = x.size(2), dh = D / m_heads;
    // [B, T, 3, H, dh] -> [3, B, H, T, dh]
    auto qkv = m_qkv(x).view({B, T, 3, m_heads, dh}).permute({2, 0, 3, 1, 4});
    AttentionBias bias;
    if (m_bias.defined() && biasIndex.defined())
        bias = {m_bias, biasIndex};
    auto ctx = maskedAttention(qkv[0], qkv[1], qkv[2], lengths, m_attentionDropout,
                               is_training(), bias); // [B, H, T, dh]
    ctx = ctx.transpose(1, 2).reshape({B, T, D});
    auto h = m_norm1(x + m_dropout(m_out(ctx)));
    return m_norm2(h + m_dropout(m_ff2(m_dropout(torch::relu(m_ff1(h))))));
}

} // namespace seqlens::nn
