// SPDX-License-Identifier: GPL-3.0-or-later
#include "seq_net.h"

#include "fused_gru.h"

#include <algorithm>
#include <cmath>

namespace seqlens::nn {

Batch collate(const EncodedDataset &data, const int64_t *applicants, int64_t count)
{
    int64_t T = 1;
    for (int64_t i = 0; i < count; ++i)
        T = std::max(T, data.length(applicants[i]));
    const int64_t Fc = data.numCat, Fn = data.numNum;
    Batch b;
    b.cat = torch::zeros({count, T, Fc}, torch::kInt64);
    b.num = torch::zeros({count, T, Fn}, torch::kFloat32);
    b.numState = torch::zeros({count, T, Fn}, torch::kInt64);
    b.pad = torch::ones({count, T}, torch::kBool);
    b.length = torch::empty({count}, torch::kInt64);
    b.days = torch::zeros({count, T}, torch::kFloat32);
    b.source = torch::zeros({count, T}, torch::kInt64);
    auto *days = b.days.data_ptr<float>();
    auto *source = b.source.data_ptr<int64_t>();
    const bool hasSource = data.source.size() == data.rawEvent.size();
    const bool hasDays = data.days.size() == data.rawEvent.size();
    b.labels = torch::empty({count}, torch::kFloat32);
    auto *cat = b.cat.data_ptr<int64_t>();
    auto *num = b.num.data_ptr<float>();
    auto *st = b.numState.data_ptr<int64_t>();
    auto *pad = b.pad.data_ptr<bool>();
    auto *len = b.length.data_ptr<int64_t>();
    auto *lab = b.labels.data_ptr<float>();
    for (int64_t i = 0; i < count; ++i) {
        const int64_t a = applicants[i], start = data.offsets[size_t(a)], n = data.length(a);
        len[i] = n;
        lab[i] = data.labels[size_t(a)];
        for (int64_t t = 0; t < n; ++t) {
            const int64_t ev = start + t, row = i * T + t;
            pad[row] = false;
            days[row] = hasDays ? data.days[size_t(ev)] : 0.0f;
            source[row] = hasSource ? data.source[size_t(ev)] : 0;
            for (int64_t f = 0; f < Fc; ++f)
                cat[row * Fc + f] = data.cat[size_t(ev * Fc + f)];
            for (int64_t f = 0; f < Fn; ++f) {
                num[row * Fn + f] = data.num[size_t(ev * Fn + f)];
                st[row * Fn + f] = data.numState[size_t(ev * Fn + f)];
            }
        }
    }
    return b;
}

SeqNetImpl::SeqNetImpl(const ModelConfig &config, const ModelLayout &layout)
    : m_config(config), m_layout(layout)
{
    const int64_t d = config.embDim;
    const int64_t Fn = layout.numNumeric;
    std::vector<int64_t> offsets;
    int64_t rows = 0;
    for (int64_t c : layout.cardinalities) {
        offsets.push_back(rows);
        rows += c;
    }
    m_catOffsets = register_buffer(
        "cat_offsets",
        torch::tensor(offsets.empty() ? std::vector<int64_t>{0} : offsets, torch::kInt64));
    m_catEmbedding = register_module("cat_embedding",
                                     torch::nn::Embedding(std::max<int64_t>(rows, 1), d));
    m_numWeight = register_parameter("num_weight",
                                     torch::randn({std::max<int64_t>(Fn, 1), d}) * 0.5);
    m_numStateEmbedding = register_module("num_state_embedding",
                                          torch::nn::Embedding(std::max<int64_t>(Fn * 3, 1), d));
    std::vector<float> periodic(size_t(Fn), 0.0f);
    for (int64_t f = 0; f < Fn; ++f)
        periodic[size_t(f)] = config.numericEncoding == NumericEmbedding::Periodic ||
                                      (size_t(f) < layout.periodicNumeric.size() &&
                                       layout.periodicNumeric[size_t(f)])
                                  ? 1.0f
                                  : 0.0f;
    if (std::find(periodic.begin(), periodic.end(), 1.0f) != periodic.end()) {
        // Not a buffer: it follows from the layout, and bundles before it must still load.
        m_periodicMask = torch::tensor(periodic, torch::kFloat32).view({1, 1, Fn, 1});
        constexpr int64_t k = 8; // frequencies per field (Gorishniy et al. 2022: sigma 1)
        m_numFrequencies = register_parameter("num_frequencies", torch::randn({Fn, k}));
        m_numPeriodic = register_parameter("num_periodic",
                                           torch::randn({Fn, 2 * k, d}) / std::sqrt(2.0 * k));
    }
    if (config.timeEncoding == TimeEncoding::Continuous && layout.timeBeforeCutoffInput >= 0)
        m_timeValue = register_parameter("time_value", torch::randn({2, d}) * 0.5);
    m_fieldProj = register_module("field_proj", torch::nn::Linear(d, d));
    m_fieldScore = register_module("field_score",
                                   torch::nn::Linear(torch::nn::LinearOptions(d, 1).bias(false)));
    if (layout.sources > 1) {
        m_inputSource = register_buffer(
            "input_source", torch::tensor(std::vector<int64_t>(layout.inputSources.begin(),
                                                               layout.inputSources.end()),
                                          torch::kInt64));
        m_sourceEmbedding = register_module("source_embedding",
                                            torch::nn::Embedding(layout.sources, d));
    }
    const int64_t ff = config.ffDim > 0 ? config.ffDim : 4 * d;
    if (config.localOrder)
        m_previous = register_module("previous", torch::nn::Linear(d, d));
    switch (config.itemAggregation) {
    case ItemAggregation::Transformer: {
        if (config.positions)
            m_position = register_module("position", torch::nn::Embedding(layout.maxItems + 1, d));
        int64_t buckets = 0; // self, then earlier and later events by gap bucket
        if (config.timeBias) {
            buckets = 1 + 2 * (int64_t(layout.timeBucketsDays.size()) + 1);
            m_gapEdges = register_buffer("gap_edges",
                                         torch::tensor(layout.timeBucketsDays, torch::kFloat32));
        }
        for (int64_t l = 0; l < config.layers; ++l)
            m_layers.push_back(
                register_module("encoder" + std::to_string(l),
                                EncoderLayer(d, config.heads, ff, config.dropout, buckets)));
        break;
    }
    case ItemAggregation::Gru:
        m_gru = register_module(
            "gru", torch::nn::GRU(torch::nn::GRUOptions(d, d)
                                      .num_layers(config.layers)
                                      .batch_first(true)
                                      .dropout(config.layers > 1 ? config.dropout : 0.0)));
        break;
    case ItemAggregation::Lstm:
        m_lstm = register_module(
            "lstm", torch::nn::LSTM(torch::nn::LSTMOptions(d, d)
                                        .num_layers(config.layers)
                                        .batch_first(true)
                                        .dropout(config.layers > 1 ? config.dropout : 0.0)));
        break;
    case ItemAggregation::None: break;
    case ItemAggregation::Auto:
        throw std::logic_error("item_aggregation auto is resolved before a model is built");
    }
    m_itemProj = register_module("item_proj", torch::nn::Linear(d, d));
    m_itemScore = register_module("item_score",
                                  torch::nn::Linear(torch::nn::LinearOptions(d, 1).bias(false)));
    m_emptyHistory = register_parameter("empty_history", torch::zeros({d}));
    int64_t features = d + 1;                   // pooled vector and the log length
    if (config.pooling == Pooling::AllInputs) { // soft counts over each event's own inputs too
        const int64_t inputs = int64_t(layout.cardinalities.size()) + layout.numNumeric;
        m_inputCountGate = register_module("input_count_gate", torch::nn::Linear(inputs * d, d));
        m_inputValue = register_module("input_value", torch::nn::Linear(inputs * d, d));
        features += 2 * d;
    }
    if (config.pooling != Pooling::Attention) {
        m_countGate = register_module("count_gate", torch::nn::Linear(d, d));
        features += 2 * d;
    }
    if (config.head == Head::Skip) {
        m_headNorm = register_module("head_norm",
                                     torch::nn::LayerNorm(torch::nn::LayerNormOptions({features})));
        m_skip = register_module("skip", torch::nn::Linear(features, 1));
    }
    m_hidden = register_module("hidden", torch::nn::Linear(features, d));
    m_dropout = register_module("dropout", FastDropout(config.dropout));
    m_out = register_module("out", torch::nn::Linear(d, 1));
}

std::vector<std::vector<double>> SeqNetImpl::lrScales(double inputScale,
                                                      double derivedScale) const
{
    // Rows of the numeric tensors per input: 1 (weights, frequencies, periodic maps) or 3
    // (the state vectors); the rows of a derived input (the gap or change since an earlier
    // event) take `derivedScale`.
    const auto numericRows = [&](int64_t perInput) {
        std::vector<double> rows;
        for (int64_t f = 0; f < m_layout.numNumeric; ++f) {
            const bool derived = size_t(f) < m_layout.derivedNumeric.size() &&
                                 m_layout.derivedNumeric[size_t(f)];
            rows.insert(rows.end(), size_t(perInput), derived ? derivedScale : inputScale);
        }
        const bool uniform = std::all_of(rows.begin(), rows.end(),
                                         [&](double r) { return r == inputScale; });
        return uniform ? std::vector<double>{inputScale} : rows; // one for the whole tensor
    };
    std::vector<std::pair<const void *, std::vector<double>>> inputs = {
        {m_catEmbedding->weight.unsafeGetTensorImpl(), {inputScale}},
        {m_numWeight.unsafeGetTensorImpl(), numericRows(1)},
        {m_numStateEmbedding->weight.unsafeGetTensorImpl(), numericRows(3)}};
    if (m_numFrequencies.defined()) {
        inputs.push_back({m_numFrequencies.unsafeGetTensorImpl(), numericRows(1)});
        inputs.push_back({m_numPeriodic.unsafeGetTensorImpl(), numericRows(1)});
    }
    if (m_sourceEmbedding)
        inputs.push_back({m_sourceEmbedding->weight.unsafeGetTensorImpl(), {inputScale}});
    std::vector<std::vector<double>> scales;
    for (const auto &p : parameters()) {
        const auto at = std::find_if(inputs.begin(), inputs.end(), [&](const auto &in) {
            return in.first == static_cast<const void *>(p.unsafeGetTensorImpl());
        });
        scales.push_back(at != inputs.end() ? at->second : std::vector<double>{1.0});
    }
    return scales;
}

torch::Tensor SeqNetImpl::embedFields(const Batch &b)
{
    std::vector<torch::Tensor> parts;
    if (b.cat.size(2) > 0) {
        auto cat = m_catEmbedding(b.cat + m_catOffsets); // [B, T, Fc, d]
        parts.push_back(m_timeValue.defined() ? withTimeValues(cat, b) : cat);
    }
    const int64_t Fn = b.num.size(2);
    if (Fn > 0) {
        auto fieldBase = torch::arange(Fn, torch::kInt64) * 3;   // [Fn]
        auto bias = m_numStateEmbedding(b.numState + fieldBase); // [B, T, Fn, d]
        auto value = b.num.unsqueeze(-1) * m_numWeight + bias;   // [B, T, Fn, d]
        if (m_numFrequencies.defined()) {
            // sin/cos of learned multiples of the value, mapped per field; only where the
            // value is present (missing and padding keep their state vector alone) and the
            // input is periodic (all with numeric_encoding periodic, else time_since_same).
            auto angle = b.num.unsqueeze(-1) * (2 * M_PI) * m_numFrequencies; // [B, T, Fn, k]
            auto periodic = torch::cat({torch::sin(angle), torch::cos(angle)}, -1);
            auto mapped = torch::einsum("btfk,fkd->btfd", {periodic, m_numPeriodic});
            auto present = b.numState.eq(kNumPresent).unsqueeze(-1);
            value = value + mapped * present * m_periodicMask;
        }
        parts.push_back(value);
    }
    return parts.size() == 1 ? parts[0] : torch::cat(parts, 2);
}

torch::Tensor SeqNetImpl::withTimeValues(const torch::Tensor &cat, const Batch &b) const
{
    const int64_t c = m_layout.timeBeforeCutoffInput;
    const double scale = m_layout.timeScaleDays;
    auto days = b.days.clamp_min(0.0);
    auto features = torch::stack(
        {torch::log1p(days) / std::log1p(scale), (days / scale).clamp_max(4.0)},
        -1);                                                           // [B, T, 2]
    auto real = b.cat.select(2, c).ge(kFirstBucketCode).unsqueeze(-1); // [B, T, 1]
    auto value = torch::matmul(features, m_timeValue) * real;          // [B, T, d]
    using torch::indexing::Slice;
    return torch::cat(
        {cat.slice(2, 0, c), (cat.select(2, c) + value).unsqueeze(2), cat.slice(2, c + 1)}, 2);
}

torch::Tensor SeqNetImpl::aggregateItems(torch::Tensor x, const Batch &b)
{
    if (m_previous) {
        // Event t also sees event t - 1 (the first event sees nothing). Rows are right-padded,
        // so a real event's predecessor is always real.
        using torch::indexing::Slice;
        auto previous = torch::zeros_like(x);
        if (x.size(1) > 1)
            previous.index_put_({Slice(), Slice(1, torch::indexing::None)},
                                x.index({Slice(), Slice(0, -1)}));
        x = x + m_previous(previous);
    }
    switch (m_config.itemAggregation) {
    case ItemAggregation::Transformer: {
        if (m_position) {
            // Position counted from the latest event (0 = latest): stable under truncation and
            // padding.
            const int64_t T = x.size(1);
            auto pos = (b.length.unsqueeze(1) - 1 - torch::arange(T, torch::kInt64).unsqueeze(0))
                           .clamp(0, m_layout.maxItems);
            x = x + m_position(pos);
        }
        auto lengths = b.length.clamp_min(
            1); // an empty history keeps position 0 visible, as keyPad
        const torch::Tensor biasIndex = m_config.timeBias ? timeBiasIndex(b) : torch::Tensor();
        for (auto &layer : m_layers)
            x = layer->forward(x, lengths, biasIndex);
        return x;
    }
    case ItemAggregation::Gru: // causal over right-padded rows: padding cannot reach real events
        return fusedGru(m_gru, x, b.length);
    case ItemAggregation::Lstm: return std::get<0>(m_lstm->forward(x));
    case ItemAggregation::None:
    case ItemAggregation::Auto: return x;
    }
    return x;
}

NetOutput SeqNetImpl::forward(const Batch &b)
{
    return forwardEmbedded(embedFields(b), b);
}

NetOutput SeqNetImpl::forwardEmbedded(const torch::Tensor &e, const Batch &b)
{
    // Field aggregation: attention over the F inputs of each event (e: [B, T, F, d]).
    auto fieldLogits = m_fieldScore(torch::tanh(m_fieldProj(e))).squeeze(-1); // [B, T, F]
    if (m_sourceEmbedding) // each event attends over its own source's fields and the time inputs
        fieldLogits = fieldLogits.masked_fill(foreignInputs(b),
                                              -std::numeric_limits<float>::infinity());
    auto fieldW = torch::softmax(fieldLogits, -1);
    auto items = (fieldW.unsqueeze(-1) * e).sum(2); // [B, T, d]
    if (m_sourceEmbedding)
        items = items + m_sourceEmbedding(b.source);

    // Empty histories keep position 0 visible so no softmax runs over nothing; their pooled
    // vector is replaced by the learned empty-history vector below.
    auto empty = b.length.eq(0); // [B]
    auto keyPad = b.pad.clone();
    keyPad.select(1, 0).masked_fill_(empty, false);
    auto h = aggregateItems(items, b); // [B, T, d]

    auto itemLogits = m_itemScore(torch::tanh(m_itemProj(h))).squeeze(-1); // [B, T]
    itemLogits = itemLogits.masked_fill(keyPad, -std::numeric_limits<float>::infinity());
    auto itemW = torch::softmax(itemLogits, -1); // [B, T]
    NetOutput out;
    out.logits = head(pool(h, itemW, b, e));
    out.fieldWeights = fieldW;
    out.itemWeights = itemW.masked_fill(b.pad, 0.0);
    out.states = h;
    return out;
}

torch::Tensor SeqNetImpl::foreignInputs(const Batch &b) const
{
    auto own = m_inputSource.view({1, 1, -1}); // [1, 1, F]
    return own.ge(0).logical_and(own.ne(b.source.unsqueeze(-1)));
}

torch::Tensor SeqNetImpl::timeBiasIndex(const Batch &b) const
{
    torch::NoGradGuard noGrad;
    const int64_t T = b.days.size(1), buckets = m_gapEdges.size(0) + 1;
    // gap[b, i, j] = |days_j - days_i|: how far key j lies from query i in time.
    auto gap = (b.days.unsqueeze(1) - b.days.unsqueeze(2)).abs();
    auto bucket = torch::bucketize(gap, m_gapEdges); // a gap <= edge falls in its bucket
    auto pos = torch::arange(T, torch::kInt64);
    auto earlier = (pos.unsqueeze(0) < pos.unsqueeze(1)).unsqueeze(0); // [1, T(i), T(j)]: j < i
    auto later = (pos.unsqueeze(0) > pos.unsqueeze(1)).unsqueeze(0);
    auto index = torch::where(earlier, bucket + 1,
                              torch::where(later, bucket + 1 + buckets, torch::zeros_like(bucket)));
    return index.to(torch::kUInt8).contiguous();
}

torch::Tensor SeqNetImpl::pool(const torch::Tensor &h, const torch::Tensor &itemW, const Batch &b,
                               const torch::Tensor &e)
{
    auto empty = b.length.eq(0).unsqueeze(1);       // [B, 1]
    auto pooled = (itemW.unsqueeze(-1) * h).sum(1); // [B, d]
    pooled = torch::where(empty, m_emptyHistory.unsqueeze(0).expand_as(pooled), pooled);
    auto lengthFeature = torch::log1p(b.length.to(torch::kFloat32)).unsqueeze(1) /
                         std::log1p(double(m_layout.maxItems));
    if (m_config.pooling == Pooling::Attention)
        return torch::cat({pooled, lengthFeature}, 1);
    // Max over real events (0 for an empty history) and learned soft counts: log1p of the sum
    // of per-event gates in (0, 1), the differentiable analogue of a window count.
    auto real = b.pad.logical_not().unsqueeze(-1); // [B, T, 1]
    auto maxed = h.masked_fill(real.logical_not(), -std::numeric_limits<float>::infinity()).amax(1);
    maxed = torch::where(empty, torch::zeros_like(maxed), maxed);
    auto counts = torch::log1p((torch::sigmoid(m_countGate(h)) * real).sum(1));
    if (!m_inputCountGate)
        return torch::cat({pooled, maxed, counts, lengthFeature}, 1);
    // Learned window statistics from every input embedding of each event, before any
    // aggregation, so a scorecard's window count or sum needs no room in the aggregator's state:
    // per channel, a gate picks events (say late payments in the last year) and the pooled
    // vector gets their soft count and the sum of a learned value of them (say their amounts).
    // Another source's inputs are not this event's: left out, so their attributions stay 0.
    auto own = m_sourceEmbedding ? e * foreignInputs(b).logical_not().unsqueeze(-1) : e;
    auto flat = own.flatten(2);                                // [B, T, F * d]
    auto gate = torch::sigmoid(m_inputCountGate(flat)) * real; // [B, T, d]
    auto inputCounts = torch::log1p(gate.sum(1));
    auto sums = (gate * m_inputValue(flat)).sum(1);
    auto inputSums = torch::sign(sums) * torch::log1p(sums.abs()); // signed log
    return torch::cat({pooled, maxed, counts, inputCounts, inputSums, lengthFeature}, 1);
}

torch::Tensor SeqNetImpl::head(const torch::Tensor &features)
{
    if (m_config.head == Head::Mlp)
        return m_out(m_dropout(torch::relu(m_hidden(features)))).squeeze(1);
    auto x = m_headNorm(features);
    return (m_out(m_dropout(torch::gelu(m_hidden(x)))) + m_skip(x)).squeeze(1);
}

} // namespace seqlens::nn
