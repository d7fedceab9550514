// SPDX-License-Identifier: GPL-3.0-or-later
// Torch-free interface to the fused-GRU checks (gru_check.cpp includes LibTorch; this header is
// what the Qt test sees). Each compares the fused GRU with LibTorch's torch::nn::GRU holding the
// same weights, on right-padded rows of lengths T, 3, 1 and 0, at the real positions.
#pragma once

#include <cstdint>

namespace grucheck {
double forwardMaxDiff(uint64_t seed, int64_t layers);  // outputs, eval mode
double gradientMaxDiff(uint64_t seed, int64_t layers); // d(sum w * out)/d(x and every weight)
double paddedOutputMax(uint64_t seed);                 // |output| at padded positions (0)
// Weights trained through the fused GRU stay LibTorch's: a module whose parameters were
// updated by one optimiser step on fused gradients equals one updated on LibTorch's gradients.
double stepMaxDiff(uint64_t seed);
} // namespace grucheck
