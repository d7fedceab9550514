// SPDX-License-Identifier: GPL-3.0-or-later
// The fused GRU equals LibTorch's GRU with the same weights, forward and backward, for one and
// two layers, on rows of different lengths (an empty one included), and keeps padding at 0.
#include "gru_check.h"
#include "test_util.h"

class TestRecurrent : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void forwardMatchesLibTorch()
    {
        for (int64_t layers : {1, 2})
            for (uint64_t seed : {1, 2, 3}) {
                const double d = grucheck::forwardMaxDiff(seed, layers);
                QVERIFY2(d < 1e-5, std::to_string(d).c_str());
            }
    }
    void gradientsMatchLibTorch()
    {
        for (int64_t layers : {1, 2})
            for (uint64_t seed : {4, 5}) {
                const double d = grucheck::gradientMaxDiff(seed, layers);
                QVERIFY2(d < 1e-4, std::to_string(d).c_str());
            }
    }
    void paddingStaysZero() { QCOMPARE(grucheck::paddedOutputMax(6), 0.0); }
    void anOptimiserStepOnFusedGradientsMatches()
    {
        const double d = grucheck::stepMaxDiff(7);
        QVERIFY2(d < 1e-5, std::to_string(d).c_str());
    }
};

QTEST_GUILESS_MAIN(TestRecurrent)
#include "test_recurrent.moc"
