// SPDX-License-Identifier: GPL-3.0-or-later
// The multi-source model learns a pattern that lies across tables (a bureau credit opened within
// days after a missed instalment, data/multi_synth.h), which no single table shows, and as well
// as a one-table model on the four tables stacked by hand into one. Same seed, budget and split
// for every model.
#include "seqlens/data/config.h"
#include "seqlens/data/multi_synth.h"
#include "seqlens/train_workflow.h"
#include "test_util.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace seqlens;

namespace {

// Under ASan/UBSan (10x slower) the point is the several-source training path running clean,
// not the learning margins: fewer applicants and epochs, and finite AUCs asserted instead.
constexpr int64_t kApplicants = testutil::kSanitized ? 800 : 4000;

double testAuc(Config cfg)
{
    cfg.model.itemAggregation = ItemAggregation::Gru;
    cfg.training.epochs = testutil::kSanitized ? 2 : 25;
    cfg.training.minEpochs = testutil::kSanitized ? 2 : 15;
    cfg.training.threads = 2;
    const TrainSummary s = runTraining(cfg, TrainRequest{});
    return s.test.metrics.auc;
}

} // namespace

class TestSourcesLearning : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void multiSourceBeatsEachTableAndMatchesTheTablesStackedByHand()
    {
        QTemporaryDir dir;
        MultiSynthOptions o;
        o.outDir = dir.path().toStdString();
        o.applicants = kApplicants;
        o.seed = 11;
        writeMultiSourceSynth(o);
        const Config cfg = loadConfig(o.outDir + "/config.json");
        QCOMPARE(cfg.events.size(), size_t(4));
        const double multi = testAuc(cfg);
        std::string line = "multi " + std::to_string(multi);
        std::vector<std::pair<std::string, double>> others;
        for (const char *s : {"inst", "bureau", "balance", "app"})
            others.emplace_back(s, testAuc(singleSource(cfg, s)));
        for (const auto &[name, auc] : others)
            line += ", " + name + " " + std::to_string(auc);
        const double flat = testAuc(loadConfig(writeStackedTable(o.outDir)));
        line += ", stacked by hand " + std::to_string(flat);
        qInfo("%s", line.c_str());
        if (testutil::kSanitized) {
            QVERIFY2(multi > 0 && multi < 1 && flat > 0 && flat < 1, line.c_str());
            for (const auto &[name, auc] : others)
                QVERIFY2(auc > 0 && auc < 1, line.c_str());
            return;
        }
        // The generator's Bayes AUC is about 0.73; every single table is uninformative (0.5).
        QVERIFY2(multi > 0.66, line.c_str());
        for (const auto &[name, auc] : others)
            QVERIFY2(multi > auc + 0.08, line.c_str());
        // Stacking the tables by hand into one (same information, one clock, the union of the
        // columns) is what the several-source config saves an analyst from. With one learning
        // rate for all parameters the one-table model did not find the pattern in it at this
        // budget (0.50 against 0.74); with the input embeddings at 10 times the step
        // (training.embedding_lr_scale) it does (measured 0.7534 against 0.7515), so the claim
        // is that the several sources lose nothing against it.
        QVERIFY2(multi > flat - 0.02, line.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSourcesLearning)
#include "test_sources_learning.moc"
