// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/compare/metrics.h"

#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace seqlens {

namespace {

struct Counts {
    int64_t pos = 0, neg = 0;
};

Counts checkInputs(const std::vector<double> &scores, const std::vector<int> &labels)
{
    if (scores.size() != labels.size())
        throwInternal("metrics: " + std::to_string(scores.size()) + " scores but " +
                      std::to_string(labels.size()) + " labels");
    Counts c;
    for (size_t i = 0; i < scores.size(); ++i) {
        if (std::isnan(scores[i]))
            throwData("metrics: score " + std::to_string(i) + " is NaN");
        if (labels[i] != 0 && labels[i] != 1)
            throwData("metrics: label " + std::to_string(i) + " is " + std::to_string(labels[i]) +
                      ", expected 0 or 1");
        (labels[i] ? c.pos : c.neg)++;
    }
    if (c.pos == 0 || c.neg == 0)
        throwData("AUC and KS need both classes: got " + std::to_string(c.pos) + " bad and " +
                  std::to_string(c.neg) + " good applicants");
    return c;
}

// Distinct scores ascending, with the number of goods and bads at each.
struct Group {
    double score;
    int64_t pos, neg;
};

std::vector<Group> groups(const std::vector<double> &scores, const std::vector<int> &labels)
{
    std::vector<size_t> order(scores.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    std::vector<Group> g;
    for (size_t i : order) {
        if (g.empty() || g.back().score != scores[i])
            g.push_back({scores[i], 0, 0});
        (labels[i] ? g.back().pos : g.back().neg)++;
    }
    return g;
}

} // namespace

double aucScore(const std::vector<double> &scores, const std::vector<int> &labels)
{
    Counts c = checkInputs(scores, labels);
    // Sum over bads of (#goods below + 0.5 #goods tied), divided by #bads * #goods.
    double wins = 0;
    int64_t goodsBelow = 0;
    for (const Group &g : groups(scores, labels)) {
        wins += double(g.pos) * (double(goodsBelow) + 0.5 * double(g.neg));
        goodsBelow += g.neg;
    }
    return wins / (double(c.pos) * double(c.neg));
}

std::vector<KsPoint> ksCurve(const std::vector<double> &scores, const std::vector<int> &labels)
{
    Counts c = checkInputs(scores, labels);
    std::vector<KsPoint> out;
    int64_t cp = 0, cn = 0;
    for (const Group &g : groups(scores, labels)) {
        cp += g.pos;
        cn += g.neg;
        out.push_back({g.score, double(cn) / double(c.neg), double(cp) / double(c.pos)});
    }
    return out;
}

std::vector<RocPoint> rocCurve(const std::vector<double> &scores, const std::vector<int> &labels)
{
    Counts c = checkInputs(scores, labels);
    auto g = groups(scores, labels);
    std::vector<RocPoint> out;
    out.push_back({HUGE_VAL, 0.0, 0.0});
    int64_t tp = 0, fp = 0;
    for (auto it = g.rbegin(); it != g.rend(); ++it) {
        tp += it->pos;
        fp += it->neg;
        out.push_back({it->score, double(fp) / double(c.neg), double(tp) / double(c.pos)});
    }
    return out;
}

BinaryMetrics binaryMetrics(const std::vector<double> &scores, const std::vector<int> &labels)
{
    BinaryMetrics m;
    m.auc = aucScore(scores, labels);
    m.gini = 2.0 * m.auc - 1.0;
    m.n = int64_t(scores.size());
    for (int l : labels)
        (l ? m.positives : m.negatives)++;
    for (const KsPoint &p : ksCurve(scores, labels)) {
        double gap = std::fabs(p.cumGood - p.cumBad);
        if (gap > m.ks) {
            m.ks = gap;
            m.ksThreshold = p.threshold;
        }
    }
    return m;
}

} // namespace seqlens
