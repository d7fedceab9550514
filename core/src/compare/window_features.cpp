// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/compare/window_features.h"

#include "seqlens/util/error.h"
#include "seqlens/util/text_util.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

namespace seqlens {

namespace {

std::string days(double w)
{
    return formatNumber(w) + "d";
}

std::vector<std::string> topOf(const std::map<std::string, int64_t> &counts, int64_t k)
{
    std::vector<std::pair<std::string, int64_t>> v(counts.begin(), counts.end());
    std::stable_sort(v.begin(), v.end(),
                     [](const auto &a, const auto &b) { return a.second > b.second; });
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size() && int64_t(i) < k; ++i)
        out.push_back(v[i].first);
    return out;
}

} // namespace

WindowFeatureBuilder WindowFeatureBuilder::fit(const RawDataset &d, const Config &cfg,
                                               const std::vector<int64_t> &devRows)
{
    std::vector<char> dev(d.applicants.size(), 0);
    for (int64_t a : devRows)
        dev.at(size_t(a)) = 1;
    WindowFeatureBuilder b;
    b.m_windows = cfg.baseline.windowsDays;
    b.m_static = cfg.labels.features;
    for (const RawField &f : d.fields) {
        std::map<std::string, int64_t> counts;
        if (f.config.type == FieldType::Categorical)
            for (size_t a = 0; a < d.applicants.size(); ++a)
                if (dev[a])
                    for (int64_t e = d.offsets[a]; e < d.offsets[a + 1]; ++e)
                        if (f.codes[size_t(e)] >= 0)
                            ++counts[f.pool[size_t(f.codes[size_t(e)])]];
        b.m_topValues.push_back(topOf(counts, cfg.baseline.topValues));
    }
    for (size_t k = 0; k < b.m_static.size(); ++k) {
        std::map<std::string, int64_t> counts;
        if (b.m_static[k].type == FieldType::Categorical)
            for (size_t r = 0; r < d.applicants.size(); ++r) {
                const Applicant &a = d.applicants[r];
                if (dev[r] && k < a.features.size() && !a.features[k].empty())
                    ++counts[a.features[k]];
            }
        b.m_staticTopValues.push_back(topOf(counts, cfg.baseline.topValues));
    }
    b.m_sources = d.sourceNames.size() > 1 ? d.sourceNames : std::vector<std::string>();
    for (double w : b.m_windows) {
        b.m_names.push_back("cnt_" + days(w));
        for (const auto &s : b.m_sources)
            b.m_names.push_back("cnt_" + days(w) + "_" + s);
        for (size_t k = 0; k < d.fields.size(); ++k) {
            const std::string &name = d.fields[k].config.name;
            if (d.fields[k].config.type == FieldType::Categorical) {
                for (const auto &v : b.m_topValues[k])
                    b.m_names.push_back("cnt_" + days(w) + "_" + name + "=" + v);
                b.m_names.push_back("cnt_" + days(w) + "_" + name + "=other");
            } else {
                for (const char *agg : {"sum_", "mean_", "max_"})
                    b.m_names.push_back(agg + days(w) + "_" + name);
            }
        }
    }
    b.m_names.push_back("days_since_last");
    b.m_names.push_back("days_since_first");
    for (const auto &s : b.m_sources) {
        b.m_names.push_back("days_since_last_" + s);
        b.m_names.push_back("days_since_first_" + s);
    }
    for (size_t k = 0; k < b.m_static.size(); ++k) {
        if (b.m_static[k].type == FieldType::Numeric) {
            b.m_names.push_back(b.m_static[k].name);
            continue;
        }
        for (const auto &v : b.m_staticTopValues[k])
            b.m_names.push_back(b.m_static[k].name + "=" + v);
        b.m_names.push_back(b.m_static[k].name + "=other");
    }
    return b;
}

