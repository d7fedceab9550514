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
} // namespace attncheck
