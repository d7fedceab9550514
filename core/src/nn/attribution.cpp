// SPDX-License-Identifier: GPL-3.0-or-later
// Attributions of the sequence model: Integrated Gradients over the per-input embeddings, the
// population mean embedding (a reference), and the per-event states (for the surrogate).
#include "seqlens/nn/sequence_model.h"

#include "integrated_gradients.h"
#include "seqlens/util/error.h"
#include "sequence_model_impl.h"

namespace seqlens {

const char *toString(AttributionReference r)
{
    switch (r) {
    case AttributionReference::Missing: return "missing";
    case AttributionReference::Empty: return "empty";
    case AttributionReference::Mean: return "mean";
    }
    return "missing";
}

AttributionReference parseAttributionReference(const std::string &name)
{
    for (auto r : {AttributionReference::Missing, AttributionReference::Empty,
                   AttributionReference::Mean})
        if (name == toString(r))
            return r;
    throwUsage("--reference: expected missing, empty or mean, got \"" + name + "\"");
}

double InputAttribution::completenessGap() const
{
    double sum = lengthTerm;
    for (const auto &row : cells)
        for (double c : row)
            sum += c;
    return sum - (logit - referenceLogit);
}

namespace {

// The same history with every input of every real event at its "missing" code.
nn::Batch missingInputs(const nn::Batch &b)
{
    nn::Batch r = b;
    // Padding and the inputs of other sources (several sources) hold the pad code and stay.
    r.cat = torch::where(b.cat.ne(kCodePad), torch::full_like(b.cat, kCodeMissing), b.cat);
    r.numState = torch::where(b.numState.ne(int64_t(kNumPad)),
                              torch::full_like(b.numState, int64_t(kNumMissing)), b.numState);
    r.num = torch::zeros_like(b.num);
    return r;
}

nn::Batch repeatRows(const nn::Batch &b, int64_t n)
{
    nn::Batch r;
    r.cat = b.cat.expand({n, b.cat.size(1), b.cat.size(2)});
    r.num = b.num.expand({n, b.num.size(1), b.num.size(2)});
    r.numState = b.numState.expand({n, b.numState.size(1), b.numState.size(2)});
    r.pad = b.pad.expand({n, b.pad.size(1)}).contiguous();
    r.length = b.length.expand({n}).contiguous();
    r.source = b.source.expand({n, b.source.size(1)}).contiguous();
    r.days = b.days.expand({n, b.days.size(1)}).contiguous();
    r.labels = b.labels.expand({n});
    return r;
}

double emptyHistoryLogit(nn::SeqNet &net, const EncodedDataset &data)
{
    EncodedDataset empty;
    empty.numCat = data.numCat;
    empty.numNum = data.numNum;
    empty.offsets = {0, 0};
    empty.labels = {-1};
    const int64_t a = 0;
    torch::NoGradGuard noGrad;
    return net->forward(nn::collate(empty, &a, 1)).logits.item<double>();
}

} // namespace

InputAttribution SequenceModel::integratedGradients(const EncodedDataset &data, int64_t applicant,
                                                    AttributionReference reference, int64_t steps,
                                                    const std::vector<float> &meanEmbedding) const
{
    if (steps < 1)
        throwUsage("--steps: expected at least 1, got " + std::to_string(steps));
    auto &net = m_impl->net;
    net->eval();
    const nn::Batch b = nn::collate(data, &applicant, 1);
    const int64_t n = data.length(applicant);
    const int64_t F = data.numCat + data.numNum, d = m_impl->config.embDim;
    torch::Tensor x, ref;
    {
        torch::NoGradGuard noGrad;
        x = net->embedFields(b); // [1, T, F, d]
        if (reference == AttributionReference::Mean) {
            if (int64_t(meanEmbedding.size()) != F * d)
                throwData("this model bundle holds no population mean embedding (written by an "
                          "older SeqLens); use --reference missing or empty");
            auto mean = torch::from_blob(const_cast<float *>(meanEmbedding.data()), {1, 1, F, d})
                            .clone();
            ref = torch::where(b.pad.unsqueeze(-1).unsqueeze(-1), x, mean.expand_as(x));
        } else {
            ref = net->embedFields(missingInputs(b));
        }
    }
    const auto rows = repeatRows(b, steps + 1);
    const nn::PathIntegral ig = nn::integrateGradients(
        [&](const torch::Tensor &path) { return net->forwardEmbedded(path, rows).logits; }, x, ref,
        steps);
    auto cells = ig.attribution.sum(-1).contiguous(); // [T, F]

    InputAttribution r;
    r.logit = ig.outputs[steps].item<double>();
    r.referenceLogit = ig.outputs[0].item<double>();
    const float *c = cells.data_ptr<float>();
    for (int64_t t = 0; t < n; ++t)
        r.cells.emplace_back(c + t * F, c + (t + 1) * F);
    if (reference == AttributionReference::Empty) {
        const double empty = emptyHistoryLogit(net, data);
        r.lengthTerm = n > 0 ? r.referenceLogit - empty : 0.0;
        r.referenceLogit = empty;
    }
    return r;
}

std::vector<float> SequenceModel::meanInputEmbedding(const EncodedDataset &data,
                                                     const std::vector<int64_t> &applicants) const
{
    torch::NoGradGuard noGrad;
    auto &net = m_impl->net;
    net->eval();
    const int64_t F = data.numCat + data.numNum, d = m_impl->config.embDim;
    auto sum = torch::zeros({F, d}, torch::kFloat64);
    int64_t events = 0;
    for (size_t i = 0; i < applicants.size(); i += 512) {
        const int64_t count = std::min<int64_t>(512, int64_t(applicants.size() - i));
        const nn::Batch b = nn::collate(data, applicants.data() + i, count);
        auto real = b.pad.logical_not().to(torch::kFloat64).unsqueeze(-1).unsqueeze(-1);
        sum += (net->embedFields(b).to(torch::kFloat64) * real).sum(std::vector<int64_t>{0, 1});
        events += b.length.sum().item<int64_t>();
    }
    if (events > 0)
        sum /= double(events);
    auto f = sum.to(torch::kFloat32).contiguous();
    return {f.data_ptr<float>(), f.data_ptr<float>() + f.numel()};
}

std::vector<std::vector<float>> SequenceModel::eventStates(const EncodedDataset &data,
                                                           int64_t applicant) const
{
    torch::NoGradGuard noGrad;
    m_impl->net->eval();
    auto out = m_impl->net->forward(nn::collate(data, &applicant, 1));
    auto h = out.states[0].contiguous(); // [T, d]
    const int64_t d = h.size(1);
    std::vector<std::vector<float>> states;
    for (int64_t t = 0; t < data.length(applicant); ++t)
        states.emplace_back(h.data_ptr<float>() + t * d, h.data_ptr<float>() + (t + 1) * d);
    return states;
}

} // namespace seqlens
