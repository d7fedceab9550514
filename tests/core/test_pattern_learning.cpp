// SPDX-License-Identifier: GPL-3.0-or-later
// The default model learns pattern families that need order or time, on small versions of the
// pattern benchmark: it beats the same pipeline made order-blind (no cross-event aggregation,
// no time since the previous event) on the order and long-range families, and made time-blind
// (no time inputs, no time bias) on the burst, recency and irregular families (burst: pattern
// and control have the same event counts and differ only in how close together the events
// lie). Same split and seed for both models. With sequence.time_since_same on the event type
// (the days since the previous event of the same type, an option) the irregular family is
// learned far better than without it. On the trend family, periodic numeric embeddings and
// sequence.change_since_same on the event type (the change of the amount since the previous
// event of the same type, an option) each lift the GRU far above the default linear amounts.
// Not claimed: that trend beats its order-blind variant at this size. Since the input
// embeddings learn at 10 times the step (training.embedding_lr_scale) the order-blind model
// learns the window counts of the background there (0.7276 with periodic amounts, 0.6320 with
// the change; it had been 0.5365 and 0.6007) and is ahead of both sequence models (0.6300,
// 0.6205). Not here either: interaction, a pattern inside one event that neither blind variant
// removes.
#include "seqlens/data/pattern_synth.h"
#include "seqlens/train_workflow.h"
#include "test_util.h"

using namespace seqlens;

namespace {
constexpr double kOrderMargin = 0.03;     // test AUC points over the order-blind model
constexpr double kBurstMargin = 0.03;     // test AUC points over the time-blind model
constexpr double kLongRangeMargin = 0.10; // over the order-blind model (measured 0.2275)
constexpr double kRecencyMargin = 0.03;   // over the time-blind model (measured 0.0468)
constexpr double kIrregularMargin = 0.01; // over the time-blind model (measured 0.0625)
constexpr double kSameMargin = 0.05;      // time_since_same over without (measured 0.1436)
constexpr double kTrendMargin = 0.03;     // periodic GRU over linear amounts (measured 0.0938)
constexpr double kChangeMargin = 0.03;    // change_since_same over without (measured 0.0843)

Config patternConfig(const QTemporaryDir &dir, PatternFamily f)
{
    PatternOptions o;
    o.outDir = dir.path().toStdString() + "/" + toString(f);
    o.family = f;
    o.applicants = testutil::kSanitized ? 800 : 3000;
    o.seed = 3;
    o.effect = 2.5; // a clear pattern, so a small run can show it
    Config cfg = loadConfig(writePatternDataset(o).configPath);
    cfg.training.threads = 2;
    cfg.training.epochs = testutil::kSanitized ? 2 : 15;
    cfg.model.itemAggregation = ItemAggregation::Gru; // one model per run (auto trains two)
    return cfg;
}

// No cross-event aggregation and no time since the previous event: each event is scored on
// its own and pooled.
Config orderBlind(Config cfg)
{
    cfg.model.itemAggregation = ItemAggregation::None;
    cfg.sequence.timeSincePrevious = false;
    cfg.sequence.timeSinceSame.clear(); // "an earlier event of this type exists" is order too
    cfg.sequence.changeSinceSame.clear(); // so is "larger than the previous payment"
    cfg.model.localOrder = false;
    return cfg;
}

// No time inputs and no time bias: the events keep their order but not their times.
Config timeBlind(Config cfg)
{
    cfg.sequence.timeSincePrevious = false;
    cfg.sequence.timeBeforeCutoff = false;
    cfg.sequence.timeSinceSame.clear();
    cfg.model.timeBias = false;
    return cfg;
}

double testAuc(const Config &cfg)
{
    const TrainSummary s = runTraining(cfg, TrainRequest{});
    return s.test.metrics.auc;
}

void check(double full, double blind, double margin, const char *what)
{
    qInfo("%s: default %.4f, blind %.4f, margin %.4f (required %.2f)", what, full, blind,
          full - blind, margin);
    if (!testutil::kSanitized) // the learning claim needs the full size
        QVERIFY2(full - blind >= margin, std::to_string(full - blind).c_str());
}
} // namespace

class TestPatternLearning : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void orderFamilyNeedsOrder()
    {
        const Config cfg = patternConfig(m_dir, PatternFamily::Order);
        check(testAuc(cfg), testAuc(orderBlind(cfg)), kOrderMargin, "order");
    }
    void longRangeFamilyNeedsOrder()
    {
        const Config cfg = patternConfig(m_dir, PatternFamily::LongRange);
        check(testAuc(cfg), testAuc(orderBlind(cfg)), kLongRangeMargin, "long range");
    }
    void burstFamilyNeedsTime()
    {
        const Config cfg = patternConfig(m_dir, PatternFamily::Burst);
        check(testAuc(cfg), testAuc(timeBlind(cfg)), kBurstMargin, "burst");
    }
    void recencyFamilyNeedsTime()
    {
        const Config cfg = patternConfig(m_dir, PatternFamily::Recency);
        check(testAuc(cfg), testAuc(timeBlind(cfg)), kRecencyMargin, "recency");
    }
    void irregularFamilyNeedsTime()
    {
        const Config cfg = patternConfig(m_dir, PatternFamily::Irregular);
        check(testAuc(cfg), testAuc(timeBlind(cfg)), kIrregularMargin, "irregular");
    }
    void irregularFamilyWithTimeSinceSame()
    {
        const Config without = patternConfig(m_dir, PatternFamily::Irregular);
        QVERIFY(without.sequence.timeSinceSame.empty());
        Config same = without;
        same.sequence.timeSinceSame = {"event_type"};
        check(testAuc(same), testAuc(without), kSameMargin, "irregular, time_since_same vs without");
    }
    void trendFamilyWithPeriodicAmounts()
    {
        const Config linear = patternConfig(m_dir, PatternFamily::Trend);
        QVERIFY(linear.model.numericEncoding == NumericEmbedding::Linear);
        Config periodic = linear;
        periodic.model.numericEncoding = NumericEmbedding::Periodic;
        check(testAuc(periodic), testAuc(linear), kTrendMargin, "trend, periodic vs linear");
    }
    void trendFamilyWithChangeSinceSame()
    {
        const Config without = patternConfig(m_dir, PatternFamily::Trend);
        QVERIFY(without.sequence.changeSinceSame.empty());
        Config change = without;
        change.sequence.changeSinceSame = {"event_type"};
        check(testAuc(change), testAuc(without), kChangeMargin,
              "trend, change_since_same vs without");
    }
};

QTEST_GUILESS_MAIN(TestPatternLearning)
#include "test_pattern_learning.moc"
