// SPDX-License-Identifier: GPL-3.0-or-later
// Torch-free interface to the Integrated Gradients checks against closed forms (implemented in
// ig_check.cpp, which includes LibTorch; this header is what the Qt test sees).
#pragma once

#include <cstdint>

namespace igcheck {
// f(z) = w . z + b: IG_i = (x_i - r_i) w_i exactly, for any number of steps.
double linearMaxError(uint64_t seed, int64_t steps);
// f(z) = sum_i c_i z_i^2: the gradient is linear along the path, so the trapezoid rule is exact:
// IG_i = c_i (x_i^2 - r_i^2).
double quadraticMaxError(uint64_t seed, int64_t steps);
// f(z) = z^3 on one input from 0 to 1: IG = 1 exactly; the trapezoid rule with S steps gives
// 1 + 1 / (2 S^2). Returns IG(S) - 1.
double cubicError(int64_t steps);
// Completeness gap |sum IG - (f(x) - f(r))| for a small tanh network, and the same with 4x steps.
double mlpCompletenessGap(uint64_t seed, int64_t steps);
} // namespace igcheck
