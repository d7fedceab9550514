// SPDX-License-Identifier: GPL-3.0-or-later
#include "encoded_fixture.h"
#include "seqlens/nn/sequence_model.h"
#include "test_util.h"

using namespace seqlens;
using namespace testutil;

namespace {
ModelConfig modelConfig(ItemAggregation agg)
{
    ModelConfig m;
    m.itemAggregation = agg;
    m.dropout = 0.3; // eval mode must switch it off
    return m;
}
} // namespace

class TestModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void paddingDoesNotChangeTheScore_data()
    {
        QTest::addColumn<int>("agg");
        QTest::newRow("transformer") << int(ItemAggregation::Transformer);
        QTest::newRow("gru") << int(ItemAggregation::Gru);
        QTest::newRow("lstm") << int(ItemAggregation::Lstm);
        QTest::newRow("none") << int(ItemAggregation::None);
        QTest::newRow("transformer, time bias, pooling all, skip head") << -1;
        QTest::newRow("gru, pooling all, skip head") << -2;
        QTest::newRow("gru, continuous time") << -3;
        QTest::newRow("gru, pooling all_inputs") << -4;
        QTest::newRow("gru, periodic time_since_same input") << -5;
    }
    void paddingDoesNotChangeTheScore()
    {
        QFETCH(int, agg);
        setTorchThreads(1);
        // Applicant 0 (3 events) alone, then batched with a 30-event history (27 padding rows),
        // then with an empty history.
        EncodedDataset e = randomEncoded({3, 30, 0}, 1);
        ModelConfig cfg = modelConfig(agg == -1  ? ItemAggregation::Transformer
                                      : agg < -1 ? ItemAggregation::Gru
                                                 : ItemAggregation(agg));
        if (agg < 0) {
            cfg.timeBias = agg == -1;
            cfg.pooling = agg == -4 ? Pooling::AllInputs : Pooling::All;
            cfg.head = Head::Skip;
        }
        ModelLayout layout = smallLayout();
        if (agg == -3) {
            cfg.timeEncoding = TimeEncoding::Continuous;
            layout.timeBeforeCutoffInput = 3;
        }
        if (agg == -5)
            layout.periodicNumeric = {0, 1};
        SequenceModel model(cfg, layout, 3);
        double alone = model.predict(e, {0})[0];
        auto padded = model.predict(e, {0, 1, 2});
        QVERIFY2(std::fabs(alone - padded[0]) < 1e-6,
                 (std::to_string(alone) + " vs " + std::to_string(padded[0])).c_str());
        QVERIFY(std::isfinite(padded[1]) && std::isfinite(padded[2]));
        QVERIFY(std::fabs(model.predict(e, {2})[0] - padded[2]) < 1e-6);
        // Explanations come from the same forward pass.
        QVERIFY(std::fabs(model.explain(e, 0).score - alone) < 1e-6);
    }
    void attentionWeightsAreDistributions()
    {
        EncodedDataset e = randomEncoded({5, 12}, 2);
        SequenceModel model(modelConfig(ItemAggregation::Transformer), smallLayout(), 4);
        Explanation ex = model.explain(e, 1);
        QCOMPARE(ex.fieldWeights.size(), size_t(12));
        QCOMPARE(ex.itemWeights.size(), size_t(12));
        double itemSum = 0;
        for (size_t t = 0; t < 12; ++t) {
            QCOMPARE(ex.fieldWeights[t].size(), size_t(6)); // 4 categorical + 2 numeric inputs
            double s = 0;
            for (float w : ex.fieldWeights[t]) {
                QVERIFY(w >= 0 && w <= 1);
                s += w;
            }
            QVERIFY(std::fabs(s - 1) < 1e-5);
            itemSum += ex.itemWeights[t];
        }
        QVERIFY(std::fabs(itemSum - 1) < 1e-5);
        QVERIFY(std::fabs(ex.score - 1 / (1 + std::exp(-ex.logit))) < 1e-9);
    }
    void emptyHistoryHasNoRows()
    {
        EncodedDataset e = randomEncoded({0}, 3);
        SequenceModel model(modelConfig(ItemAggregation::Transformer), smallLayout(), 5);
        Explanation ex = model.explain(e, 0);
        QVERIFY(ex.itemWeights.empty());
        QVERIFY(std::isfinite(ex.score));
    }
    void sameSeedSameWeights()
    {
        EncodedDataset e = randomEncoded({4, 9}, 4);
        SequenceModel a(modelConfig(ItemAggregation::Gru), smallLayout(), 9),
            b(modelConfig(ItemAggregation::Gru), smallLayout(), 9);
        SequenceModel c(modelConfig(ItemAggregation::Gru), smallLayout(), 10);
        QCOMPARE(a.predict(e, {0, 1}), b.predict(e, {0, 1}));
        QVERIFY(a.predict(e, {0, 1}) != c.predict(e, {0, 1}));
    }
    void periodicEmbeddingFollowsTheLayoutPerInput()
    {
        // Every input flagged periodic under the linear encoding is the periodic encoding:
        // same parameters in the same order, so the same seed gives the same scores.
        EncodedDataset e = randomEncoded({4, 9}, 4);
        ModelConfig linear = modelConfig(ItemAggregation::Gru), periodic = linear;
        periodic.numericEncoding = NumericEmbedding::Periodic;
        ModelLayout both = smallLayout(), second = smallLayout();
        both.periodicNumeric = {1, 1};
        second.periodicNumeric = {0, 1};
        SequenceModel flagged(linear, both, 9), global(periodic, smallLayout(), 9);
        SequenceModel plain(linear, smallLayout(), 9), one(linear, second, 9);
        QCOMPARE(flagged.predict(e, {0, 1}), global.predict(e, {0, 1}));
        // The periodic part: 8 frequencies and a [16, d] map per numeric input (2 inputs, d 8).
        QCOMPARE(one.parameterCount() - plain.parameterCount(), int64_t(2 * 8 + 2 * 16 * 8));
        QCOMPARE(one.parameterCount(), flagged.parameterCount());
        QVERIFY(one.predict(e, {0, 1}) != flagged.predict(e, {0, 1})); // input 0 stays linear
    }
    void weightsRoundTripBitIdentical()
    {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/w.pt";
        EncodedDataset e = randomEncoded({4, 9, 0, 17}, 5);
        SequenceModel a(modelConfig(ItemAggregation::Transformer), smallLayout(), 1);
        a.saveWeights(path);
        SequenceModel b(modelConfig(ItemAggregation::Transformer), smallLayout(), 2);
        b.loadWeights(path);
        QCOMPARE(b.predict(e, {0, 1, 2, 3}), a.predict(e, {0, 1, 2, 3}));
    }
    void wrongArchitectureIsAnError()
    {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/w.pt";
        SequenceModel(modelConfig(ItemAggregation::Gru), smallLayout(), 1).saveWeights(path);
        SequenceModel other(modelConfig(ItemAggregation::Transformer), smallLayout(), 1);
        EXPECT_ERROR(other.loadWeights(path), ErrorKind::Data,
                     "model weights are unreadable or do not match the architecture");
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "test_model.moc"
