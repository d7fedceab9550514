// SPDX-License-Identifier: GPL-3.0-or-later
// The project file: migrations, refusal of newer or foreign files, hostile values bound not
// spliced, the recorded lifecycle of train runs, and a training process killed with SIGKILL.
#include "test_util.h"

#include "seqlens/run_recording.h"
#include "seqlens/util/hex.h"
#include "seqlens/data/synth.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QThread>

#include <sqlite3.h>

using namespace seqlens;

namespace {

// Runs one statement with sqlite3 directly (the test's own, independent view of the file).
void rawExec(const std::string &path, const std::string &sql)
{
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char *err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, msg.c_str());
}

std::string rawScalar(const std::string &path, const std::string &sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *st = nullptr;
    std::string out = "<error>";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        out = reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

QByteArray fileHash(const std::string &path)
{
    QFile f(QString::fromStdString(path));
    f.open(QIODevice::ReadOnly);
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

RunInfo sampleRun(const std::string &config = "{\"x\": 1}")
{
    RunInfo r;
    r.kind = "train";
    r.configJson = config;
    r.seed = 7;
    r.threads = 2;
    return r;
}

} // namespace

class TestProjectStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { setTorchThreads(2); }

    void createsTheCurrentSchemaFromNothing()
    {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/p.seqlens";
        QCOMPARE(ProjectStore::schemaVersionOf(path), 0);
        {
            ProjectStore s(path);
            QCOMPARE(s.runs().size(), size_t(0));
        }
        QCOMPARE(ProjectStore::schemaVersionOf(path), projectSchemaVersion());
        QCOMPARE(rawScalar(path, "PRAGMA journal_mode"), std::string("wal"));
        QCOMPARE(rawScalar(path, "SELECT value FROM meta WHERE key = 'application'"),
                 std::string("SeqLens"));
    }

    void migratesFromEveryEarlierVersionKeepingData()
    {
        for (int v = 1; v < projectSchemaVersion(); ++v) {
            QTemporaryDir dir;
            const std::string path = dir.path().toStdString() + "/old.seqlens";
            ProjectStore::createAtVersion(path, v);
            QCOMPARE(ProjectStore::schemaVersionOf(path), v);
            // A run written by the older schema, with the older schema's columns.
            rawExec(path,
                    "INSERT INTO configs (id, json) VALUES (1, '{\"old\": true}');"
                    "INSERT INTO runs (id, kind, status, config_id, seed, threads, "
                    "seqlens_version, torch_version,"
                    " started_at, finished_at, os_user, host, pid, pid_start) VALUES (1, 'train', "
                    "'finished', 1, 3, 2,"
                    " '0.0.1', '1.13.1', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'alice', "
                    "'h', 1, '1');"
                    "INSERT INTO metrics VALUES (1, 'test', 'sequence', 'auc', 0.75, NULL, NULL);");
            ProjectStore s(path);
            QCOMPARE(ProjectStore::schemaVersionOf(path), projectSchemaVersion());
            const RunInfo r = s.run(1);
            QCOMPARE(r.kind, std::string("train"));
            QCOMPARE(r.osUser, std::string("alice"));
            QCOMPARE(r.status, RunStatus::Finished);
            QCOMPARE(s.metric(1, "test", "sequence", "auc")->value, 0.75);
            s.putArtifact(1, "x", "[1]"); // tables of the newer versions exist
            s.addScores(1, {ScoreRow{"sequence", "A1", "test", 1, 0.5}});
            QCOMPARE(s.scores(1, "sequence").size(), size_t(1));
        }
    }

    void refusesANewerSchemaWithoutTouchingTheFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/new.seqlens";
        {
            ProjectStore s(path);
        }
        rawExec(path, "PRAGMA user_version = " + std::to_string(projectSchemaVersion() + 1));
        const QByteArray before = fileHash(path);
        EXPECT_ERROR(ProjectStore s(path), ErrorKind::Data,
                     "written by a newer SeqLens (project schema " +
                         std::to_string(projectSchemaVersion() + 1));
        QCOMPARE(fileHash(path), before);
        QCOMPARE(ProjectStore::schemaVersionOf(path), projectSchemaVersion() + 1);
    }

    void refusesFilesThatAreNotProjects()
    {
        QTemporaryDir dir;
        const std::string text = testutil::writeFile(dir, "notes.txt",
                                                     "just some text, not a database at all\n");
        EXPECT_ERROR(ProjectStore s(text), ErrorKind::Data, "notes.txt: not a SeqLens project");
        const std::string foreign = dir.path().toStdString() + "/other.db";
        rawExec(foreign, "CREATE TABLE t (x INTEGER)");
        const QByteArray before = fileHash(foreign);
        EXPECT_ERROR(ProjectStore s(foreign), ErrorKind::Data,
                     "other.db: an SQLite database but not a SeqLens project");
        QCOMPARE(fileHash(foreign), before);
        EXPECT_ERROR(ProjectStore s(dir.path().toStdString() + "/missing/dir/p.seqlens"),
                     ErrorKind::Data, "cannot open");
    }

    void hostileValuesAreStoredVerbatim()
    {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/p.seqlens";
        ProjectStore s(path);
        const std::string evil = "x'); DROP TABLE runs; -- \"quoted\" ; ünïcödé \\ %s";
        const int64_t run = s.beginRun(sampleRun("{\"name\": \"" + std::string("it's") + "\"}"));
        s.addScores(run, {ScoreRow{"sequence", evil, "test", 1, 0.25},
                          ScoreRow{"sequence", "O'Brien", "test", 0, 0.75}});
        s.putArtifact(run, evil, "{\"v\": \"" + std::string("a'b") + "\"}");
        s.addMetrics(run, {MetricRow{"test", evil, "auc", 0.5, 0.4, 0.6}});
        s.audit("exported", evil, evil);
        s.linkDataset(run, DatasetInfo{0, "events", "/tmp/a'b/\"c\".csv", 10, "00ff", 3, ""});
        QCOMPARE(s.runs().size(), size_t(1)); // the runs table survived
        QCOMPARE(s.score(run, "sequence", evil)->score, 0.25);
        QCOMPARE(s.score(run, "sequence", "O'Brien")->label, 0);
        QCOMPARE(*s.artifact(run, evil), std::string("{\"v\": \"a'b\"}"));
        QCOMPARE(s.metric(run, "test", evil, "auc")->hi, 0.6);
        QCOMPARE(s.auditLog().back().object, evil);
        QCOMPARE(s.datasets(run).at(0).path, std::string("/tmp/a'b/\"c\".csv"));
        QCOMPARE(s.run(run).configJson, std::string("{\"name\": \"it's\"}"));
        QCOMPARE(rawScalar(path, "PRAGMA integrity_check"), std::string("ok"));
    }

    void deletingARunRemovesItsRecordsAndIsAudited()
    {
        QTemporaryDir dir;
        ProjectStore s(dir.path().toStdString() + "/p.seqlens");
        const int64_t a = s.beginRun(sampleRun()), b = s.beginRun(sampleRun());
        s.addEpoch(a, EpochRow{"sequence", 1, 0.6, 0.55, 0.7, 1.0});
        s.addScores(a, {ScoreRow{"sequence", "A", "test", 1, 0.9}});
        s.deleteRun(a);
        QCOMPARE(s.runs().size(), size_t(1));
        QCOMPARE(s.runs()[0].id, b);
        QVERIFY(s.epochs(a).empty());
        QVERIFY(s.scores(a, "sequence").empty());
        QCOMPARE(s.auditLog().back().action, std::string("deleted"));
        QCOMPARE(s.auditLog().back().object, "run " + std::to_string(a));
        EXPECT_ERROR(s.deleteRun(a), ErrorKind::Data, "no run " + std::to_string(a));
    }

    void aTrainRunIsRecordedCompletely()
    {
        QTemporaryDir dir;
        SynthSummary syn = writeSynthDataset({dir.path().toStdString() + "/data", 800, 5});
        ProjectStore s(dir.path().toStdString() + "/p.seqlens");
        TrainRequest req;
        req.outDir = dir.path().toStdString() + "/model";
        Overrides o;
        o.epochs = 3;
        int64_t run = 0;
        TrainSummary sum =
            runTrainingInProject(s, applyOverrides(loadConfig(syn.configPath), o), req, &run);
        const RunInfo r = s.run(run);
        QCOMPARE(r.status, RunStatus::Finished);
        QCOMPARE(r.seed, uint64_t(loadConfig(syn.configPath).training.seed));
        QVERIFY(!r.finishedAt.empty() && !r.torchVersion.empty() && !r.osUser.empty());
        // "auto" (the demo's): both candidates' epochs, each under its own name.
        QCOMPARE(sum.aggregationTrials.size(), size_t(2));
        int64_t trialEpochs = 0;
        for (const auto &t : sum.aggregationTrials)
            trialEpochs += t.epochsRun;
        QCOMPARE(int64_t(s.epochs(run).size()), trialEpochs);
        std::vector<EpochRow> kept;
        for (const auto &row : s.epochs(run))
            if (row.model == "sequence · " + std::string(toString(sum.aggregation)))
                kept.push_back(row);
        QCOMPARE(int64_t(kept.size()), sum.training.epochsRun);
        QCOMPARE(kept[0].validAuc, sum.training.history[0].validAuc);
        QCOMPARE(s.metric(run, "test", "sequence", "auc")->value, sum.test.metrics.auc);
        QCOMPARE(s.metric(run, "valid", "sequence", "ks")->value, sum.valid.metrics.ks);
        QCOMPARE(s.scores(run, "sequence", "test").size(), size_t(sum.test.metrics.n));
        // The stored test scores reproduce the stored AUC.
        std::vector<double> sc;
        std::vector<int> y;
        for (const auto &row : s.scores(run, "sequence", "test")) {
            sc.push_back(row.score);
            y.push_back(row.label);
        }
        QCOMPARE(aucScore(sc, y), sum.test.metrics.auc);
        const auto ds = s.datasets(run);
        QCOMPARE(ds.size(), size_t(2));
        QCOMPARE(ds[0].role, std::string("events"));
        QCOMPARE(ds[0].fingerprint, hex64(sum.audit.load.eventsFingerprint));
        QCOMPARE(ds[1].rows, sum.audit.load.labelRows);
        QVERIFY(s.artifact(run, "global_attention").has_value());
        QVERIFY(s.artifact(run, "curves/test/sequence").has_value());
        QCOMPARE(s.auditLog().back().action, std::string("trained"));
    }

    void failedAndCancelledRunsSaySo()
    {
        QTemporaryDir dir;
        SynthSummary syn = writeSynthDataset({dir.path().toStdString() + "/data", 300, 5});
        ProjectStore s(dir.path().toStdString() + "/p.seqlens");
        Config cfg = loadConfig(syn.configPath);
        cfg.events[0].path = dir.path().toStdString() + "/data/nope.csv";
        TrainRequest req;
        int64_t run = 0;
        EXPECT_ERROR(runTrainingInProject(s, cfg, req, &run), ErrorKind::Data, "nope.csv");
        QCOMPARE(s.run(run).status, RunStatus::Failed);
        QVERIFY(testutil::contains(s.run(run).message, "nope.csv"));

        CancelToken token;
        token.cancel();
        req.cancel = &token;
        TrainSummary sum = runTrainingInProject(s, loadConfig(syn.configPath), req, &run);
        QVERIFY(sum.cancelled);
        QCOMPARE(s.run(run).status, RunStatus::Cancelled);
    }

    void aKilledTrainingLeavesAReadableProjectAndShowsInterrupted()
    {
        QTemporaryDir dir;
        SynthSummary syn = writeSynthDataset({dir.path().toStdString() + "/data", 3000, 9});
        const std::string project = dir.path().toStdString() + "/p.seqlens";
        QProcess child;
        child.start(SEQLENS_CLI, {"train", "--config", QString::fromStdString(syn.configPath),
                                  "--out", dir.path() + "/model", "--epochs", "200", "--threads",
                                  "1", "--project", QString::fromStdString(project)});
        QVERIFY(child.waitForStarted());
        // Wait until the child has recorded at least one epoch (reading with sqlite3 directly,
        // read-only).
        bool epochSeen = false;
        for (int i = 0; i < 1200 && !epochSeen; ++i) {
            QThread::msleep(100);
            epochSeen = QFile::exists(QString::fromStdString(project)) &&
                        rawScalar(project, "SELECT count(*) FROM epochs") != "0" &&
                        rawScalar(project, "SELECT count(*) FROM epochs") != "<error>";
            QVERIFY2(child.state() == QProcess::Running, child.readAllStandardError().constData());
        }
        QVERIFY(epochSeen);
        QCOMPARE(rawScalar(project, "SELECT status FROM runs"), std::string("running"));
        child.kill(); // SIGKILL
        QVERIFY(child.waitForFinished());
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        ProjectStore s(project);
        QCOMPARE(s.interruptedOnOpen(), int64_t(1));
        const RunInfo r = s.runs().at(0);
        QCOMPARE(r.status, RunStatus::Interrupted);
        QVERIFY(!r.finishedAt.empty());
        QVERIFY(!s.epochs(r.id).empty());
        QCOMPARE(rawScalar(project, "PRAGMA integrity_check"), std::string("ok"));
        ProjectStore again(project); // marked once, not again
        QCOMPARE(again.interruptedOnOpen(), int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestProjectStore)
#include "test_project_store.moc"
