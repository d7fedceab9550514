// SPDX-License-Identifier: GPL-3.0-or-later
// The default model learns pattern families that need order or time, on small versions of the
// pattern benchmark: it beats the same pipeline made order-blind (no cross-event aggregation,
// no time since the previous event) on the order family, and made time-blind (no time inputs,
// no time bias) on the burst family, whose pattern and control have the same event counts and
// differ only in how close together the events lie. Same split and seed for both models.
#include "seqlens/data/pattern_synth.h"
#include "seqlens/train_workflow.h"
#include "test_util.h"

using namespace seqlens;

namespace {
constexpr double kOrderMargin = 0.03; // test AUC points over the order-blind model
constexpr double kBurstMargin = 0.03; // test AUC points over the time-blind model

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
        Config blind = cfg;
        blind.model.itemAggregation = ItemAggregation::None;
        blind.sequence.timeSincePrevious = false;
        blind.model.localOrder = false;
        check(testAuc(cfg), testAuc(blind), kOrderMargin, "order");
    }
    void burstFamilyNeedsTime()
    {
        const Config cfg = patternConfig(m_dir, PatternFamily::Burst);
        Config blind = cfg;
        blind.sequence.timeSincePrevious = false;
        blind.sequence.timeBeforeCutoff = false;
        blind.model.timeBias = false;
        check(testAuc(cfg), testAuc(blind), kBurstMargin, "burst");
    }
};

QTEST_GUILESS_MAIN(TestPatternLearning)
#include "test_pattern_learning.moc"
