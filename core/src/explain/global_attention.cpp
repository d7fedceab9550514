// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/explain/global_attention.h"

#include "seqlens/util/text_util.h"

#include <algorithm>
#include <cmath>

namespace seqlens {

std::vector<std::string> timeBandNames(const std::vector<double> &edges)
{
    std::vector<std::string> out;
    if (edges.empty())
        return {"all"};
    out.push_back("\u2264 " + formatNumber(edges[0]) + " d"); // the encoder's buckets: (lo, hi]
    for (size_t i = 1; i < edges.size(); ++i)
        out.push_back(formatNumber(edges[i - 1]) + "-" + formatNumber(edges[i]) + " d");
    out.push_back("> " + formatNumber(edges.back()) + " d");
    return out;
}

std::vector<int64_t> evenSample(const std::vector<int64_t> &rows, int64_t max)
{
    if (int64_t(rows.size()) <= max)
        return rows;
    std::vector<int64_t> out;
    for (int64_t i = 0; i < max; ++i)
        out.push_back(rows[size_t(i * int64_t(rows.size()) / max)]);
    return out;
}

namespace {

// Per source: its own inputs and the time inputs (indices into inputNames()).
std::vector<SourceAttention> sourceSlots(const Encoder &encoder,
                                         std::vector<std::vector<size_t>> &idx)
{
    std::vector<SourceAttention> out;
    if (encoder.sources().size() < 2)
        return out;
    const auto owners = encoder.inputSources();
    const auto names = encoder.inputNames();
    for (size_t s = 0; s < encoder.sources().size(); ++s) {
        SourceAttention a;
        a.source = encoder.sources()[s].name;
        std::vector<size_t> mine;
        for (int pass = 0; pass < 2; ++pass) // own inputs first, then the time inputs
            for (size_t i = 0; i < owners.size(); ++i)
                if ((pass == 0 && owners[i] == int32_t(s)) || (pass == 1 && owners[i] < 0)) {
                    mine.push_back(i);
                    a.inputs.push_back(names[i]);
                }
        a.meanFieldWeight.assign(mine.size(), 0.0);
        idx.push_back(std::move(mine));
        out.push_back(std::move(a));
    }
    return out;
}

} // namespace

GlobalAttention globalAttention(const SequenceModel &model, const Encoder &encoder,
                                const RawDataset &raw, const EncodedDataset &data,
                                const std::vector<int64_t> &applicants,
                                const std::vector<double> &edges, int64_t maxApplicants)
{
    GlobalAttention g;
    g.inputs = encoder.inputNames();
    g.bands = timeBandNames(edges);
    g.meanFieldWeight.assign(g.inputs.size(), 0.0);
    std::vector<double> itemSum(g.bands.size(), 0.0), uniformSum(g.bands.size(), 0.0);
    g.bandEvents.assign(g.bands.size(), 0);
    std::vector<std::vector<size_t>> slots;
    g.sources = sourceSlots(encoder, slots);
    for (int64_t a : evenSample(applicants, maxApplicants)) {
        const int64_t n = data.length(a);
        if (n == 0)
            continue;
        const Explanation ex = model.explain(data, a);
        const Applicant &ap = raw.applicants[size_t(a)];
        const double anchor =
            std::isnan(ap.cutoff)
                ? raw.times[size_t(data.rawEvent[size_t(data.offsets[size_t(a)] + n - 1)])]
                : ap.cutoff;
        for (int64_t t = 0; t < n; ++t) {
            const double days =
                anchor - raw.times[size_t(data.rawEvent[size_t(data.offsets[size_t(a)] + t)])];
            const size_t b = edges.empty() ? 0 : bucketIndex(edges, days);
            itemSum[b] += ex.itemWeights[size_t(t)];
            uniformSum[b] += 1.0 / double(n);
            ++g.bandEvents[b];
            for (size_t f = 0; f < g.inputs.size(); ++f)
                g.meanFieldWeight[f] += ex.fieldWeights[size_t(t)][f] / double(n);
            if (g.sources.empty())
                continue;
            const size_t s = data.source[size_t(data.offsets[size_t(a)] + t)];
            SourceAttention &sa = g.sources[s];
            ++sa.events;
            sa.timelineShare += ex.itemWeights[size_t(t)];
            for (size_t k = 0; k < slots[s].size(); ++k)
                sa.meanFieldWeight[k] += ex.fieldWeights[size_t(t)][slots[s][k]];
        }
        ++g.applicants;
    }
    for (double &w : g.meanFieldWeight)
        w = g.applicants ? w / double(g.applicants) : std::nan("");
    for (auto &sa : g.sources) {
        sa.timelineShare = g.applicants ? sa.timelineShare / double(g.applicants) : std::nan("");
        for (double &w : sa.meanFieldWeight)
            w = sa.events ? w / double(sa.events) : std::nan("");
    }
    for (size_t b = 0; b < g.bands.size(); ++b) {
        const double n = double(g.bandEvents[b]);
        g.meanItemWeight.push_back(n > 0 ? itemSum[b] / n : std::nan(""));
        g.meanItemWeightUniform.push_back(n > 0 ? uniformSum[b] / n : std::nan(""));
    }
    return g;
}

} // namespace seqlens
