// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/monitor/stability.h"

#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace seqlens {

namespace {

double share(int64_t count, int64_t total)
{
    return total > 0 ? double(count) / double(total) : 0.0;
}

int64_t sum(const std::vector<int64_t> &v)
{
    int64_t s = 0;
    for (int64_t x : v)
        s += x;
    return s;
}

} // namespace

double psiOfCounts(const std::vector<int64_t> &reference, const std::vector<int64_t> &batch)
{
    if (reference.size() != batch.size())
        throwInternal("psiOfCounts: bins differ");
    const int64_t nr = sum(reference), nb = sum(batch);
    if (nr == 0 || nb == 0)
        throwData("PSI needs values in both populations (reference " + std::to_string(nr) +
                  ", batch " + std::to_string(nb) + ")");
    double psi = 0;
    for (size_t i = 0; i < reference.size(); ++i) {
        if (reference[i] == 0 && batch[i] == 0)
            continue; // a bin empty in both adds nothing
        const double e = std::max(share(reference[i], nr), kPsiFloorShare);
        const double a = std::max(share(batch[i], nb), kPsiFloorShare);
        psi += (a - e) * std::log(a / e);
    }
    return psi;
}

NumericBins NumericBins::fit(const std::vector<double> &reference, int bins)
{
    std::vector<double> v;
    v.reserve(reference.size());
    for (double x : reference)
        if (!std::isnan(x))
            v.push_back(x);
    std::sort(v.begin(), v.end());
    NumericBins b;
    for (int k = 1; k < bins && !v.empty(); ++k) {
        const double pos = double(k) / bins * double(v.size() - 1);
        const size_t i = size_t(pos);
        const double f = pos - double(i);
        const double q = i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
        if (b.m_edges.empty() || q > b.m_edges.back())
            b.m_edges.push_back(q);
    }
    return b;
}

size_t NumericBins::binOf(double x) const
{
    if (std::isnan(x))
        return missingBin();
    return size_t(std::lower_bound(m_edges.begin(), m_edges.end(), x) - m_edges.begin());
}

std::vector<std::string> NumericBins::labels() const
{
    std::vector<std::string> out;
    if (m_edges.empty()) {
        out.push_back("all values");
    } else {
        char buf[80];
        std::snprintf(buf, sizeof buf, "<= %.6g", m_edges[0]);
        out.push_back(buf);
        for (size_t i = 1; i < m_edges.size(); ++i) {
            std::snprintf(buf, sizeof buf, "(%.6g, %.6g]", m_edges[i - 1], m_edges[i]);
            out.push_back(buf);
        }
        std::snprintf(buf, sizeof buf, "> %.6g", m_edges.back());
        out.push_back(buf);
    }
    out.push_back("missing");
    return out;
}

std::vector<int64_t> NumericBins::count(const std::vector<double> &values) const
{
    std::vector<int64_t> c(binCount(), 0);
    for (double x : values)
        ++c[binOf(x)];
    return c;
}

Stability stabilityOf(const std::string &name, const std::string &kind,
                      std::vector<std::string> bins, std::vector<int64_t> reference,
                      std::vector<int64_t> batch, size_t newBin, size_t missingBin)
{
    Stability s{name, kind, std::move(bins), std::move(reference), std::move(batch)};
    s.psi = psiOfCounts(s.reference, s.batch);
    const int64_t nr = sum(s.reference), nb = sum(s.batch);
    if (newBin != kNoBin)
        s.newShare = share(s.batch[newBin], nb);
    if (missingBin != kNoBin) {
        s.missingShareRef = share(s.reference[missingBin], nr);
        s.missingShareBatch = share(s.batch[missingBin], nb);
    }
    return s;
}

Stability numericStability(const std::string &name, const std::string &kind,
                           const std::vector<double> &reference, const std::vector<double> &batch,
                           int bins)
{
    const NumericBins b = NumericBins::fit(reference, bins);
    return stabilityOf(name, kind, b.labels(), b.count(reference), b.count(batch), kNoBin,
                       b.missingBin());
}

CategoricalBins CategoricalBins::fit(const std::vector<std::string> &reference, int maxValues)
{
    std::unordered_map<std::string, int64_t> freq;
    for (const auto &v : reference)
        if (!v.empty())
            ++freq[v];
    return fitCounts({freq.begin(), freq.end()}, maxValues);
}

CategoricalBins CategoricalBins::fitCounts(std::vector<std::pair<std::string, int64_t>> byFreq,
                                           int maxValues)
{
    byFreq.erase(std::remove_if(byFreq.begin(), byFreq.end(),
                                [](const auto &e) { return e.second <= 0 || e.first.empty(); }),
                 byFreq.end());
    std::sort(byFreq.begin(), byFreq.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    const size_t named = std::min(byFreq.size(), size_t(std::max(maxValues, 1)));
    CategoricalBins c;
    for (size_t i = 0; i < byFreq.size(); ++i)
        c.m_sorted.emplace_back(byFreq[i].first, std::min(i, named)); // bin `named`: "other"
    std::sort(c.m_sorted.begin(), c.m_sorted.end());
    for (size_t i = 0; i < named; ++i)
        c.m_labels.push_back(byFreq[i].first);
    if (named < byFreq.size())
        c.m_labels.push_back("other");
    c.m_labels.push_back("new");
    c.m_labels.push_back("missing");
    return c;
}

size_t CategoricalBins::binOf(const std::string &value) const
{
    if (value.empty())
        return missingBin();
    auto it = std::lower_bound(m_sorted.begin(), m_sorted.end(), value,
                               [](const auto &e, const std::string &v) { return e.first < v; });
    return it != m_sorted.end() && it->first == value ? it->second : newBin();
}

std::vector<int64_t> CategoricalBins::count(const std::vector<std::string> &values) const
{
    std::vector<int64_t> c(binCount(), 0);
    for (const auto &v : values)
        ++c[binOf(v)];
    return c;
}

Stability categoricalStability(const std::string &name, const std::string &kind,
                               const std::vector<std::string> &reference,
                               const std::vector<std::string> &batch, int maxValues)
{
    const CategoricalBins b = CategoricalBins::fit(reference, maxValues);
    return stabilityOf(name, kind, b.labels(), b.count(reference), b.count(batch), b.newBin(),
                       b.missingBin());
}

const char *toString(Light light)
{
    switch (light) {
    case Light::Green: return "green";
    case Light::Amber: return "amber";
    case Light::Red: return "red";
    }
    return "?";
}

Light lightOfPsi(double psi, double amber, double red)
{
    return psi >= red ? Light::Red : psi >= amber ? Light::Amber : Light::Green;
}

Light worst(Light a, Light b)
{
    return int(a) >= int(b) ? a : b;
}

} // namespace seqlens
