// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/explain/explanation_audit.h"

#include "seqlens/data/encoder.h"
#include "seqlens/explain/global_attention.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace seqlens {

GlobalAttribution globalAttribution(const std::vector<ApplicantExplanation> &explained,
                                    const std::vector<double> &edges)
{
    GlobalAttribution g;
    g.bands = timeBandNames(edges);
    std::vector<double> bandSigned(g.bands.size(), 0.0), bandAbs(g.bands.size(), 0.0);
    g.bandEvents.assign(g.bands.size(), 0);
    std::map<std::pair<std::string, std::string>, ValueAttribution> values;
    int64_t events = 0;
    for (const auto &x : explained) {
        if (!x.attribution.available || x.events.empty())
            continue;
        if (g.inputs.empty()) {
            g.inputs = x.inputs;
            g.meanSigned.assign(x.inputs.size(), 0.0);
            g.meanAbs.assign(x.inputs.size(), 0.0);
        }
        ++g.applicants;
        for (const auto &e : x.events) {
            ++events;
            for (size_t f = 0; f < e.attribution.size(); ++f) {
                g.meanSigned[f] += e.attribution[f];
                g.meanAbs[f] += std::fabs(e.attribution[f]);
            }
            const size_t b = edges.empty() ? 0 : bucketIndex(edges, x.referenceTime() - e.timeDays);
            bandSigned[b] += e.attributionTotal;
            bandAbs[b] += std::fabs(e.attributionTotal);
            ++g.bandEvents[b];
            for (size_t f = 0; f < x.fields.size(); ++f) {
                if (x.fieldTypes[f] != "categorical" || e.values[f].empty())
                    continue;
                auto &v = values[{x.fields[f], e.values[f]}];
                v.field = x.fields[f];
                v.value = e.values[f];
                ++v.events;
                v.meanSigned += e.attributionTotal;
                v.meanAbs += std::fabs(e.attributionTotal);
            }
        }
    }
    for (size_t f = 0; f < g.inputs.size(); ++f) {
        g.meanSigned[f] /= double(events);
        g.meanAbs[f] /= double(events);
    }
    for (size_t b = 0; b < g.bands.size(); ++b) {
        const double n = double(g.bandEvents[b]);
        g.bandMeanSigned.push_back(n > 0 ? bandSigned[b] / n : std::nan(""));
        g.bandMeanAbs.push_back(n > 0 ? bandAbs[b] / n : std::nan(""));
    }
    for (auto &[k, v] : values) {
        v.meanSigned /= double(v.events);
        v.meanAbs /= double(v.events);
        g.values.push_back(v);
    }
    std::stable_sort(g.values.begin(), g.values.end(),
                     [](const auto &a, const auto &b) { return a.meanSigned > b.meanSigned; });
    return g;
}

} // namespace seqlens
