// SPDX-License-Identifier: GPL-3.0-or-later
#include "event_sources.h"
#include "source_rows.h"

#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

namespace seqlens::data_detail {

namespace {

struct Pending {
    std::vector<int32_t> applicant;
    std::vector<double> time;
    std::vector<uint8_t> source;
};

// Reads one source: its rows joined to applicants, their fields, times and exclusions.
class SourceReader {
public:
    SourceReader(const Config &cfg, size_t source, const std::string &path, const LoadOptions &opt,
                 RawDataset &d, EntityMap &index, Pending &pe)
        : m_src(cfg.events[source]), m_source(source), m_opt(opt), m_d(d), m_index(index), m_pe(pe),
          m_rep(d.report.sources[source])
    {
        m_rep.name = d.sourceNames[source];
        m_rep.path = path;
        for (const auto &h : m_src.via) {
            m_hops.push_back(readHop(cfg, h, opt.cancel));
            m_rep.viaPaths.push_back(m_hops.back().path);
        }
        for (size_t f = 0; f < d.fields.size(); ++f)
            m_sinks.emplace_back(d.fields[f]);
        m_carried.assign(m_hops.size(), 0);
        m_cutoffValue = cutoffValueDays(cfg.labels);
    }

    void read()
    {
        CsvReader r(m_rep.path, CsvOptions{m_src.delimiter});
        const int ent = r.requireColumn(m_src.entity), tim = r.requireColumn(m_src.time);
        std::vector<int> cols;
        for (const auto &f : m_src.fields)
            cols.push_back(r.requireColumn(f.name));
        TimeParser parser(m_src.timeFormat);
        std::vector<int32_t> hopRows(m_hops.size());
        while (r.next()) {
            const auto &f = r.fields();
            if ((++m_rep.rows & 0xFFFF) == 0)
                throwIfCancelled(m_opt.cancel);
            const auto id = join(trimView(f[size_t(ent)]), hopRows);
            if (!id) {
                ++m_rep.joinMisses;
                continue;
            }
            const int32_t a = applicantOf(*id);
            if (a < 0) {
                ++m_rep.unknownEntity;
                continue;
            }
            const auto t = timeOf(r, parser, f[size_t(tim)], a);
            Applicant &ap = m_d.applicants[size_t(a)];
            if (!std::isnan(ap.cutoff) && t >= ap.cutoff) {
                ++m_rep.afterCutoff;
                ++ap.eventsAfterCutoff;
                continue;
            }
            m_pe.applicant.push_back(a);
            m_pe.time.push_back(t);
            m_pe.source.push_back(uint8_t(m_source));
            pushFields(r, f, cols, hopRows);
            ++m_rep.kept;
        }
        m_rep.fingerprint = r.fingerprint();
        if (!m_hops.empty() && m_rep.rows > 0 && m_rep.joinMisses == m_rep.rows)
            throwData(m_rep.path + ": none of its " + std::to_string(m_rep.rows) +
                      " rows joins: no value of column \"" + m_src.entity +
                      "\" appears in column \"" + m_hops[0].keyColumn + "\" of " + m_hops[0].path +
                      " (events." + m_rep.name + ".via)");
    }

private:
    // The applicant key a row reaches through the via hops (its own key without hops);
    // std::nullopt when a hop does not know the key. Fills the row of every hop.
    std::optional<std::string_view> join(std::string_view key, std::vector<int32_t> &rows) const
    {
        for (size_t h = 0; h < m_hops.size(); ++h) {
            auto it = m_hops[h].rowOfKey.find(key);
            if (it == m_hops[h].rowOfKey.end())
                return std::nullopt;
            rows[h] = it->second;
            key = m_hops[h].next[size_t(it->second)];
        }
        return key;
    }

    int32_t applicantOf(std::string_view id)
    {
        auto it = m_index.find(id);
        if (it != m_index.end())
            return it->second;
        if (m_opt.useLabels || id.empty() || (!m_opt.onlyEntity.empty() && id != m_opt.onlyEntity))
            return -1;
        const int32_t a = int32_t(m_d.applicants.size());
        m_index.emplace(std::string(id), a);
        Applicant &ap = m_d.applicants.emplace_back();
        ap.id = std::string(id);
        if (m_cutoffValue)
            ap.cutoff = *m_cutoffValue;
        return a;
    }

    double timeOf(const CsvReader &r, TimeParser &parser, std::string_view tv, int32_t a) const
    {
        const auto t = parser.parse(tv);
        if (!t)
            throwData(where(r) + ": column \"" + m_src.time + "\": expected " + parser.describe() +
                      ", got \"" + std::string(tv) + "\"");
        if (!m_src.timeFromCutoff)
            return *t;
        const Applicant &ap = m_d.applicants[size_t(a)];
        if (std::isnan(ap.cutoff))
            throwData(where(r) + ": column \"" + m_src.time +
                      "\" counts from the cutoff "
                      "(time_origin \"cutoff\"), but applicant \"" +
                      ap.id + "\" has none (labels.cutoff or labels.cutoff_value)");
        return ap.cutoff + *t;
    }

