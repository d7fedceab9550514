// SPDX-License-Identifier: GPL-3.0-or-later
// A post-norm Transformer encoder layer with a key padding mask, batch-first. Internal.
#pragma once

#include "fast_dropout.h"

#include <torch/torch.h>

namespace seqlens::nn {

class EncoderLayerImpl : public torch::nn::Module {
public:
    // biasBuckets > 0: a learned attention bias per head and bucket (time_bias), zero at start.
    EncoderLayerImpl(int64_t dim, int64_t heads, int64_t ffDim, double dropout,
                     int64_t biasBuckets = 0);
    // x: [B, T, d] right-padded; lengths: [B] int64 real events per row, at least 1 (positions
    // at or beyond it are never attended to); biasIndex: [B, T, T] uint8 bucket of each
    // (query, key) pair, or undefined without a bias. Returns [B, T, d].
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &lengths,
                          const torch::Tensor &biasIndex = {});

private:
    int64_t m_heads;
    double m_attentionDropout;
    torch::nn::Linear m_qkv{nullptr}, m_out{nullptr}, m_ff1{nullptr}, m_ff2{nullptr};
    torch::nn::LayerNorm m_norm1{nullptr}, m_norm2{nullptr};
    FastDropout m_dropout{nullptr};
    torch::Tensor m_bias; // [heads, buckets] or undefined
};
TORCH_MODULE(EncoderLayer);

} // namespace seqlens::nn
