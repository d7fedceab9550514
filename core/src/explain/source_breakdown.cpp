// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/explain/source_breakdown.h"

#include <algorithm>

namespace seqlens {

namespace {

// Inputs named "<source>.<field>" belong to that source.
bool ownInput(const std::string &input, const std::string &source)
{
    return input.size() > source.size() && input.compare(0, source.size(), source) == 0 &&
           input[source.size()] == '.';
}

} // namespace

std::vector<SourceShare> sourceShares(const ApplicantExplanation &x)
{
    std::vector<SourceShare> out;
    for (const auto &e : x.events) {
        if (e.source.empty())
            continue;
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const SourceShare &s) { return s.source == e.source; });
        if (it == out.end()) {
            SourceShare s;
            s.source = e.source;
            for (const auto &in : x.inputs)
                if (ownInput(in, e.source))
                    s.inputs.push_back(in);
            s.meanFieldWeight.assign(s.inputs.size(), 0.0);
            out.push_back(std::move(s));
            it = out.end() - 1;
        }
        ++it->events;
        it->itemWeight += e.itemWeight;
        it->attribution += e.attributionTotal;
        for (size_t k = 0, f = 0; f < x.inputs.size() && f < e.fieldWeights.size(); ++f)
            if (k < it->inputs.size() && x.inputs[f] == it->inputs[k])
                it->meanFieldWeight[k++] += e.fieldWeights[f];
    }
    for (auto &s : out)
        for (double &w : s.meanFieldWeight)
            w /= double(s.events);
    return out;
}

} // namespace seqlens