    void pushFields(const CsvReader &r, const std::vector<std::string_view> &f,
                    const std::vector<int> &cols, const std::vector<int32_t> &hopRows)
    {
        size_t own = 0;
        std::vector<size_t> &carried = m_carried; // per hop: its fields pushed so far
        std::fill(carried.begin(), carried.end(), size_t(0));
        for (size_t k = 0; k < m_d.fields.size(); ++k) {
            const RawField &rf = m_d.fields[k];
            if (rf.source != m_source) {
                m_sinks[k].absent();
            } else if (own < cols.size()) {
                m_sinks[k].push(f[size_t(cols[own])], r, m_src.fields[own].name);
                ++own;
            } else {
                size_t h = 0;
                while (carried[h] == m_src.via[h].fields.size())
                    ++h;
                const auto &vals = m_hops[h].values[size_t(hopRows[h])];
                m_sinks[k].push(vals[carried[h]], r, m_src.via[h].fields[carried[h]].name);
                ++carried[h];
            }
        }
    }

    const EventSourceConfig &m_src;
    size_t m_source;
    const LoadOptions &m_opt;
    RawDataset &m_d;
    EntityMap &m_index;
    Pending &m_pe;
    SourceLoadReport &m_rep;
    std::vector<HopTable> m_hops;
    std::vector<FieldSink> m_sinks;
    std::vector<size_t> m_carried;
    std::optional<double> m_cutoffValue; // labels.cutoff_value, parsed once
};

template <typename T>
void permute(std::vector<T> &v, const std::vector<int64_t> &order)
{
    std::vector<T> sorted(order.size());
    for (size_t i = 0; i < order.size(); ++i)
        sorted[i] = v[size_t(order[i])];
    v.swap(sorted);
}

// Groups events per applicant and sorts them by time (stable: source order, then file order,
// breaks ties).
void groupEvents(RawDataset &d, Pending &pe)
{
    const size_t n = pe.applicant.size(), na = d.applicants.size();
    d.offsets.assign(na + 1, 0);
    for (int32_t a : pe.applicant)
        ++d.offsets[size_t(a) + 1];
    std::partial_sum(d.offsets.begin(), d.offsets.end(), d.offsets.begin());
    std::vector<int64_t> order(n), fillPos(d.offsets.begin(), d.offsets.end() - 1);
    for (size_t i = 0; i < n; ++i)
        order[size_t(fillPos[size_t(pe.applicant[i])]++)] = int64_t(i);
    for (size_t a = 0; a < na; ++a)
        std::stable_sort(
            order.begin() + d.offsets[a], order.begin() + d.offsets[a + 1],
            [&](int64_t x, int64_t y) { return pe.time[size_t(x)] < pe.time[size_t(y)]; });
    d.times = std::move(pe.time);
    permute(d.times, order);
    d.eventSource = std::move(pe.source);
    permute(d.eventSource, order);
    for (auto &rf : d.fields) {
        if (rf.config.type == FieldType::Categorical)
            permute(rf.codes, order);
        else
            permute(rf.values, order);
    }
}

void countCoverage(RawDataset &d)
{
    for (size_t s = 0; s < d.sourceNames.size(); ++s) {
        int64_t covered = 0;
        for (size_t a = 0; a < d.applicants.size(); ++a)
            for (int64_t e = d.offsets[a]; e < d.offsets[a + 1]; ++e)
                if (d.eventSource[size_t(e)] == s) {
                    ++covered;
                    break;
                }
        d.report.sources[s].applicantsCovered = covered;
    }
}

uint64_t combined(const std::vector<SourceLoadReport> &sources)
{
    if (sources.size() == 1)
        return sources[0].fingerprint;
    uint64_t h = 1469598103934665603ULL; // FNV-1a over the sources' fingerprints
    for (const auto &s : sources)
        for (int b = 0; b < 8; ++b) {
            h ^= (s.fingerprint >> (8 * b)) & 0xFF;
            h *= 1099511628211ULL;
        }
    return h;
}

} // namespace

void readEventSources(const Config &cfg, const LoadOptions &opt, RawDataset &d, EntityMap &index)
{
    const auto paths = resolveEventFiles(cfg, opt.eventFiles);
    for (const auto &q : eventFields(cfg)) {
        RawField &rf = d.fields.emplace_back();
        rf.config = q.field;
        rf.config.name = q.name;
        rf.source = q.source;
    }
    for (const auto &s : cfg.events)
        d.sourceNames.push_back(s.name.empty() ? kDefaultSourceName : s.name);
    d.report.sources.resize(cfg.events.size());
    Pending pe;
    for (size_t s = 0; s < cfg.events.size(); ++s)
        SourceReader(cfg, s, paths[s], opt, d, index, pe).read();
    groupEvents(d, pe);
    countCoverage(d);
    LoadReport &rep = d.report;
    for (const auto &s : rep.sources) {
        rep.eventRows += s.rows;
        rep.eventsAfterCutoff += s.afterCutoff;
        rep.eventsUnknownEntity += s.unknownEntity;
        rep.eventsPath += (rep.eventsPath.empty() ? "" : ", ") +
                          (rep.sources.size() > 1 ? s.name + "=" + s.path : s.path);
    }
    rep.eventsFingerprint = combined(rep.sources);
}

} // namespace seqlens::data_detail
