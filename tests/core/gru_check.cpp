// SPDX-License-Identifier: GPL-3.0-or-later
#include "gru_check.h"

#include "nn/fused_gru.h"

using namespace seqlens::nn;

namespace grucheck {

namespace {
constexpr int64_t B = 4, T = 7, In = 5, D = 6;

struct Inputs {
    torch::nn::GRU gru{nullptr};
    torch::Tensor x, lengths, real; // real: [B, T, 1] 1 on real positions
};

Inputs make(uint64_t seed, int64_t layers)
{
    torch::manual_seed(seed);
    Inputs in;
    in.gru = torch::nn::GRU(torch::nn::GRUOptions(In, D).num_layers(layers).batch_first(true));
    in.gru->eval();
    in.x = torch::randn({B, T, In}, torch::requires_grad());
    in.lengths = torch::tensor(std::vector<int64_t>{T, 3, 1, 0}, torch::kInt64);
    in.real =
        (torch::arange(T).unsqueeze(0) < in.lengths.unsqueeze(1)).unsqueeze(-1).to(torch::kFloat32);
    return in;
}

double maxAbs(const torch::Tensor &t)
{
    return t.numel() == 0 ? 0.0 : t.abs().max().item<double>();
}

std::vector<torch::Tensor> withRespectTo(Inputs &in)
{
    std::vector<torch::Tensor> v = {in.x};
    for (auto &p : in.gru->parameters())
        v.push_back(p);
    return v;
}
} // namespace

double forwardMaxDiff(uint64_t seed, int64_t layers)
{
    Inputs in = make(seed, layers);
    auto fused = fusedGru(in.gru, in.x, in.lengths);
    auto reference = std::get<0>(in.gru->forward(in.x));
    return maxAbs((fused - reference) * in.real);
}

double gradientMaxDiff(uint64_t seed, int64_t layers)
{
    Inputs in = make(seed, layers);
    auto w = torch::randn({B, T, D}) * in.real; // padded outputs are never read
    auto wrt = withRespectTo(in);
    auto ga = torch::autograd::grad({(fusedGru(in.gru, in.x, in.lengths) * w).sum()}, wrt);
    auto gb = torch::autograd::grad({(std::get<0>(in.gru->forward(in.x)) * w).sum()}, wrt);
    double d = 0;
    for (size_t i = 0; i < ga.size(); ++i)
        d = std::max(d, maxAbs(ga[i] - gb[i]));
    return d;
}

double paddedOutputMax(uint64_t seed)
{
    Inputs in = make(seed, 1);
    return maxAbs(fusedGru(in.gru, in.x, in.lengths) * (1 - in.real));
}

double stepMaxDiff(uint64_t seed)
{
    auto stepped = [seed](bool fused) {
        Inputs in = make(seed, 1);
        auto w = torch::randn({B, T, D}) * in.real;
        torch::optim::SGD sgd(in.gru->parameters(), torch::optim::SGDOptions(0.5));
        auto out = fused ? fusedGru(in.gru, in.x, in.lengths) : std::get<0>(in.gru->forward(in.x));
        (out * w).sum().backward();
        sgd.step();
        torch::NoGradGuard g;
        return std::get<0>(in.gru->forward(in.x)) * in.real;
    };
    return maxAbs(stepped(true) - stepped(false));
}

} // namespace grucheck
