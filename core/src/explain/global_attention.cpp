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
        }
        ++g.applicants;
    }
    for (double &w : g.meanFieldWeight)
        w = g.applicants ? w / double(g.applicants) : std::nan("");
    for (size_t b = 0; b < g.bands.size(); ++b) {
        const double n = double(g.bandEvents[b]);
        g.meanItemWeight.push_back(n > 0 ? itemSum[b] / n : std::nan(""));
        g.meanItemWeightUniform.push_back(n > 0 ? uniformSum[b] / n : std::nan(""));
    }
    return g;
}

} // namespace seqlens
