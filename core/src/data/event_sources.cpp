// SPDX-License-Identifier: GPL-3.0-or-later
#include "event_sources.h"
#include "source_rows.h"

#include "seqlens/util/error.h"
#include "util/parallel.h"

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

// What reading one source gives: its kept events and its own fields' columns over them, and
// the applicants of its events after the cutoff (one entry per event).
struct SourceOutput {
    std::vector<int32_t> applicant;
    std::vector<double> time;
    std::vector<RawField> fields; // the source's fields, in eventFields() order
    std::vector<int32_t> afterCutoff;
};

// Reads one source: its rows joined to applicants, their fields, times and exclusions. Reads
// the applicants and the index only, unless `grow` (no label table: new entities become
// applicants), so several readers without `grow` can run at once.
class SourceReader {
public:
    SourceReader(const Config &cfg, size_t source, const std::string &path, const LoadOptions &opt,
                 RawDataset &d, EntityMap &index, SourceOutput &out, SourceLoadReport &rep,
                 bool grow)
        : m_src(cfg.events[source]), m_opt(opt), m_d(d), m_index(index), m_out(out), m_rep(rep),
          m_grow(grow)
    {
        m_rep.name = d.sourceNames[source];
        m_rep.path = path;
        for (const auto &h : m_src.via) {
            m_hops.push_back(readHop(cfg, h, opt.cancel));
            m_rep.viaPaths.push_back(m_hops.back().path);
        }
        for (const auto &f : d.fields)
            if (f.source == source)
                m_out.fields.push_back(RawField{f.config, f.source, {}, {}, {}, 0, 0, 0});
        for (auto &f : m_out.fields)
            m_sinks.emplace_back(f);
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
            const Applicant &ap = m_d.applicants[size_t(a)];
            if (!std::isnan(ap.cutoff) && t >= ap.cutoff) {
                ++m_rep.afterCutoff;
                m_out.afterCutoff.push_back(a);
                continue;
            }
            m_out.applicant.push_back(a);
            m_out.time.push_back(t);
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
        if (!m_grow || id.empty() || (!m_opt.onlyEntity.empty() && id != m_opt.onlyEntity))
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

    // The source's own columns, then each hop's carried columns (the eventFields() order).
    void pushFields(const CsvReader &r, const std::vector<std::string_view> &f,
                    const std::vector<int> &cols, const std::vector<int32_t> &hopRows)
    {
        size_t k = 0;
        for (size_t c = 0; c < cols.size(); ++c, ++k)
            m_sinks[k].push(f[size_t(cols[c])], r, m_src.fields[c].name);
        for (size_t h = 0; h < m_hops.size(); ++h) {
            const auto &vals = m_hops[h].values[size_t(hopRows[h])];
            for (size_t j = 0; j < m_src.via[h].fields.size(); ++j, ++k)
                m_sinks[k].push(vals[j], r, m_src.via[h].fields[j].name);
        }
    }

    const EventSourceConfig &m_src;
    const LoadOptions &m_opt;
    RawDataset &m_d;
    EntityMap &m_index;
    SourceOutput &m_out;
    SourceLoadReport &m_rep;
    bool m_grow;
    std::vector<HopTable> m_hops;
    std::vector<FieldSink> m_sinks;
    std::optional<double> m_cutoffValue; // labels.cutoff_value, parsed once
};

// Appends `n` absent values to a field's column.
void appendAbsent(RawField &f, size_t n)
{
    if (f.config.type == FieldType::Categorical)
        f.codes.insert(f.codes.end(), n, -1);
    else
        f.values.insert(f.values.end(), n, std::nanf(""));
}

// The sources' outputs one after the other: events in source order, each field's column with
// absent values on the other sources' events.
Pending mergeOutputs(RawDataset &d, std::vector<SourceOutput> &outs)
{
    Pending pe;
    size_t total = 0;
    for (const auto &o : outs)
        total += o.applicant.size();
    pe.applicant.reserve(total);
    pe.time.reserve(total);
    pe.source.reserve(total);
    std::vector<size_t> local(outs.size(), 0); // next own field of each source
    for (auto &field : d.fields) {
        const size_t s = field.source;
        RawField &own = outs[s].fields[local[s]++];
        if (outs.size() == 1) {
            field = std::move(own);
            continue;
        }
        for (size_t o = 0; o < outs.size(); ++o) {
            if (o != s) {
                appendAbsent(field, outs[o].applicant.size());
            } else if (field.config.type == FieldType::Categorical) {
                field.codes.insert(field.codes.end(), own.codes.begin(), own.codes.end());
            } else {
                field.values.insert(field.values.end(), own.values.begin(), own.values.end());
            }
        }
        field.pool = std::move(own.pool);
        field.missing = own.missing;
        field.nonFinite = own.nonFinite;
        field.invalid = own.invalid;
        own = RawField{};
    }
    for (size_t s = 0; s < outs.size(); ++s) {
        SourceOutput &o = outs[s];
        pe.applicant.insert(pe.applicant.end(), o.applicant.begin(), o.applicant.end());
        pe.time.insert(pe.time.end(), o.time.begin(), o.time.end());
        pe.source.insert(pe.source.end(), o.applicant.size(), uint8_t(s));
        for (int32_t a : o.afterCutoff)
            ++d.applicants[size_t(a)].eventsAfterCutoff;
        o = SourceOutput{};
    }
    return pe;
}

// Reads every source: at once on up to `threads` threads when the applicants are fixed (a label
// table), else one after the other. Errors surface in source order.
void readAll(const Config &cfg, const std::vector<std::string> &paths, const LoadOptions &opt,
             RawDataset &d, EntityMap &index, std::vector<SourceOutput> &outs)
{
    const size_t n = cfg.events.size();
    const bool grow = !opt.useLabels;
    const auto readOne = [&](size_t s) {
        SourceReader(cfg, s, paths[s], opt, d, index, outs[s], d.report.sources[s], grow).read();
    };
    if (grow) { // new entities become applicants in reading order
        for (size_t s = 0; s < n; ++s)
            readOne(s);
        return;
    }
    util::parallelFor(n, cfg.training.threads, readOne);
}

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
    std::vector<SourceOutput> outs(cfg.events.size());
    readAll(cfg, paths, opt, d, index, outs);
    Pending pe = mergeOutputs(d, outs);
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
