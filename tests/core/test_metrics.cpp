// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/compare/metrics.h"
#include "test_util.h"

#include <random>

using namespace seqlens;

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aucWithTiesByHand()
    {
        // bads: 0.8, 0.6, 0.4 ; goods: 0.6, 0.2, 0.4, 0.1
        // pairs (bad > good): 0.8 beats 4; 0.6 beats 0.2,0.4,0.1 and ties 0.6; 0.4 beats 0.2,0.1
        // and ties 0.4 wins = 4 + 3.5 + 2.5 = 10 of 12 pairs
        std::vector<double> s = {0.8, 0.6, 0.4, 0.6, 0.2, 0.4, 0.1};
        std::vector<int> y = {1, 1, 1, 0, 0, 0, 0};
        QCOMPARE(aucScore(s, y), 10.0 / 12.0);
        BinaryMetrics m = binaryMetrics(s, y);
        QCOMPARE(m.gini, 2 * 10.0 / 12.0 - 1);
        // KS by hand over thresholds 0.1,0.2,0.4,0.6,0.8: F_good = .25,.5,.75,1,1 ; F_bad =
        // 0,0,1/3,2/3,1 gaps: .25, .5, .4167, .3333, 0 -> KS = 0.5 at score 0.2
        QCOMPARE(m.ks, 0.5);
        QCOMPARE(m.ksThreshold, 0.2);
        QCOMPARE(m.positives, int64_t(3));
    }
    void allTiedIsHalf()
    {
        std::vector<double> s(6, 0.3);
        std::vector<int> y = {1, 0, 1, 0, 0, 1};
        QCOMPARE(aucScore(s, y), 0.5);
        QCOMPARE(binaryMetrics(s, y).ks, 0.0);
        auto roc = rocCurve(s, y);
        QCOMPARE(roc.size(), size_t(2)); // (0,0) then one diagonal step to (1,1)
        QCOMPARE(roc[1].fpr, 1.0);
        QCOMPARE(roc[1].tpr, 1.0);
    }
    void perfectAndInverted()
    {
        std::vector<int> y = {0, 0, 1, 1};
        QCOMPARE(aucScore({0.1, 0.2, 0.3, 0.4}, y), 1.0);
        QCOMPARE(aucScore({0.4, 0.3, 0.2, 0.1}, y), 0.0);
        QCOMPARE(binaryMetrics({0.1, 0.2, 0.3, 0.4}, y).ks, 1.0);
    }
    void rocPointsByHand()
    {
        std::vector<double> s = {0.9, 0.7, 0.7, 0.2};
        std::vector<int> y = {1, 1, 0, 0};
        auto roc = rocCurve(s, y);
        QCOMPARE(roc.size(), size_t(4));
        QCOMPARE(roc[1].threshold, 0.9);
        QCOMPARE(roc[1].tpr, 0.5);
        QCOMPARE(roc[1].fpr, 0.0);
        QCOMPARE(roc[2].tpr, 1.0); // tie at 0.7: one bad and one good together
        QCOMPARE(roc[2].fpr, 0.5);
        QCOMPARE(roc[3].fpr, 1.0);
        // Trapezoid area under the ROC equals the Mann-Whitney AUC (ties count half).
        double area = 0;
        for (size_t i = 1; i < roc.size(); ++i)
            area += (roc[i].fpr - roc[i - 1].fpr) * (roc[i].tpr + roc[i - 1].tpr) / 2;
        QCOMPARE(area, aucScore(s, y));
    }
    void matchesBruteForcePairCount()
    {
        std::mt19937 rng(5);
        std::uniform_int_distribution<int> score(0, 20); // coarse scores: many ties
        std::vector<double> s;
        std::vector<int> y;
        for (int i = 0; i < 500; ++i) {
            y.push_back(i % 3 == 0);
            s.push_back(score(rng) + (y.back() ? 2 : 0));
        }
        double wins = 0, pairs = 0;
        for (size_t i = 0; i < s.size(); ++i)
            for (size_t j = 0; j < s.size(); ++j)
                if (y[i] == 1 && y[j] == 0) {
                    pairs += 1;
                    wins += s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0;
                }
        QVERIFY(std::fabs(aucScore(s, y) - wins / pairs) < 1e-12);
    }
    void oneClassIsAClearError()
    {
        EXPECT_ERROR(aucScore({0.1, 0.2}, {1, 1}), ErrorKind::Data,
                     "need both classes: got 2 bad and 0 good");
        EXPECT_ERROR(binaryMetrics({0.1}, {0}), ErrorKind::Data, "got 0 bad and 1 good");
    }
    void nanScoreIsAnError()
    {
        EXPECT_ERROR(aucScore({0.1, std::nan("")}, {1, 0}), ErrorKind::Data, "score 1 is NaN");
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "test_metrics.moc"
