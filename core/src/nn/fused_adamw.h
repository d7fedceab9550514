// SPDX-License-Identifier: GPL-3.0-or-later
// AdamW with global-norm gradient clipping as plain loops over each parameter's floats. The
// model has a few thousand parameters in two dozen tensors; LibTorch's AdamW and
// clip_grad_norm_ run about a dozen ops per tensor, which cost more than the arithmetic. The
// update is LibTorch 1.13's AdamW (decoupled weight decay, bias-corrected moments, eps added to
// the corrected root) after LibTorch's clip_grad_norm_ (coefficient max / (norm + 1e-6),
// clamped at 1). Gradients come as one list per micro-batch and are summed in micro-batch
// order, so the step does not depend on which thread computed which part. Internal.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace seqlens::nn {

class FusedAdamW {
public:
    // Every parameter must be a contiguous float tensor. `lrScales`, when given, holds the
    // step-size multipliers of each parameter: one for the whole tensor (the learning rate of
    // parameter i is lr * lrScales[i][0]; weight decay follows it, as in a parameter group of
    // its own), or one per row of its first dimension (an embedding table whose rows learn at
    // different rates); empty: all 1.
    FusedAdamW(std::vector<torch::Tensor> params, double weightDecay,
               std::vector<std::vector<double>> lrScales = {}, double beta1 = 0.9,
               double beta2 = 0.999, double eps = 1e-8);
    // One multiplier per parameter.
    FusedAdamW(std::vector<torch::Tensor> params, double weightDecay,
               const std::vector<double> &lrScales);

    // grads[k][i]: micro-batch k's gradient of parameter i (undefined: it did not reach it).
    // Sums them, clips the global 2-norm to `clip` (0 = no clipping), takes one step with
    // learning rate `lr`. Returns the gradient norm before clipping. A parameter that no
    // micro-batch reached is left alone until its first gradient, as LibTorch's optimiser
    // leaves a parameter without a gradient; after that it steps with a zero gradient.
    double step(const std::vector<std::vector<torch::Tensor>> &grads, double lr, double clip);

private:
    struct State {
        std::vector<float> avg, avgSq;
        int64_t steps = 0;
    };
    std::vector<torch::Tensor> m_params;
    std::vector<State> m_state;
    std::vector<std::vector<float>> m_sum; // scratch: summed gradient per parameter
    std::vector<std::vector<double>> m_lrScales; // per parameter: 1 or one per row
    double m_weightDecay, m_beta1, m_beta2, m_eps;
};

} // namespace seqlens::nn
