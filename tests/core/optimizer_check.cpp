// SPDX-License-Identifier: GPL-3.0-or-later
#include "optimizer_check.h"

#include "nn/fused_adamw.h"
#include "nn/seq_net.h"

using namespace seqlens::nn;

namespace optcheck {

namespace {
struct Net : torch::nn::Module {
    torch::nn::Linear a{nullptr}, b{nullptr};
    torch::Tensor unused;
    Net()
    {
        a = register_module("a", torch::nn::Linear(6, 5));
        b = register_module("b", torch::nn::Linear(5, 1));
        unused = register_parameter("unused", torch::ones({3}));
    }
    torch::Tensor forward(const torch::Tensor &x) { return b(torch::tanh(a(x))).squeeze(1); }
};

std::shared_ptr<Net> make(uint64_t seed)
{
    torch::manual_seed(seed);
    return std::make_shared<Net>();
}

torch::Tensor lossOf(Net &net, const torch::Tensor &x, const torch::Tensor &y)
{
    return torch::binary_cross_entropy_with_logits(net.forward(x), y);
}

double maxDiff(Net &p, Net &q)
{
    double d = 0;
    auto pp = p.parameters(), qq = q.parameters();
    for (size_t i = 0; i < pp.size(); ++i)
        d = std::max(d, (pp[i] - qq[i]).abs().max().item<double>());
    return d;
}
} // namespace

double maxParamDiff(uint64_t seed, int steps, double clip, double decay)
{
    auto ref = make(seed), fused = make(seed);
    torch::optim::AdamW adamw(ref->parameters(),
                              torch::optim::AdamWOptions(0.05).weight_decay(decay));
    FusedAdamW mine(fused->parameters(), decay);
    torch::manual_seed(seed + 100);
    for (int s = 0; s < steps; ++s) {
        auto x = torch::randn({16, 6}) * 3, y = (torch::rand({16}) < 0.3).to(torch::kFloat32);
        adamw.zero_grad();
        lossOf(*ref, x, y).backward();
        if (clip > 0)
            torch::nn::utils::clip_grad_norm_(ref->parameters(), clip);
        adamw.step();
        auto g = torch::autograd::grad({lossOf(*fused, x, y)}, fused->parameters(), {}, false,
                                       false, true);
        mine.step({g}, 0.05, clip);
    }
    return maxDiff(*ref, *fused);
}

double splitGradientDiff(uint64_t seed)
{
    auto one = make(seed), two = make(seed);
    FusedAdamW a(one->parameters(), 0.0), b(two->parameters(), 0.0);
    auto x = torch::randn({8, 6}), y = (torch::rand({8}) < 0.5).to(torch::kFloat32);
    auto sumLoss = [](Net &n, const torch::Tensor &xs, const torch::Tensor &ys) {
        return torch::binary_cross_entropy_with_logits(n.forward(xs), ys, {}, {},
                                                       at::Reduction::Sum) /
               8.0;
    };
    auto whole = torch::autograd::grad({sumLoss(*one, x, y)}, one->parameters(), {}, false, false,
                                       true);
    a.step({whole}, 0.1, 1.0);
    auto first = torch::autograd::grad({sumLoss(*two, x.slice(0, 0, 3), y.slice(0, 0, 3))},
                                       two->parameters(), {}, false, false, true);
    auto second = torch::autograd::grad({sumLoss(*two, x.slice(0, 3), y.slice(0, 3))},
                                        two->parameters(), {}, false, false, true);
    b.step({first, second}, 0.1, 1.0);
    return maxDiff(*one, *two);
}

double scaledGroupDiff(uint64_t seed, int steps, double scale, double decay)
{
    auto ref = make(seed), fused = make(seed);
    const double lr = 0.01;
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(ref->a->parameters(),
                        std::make_unique<torch::optim::AdamWOptions>(
                            torch::optim::AdamWOptions(lr * scale).weight_decay(decay)));
    groups.emplace_back(std::vector<torch::Tensor>{ref->b->weight, ref->b->bias, ref->unused},
                        std::make_unique<torch::optim::AdamWOptions>(
                            torch::optim::AdamWOptions(lr).weight_decay(decay)));
    torch::optim::AdamW adamw(std::move(groups), torch::optim::AdamWOptions(lr));
    std::vector<double> scales;
    for (const auto &p : fused->named_parameters())
        scales.push_back(p.key().rfind("a.", 0) == 0 ? scale : 1.0);
    FusedAdamW mine(fused->parameters(), decay, scales);
    torch::manual_seed(seed + 100);
    for (int s = 0; s < steps; ++s) {
        auto x = torch::randn({16, 6}) * 3, y = (torch::rand({16}) < 0.3).to(torch::kFloat32);
        adamw.zero_grad();
        lossOf(*ref, x, y).backward();
        adamw.step();
        auto g = torch::autograd::grad({lossOf(*fused, x, y)}, fused->parameters(), {}, false,
                                       false, true);
        mine.step({g}, lr, 0.0);
    }
    return maxDiff(*ref, *fused);
}

ScaledNames inputEmbeddingParameters(int64_t sources, bool periodic, double derivedScale)
{
    seqlens::ModelConfig config;
    config.itemAggregation = seqlens::ItemAggregation::Gru;
    if (periodic)
        config.numericEncoding = seqlens::NumericEmbedding::Periodic;
    seqlens::ModelLayout layout;
    layout.cardinalities = {5, 4, 12};
    layout.numNumeric = 2;
    layout.sources = sources;
    if (sources > 1)
        layout.inputSources = {0, 1, -1, 0, 1};
    if (derivedScale > 0)
        layout.derivedNumeric = {0, 1};
    SeqNet net(config, layout);
    const auto scales = net->lrScales(10.0, derivedScale > 0 ? derivedScale : 10.0);
    const auto named = net->named_parameters();
    ScaledNames out;
    out.parameters = int64_t(named.size());
    for (size_t i = 0; i < named.size() && i < scales.size(); ++i) {
        const auto &s = scales[i];
        if (s.size() == 1 && s[0] == 1.0)
            continue;
        std::string item = named[i].key();
        if (s.size() > 1) { // per row: name[10,1,...]
            item += "[";
            for (size_t r = 0; r < s.size(); ++r)
                item += (r ? "," : "") + std::to_string(int(s[r]));
            item += "]";
            if (int64_t(s.size()) != named[i].value().size(0))
                item += "?rows";
        } else if (s[0] != 10.0) {
            item = "?" + item; // neither scale: a failure the test shows
        }
        out.names += (out.names.empty() ? "" : ",") + item;
    }
    if (scales.size() != named.size())
        out.names += "?size";
    return out;
}

double rowScaleDiff(uint64_t seed, int steps, double scale, double decay)
{
    // The reference holds the first layer's weight as two parameters, rows 0-1 and rows 2-4,
    // in two LibTorch parameter groups; the fused optimiser holds it as one tensor with a
    // scale per row. Same initial values, same batches.
    auto fused = make(seed);
    auto top = fused->a->weight.detach().slice(0, 0, 2).clone().requires_grad_(true);
    auto bottom = fused->a->weight.detach().slice(0, 2).clone().requires_grad_(true);
    auto bias = fused->a->bias.detach().clone().requires_grad_(true);
    auto bw = fused->b->weight.detach().clone().requires_grad_(true);
    auto bb = fused->b->bias.detach().clone().requires_grad_(true);
    const double lr = 0.01;
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<torch::Tensor>{top},
                        std::make_unique<torch::optim::AdamWOptions>(
                            torch::optim::AdamWOptions(lr * scale).weight_decay(decay)));
    groups.emplace_back(std::vector<torch::Tensor>{bottom, bias, bw, bb},
                        std::make_unique<torch::optim::AdamWOptions>(
                            torch::optim::AdamWOptions(lr).weight_decay(decay)));
    torch::optim::AdamW adamw(std::move(groups), torch::optim::AdamWOptions(lr));
    std::vector<std::vector<double>> scales;
    for (const auto &p : fused->named_parameters())
        scales.push_back(p.key() == "a.weight" ? std::vector<double>{scale, scale, 1, 1, 1}
                                               : std::vector<double>{1.0});
    FusedAdamW mine(fused->parameters(), decay, scales);
    torch::manual_seed(seed + 100);
    for (int s = 0; s < steps; ++s) {
        auto x = torch::randn({16, 6}) * 3, y = (torch::rand({16}) < 0.3).to(torch::kFloat32);
        adamw.zero_grad();
        auto refLogit = torch::linear(torch::tanh(torch::linear(x, torch::cat({top, bottom}),
                                                                bias)),
                                      bw, bb)
                            .squeeze(1);
        torch::binary_cross_entropy_with_logits(refLogit, y).backward();
        adamw.step();
        auto g = torch::autograd::grad({lossOf(*fused, x, y)}, fused->parameters(), {}, false,
                                       false, true);
        mine.step({g}, lr, 0.0);
    }
    torch::NoGradGuard noGrad;
    double d = (fused->a->weight - torch::cat({top, bottom})).abs().max().item<double>();
    d = std::max(d, (fused->a->bias - bias).abs().max().item<double>());
    d = std::max(d, (fused->b->weight - bw).abs().max().item<double>());
    return std::max(d, (fused->b->bias - bb).abs().max().item<double>());
}

double untouchedParamChange(uint64_t seed)
{
    auto net = make(seed);
    FusedAdamW opt(net->parameters(), 0.1);
    for (int s = 0; s < 3; ++s) {
        auto x = torch::randn({4, 6}), y = torch::ones({4});
        opt.step({torch::autograd::grad({lossOf(*net, x, y)}, net->parameters(), {}, false, false,
                                        true)},
                 0.1, 0.0);
    }
    return (net->unused - 1).abs().max().item<double>();
}

} // namespace optcheck
