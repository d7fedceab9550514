// SPDX-License-Identifier: GPL-3.0-or-later
// Torch-free interface to the fused-optimiser checks (optimizer_check.cpp includes LibTorch).
#pragma once

#include <cstdint>

namespace optcheck {
// Largest parameter difference after `steps` steps of a small module trained once with
// LibTorch's AdamW after clip_grad_norm_(clip), once with FusedAdamW, on the same batches
// (weight decay `decay`; clip 0 = none).
double maxParamDiff(uint64_t seed, int steps, double clip, double decay);
// The same step from gradients handed in as two micro-batch parts (summed) and as one.
double splitGradientDiff(uint64_t seed);
// A parameter no gradient reaches stays untouched until its first gradient.
double untouchedParamChange(uint64_t seed);
} // namespace optcheck
