// SPDX-License-Identifier: GPL-3.0-or-later
// Fused scaled dot-product attention over right-padded sequences, with dropout on the
// attention weights, as a LibTorch autograd function. Work is proportional to the sum of
// squared real lengths instead of batch * T^2: queries and keys at or beyond a row's length
// are skipped (padded queries get output 0; nothing downstream reads them). Results at real
// positions equal softmax(q k^T / sqrt(dh) + key mask) v exactly up to float rounding.
// The dropout mask is a stateless hash of (seed, row, head, query, key), so the backward
// pass regenerates it instead of storing it. Internal to core/src/nn.
#pragma once

#include <torch/torch.h>

namespace seqlens::nn {

// An additive bias on the attention logits: logit(i, j) += table[h, index[b, i, j]]. The
// index is shared by the heads and layers of a batch (time_bias: the bucket of the signed time
// gap between events i and j); the table is learned per layer. Both undefined = no bias.
struct AttentionBias {
    torch::Tensor table; // [H, K] float
    torch::Tensor index; // [B, T, T] uint8, each < K
};

// q, k, v: [B, H, T, dh] float; lengths: [B] int64, each in [1, T] (an empty history keeps
// position 0 visible). Returns [B, H, T, dh].
torch::Tensor maskedAttention(const torch::Tensor &q, const torch::Tensor &k,
                              const torch::Tensor &v, const torch::Tensor &lengths, double dropout,
                              bool training, const AttentionBias &bias = {});

// The same computation from standard LibTorch ops (reference for tests).
torch::Tensor maskedAttentionReference(const torch::Tensor &q, const torch::Tensor &k,
                                       const torch::Tensor &v, const torch::Tensor &lengths,
                                       const AttentionBias &bias = {});

} // namespace seqlens::nn
