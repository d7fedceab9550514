// SPDX-License-Identifier: GPL-3.0-or-later
// The fused AdamW equals LibTorch's AdamW after clip_grad_norm_, step for step; gradients handed
// in as micro-batch parts give the step of the whole batch; a parameter without gradients is
// left alone, as LibTorch leaves it.
#include "optimizer_check.h"
#include "test_util.h"

class TestOptimizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesLibTorchAdamW()
    {
        for (double clip : {0.0, 1.0, 0.05}) // 0.05: every step clipped
            for (double decay : {0.0, 0.01}) {
                const double d = optcheck::maxParamDiff(1, 25, clip, decay);
                QVERIFY2(d < 2e-5, (std::to_string(clip) + " " + std::to_string(decay) + ": " +
                                    std::to_string(d))
                                       .c_str());
            }
    }
    void microBatchPartsSumToTheWholeBatch()
    {
        const double d = optcheck::splitGradientDiff(2);
        QVERIFY2(d < 1e-6, std::to_string(d).c_str());
    }
    void aParameterWithoutGradientIsLeftAlone()
    {
        QCOMPARE(optcheck::untouchedParamChange(3), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestOptimizer)
#include "test_optimizer.moc"
