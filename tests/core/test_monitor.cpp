// SPDX-License-Identifier: GPL-3.0-or-later
// Monitoring statistics against hand-computed values: PSI over fixed bins (empty bins, a
// category that appears only in the batch, missing values), bins fitted on the reference only,
// the incomplete beta behind the Jeffreys test, and the AUC drop test.
#include "test_util.h"

#include "seqlens/monitor/backtest.h"
#include "seqlens/monitor/segments.h"
#include "seqlens/monitor/stability.h"

#include <QtTest>

#include <cmath>

using namespace seqlens;

namespace {

// P(Binomial(n, x) >= a): equals I_x(a, n - a + 1) for integer a, computed term by term.
double binomialTail(int a, int n, double x)
{
    double sum = 0;
    for (int k = a; k <= n; ++k)
        sum += std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) +
                        k * std::log(x) + (n - k) * std::log1p(-x));
    return sum;
}

// The Beta(a, b) distribution function by Simpson's rule on its density (a, b > 1).
double betaBySimpson(double x, double a, double b)
{
    const int n = 200000;
    const double h = x / n, logB = std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
    auto f = [&](double t) {
        return t <= 0 || t >= 1 ? 0.0
                                : std::exp((a - 1) * std::log(t) + (b - 1) * std::log1p(-t) - logB);
    };
    double s = f(0) + f(x);
    for (int i = 1; i < n; ++i)
        s += f(i * h) * (i % 2 ? 4 : 2);
    return s * h / 3;
}

} // namespace

