// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/explain/history_edit.h"

#include "seqlens/data/time_parser.h"
#include "seqlens/util/error.h"
#include "seqlens/util/text_util.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace seqlens {

std::string describe(const HistoryEdit &e)
{
    const std::string ev = "event " + std::to_string(e.event);
    switch (e.kind) {
    case HistoryEdit::Kind::Remove: return "remove " + ev;
    case HistoryEdit::Kind::Set:
        return "set " + e.field + " of " + ev + " to " +
               (e.value.empty() ? std::string("missing") : "\"" + e.value + "\"");
    case HistoryEdit::Kind::Move: return "move " + ev + " to " + formatDays(e.timeDays);
    }
    return ev;
}

namespace {

// One event of the copy: where its values come from, and what the edits changed.
struct EditedEvent {
    int64_t source = 0; // raw event index
    double time = 0;
    bool removed = false;
    std::vector<std::pair<size_t, std::string>> sets; // field, new raw value
};

size_t fieldOf(const RawDataset &raw, const std::string &name, const HistoryEdit &e)
{
    for (size_t f = 0; f < raw.fields.size(); ++f)
        if (raw.fields[f].config.name == name)
            return f;
    std::string list;
    for (const auto &f : raw.fields)
        list += (list.empty() ? "" : ", ") + f.config.name;
    throwUsage(describe(e) + ": no event field \"" + name + "\" (fields: " + list + ")");
}

std::vector<EditedEvent> applyEdits(const RawDataset &raw, int64_t a, const Encoder &encoder,
                                    const std::vector<HistoryEdit> &edits, bool keptOnly)
{
    const int64_t begin = raw.offsets[size_t(a)], end = raw.offsets[size_t(a) + 1];
    const std::vector<int64_t> keptEvents = encoder.keptEvents(raw, size_t(a));
    const int64_t kept = int64_t(keptEvents.size());
    std::vector<EditedEvent> events;
    for (int64_t ev = begin; ev < end; ++ev)
        events.push_back({ev, raw.times[size_t(ev)],
                          keptOnly && !std::binary_search(keptEvents.begin(), keptEvents.end(), ev),
                          {}});
    const double cutoff = raw.applicants[size_t(a)].cutoff;
    for (const HistoryEdit &e : edits) {
        if (e.event < 0 || e.event >= kept)
            throwUsage(describe(e) + ": no such event (the history has " + std::to_string(kept) +
                       " events, numbered 0 to " + std::to_string(kept - 1) + ")");
        EditedEvent &target = events[size_t(keptEvents[size_t(e.event)] - begin)];
        switch (e.kind) {
        case HistoryEdit::Kind::Remove: target.removed = true; break;
        case HistoryEdit::Kind::Set: {
            const size_t f = fieldOf(raw, e.field, e);
            double x = 0;
            if (raw.fields[f].config.type == FieldType::Numeric && !e.value.empty() &&
                !parseDouble(e.value, x))
                throwUsage(describe(e) + ": field \"" + e.field +
                           "\" is numeric; expected a number or \"\" for missing");
            target.sets.emplace_back(f, e.value);
            break;
        }
        case HistoryEdit::Kind::Move:
            if (!std::isfinite(e.timeDays))
                throwUsage(describe(e) + ": expected a finite time");
            if (!std::isnan(cutoff) && e.timeDays >= cutoff)
                throwUsage(describe(e) + ": at or after the cutoff " + formatDays(cutoff) +
                           ", where events are excluded");
            target.time = e.timeDays;
            break;
        }
    }
    events.erase(std::remove_if(events.begin(), events.end(),
                                [](const EditedEvent &x) { return x.removed; }),
                 events.end());
    std::stable_sort(events.begin(), events.end(),
                     [](const EditedEvent &x, const EditedEvent &y) { return x.time < y.time; });
    return events;
}

// Interns raw values of the copy: only the values it uses, so copies stay small whatever the
// size of the original pools.
class Pools {
public:
    explicit Pools(RawDataset &out) : m_out(out), m_maps(out.fields.size()) {}
    int32_t code(size_t f, const std::string &value)
    {
        auto [it, added] = m_maps[f].emplace(value, int32_t(m_out.fields[f].pool.size()));
        if (added)
            m_out.fields[f].pool.push_back(value);
        return it->second;
    }

private:
    RawDataset &m_out;
    std::vector<std::unordered_map<std::string, int32_t>> m_maps;
};

void appendEvent(const RawDataset &raw, const EditedEvent &e, RawDataset &out, Pools &pools)
{
    out.times.push_back(e.time);
    out.eventSource.push_back(raw.eventSource.empty() ? 0 : raw.eventSource[size_t(e.source)]);
    for (size_t f = 0; f < raw.fields.size(); ++f) {
        const RawField &src = raw.fields[f];
        RawField &dst = out.fields[f];
        const std::string *set = nullptr;
        for (const auto &s : e.sets)
            if (s.first == f)
                set = &s.second; // the last edit of a field wins
        if (src.config.type == FieldType::Categorical) {
            const int32_t c = src.codes[size_t(e.source)];
            if (set)
                dst.codes.push_back(set->empty() ? -1 : pools.code(f, *set));
            else
                dst.codes.push_back(c < 0 ? -1 : pools.code(f, src.pool[size_t(c)]));
        } else {
            float v = src.values[size_t(e.source)];
            double x = 0;
            if (set) // validated in applyEdits; a non-finite value is missing, as when loading
                v = !set->empty() && parseDouble(*set, x) && std::isfinite(x) ? float(x)
                                                                              : std::nanf("");
            dst.values.push_back(v);
        }
    }
}

} // namespace

RawDataset historyVariants(const RawDataset &raw, int64_t a, const Encoder &encoder,
                           const std::vector<std::vector<HistoryEdit>> &variants, bool keptOnly)
{
    if (a < 0 || a >= int64_t(raw.applicants.size()))
        throwUsage("applicant index " + std::to_string(a) + " out of range");
    RawDataset out;
    out.report = raw.report;
    out.sourceNames = raw.sourceNames;
    for (const auto &f : raw.fields) {
        RawField copy;
        copy.config = f.config;
        out.fields.push_back(std::move(copy));
    }
    Pools pools(out);
    out.offsets.push_back(0);
    for (const auto &edits : variants) {
        for (const EditedEvent &e : applyEdits(raw, a, encoder, edits, keptOnly))
            appendEvent(raw, e, out, pools);
        out.applicants.push_back(raw.applicants[size_t(a)]);
        out.offsets.push_back(int64_t(out.times.size()));
    }
    return out;
}

} // namespace seqlens
