// SPDX-License-Identifier: GPL-3.0-or-later
// The planted order signal is learned: on synth data, the sequence model beats the same
// pipeline that cannot see order (no cross-event aggregation, no time-since-previous input)
// on the test split, and no post-cutoff event leaks into training.
#include "seqlens/data/synth.h"
#include "seqlens/train_workflow.h"
#include "test_util.h"

using namespace seqlens;

namespace {
constexpr double kRequiredMargin = 0.03; // test AUC points the order-aware model must gain

TrainSummary train(const Config &cfg)
{
    Config c = cfg;
    c.training.threads = 2;
    return runTraining(c, TrainRequest{});
}
} // namespace

class TestOrderSignal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sequenceModelBeatsOrderBlindModel()
    {
        QTemporaryDir dir;
        SynthSummary s =
            writeSynthDataset({dir.path().toStdString(), testutil::kSanitized ? 1500 : 6000, 11});
        Config cfg = loadConfig(s.configPath);
        cfg.training.epochs = testutil::kSanitized ? 3 : 15;
        cfg.model.itemAggregation = ItemAggregation::Gru; // what "auto" keeps here; one model
        TrainSummary seq = train(cfg);

        Config blind = cfg;
        blind.model.itemAggregation = ItemAggregation::None;
        blind.sequence.timeSincePrevious = false;
        TrainSummary bag = train(blind);

        QVERIFY(seq.test.available && bag.test.available);
        const double margin = seq.test.metrics.auc - bag.test.metrics.auc;
        qInfo("test AUC: sequence %.4f, order-blind %.4f, margin %.4f (required %.2f)",
              seq.test.metrics.auc, bag.test.metrics.auc, margin, kRequiredMargin);
        if (!testutil::kSanitized) { // the learning claim needs the full size
            QVERIFY2(margin >= kRequiredMargin, std::to_string(margin).c_str());
            QVERIFY(seq.test.metrics.ks > bag.test.metrics.ks);
        }
        // Same split for both: identical test population.
        QCOMPARE(seq.test.metrics.n, bag.test.metrics.n);
        QCOMPARE(seq.test.metrics.positives, bag.test.metrics.positives);
        // Post-application "collection" events exist and were excluded.
        QVERIFY(seq.audit.load.eventsAfterCutoff > (testutil::kSanitized ? 100 : 500));
        QCOMPARE(seq.audit.load.eventsUnknownEntity, int64_t(5));
    }
};

QTEST_GUILESS_MAIN(TestOrderSignal)
#include "test_order_signal.moc"
