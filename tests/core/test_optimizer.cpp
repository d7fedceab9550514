// SPDX-License-Identifier: GPL-3.0-or-later
// The fused AdamW equals LibTorch's AdamW after clip_grad_norm_, step for step; gradients handed
// in as micro-batch parts give the step of the whole batch; a parameter without gradients is
// left alone, as LibTorch leaves it; per-parameter learning-rate scales step as LibTorch's
// parameter groups do (per tensor and per row), and the sequence network scales its input
// embeddings and nothing else, the derived numeric inputs at a scale of their own.
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
    void perRowScalesEqualParametersSplitIntoGroups()
    {
        for (double scale : {10.0, 0.25})
            for (double decay : {0.0, 0.01}) {
                const double d = optcheck::rowScaleDiff(5, 25, scale, decay);
                QVERIFY2(d < 2e-5, (std::to_string(scale) + " " + std::to_string(decay) + ": " +
                                    std::to_string(d))
                                       .c_str());
            }
    }
    void derivedInputsStepAtTheirOwnScale()
    {
        // The second numeric input is derived (training.derived_lr_scale 1): its value weight,
        // its three state vectors and its periodic rows step at 1, the event's own numeric
        // input at 10; at 3, 3.
        QCOMPARE(optcheck::inputEmbeddingParameters(1, false, 1.0).names,
                 std::string("num_weight[10,1],cat_embedding.weight,"
                             "num_state_embedding.weight[10,10,10,1,1,1]"));
        QCOMPARE(optcheck::inputEmbeddingParameters(1, true, 3.0).names,
                 std::string("num_weight[10,3],num_frequencies[10,3],num_periodic[10,3],"
                             "cat_embedding.weight,num_state_embedding.weight[10,10,10,3,3,3]"));
        // At the input scale (derived_lr_scale unset) the rows are one scale for the tensor,
        // as without derived inputs: the step is the one before per-row scales.
        QCOMPARE(optcheck::inputEmbeddingParameters(1, true, 10.0).names,
                 optcheck::inputEmbeddingParameters(1, true).names);
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
