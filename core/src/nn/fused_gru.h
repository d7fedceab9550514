// SPDX-License-Identifier: GPL-3.0-or-later
// A GRU over right-padded rows as one LibTorch autograd function per layer. LibTorch's CPU GRU
// runs a dozen small ops per time step forward and twice that backward; with the model's small
// widths (emb 8) those per-op costs were most of a training step. Here the input projection of
// all steps is one matrix product and the recurrence is a plain loop per row that stops at the
// row's length (padded outputs are 0). The equations and the weight layout are LibTorch's
// (gates r, z, n; h0 = 0), so a module trained either way loads and scores the same.
// Internal to core/src/nn.
#pragma once

#include <torch/torch.h>

namespace seqlens::nn {

// One layer. x: [B, T, in] float, right-padded; lengths: [B] int64 real steps per row (0..T);
// wIh [3d, in], wHh [3d, d], bIh [3d], bHh [3d]. Returns [B, T, d], 0 at t >= lengths[b].
torch::Tensor gruLayer(const torch::Tensor &x, const torch::Tensor &lengths,
                       const torch::Tensor &wIh, const torch::Tensor &wHh, const torch::Tensor &bIh,
                       const torch::Tensor &bHh);

// Every layer of `gru` (batch-first, unidirectional) through gruLayer, with dropout between
// layers as the module's options say (a FastDropout mask in training).
torch::Tensor fusedGru(torch::nn::GRU &gru, const torch::Tensor &x, const torch::Tensor &lengths);

} // namespace seqlens::nn
