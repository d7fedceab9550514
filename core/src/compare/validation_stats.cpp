// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/compare/validation_stats.h"

#include "seqlens/compare/metrics.h"
#include "seqlens/monitor/stability.h"
#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace seqlens {

namespace {

constexpr double kZ95 = 1.959963984540054;

struct Components {
    std::vector<double> v10; // per bad: share of goods scored below (+ half the ties)
    std::vector<double> v01; // per good: share of bads scored above (+ half the ties)
    double auc = 0;
};

Components components(const std::vector<double> &s, const std::vector<int> &y)
{
    aucScore(s, y); // validates inputs (sizes, NaN, both classes)
    std::vector<double> bads, goods;
    for (size_t i = 0; i < s.size(); ++i)
        (y[i] ? bads : goods).push_back(s[i]);
    std::vector<double> sb = bads, sg = goods;
    std::sort(sb.begin(), sb.end());
    std::sort(sg.begin(), sg.end());
    Components c;
    for (double x : bads) {
        auto lo = std::lower_bound(sg.begin(), sg.end(), x),
             hi = std::upper_bound(sg.begin(), sg.end(), x);
        c.v10.push_back((double(lo - sg.begin()) + 0.5 * double(hi - lo)) / double(sg.size()));
    }
    for (double x : goods) {
        auto lo = std::lower_bound(sb.begin(), sb.end(), x),
             hi = std::upper_bound(sb.begin(), sb.end(), x);
        c.v01.push_back((double(sb.end() - hi) + 0.5 * double(hi - lo)) / double(sb.size()));
    }
    c.auc = std::accumulate(c.v10.begin(), c.v10.end(), 0.0) / double(c.v10.size());
    return c;
}

// Sample covariance (divisor n - 1; 0 for a single element).
double covariance(const std::vector<double> &a, const std::vector<double> &b)
{
    const size_t n = a.size();
    if (n < 2)
        return 0.0;
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / double(n);
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / double(n);
    double s = 0;
    for (size_t i = 0; i < n; ++i)
        s += (a[i] - ma) * (b[i] - mb);
    return s / double(n - 1);
}

double normalTwoSided(double z)
{
    return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

double percentileOf(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    const double pos = q * double(v.size() - 1);
    const size_t i = size_t(pos);
    const double f = pos - double(i);
    return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

double ksOf(const std::vector<double> &s, const std::vector<int> &y)
{
    return binaryMetrics(s, y).ks;
}

// Stratified resampling indices: as many bads and goods as in the sample, drawn with replacement.
template <typename Fn>
std::vector<double> bootstrap(const std::vector<int> &y, int reps, uint64_t seed, Fn statistic)
{
    if (reps < 2)
        throwUsage("bootstrap needs at least 2 replicates, got " + std::to_string(reps));
    std::vector<size_t> bads, goods;
    for (size_t i = 0; i < y.size(); ++i)
        (y[i] ? bads : goods).push_back(i);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<size_t> pickBad(0, bads.size() - 1),
        pickGood(0, goods.size() - 1);
    std::vector<double> out;
    std::vector<size_t> idx(y.size());
    for (int r = 0; r < reps; ++r) {
        size_t k = 0;
        for (size_t i = 0; i < bads.size(); ++i)
            idx[k++] = bads[pickBad(rng)];
        for (size_t i = 0; i < goods.size(); ++i)
            idx[k++] = goods[pickGood(rng)];
        out.push_back(statistic(idx));
    }
    return out;
}

template <typename T>
std::vector<T> pick(const std::vector<T> &v, const std::vector<size_t> &idx)
{
    std::vector<T> out;
    out.reserve(idx.size());
    for (size_t i : idx)
        out.push_back(v[i]);
    return out;
}

// Group boundaries over indices sorted by score so that ties stay in one group.
std::vector<std::pair<size_t, size_t>> quantileGroups(const std::vector<size_t> &order,
                                                      const std::vector<double> &s, int groups)
{
    std::vector<std::pair<size_t, size_t>> out;
    const size_t n = order.size();
    size_t start = 0;
    for (int g = 1; g <= groups && start < n; ++g) {
        size_t end = g == groups ? n : size_t(std::llround(double(n) * g / groups));
        if (end <= start) // a block of ties already reached past this group's nominal end
            continue;
        while (end < n && s[order[end]] == s[order[end - 1]])
            ++end;
        out.emplace_back(start, end);
        start = end;
    }
    return out;
}

std::vector<size_t> orderBy(const std::vector<double> &s, bool descending)
{
    std::vector<size_t> o(s.size());
    std::iota(o.begin(), o.end(), size_t(0));
    std::stable_sort(o.begin(), o.end(),
                     [&](size_t a, size_t b) { return descending ? s[a] > s[b] : s[a] < s[b]; });
    return o;
}

// Regularized lower incomplete gamma P(a, x) (series / continued fraction).
double gammaP(double a, double x)
{
    if (x <= 0)
        return 0.0;
    const double lg = std::lgamma(a);
    if (x < a + 1) {
        double sum = 1.0 / a, term = sum;
        for (int n = 1; n < 1000; ++n) {
            term *= x / (a + n);
            sum += term;
            if (std::fabs(term) < std::fabs(sum) * 1e-15)
                break;
        }
        return sum * std::exp(-x + a * std::log(x) - lg);
    }
    double b = x + 1 - a, c = 1e300, d = 1 / b, h = d;
    for (int i = 1; i < 1000; ++i) {
        const double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (std::fabs(d) < 1e-300)
            d = 1e-300;
        c = b + an / c;
        if (std::fabs(c) < 1e-300)
            c = 1e-300;
        d = 1 / d;
        const double del = d * c;
        h *= del;
        if (std::fabs(del - 1) < 1e-15)
            break;
    }
    return 1.0 - std::exp(-x + a * std::log(x) - lg) * h;
}

} // namespace

double chiSquareSurvival(double x, int df)
{
    if (df <= 0)
        return std::nan("");
    return std::clamp(1.0 - gammaP(df / 2.0, x / 2.0), 0.0, 1.0);
}

AucInterval delongAuc(const std::vector<double> &s, const std::vector<int> &y)
{
    Components c = components(s, y);
    AucInterval r;
    r.auc = c.auc;
    r.se = std::sqrt(covariance(c.v10, c.v10) / double(c.v10.size()) +
                     covariance(c.v01, c.v01) / double(c.v01.size()));
    r.lo = std::max(0.0, r.auc - kZ95 * r.se);
    r.hi = std::min(1.0, r.auc + kZ95 * r.se);
    return r;
}

PairedAucTest delongPaired(const std::vector<double> &a, const std::vector<double> &b,
                           const std::vector<int> &y)
{
    if (a.size() != b.size())
        throwInternal("delongPaired: score vectors differ in size");
    Components ca = components(a, y), cb = components(b, y);
    const double m = double(ca.v10.size()), n = double(ca.v01.size());
    const double var =
        (covariance(ca.v10, ca.v10) + covariance(cb.v10, cb.v10) - 2 * covariance(ca.v10, cb.v10)) /
            m +
        (covariance(ca.v01, ca.v01) + covariance(cb.v01, cb.v01) - 2 * covariance(ca.v01, cb.v01)) /
            n;
    PairedAucTest t;
    t.aucA = ca.auc;
    t.aucB = cb.auc;
    t.delta = cb.auc - ca.auc;
    t.se = std::sqrt(std::max(0.0, var));
    if (t.se > 0) {
        t.z = t.delta / t.se;
        t.pValue = normalTwoSided(t.z);
    } else {
        t.z = 0;
        t.pValue = t.delta == 0 ? 1.0 : 0.0;
    }
    t.lo = t.delta - kZ95 * t.se;
    t.hi = t.delta + kZ95 * t.se;
    return t;
}

BootstrapInterval bootstrapKs(const std::vector<double> &s, const std::vector<int> &y, int reps,
                              uint64_t seed)
{
    BootstrapInterval r;
    r.value = ksOf(s, y);
    auto stats = bootstrap(y, reps, seed, [&](const std::vector<size_t> &idx) {
        return ksOf(pick(s, idx), pick(y, idx));
    });
    r.lo = percentileOf(stats, 0.025);
    r.hi = percentileOf(stats, 0.975);
    r.reps = reps;
    return r;
}

BootstrapInterval bootstrapMean(const std::vector<double> &values, int reps, uint64_t seed)
{
    BootstrapInterval r;
    r.reps = reps;
    if (values.empty())
        return r;
    r.value = std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<size_t> pick(0, values.size() - 1);
    std::vector<double> means;
    for (int k = 0; k < reps; ++k) {
        double sum = 0;
        for (size_t i = 0; i < values.size(); ++i)
            sum += values[pick(rng)];
        means.push_back(sum / double(values.size()));
    }
    r.lo = percentileOf(means, 0.025);
    r.hi = percentileOf(means, 0.975);
    return r;
}

BootstrapInterval bootstrapDeltaKs(const std::vector<double> &a, const std::vector<double> &b,
                                   const std::vector<int> &y, int reps, uint64_t seed)
{
    BootstrapInterval r;
    r.value = ksOf(b, y) - ksOf(a, y);
    auto stats = bootstrap(y, reps, seed, [&](const std::vector<size_t> &idx) {
        auto yy = pick(y, idx);
        return ksOf(pick(b, idx), yy) - ksOf(pick(a, idx), yy);
    });
    r.lo = percentileOf(stats, 0.025);
    r.hi = percentileOf(stats, 0.975);
    r.reps = reps;
    return r;
}

std::vector<LiftRow> liftTable(const std::vector<double> &s, const std::vector<int> &y, int groups)
{
    aucScore(s, y); // validates
    const auto order = orderBy(s, /*descending=*/true);
    const double totalBads = double(std::count(y.begin(), y.end(), 1));
    const double overall = totalBads / double(y.size());
    std::vector<LiftRow> rows;
    int64_t cumBads = 0;
    for (auto [b, e] : quantileGroups(order, s, groups)) {
        LiftRow r;
        r.group = int(rows.size()) + 1;
        r.count = int64_t(e - b);
        for (size_t i = b; i < e; ++i)
            r.bads += y[order[i]];
        r.maxScore = s[order[b]];
        r.minScore = s[order[e - 1]];
        r.badRate = double(r.bads) / double(r.count);
        cumBads += r.bads;
        r.cumCapture = double(cumBads) / totalBads;
        r.lift = r.badRate / overall;
        rows.push_back(r);
    }
    return rows;
}

Calibration calibration(const std::vector<double> &p, const std::vector<int> &y, int bins)
{
    aucScore(p, y); // validates
    Calibration c;
    const auto order = orderBy(p, /*descending=*/false);
    for (auto [b, e] : quantileGroups(order, p, bins)) {
        CalibrationBin bin;
        bin.count = int64_t(e - b);
        double sum = 0;
        for (size_t i = b; i < e; ++i) {
            sum += p[order[i]];
            bin.bads += y[order[i]];
        }
        bin.meanPredicted = sum / double(bin.count);
        bin.observedRate = double(bin.bads) / double(bin.count);
        const double expected = sum, n = double(bin.count);
        if (expected > 0 && expected < n) {
            c.hosmerLemeshow += std::pow(double(bin.bads) - expected, 2) /
                                (expected * (1 - expected / n));
            ++c.hlDegreesOfFreedom; // external validation: one df per bin in the sum
        }
        c.bins.push_back(bin);
    }
    for (size_t i = 0; i < p.size(); ++i)
        c.brier += (p[i] - y[i]) * (p[i] - y[i]);
    c.brier /= double(p.size());
    c.hlPValue = c.hlDegreesOfFreedom > 0
                     ? chiSquareSurvival(c.hosmerLemeshow, c.hlDegreesOfFreedom)
                     : std::nan("");
    return c;
}

double populationStabilityIndex(const std::vector<double> &expected,
                                const std::vector<double> &actual, int bins)
{
    if (expected.empty() || actual.empty())
        throwData("PSI needs scores in both populations");
    return numericStability("score", "score", expected, actual, bins).psi;
}

SwapSet swapSet(const std::vector<double> &a, const std::vector<double> &b,
                const std::vector<int> &y, int bandsCount)
{
    if (a.size() != b.size() || a.size() != y.size() || bandsCount < 2)
        throwInternal("swapSet: inconsistent inputs");
    auto bandOf = [&](const std::vector<double> &s) {
        std::vector<int> band(s.size());
        const auto order = orderBy(s, /*descending=*/false);
        int g = 0;
        for (auto [lo, hi] : quantileGroups(order, s, bandsCount)) {
            for (size_t i = lo; i < hi; ++i)
                band[order[i]] = g;
            ++g;
        }
        return band;
    };
    SwapSet out;
    out.bands = bandsCount == 3 ? std::vector<std::string>{"low", "medium", "high"}
                                : std::vector<std::string>{};
    for (int i = int(out.bands.size()); i < bandsCount; ++i)
        out.bands.push_back("band " + std::to_string(i + 1));
    out.counts.assign(size_t(bandsCount), std::vector<int64_t>(size_t(bandsCount), 0));
    out.bads = out.counts;
    auto ba = bandOf(a), bb = bandOf(b);
    for (size_t i = 0; i < a.size(); ++i) {
        ++out.counts[size_t(ba[i])][size_t(bb[i])];
        out.bads[size_t(ba[i])][size_t(bb[i])] += y[i];
    }
    return out;
}

} // namespace seqlens
