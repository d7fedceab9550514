// SPDX-License-Identifier: GPL-3.0-or-later
// End to end on the real PKDD'99 Berka files in ../shared/datasets/berka (never copied
// into the repository): ';'-separated, quoted, CRLF, YYMMDD dates, blank values, gzip.
#include "seqlens/score_workflow.h"
#include "seqlens/train_workflow.h"
#include "test_util.h"

#include <QFileInfo>

using namespace seqlens;

class TestBerka : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void trainsAndReportsOnRealFiles()
    {
        const std::string configPath = SEQLENS_SOURCE_DIR "/configs/berka.json";
        Config cfg = loadConfig(configPath);
        const std::string loans = cfg.resolve(cfg.labels.path);
        QVERIFY2(QFileInfo::exists(QString::fromStdString(loans)),
                 ("Berka data not found at " + loans + " (expected ../shared beside the checkout)")
                     .c_str());
        QTemporaryDir out;
        TrainRequest req;
        req.outDir = out.path().toStdString() + "/berka_model";
        cfg.training.epochs = 8;
        cfg.training.threads = 2;
        TrainSummary s = runTraining(cfg, req);
        // Counts from the files themselves (loan.asc: 682 loans, 76 with status B or D).
        QCOMPARE(s.audit.load.applicants, int64_t(682));
        QCOMPARE(s.audit.load.positives, int64_t(76));
        QCOMPARE(s.audit.load.eventRows, int64_t(99999));
        QVERIFY(s.audit.load.eventsAfterCutoff >
                0); // transactions on or after the loan date are excluded
        QVERIFY(s.audit.load.eventsUnknownEntity > 0); // accounts without a loan
        QCOMPARE(s.audit.load.eventsKept + s.audit.load.eventsAfterCutoff + s.audit.load.eventsUnknownEntity,
                 s.audit.load.eventRows);
        QVERIFY(s.audit.load.applicantsWithoutEvents > 400); // the transaction prefix ends in 1994
        QVERIFY(s.test.available);
        QVERIFY(s.test.metrics.auc >= 0 && s.test.metrics.auc <= 1);
        QCOMPARE(s.test.metrics.n + s.valid.metrics.n + 0 <= 682, true);
        QVERIFY(QFileInfo::exists(QString::fromStdString(req.outDir + "/metrics.json")));
        ModelBundle b = loadBundle(req.outDir);
        auto scores = scoreWithBundle(b, cfg.resolve(cfg.events[0].path), loans);
        QCOMPARE(scores.size(), size_t(682));
        for (const auto &sc : scores)
            QVERIFY(sc.score > 0 && sc.score < 1);
    }
};

QTEST_GUILESS_MAIN(TestBerka)
#include "test_berka.moc"
