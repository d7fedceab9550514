// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/compare/metrics.h"
#include "seqlens/compare/validation_stats.h"
#include "test_util.h"

#include <random>

using namespace seqlens;

namespace {
// Independent O(n^2) DeLong components straight from the definition.
struct Brute {
    std::vector<double> v10, v01;
};
Brute brute(const std::vector<double> &s, const std::vector<int> &y)
{
    Brute b;
    auto psi = [](double x, double z) { return x > z ? 1.0 : x == z ? 0.5 : 0.0; };
    size_t m = 0, n = 0;
    for (int l : y)
        (l ? m : n)++;
    for (size_t i = 0; i < s.size(); ++i) {
        double acc = 0;
        for (size_t j = 0; j < s.size(); ++j)
            if (y[i] != y[j])
                acc += y[i] ? psi(s[i], s[j]) : psi(s[j], s[i]);
        (y[i] ? b.v10 : b.v01).push_back(acc / double(y[i] ? n : m));
    }
    return b;
}
double cov(const std::vector<double> &a, const std::vector<double> &b)
{
    double ma = 0, mb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ma += a[i];
        mb += b[i];
    }
    ma /= double(a.size());
    mb /= double(b.size());
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i)
        s += (a[i] - ma) * (b[i] - mb);
    return s / double(a.size() - 1);
}
void randomData(std::vector<double> &a, std::vector<double> &b, std::vector<int> &y, int n,
                uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> coarse(0, 12); // ties on purpose
    for (int i = 0; i < n; ++i) {
        y.push_back(rng() % 4 == 0);
        a.push_back(coarse(rng) + 2.0 * y.back());
        b.push_back(0.5 * a.back() + coarse(rng) + 1.5 * y.back());
    }
}
} // namespace

