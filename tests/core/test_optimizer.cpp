// SPDX-License-Identifier: GPL-3.0-or-later
// The fused AdamW equals LibTorch's AdamW after clip_grad_norm_, step for step; gradients handed
// in as micro-batch parts give the step of the whole batch; a parameter without gradients is
// left alone, as LibTorch leaves it; per-parameter learning-rate scales step as LibTorch's
// parameter groups do, and the sequence network scales its input embeddings and nothing else.
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
    void perParameterScalesEqualParameterGroups()
    {
        for (double scale : {10.0, 0.25})
            for (double decay : {0.0, 0.01}) {
                const double d = optcheck::scaledGroupDiff(4, 25, scale, decay);
                QVERIFY2(d < 2e-5, (std::to_string(scale) + " " + std::to_string(decay) + ": " +
                                    std::to_string(d))
                                       .c_str());
            }
    }
    void onlyTheInputEmbeddingsGetTheEmbeddingScale()
    {
        const auto plain = optcheck::inputEmbeddingParameters(1, false);
        QCOMPARE(plain.names,
                 std::string("num_weight,cat_embedding.weight,num_state_embedding.weight"));
        QVERIFY(plain.parameters > 10); // the rest (field attention, GRU, head) keeps scale 1
        QCOMPARE(optcheck::inputEmbeddingParameters(1, true).names,
                 std::string("num_weight,num_frequencies,num_periodic,cat_embedding.weight,"
                             "num_state_embedding.weight"));
        QCOMPARE(optcheck::inputEmbeddingParameters(2, false).names,
                 std::string("num_weight,cat_embedding.weight,num_state_embedding.weight,"
                             "source_embedding.weight"));
    }
    void aParameterWithoutGradientIsLeftAlone()
    {
        QCOMPARE(optcheck::untouchedParamChange(3), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestOptimizer)
#include "test_optimizer.moc"
