// SPDX-License-Identifier: GPL-3.0-or-later
// The encoder's handling of several event sources: which events it keeps, how the data's
// sources map onto the encoder's, and the gaps within a source.
#include "seqlens/data/encoder.h"

#include "encoder_sources.h"

#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>

namespace seqlens {

std::vector<int64_t> Encoder::keptEvents(const RawDataset &d, size_t a,
                                         const std::vector<int32_t> &sourceOf) const
{
    const int64_t b = d.offsets[a], e = d.offsets[a + 1];
    std::vector<int64_t> kept;
    if (m_sources.size() <= 1) {
        for (int64_t ev = std::max(b, e - m_maxItems); ev < e; ++ev)
            kept.push_back(ev);
        return kept;
    }
    std::vector<int64_t> perSource(m_sources.size(), 0);
    for (int64_t ev = e - 1; ev >= b && int64_t(kept.size()) < m_maxItems; --ev) {
        const int32_t s = sourceOf[d.eventSource[size_t(ev)]];
        const int64_t bound = m_sources[size_t(s)].maxItems;
        if (bound > 0 && perSource[size_t(s)] >= bound)
            continue;
        ++perSource[size_t(s)];
        kept.push_back(ev);
    }
    std::reverse(kept.begin(), kept.end());
    return kept;
}

namespace encoder_detail {

// Encoder source index of every source of the data (matched by name).
std::vector<int32_t> sourceMapping(const RawDataset &d, const std::vector<SourceEncoding> &sources)
{
    std::vector<int32_t> out;
    for (const auto &name : d.sourceNames) {
        auto it = std::find_if(sources.begin(), sources.end(),
                               [&](const SourceEncoding &s) { return s.name == name; });
        if (it == sources.end() && sources.size() > 1)
            throwData("event source \"" + name + "\" is not one the model was trained with");
        out.push_back(it == sources.end() ? 0 : int32_t(it - sources.begin()));
    }
    return out;
}

// Per raw event of applicant a: the gap in days to the previous event of the same source
// (NaN for its first).
std::vector<double> gapsInSource(const RawDataset &d, size_t a)
{
    const int64_t b = d.offsets[a], e = d.offsets[a + 1];
    std::vector<double> gaps(size_t(e - b), std::nan(""));
    std::vector<double> last(d.sourceNames.size(), std::nan(""));
    for (int64_t ev = b; ev < e; ++ev) {
        const size_t s = d.eventSource[size_t(ev)];
        gaps[size_t(ev - b)] = d.times[size_t(ev)] - last[s];
        last[s] = d.times[size_t(ev)];
    }
    return gaps;
}

} // namespace encoder_detail

std::vector<int64_t> Encoder::keptEvents(const RawDataset &d, size_t a) const
{
    using encoder_detail::sourceMapping;
    return keptEvents(d, a,
                      m_sources.size() > 1 ? sourceMapping(d, m_sources) : std::vector<int32_t>());
}

} // namespace seqlens
