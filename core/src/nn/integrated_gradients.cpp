// SPDX-License-Identifier: GPL-3.0-or-later
#include "integrated_gradients.h"

namespace seqlens::nn {

PathIntegral integrateGradients(const std::function<torch::Tensor(const torch::Tensor &)> &f,
                                const torch::Tensor &x, const torch::Tensor &reference,
                                int64_t steps)
{
    std::vector<int64_t> shape(size_t(x.dim()), 1);
    shape[0] = steps + 1;
    auto alpha = torch::linspace(0.0, 1.0, steps + 1, x.options()).view(shape);
    auto path = (reference + alpha * (x - reference)).detach().requires_grad_(true);
    auto out = f(path);
    auto grad = torch::autograd::grad({out.sum()}, {path})[0];
    auto w = torch::ones({steps + 1}, x.options()) / double(steps); // trapezoid weights
    w[0] = 0.5 / double(steps);
    w[steps] = 0.5 / double(steps);
    auto meanGrad = (grad * w.view(shape)).sum(0);
    return {((x[0] - reference[0]) * meanGrad).contiguous(), out.detach().reshape({steps + 1})};
}

} // namespace seqlens::nn