class TestValidationStats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bootstrapMeanByHand()
    {
        // Constant values: every resample has the same mean.
        const BootstrapInterval c = bootstrapMean({2.5, 2.5, 2.5}, 200, 1);
        QCOMPARE(c.value, 2.5);
        QCOMPARE(c.lo, 2.5);
        QCOMPARE(c.hi, 2.5);
        // {0, 1}: resample means are 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4, so the 2.5 % and
        // 97.5 % percentiles of 2,000 resamples fall inside the blocks of 0 and of 1.
        const BootstrapInterval b = bootstrapMean({0.0, 1.0}, 2000, 7);
        QCOMPARE(b.value, 0.5);
        QCOMPARE(b.lo, 0.0);
        QCOMPARE(b.hi, 1.0);
        QCOMPARE(b.reps, 2000);
        const BootstrapInterval again = bootstrapMean({0.0, 1.0}, 2000, 7);
        QCOMPARE(again.lo, b.lo);
        QCOMPARE(bootstrapMean({}, 10, 1).value, 0.0);
    }

    void delongByHand()
    {
        // bads 0.9, 0.6; goods 0.7, 0.5. V10 = {1, 0.5}, V01 = {0.5, 1}; AUC 0.75;
        // S10 = S01 = 0.125; var = 0.125/2 + 0.125/2 = 0.125.
        AucInterval r = delongAuc({0.9, 0.6, 0.7, 0.5}, {1, 1, 0, 0});
        QCOMPARE(r.auc, 0.75);
        QVERIFY(std::fabs(r.se - std::sqrt(0.125)) < 1e-12);
        QVERIFY(std::fabs(r.lo - (0.75 - 1.959963984540054 * std::sqrt(0.125))) < 1e-12);
        QCOMPARE(r.hi, 1.0); // clipped
    }
    void delongMatchesBruteForceWithTies()
    {
        std::vector<double> a, b;
        std::vector<int> y;
        randomData(a, b, y, 400, 3);
        Brute ba = brute(a, y), bb = brute(b, y);
        const double m = double(ba.v10.size()), n = double(ba.v01.size());
        AucInterval r = delongAuc(a, y);
        QVERIFY(std::fabs(r.auc - aucScore(a, y)) < 1e-12);
        QVERIFY(std::fabs(r.se * r.se - (cov(ba.v10, ba.v10) / m + cov(ba.v01, ba.v01) / n)) <
                1e-12);
        PairedAucTest t = delongPaired(a, b, y);
        const double var =
            (cov(ba.v10, ba.v10) + cov(bb.v10, bb.v10) - 2 * cov(ba.v10, bb.v10)) / m +
            (cov(ba.v01, ba.v01) + cov(bb.v01, bb.v01) - 2 * cov(ba.v01, bb.v01)) / n;
        QVERIFY(std::fabs(t.se * t.se - var) < 1e-12);
        QVERIFY(std::fabs(t.delta - (aucScore(b, y) - aucScore(a, y))) < 1e-12);
        QVERIFY(std::fabs(t.pValue -
                          std::erfc(std::fabs(t.delta / std::sqrt(var)) / std::sqrt(2.0))) < 1e-12);
    }
    void identicalModelsDoNotDiffer()
    {
        std::vector<double> a, b;
        std::vector<int> y;
        randomData(a, b, y, 200, 4);
        PairedAucTest t = delongPaired(a, a, y);
        QCOMPARE(t.delta, 0.0);
        QCOMPARE(t.pValue, 1.0);
        BootstrapInterval d = bootstrapDeltaKs(a, a, y, 50, 1);
        QCOMPARE(d.lo, 0.0);
        QCOMPARE(d.hi, 0.0);
    }
    void bootstrapIsSeededAndBracketsTheEstimate()
    {
        std::vector<double> a, b;
        std::vector<int> y;
        randomData(a, b, y, 300, 5);
        BootstrapInterval k1 = bootstrapKs(a, y, 200, 9), k2 = bootstrapKs(a, y, 200, 9);
        QCOMPARE(k1.lo, k2.lo);
        QCOMPARE(k1.hi, k2.hi);
        QCOMPARE(k1.value, binaryMetrics(a, y).ks);
        QVERIFY(k1.lo < k1.value && k1.value < k1.hi);
    }
    void liftTableByHand()
    {
        // Scores 1..10; bads at 10, 9 and 5; five groups of two, highest first.
        std::vector<double> s = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        std::vector<int> y = {0, 0, 0, 0, 1, 0, 0, 0, 1, 1};
        auto rows = liftTable(s, y, 5);
        QCOMPARE(rows.size(), size_t(5));
        QCOMPARE(rows[0].bads, int64_t(2));
        QCOMPARE(rows[0].maxScore, 10.0);
        QCOMPARE(rows[0].minScore, 9.0);
        QCOMPARE(rows[0].cumCapture, 2.0 / 3.0);
        QVERIFY(std::fabs(rows[0].lift - 1.0 / 0.3) < 1e-12);
        QCOMPARE(rows[2].bads, int64_t(1)); // scores 6 and 5
        QCOMPARE(rows[4].cumCapture, 1.0);
    }
    void tiesStayInOneGroup()
    {
        auto rows = liftTable({1, 1, 1, 1, 2, 3}, {0, 1, 0, 0, 1, 0}, 3);
        int64_t total = 0;
        for (const auto &r : rows)
            total += r.count;
        QCOMPARE(total, int64_t(6));
        QCOMPARE(rows.back().count, int64_t(4)); // the four tied 1s together
    }
    void aTieBlockPastTheNextBoundarySkipsThatGroup()
    {
        // Tie block at the start: the four 3s reach past the first third (2) and the second
        // (4): two groups, {4, 2}, not {4, 1, 1}.
        auto rows = liftTable({3, 3, 3, 3, 2, 1}, {1, 0, 0, 1, 0, 1}, 3);
        QCOMPARE(rows.size(), size_t(2));
        QCOMPARE(rows[0].count, int64_t(4));
        QCOMPARE(rows[1].count, int64_t(2));
        QCOMPARE(rows[0].bads, int64_t(2));
        QCOMPARE(rows[1].group, 2);
        // Tie block in the middle: 5 4 | 3 3 3 3 | 2 1 in quarters -> {2, 4, 2}.
        rows = liftTable({5, 4, 3, 3, 3, 3, 2, 1}, {1, 1, 0, 1, 0, 0, 0, 1}, 4);
        QCOMPARE(rows.size(), size_t(3));
        QCOMPARE(rows[0].count, int64_t(2));
        QCOMPARE(rows[1].count, int64_t(4));
        QCOMPARE(rows[2].count, int64_t(2));
        QCOMPARE(rows[2].minScore, 1.0);
        // Calibration bins follow the same rule (ascending): 1 2 | 3 3 3 3 | 4 5.
        Calibration c = calibration({0.5, 0.4, 0.3, 0.3, 0.3, 0.3, 0.2, 0.1},
                                    {1, 1, 0, 1, 0, 0, 0, 1}, 4);
        QCOMPARE(c.bins.size(), size_t(3));
        QCOMPARE(c.bins[1].count, int64_t(4));
    }
    void calibrationByHand()
    {
        // p = .1 .1 .9 .9, y = 0 1 1 1, two bins.
        Calibration c = calibration({0.1, 0.1, 0.9, 0.9}, {0, 1, 1, 1}, 2);
        QCOMPARE(c.bins.size(), size_t(2));
        QVERIFY(std::fabs(c.bins[0].meanPredicted - 0.1) < 1e-12);
        QCOMPARE(c.bins[0].observedRate, 0.5);
        QVERIFY(std::fabs(c.brier - 0.21) < 1e-12);
        // HL: (1 - .2)^2 / (.2 * .9) + (2 - 1.8)^2 / (1.8 * .1) = 3.5556 + 0.2222
        QVERIFY(std::fabs(c.hosmerLemeshow - (0.64 / 0.18 + 0.04 / 0.18)) < 1e-9);
        // Independent data: chi-square with one df per bin in the sum (2), survival exp(-x/2).
        QCOMPARE(c.hlDegreesOfFreedom, 2);
        QVERIFY(std::fabs(c.hlPValue - std::exp(-(0.68 / 0.18) / 2)) < 1e-9);
        // A bin whose expected count is 0 (all p = 0) is left out of the sum and of the df.
        Calibration d = calibration({0, 0, 0.5, 0.5}, {0, 0, 1, 0}, 2);
        QCOMPARE(d.hlDegreesOfFreedom, 1);
        QVERIFY(std::fabs(d.hosmerLemeshow - 0.0) < 1e-12); // 1 bad of 1 expected
        QVERIFY(std::fabs(d.hlPValue - 1.0) < 1e-9);
    }
    void chiSquareKnownQuantiles()
    {
        QVERIFY(std::fabs(chiSquareSurvival(3.841458820694124, 1) - 0.05) < 1e-9);
        QVERIFY(std::fabs(chiSquareSurvival(15.50731305586545, 8) - 0.05) < 1e-9);
        QVERIFY(std::fabs(chiSquareSurvival(3.0, 2) - std::exp(-1.5)) < 1e-12);
        QVERIFY(std::fabs(chiSquareSurvival(40.0, 8) - 3.19e-6) < 1e-7);
    }
    void psiByHand()
    {
        // Expected {1,2,3,4}: median edge 2.5, shares .5/.5; actual {1,1,1,4}: .75/.25.
        const double expected = 0.25 * std::log(1.5) + 0.25 * std::log(2.0);
        QVERIFY(std::fabs(populationStabilityIndex({1, 2, 3, 4}, {1, 1, 1, 4}, 2) - expected) <
                1e-12);
        QCOMPARE(populationStabilityIndex({1, 2, 3, 4}, {1, 2, 3, 4}, 2), 0.0);
        // An empty bin stays finite.
        QVERIFY(std::isfinite(populationStabilityIndex({1, 2, 3, 4}, {1, 1, 1, 1}, 2)));
    }
    void swapSetCrossTabulates()
    {
        std::vector<double> a, b;
        std::vector<int> y;
        randomData(a, b, y, 300, 6);
        SwapSet same = swapSet(a, a, y);
        int64_t total = 0, bads = 0;
        for (size_t i = 0; i < 3; ++i)
            for (size_t j = 0; j < 3; ++j) {
                total += same.counts[i][j];
                bads += same.bads[i][j];
                if (i != j)
                    QCOMPARE(same.counts[i][j], int64_t(0));
            }
        QCOMPARE(total, int64_t(300));
        QCOMPARE(bads, int64_t(std::count(y.begin(), y.end(), 1)));
        QCOMPARE(same.bands[2], std::string("high"));
    }
};

QTEST_GUILESS_MAIN(TestValidationStats)
#include "test_validation_stats.moc"