FeatureMatrix WindowFeatureBuilder::build(const RawDataset &d) const
{
    FeatureMatrix fm;
    fm.names = m_names;
    fm.rows = int64_t(d.applicants.size());
    fm.values.assign(size_t(fm.rows) * m_names.size(), 0.0);
    m_invalidStatic = 0;
    const double nan = std::nan("");
    for (size_t a = 0; a < d.applicants.size(); ++a) {
        double *row = fm.values.data() + a * m_names.size();
        size_t col = 0;
        const int64_t b = d.offsets[a], e = d.offsets[a + 1];
        const Applicant &ap = d.applicants[a];
        const double ref = std::isnan(ap.cutoff) ? (e > b ? d.times[size_t(e - 1)] : 0.0)
                                                 : ap.cutoff;
        for (double w : m_windows) {
            // Events are sorted by time: the window is a suffix of the history.
            int64_t first = e;
            while (first > b && ref - d.times[size_t(first - 1)] <= w)
                --first;
            row[col++] = double(e - first);
            for (size_t s = 0; s < m_sources.size(); ++s)
                row[col++] = double(std::count(d.eventSource.begin() + first,
                                               d.eventSource.begin() + e, uint8_t(s)));
            for (size_t k = 0; k < d.fields.size(); ++k) {
                const RawField &f = d.fields[k];
                if (f.config.type == FieldType::Categorical) {
                    const auto &top = m_topValues[k];
                    const size_t base = col;
                    col += top.size() + 1;
                    for (int64_t ev = first; ev < e; ++ev) {
                        const int32_t code = f.codes[size_t(ev)];
                        if (code < 0)
                            continue; // missing values count in neither a named value nor "other"
                        auto it = std::find(top.begin(), top.end(), f.pool[size_t(code)]);
                        row[base + size_t(it - top.begin())] += 1;
                    }
                } else {
                    double sum = 0, mx = -INFINITY;
                    int64_t n = 0;
                    for (int64_t ev = first; ev < e; ++ev) {
                        const float v = f.values[size_t(ev)];
                        if (std::isnan(v))
                            continue;
                        sum += v;
                        mx = std::max(mx, double(v));
                        ++n;
                    }
                    row[col++] = sum;
                    row[col++] = n ? sum / double(n) : nan;
                    row[col++] = n ? mx : nan;
                }
            }
        }
        row[col++] = e > b ? ref - d.times[size_t(e - 1)] : nan;
        row[col++] = e > b ? ref - d.times[size_t(b)] : nan;
        for (size_t s = 0; s < m_sources.size(); ++s) {
            double firstTime = nan, lastTime = nan;
            for (int64_t ev = b; ev < e; ++ev)
                if (d.eventSource[size_t(ev)] == s) {
                    lastTime = d.times[size_t(ev)];
                    firstTime = std::isnan(firstTime) ? lastTime : firstTime;
                }
            row[col++] = ref - lastTime; // NaN without events of the source
            row[col++] = ref - firstTime;
        }
        for (size_t k = 0; k < m_static.size(); ++k) {
            const std::string v = k < ap.features.size() ? ap.features[k] : std::string();
            if (m_static[k].type == FieldType::Numeric) {
                double x = nan;
                if (!v.empty() && !parseDouble(v, x)) {
                    ++m_invalidStatic;
                    x = nan;
                }
                row[col++] = std::isfinite(x) ? x : nan;
                continue;
            }
            const auto &top = m_staticTopValues[k];
            auto it = std::find(top.begin(), top.end(), v);
            if (!v.empty())
                row[col + size_t(it - top.begin())] = 1.0;
            col += top.size() + 1;
        }
    }
    return fm;
}

void writeFeaturesCsv(const std::string &path, const RawDataset &d,
                      const std::vector<Split> &splits, const FeatureMatrix &fm)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throwData(path + ": cannot write features");
    out << "entity,split,label";
    for (const auto &n : fm.names)
        out << "," << csvEscape(n);
    out << "\n";
    for (int64_t r = 0; r < fm.rows; ++r) {
        const Applicant &a = d.applicants[size_t(r)];
        out << csvEscape(a.id) << "," << toString(splits.at(size_t(r))) << ","
            << (a.label >= 0 ? std::to_string(a.label) : std::string());
        for (size_t c = 0; c < fm.columns(); ++c) {
            const double v = fm.at(r, c);
            out << ",";
            if (!std::isnan(v))
                out << formatNumber(v);
        }
        out << "\n";
    }
    if (!out)
        throwData(path + ": write failed");
}

} // namespace seqlens
