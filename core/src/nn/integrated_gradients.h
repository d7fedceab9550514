// SPDX-License-Identifier: GPL-3.0-or-later
// Integrated Gradients along the straight path from a reference to an input (Sundararajan et
// al. 2017), every point in one batched forward/backward pass; trapezoid rule over
// alpha = 0, 1/steps, ..., 1. Internal to core (LibTorch types).
#pragma once

#include <torch/torch.h>

#include <functional>

namespace seqlens::nn {

struct PathIntegral {
    torch::Tensor attribution; // (x - reference) * mean gradient, the shape of x without dim 0
    torch::Tensor outputs;     // [steps + 1]: f along the path; [0] the reference, [steps] x
};

// `f` maps a batch of points [steps + 1, ...] to one output per point; `x` and `reference` are
// [1, ...]. Completeness: attribution.sum() = outputs[steps] - outputs[0] up to the trapezoid
// error, which is 0 when the gradient is linear along the path (f quadratic or linear).
PathIntegral integrateGradients(const std::function<torch::Tensor(const torch::Tensor &)> &f,
                                const torch::Tensor &x, const torch::Tensor &reference,
                                int64_t steps);

} // namespace seqlens::nn
