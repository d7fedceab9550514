// SPDX-License-Identifier: GPL-3.0-or-later
// The fused masked-attention kernel equals the standard LibTorch computation, forward and
// backward, and its dropout is consistent between forward and backward.
#include "attention_check.h"
#include "test_util.h"

class TestAttention : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void forwardMatchesReference()
    {
        for (uint64_t seed : {1, 2, 3})
            QVERIFY2(attncheck::forwardMaxDiff(seed) < 1e-5,
                     std::to_string(attncheck::forwardMaxDiff(seed)).c_str());
    }
    void gradientsMatchReference()
    {
        for (uint64_t seed : {4, 5})
            QVERIFY2(attncheck::gradientMaxDiff(seed) < 1e-4,
                     std::to_string(attncheck::gradientMaxDiff(seed)).c_str());
    }
    void timeBiasMatchesReference()
    {
        for (uint64_t seed : {1, 2}) {
            const double f = attncheck::biasForwardMaxDiff(seed);
            QVERIFY2(f < 1e-5, std::to_string(f).c_str());
            const double g = attncheck::biasGradientMaxDiff(seed);
            QVERIFY2(g < 1e-4, std::to_string(g).c_str());
        }
    }
    void timeBiasShiftsWeightAsSoftmax()
    {
        for (double b : {-2.0, 0.0, 1.5, 4.0}) {
            const double e = attncheck::biasedWeightError(b);
            QVERIFY2(e < 1e-6, std::to_string(e).c_str());
        }
    }
    void dropoutBackwardMatchesFiniteDifferences()
    {
        const double err = attncheck::dropoutFdRelError(6);
        QVERIFY2(err < 2e-2, std::to_string(err).c_str());
    }
    void dropoutRateIsAsConfigured()
    {
        // 4 * 64 * 64 weights; p = 0.25 -> expect 25% zeros (binomial sd ~0.3%).
        const double share = attncheck::droppedShare(7, 0.25);
        QVERIFY2(std::fabs(share - 0.25) < 0.015, std::to_string(share).c_str());
        QCOMPARE(attncheck::droppedShare(7, 0.0), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestAttention)
#include "test_attention.moc"