class TestMonitor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void approvalCutoffIsTheKthSmallestReferenceScore()
    {
        QCOMPARE(approvalCutoff({3, 1, 2, 4}, 0.5), 2.0);  // k = ceil(2) = 2
        QCOMPARE(approvalCutoff({3, 1, 2, 4}, 0.74), 3.0); // k = ceil(2.96) = 3
        QCOMPARE(approvalCutoff({3, 1, 2, 4}, 0.01), 1.0); // at least one approved
        EXPECT_ERROR(approvalCutoff({}, 0.5), ErrorKind::Data, "need reference scores");
    }
    void segmentChecksAgainstHandComputedFigures()
    {
        // A: 0.1 g, 0.2 g, 0.3 b, 0.6 b; B: 0.4 g, 0.5 b, 0.7 g, 0.9 unknown; missing: 0.05 b.
        const std::vector<double> scores = {0.1, 0.2, 0.3, 0.6, 0.4, 0.5, 0.7, 0.9, 0.05};
        const std::vector<int> labels = {0, 0, 1, 1, 0, 1, 0, -1, 1};
        std::vector<std::vector<std::string>> values;
        for (const char *v : {"A", "A", "A", "A", "B", "B", "B", "B", ""})
            values.push_back({v});
        MonitoringConfig m;
        m.minSegment = 2;
        // Reference 0.1 .. 0.8: half approved at 0.4.
        const double cut = approvalCutoff({0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}, 0.5);
        QCOMPARE(cut, 0.4);
        const SegmentChecks s = segmentChecks({"g"}, values, scores, labels, cut, m);
        QCOMPARE(s.tables.size(), size_t(1));
        const SegmentTable &t = s.tables[0];
        QCOMPARE(t.rows.size(), size_t(3));
        const SegmentRow &a = t.rows[0], &b = t.rows[1], &c = t.rows[2];
        QCOMPARE(a.value, std::string("A"));
        QCOMPARE(b.value, std::string("B"));
        QCOMPARE(c.value, std::string("(missing)"));
        QCOMPARE(a.bads, int64_t(2));
        QCOMPARE(a.badRate, 0.5);
        QVERIFY(std::abs(a.predictedBadRate - 0.3) < 1e-12);
        QCOMPARE(a.auc.auc, 1.0);
        QCOMPARE(a.ks, 1.0);
        QCOMPARE(a.approvalRate, 0.75);
        QCOMPARE(a.adverseImpact, 1.0);
        QCOMPARE(b.labelled, int64_t(3));
        QVERIFY(std::abs(b.badRate - 1.0 / 3) < 1e-12);
        QVERIFY(std::abs(b.predictedBadRate - 1.6 / 3) < 1e-12);
        QCOMPARE(b.auc.auc, 0.5);
        QCOMPARE(b.ks, 0.5);
        QCOMPARE(b.approvalRate, 0.25);
        QVERIFY(std::abs(b.adverseImpact - 1.0 / 3) < 1e-12);
        QCOMPARE(int(b.light), int(Light::Amber));
        // One applicant: listed, approved, not judged, and not the "most approved" segment.
        QVERIFY(!c.judged);
        QVERIFY(!c.aucAvailable);
        QCOMPARE(c.approvalRate, 1.0);
        QVERIFY(std::isnan(c.adverseImpact));
        QCOMPARE(t.lowest, std::string("B"));
        QCOMPARE(int(s.light), int(Light::Amber));
        // A lower threshold: no segment is flagged.
        m.thresholds.adverseImpact = 0.3;
        QCOMPARE(int(segmentChecks({"g"}, values, scores, labels, cut, m).light),
                 int(Light::Green));
    }

    void psiByHand()
    {
        // Shares 0.5/0.3/0.2 against 0.4/0.4/0.2: -0.1 ln 0.8 + 0.1 ln(4/3) + 0.
        QVERIFY(std::fabs(psiOfCounts({50, 30, 20}, {40, 40, 20}) - 0.0510826) < 1e-6);
        QCOMPARE(psiOfCounts({5, 3, 2}, {50, 30, 20}), 0.0);
        // An empty bin counts as 1e-4 of its population: (0.5 - 1) ln 0.5 + (0.5 - 1e-4) ln 5000.
        QVERIFY(std::fabs(psiOfCounts({10, 0}, {5, 5}) - 4.6043185) < 1e-6);
        // A bin empty in both adds nothing.
        QCOMPARE(psiOfCounts({10, 0, 10}, {10, 0, 10}), 0.0);
        QVERIFY(testutil::contains(testutil::errorOf(
                                       [] {
                                           psiOfCounts({0, 0}, {1, 2});
                                       },
                                       ErrorKind::Data),
                                   "PSI needs values in both populations"));
    }

    void categoricalNewValueAndMissing()
    {
        // Reference a a b <missing>; batch a c c b: bins a, b, new, missing.
        const Stability s = categoricalStability("type", "model input", {"a", "a", "b", ""},
                                                 {"a", "c", "c", "b"});
        QCOMPARE(s.bins, (std::vector<std::string>{"a", "b", "new", "missing"}));
        QCOMPARE(s.reference, (std::vector<int64_t>{2, 1, 0, 1}));
        QCOMPARE(s.batch, (std::vector<int64_t>{1, 1, 2, 0}));
        QCOMPARE(s.newShare, 0.5);
        QCOMPARE(s.missingShareRef, 0.25);
        QCOMPARE(s.missingShareBatch, 0.0);
        // 0.25 ln 2 + 0 + (0.5 - 1e-4) ln 5000 + (1e-4 - 0.25) ln(1e-4 / 0.25)
        QVERIFY(std::fabs(s.psi - 6.3862608) < 1e-6);
    }

    void categoricalOtherBin()
    {
        // Only the two most frequent reference values are named; c and d share "other".
        const auto b = CategoricalBins::fit({"a", "a", "a", "b", "b", "c", "d"}, 2);
        QCOMPARE(b.labels(), (std::vector<std::string>{"a", "b", "other", "new", "missing"}));
        QCOMPARE(b.binOf("d"), size_t(2));
        QCOMPARE(b.binOf("zzz"), b.newBin());
        QCOMPARE(b.binOf(""), b.missingBin());
    }

    void numericBinsFromReferenceOnly()
    {
        std::vector<double> ref, batch;
        for (int i = 1; i <= 10; ++i) {
            ref.push_back(i);
            batch.push_back(i + 10);
        }
        const NumericBins b = NumericBins::fit(ref, 5);
        // Quantiles 0.2..0.8 of 1..10 at positions 1.8, 3.6, 5.4, 7.2: 2.8, 4.6, 6.4, 8.2.
        QCOMPARE(b.edges().size(), size_t(4));
        QVERIFY(std::fabs(b.edges()[0] - 2.8) < 1e-12 && std::fabs(b.edges()[3] - 8.2) < 1e-12);
        QCOMPARE(b.count(ref), (std::vector<int64_t>{2, 2, 2, 2, 2, 0}));
        QCOMPARE(b.count(batch), (std::vector<int64_t>{0, 0, 0, 0, 10, 0}));
        // 4 (1e-4 - 0.2) ln(1e-4 / 0.2) + 0.8 ln 5
        const Stability s = numericStability("x", "model input", ref, batch, 5);
        QVERIFY(std::fabs(s.psi - 7.3652319) < 1e-6);
        // A batch of eight 1s, a 9 and a 10: shares 0.8, 0, 0, 0, 0.2 on the reference's bins,
        // PSI 0.6 ln 4 + 3 (1e-4 - 0.2) ln(1e-4 / 0.2) = 5.3900378. Bins refitted on the batch
        // (edges 1, 2.6) would say 2.9774704; the code keeps the reference's.
        const std::vector<double> lumpy{1, 1, 1, 1, 1, 1, 1, 1, 9, 10};
        const Stability fixed = numericStability("x", "model input", ref, lumpy, 5);
        QVERIFY(std::fabs(fixed.psi - 5.3900378) < 1e-6);
        const NumericBins onBatch = NumericBins::fit(lumpy, 5);
        const double refitted = psiOfCounts(onBatch.count(ref), onBatch.count(lumpy));
        QVERIFY(std::fabs(refitted - 2.9774704) < 1e-6);
        QCOMPARE(s.bins.front(), std::string("<= 2.8"));
        QCOMPARE(s.bins[4], std::string("> 8.2"));
    }

    void numericMissingAndTies()
    {
        // A count with few distinct values: tied quantiles merge into fewer bins.
        const NumericBins b = NumericBins::fit({0, 0, 0, 0, 0, 0, 1, 1, 2, 5}, 10);
        // Quantiles 0.1..0.9: 0 0 0 0 0 0.4 1 1.2 2.3.
        const std::vector<double> want{0, 0.4, 1, 1.2, 2.3};
        QCOMPARE(b.edges().size(), want.size());
        for (size_t i = 0; i < want.size(); ++i)
            QVERIFY(std::fabs(b.edges()[i] - want[i]) < 1e-12);
        const Stability s = numericStability("n", "sequence", {1, 2, NAN, NAN}, {1, NAN, 3, 4}, 4);
        QCOMPARE(s.bins.back(), std::string("missing"));
        QCOMPARE(s.missingShareRef, 0.5);
        QCOMPARE(s.missingShareBatch, 0.25);
        QVERIFY(std::isfinite(s.psi));
    }

    void lights()
    {
        QCOMPARE(lightOfPsi(0.099, 0.10, 0.25), Light::Green);
        QCOMPARE(lightOfPsi(0.10, 0.10, 0.25), Light::Amber);
        QCOMPARE(lightOfPsi(0.25, 0.10, 0.25), Light::Red);
        QCOMPARE(worst(Light::Amber, Light::Green), Light::Amber);
        QCOMPARE(worst(Light::Amber, Light::Red), Light::Red);
    }

    void incompleteBeta()
    {
        QVERIFY(std::fabs(betaCdf(0.3, 1, 1) - 0.3) < 1e-12);
        QVERIFY(std::fabs(betaCdf(0.5, 7.5, 7.5) - 0.5) < 1e-12);
        QVERIFY(std::fabs(betaCdf(0.6, 3, 1) - 0.216) < 1e-12); // x^a
        // I_0.3(2, 3) = P(Bin(4, 0.3) >= 2) = 1 - 0.7^4 - 4 (0.3) 0.7^3 = 0.3483
        QVERIFY(std::fabs(betaCdf(0.3, 2, 3) - 0.3483) < 1e-12);
        // Large parameters, both branches of the continued fraction.
        for (double x : {0.03, 0.05, 0.07})
            QVERIFY(std::fabs(betaCdf(x, 50, 951) - binomialTail(50, 1000, x)) < 1e-10);
        QVERIFY(std::fabs(betaQuantile(betaCdf(0.2, 4.5, 9.5), 4.5, 9.5) - 0.2) < 1e-9);
    }

    void jeffreys()
    {
        // 10 defaults of 100 against a predicted 5 %: the posterior Beta(10.5, 90.5) puts
        // little mass below 0.05, so the prediction is too low.
        const JeffreysTest t = jeffreysTest(100, 10, 0.05);
        QVERIFY(std::fabs(t.pUnderestimated - betaBySimpson(0.05, 10.5, 90.5)) < 1e-8);
        QVERIFY(t.pUnderestimated < 0.05);
        QCOMPARE(t.pTwoSided, 2 * t.pUnderestimated);
        QVERIFY(std::fabs(betaBySimpson(t.lo, 10.5, 90.5) - 0.025) < 1e-7);
        QVERIFY(std::fabs(betaBySimpson(t.hi, 10.5, 90.5) - 0.975) < 1e-7);
        QCOMPARE(t.observedRate, 0.1);
        // Predicted equal to observed: no evidence either way.
        QVERIFY(jeffreysTest(1000, 100, 0.1).pTwoSided > 0.9);
        // No defaults at all still has a finite interval.
        const JeffreysTest zero = jeffreysTest(50, 0, 0.02);
        QVERIFY(zero.lo >= 0 && zero.hi > 0 && zero.hi < 0.1);
    }

    void aucDrop()
    {
        AucInterval dev{0.8, 0.02, 0, 0}, batch{0.7, 0.03, 0, 0};
        const AucDropTest t = aucDropTest(dev, batch);
        QVERIFY(std::fabs(t.drop - 0.1) < 1e-12);
        QVERIFY(std::fabs(t.z - 0.1 / std::sqrt(0.0013)) < 1e-12);
        QVERIFY(std::fabs(t.pValue - 0.00277283) < 1e-8); // 1 - Phi(2.77350)
        QVERIFY(aucDropTest(batch, dev).pValue > 0.99);   // a rise is no drop
    }
};

QTEST_APPLESS_MAIN(TestMonitor)
#include "test_monitor.moc"
