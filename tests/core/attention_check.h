// SPDX-License-Identifier: GPL-3.0-or-later
// Torch-free interface to the fused-attention checks (implemented in attention_check.cpp,
// which includes LibTorch; this header is what the Qt test sees).
#pragma once

#include <cstdint>

namespace attncheck {
double forwardMaxDiff(uint64_t seed);  // fused (autograd and no-grad paths) vs reference, eval mode
double gradientMaxDiff(uint64_t seed); // d(sum w*out)/d(q,k,v), fused vs reference
double dropoutFdRelError(
    uint64_t seed); // training with dropout: analytic vs finite-difference derivative
double droppedShare(uint64_t seed, double p); // share of attention weights zeroed by dropout
// With a learned bias table [H, K] gathered by a random [B, T, T] index (time_bias):
double biasForwardMaxDiff(uint64_t seed);  // fused (both paths) vs reference
double biasGradientMaxDiff(uint64_t seed); // d/d(q, k, v, table), fused vs reference
// A bias of +b on one key's logits moves the output towards that key exactly as softmax says:
// weight of the key = e^b / (e^b + L - 1) with q = k = 0 (uniform logits otherwise).
double biasedWeightError(double b);
} // namespace attncheck
