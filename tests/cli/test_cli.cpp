// SPDX-License-Identifier: GPL-3.0-or-later
// Drives the real seqlens-cli binary: exit codes, one-line errors, output files.
#include "test_util.h"

#include "seqlens/store/project_store.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>

namespace {
struct Run {
    int code;
    QString out, err;
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(SEQLENS_CLI), args);
    p.waitForFinished(300000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}
} // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.path() + "/" + name; }

private Q_SLOTS:
    void initTestCase()
    {
        Run r = cli({"synth", "--out", path("demo"), "--applicants", "400", "--seed", "5"});
        QCOMPARE(r.code, 0);
        r = cli({"train", "--config", path("demo/config.json"), "--out", path("model"), "--epochs",
                 "2", "--threads", "2"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.err.contains("epoch 1/2"));  // progress on stderr
        QVERIFY(!r.out.contains("epoch 1/2")); // never in machine-readable output
    }
    void metricsJsonHasTheDocumentedShape()
    {
        QFile f(path("model/metrics.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonObject m = QJsonDocument::fromJson(f.readAll()).object();
        for (const char *split : {"valid", "test"}) {
            QJsonObject s = m[split].toObject();
            QVERIFY(s["auc"].toDouble() > 0 && s["auc"].toDouble() <= 1);
            QVERIFY(s["ks"].toDouble() >= 0 && s["ks"].toDouble() <= 1);
        }
        QVERIFY(m["best_epoch"].toInt() >= 1);
        QCOMPARE(m["epochs_run"].toInt(), 2);
        QVERIFY(m["train_seconds"].toDouble() > 0);
    }
    void scoreWritesEntityScoreLabel()
    {
        Run r = cli({"score", "--model", path("model"), "--events", path("demo/events.csv"),
                     "--labels", path("demo/labels.csv"), "--out", path("scores.csv")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile f(path("scores.csv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines[0], QString("entity,score,label"));
        QCOMPARE(lines.size(), 401);
        QStringList first = lines[1].split(',');
        QCOMPARE(first[0], QString("A0000000"));
        double s = first[1].toDouble();
        QVERIFY(s > 0 && s < 1);
        // Without labels: entity,score for every entity in the events file (incl. 5 unlabeled
        // ones).
        r = cli({"score", "--model", path("model"), "--events", path("demo/events.csv"), "--out",
                 path("scores2.csv")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.err.contains("without --labels no events are excluded"));
        QFile g(path("scores2.csv"));
        QVERIFY(g.open(QIODevice::ReadOnly));
        QStringList lines2 = QString::fromUtf8(g.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines2[0], QString("entity,score"));
    }
    void explainGivesWeightsPerEvent()
    {
        Run r = cli({"explain", "--model", path("model"), "--events", path("demo/events.csv"),
                     "--labels", path("demo/labels.csv"), "--entity", "A0000001"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(j["entity"].toString(), QString("A0000001"));
        QVERIFY(j["score"].toDouble() > 0);
        const auto events = j["events"].toArray();
        QCOMPARE(events.size(), j["events_used"].toInt());
        double itemSum = 0;
        for (const auto &ev : events) {
            QJsonObject o = ev.toObject();
            QVERIFY(o.contains("time") && o["values"].toObject().contains("event_type"));
            QCOMPARE(o["field_attention"].toObject().size(),
                     5); // event_type, channel, 2 time buckets, amount
            itemSum += o["item_weight"].toDouble();
        }
        if (!events.isEmpty())
            QVERIFY(std::fabs(itemSum - 1) < 1e-4);
        r = cli({"explain", "--model", path("model"), "--events", path("demo/events.csv"),
                 "--entity", "nobody"});
        QCOMPARE(r.code, 3);
        QVERIFY(r.err.contains("entity \"nobody\" not found"));
        // Without --labels no cutoff is known: explain warns as score does.
        r = cli({"explain", "--model", path("model"), "--events", path("demo/events.csv"),
                 "--entity", "A0000001"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("without --labels no events are excluded"), qPrintable(r.err));
        QVERIFY(QJsonDocument::fromJson(r.out.toUtf8())["events_used"].toInt() >=
                j["events_used"].toInt());
    }
    void explainAttributesReasonsAndWhatIf()
    {
        const QStringList base = {"explain",
                                  "--model",
                                  path("model"),
                                  "--events",
                                  path("demo/events.csv"),
                                  "--labels",
                                  path("demo/labels.csv"),
                                  "--entity",
                                  "A0000001"};
        Run r = cli(base + QStringList{"--steps", "64", "--reasons", "3"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonObject attr = j["attribution"].toObject();
        QCOMPARE(attr["method"].toString(), QString("integrated_gradients"));
        QCOMPARE(attr["reference"].toString(), QString("missing"));
        QCOMPARE(attr["steps"].toInt(), 64);
        double total = 0;
        for (const auto &e : attr["events"].toArray())
            total += e.toObject()["total"].toDouble();
        // Completeness: the event totals add up to logit - reference logit, up to the gap.
        QVERIFY(std::fabs(total - (j["logit"].toDouble() - j["reference_logit"].toDouble()) -
                          attr["completeness_gap"].toDouble()) < 1e-5);
        QVERIFY(std::fabs(attr["completeness_gap"].toDouble()) < 0.05);
        QCOMPARE(j["occlusion"].toObject()["events"].toArray().size(), j["events_used"].toInt());
        QVERIFY(j["reasons"].toArray().size() <= 3);
        for (const auto &x : j["reasons"].toArray())
            QVERIFY(x.toObject()["logit"].toDouble() > 0 &&
                    !x.toObject()["text"].toString().isEmpty());
        // What-if: removing event 0 gives the occlusion delta of event 0.
        testutil::writeFile(m_dir, "edits.json", R"([{"remove": 0}])");
        r = cli(base + QStringList{"--what-if", path("edits.json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject w = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const double delta =
            j["occlusion"].toObject()["events"].toArray()[0].toObject()["delta_logit"].toDouble();
        QVERIFY(std::fabs(w["change"].toObject()["logit"].toDouble() - delta) < 1e-5);
        QCOMPARE(w["edits"].toArray()[0].toString(), QString("remove event 0"));
        // Bad input: one line, exit 2, naming the file and the JSON path or the edit.
        testutil::writeFile(m_dir, "bad.json",
                            R"([{"remove": 0}, {"set": "x", "field": "a", "value": 1}])");
        r = cli(base + QStringList{"--what-if", path("bad.json")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("bad.json: /1/set: expected an event index"), qPrintable(r.err));
        QCOMPARE(r.err.count('\n'), 1);
        testutil::writeFile(m_dir, "far.json", R"([{"remove": 9999}])");
        r = cli(base + QStringList{"--what-if", path("far.json")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("edit 1 of 1: remove event 9999: no such event"),
                 qPrintable(r.err));
        r = cli(base + QStringList{"--reference", "zero"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--reference: expected missing, empty or mean"));
        r = cli(base + QStringList{"--method", "shap"});
        QCOMPARE(r.code, 2);
    }
    void scoreWritesReasonsAndFaithfulnessAndSurrogateRun()
    {
        Run r = cli({"score", "--model", path("model"), "--events", path("demo/events.csv"),
                     "--labels", path("demo/labels.csv"), "--out", path("reasons.csv"), "--reasons",
                     "2"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile f(path("reasons.csv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines[0], QString("entity,score,label,reason_1_code,reason_1_text,reason_2_code,"
                                   "reason_2_text"));
        QCOMPARE(lines.size(), 401);
        r = cli({"faithfulness", "--model", path("model"), "--events", path("demo/events.csv"),
                 "--labels", path("demo/labels.csv"), "--applicants", "40", "--out",
                 path("faith.json")});
        QVERIFY2(r.code == 0 || r.code == 4, qPrintable(r.err));
        QFile g(path("faith.json"));
        QVERIFY(g.open(QIODevice::ReadOnly));
        const QJsonObject fj = QJsonDocument::fromJson(g.readAll()).object();
        QCOMPARE(fj["methods"].toArray().size(), 4);
        QCOMPARE(fj["fractions"].toArray().size(), 11);
        QCOMPARE(fj["sanity_check"].toObject()["passed"].toBool(), r.code == 0);
        QVERIFY(!fj["verdict"].toString().isEmpty());
        r = cli({"surrogate", "--model", path("model"), "--events", path("demo/events.csv"),
                 "--out", path("sur.json"), "--applicants", "100"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile h(path("sur.json"));
        QVERIFY(h.open(QIODevice::ReadOnly));
        const QJsonObject sj = QJsonDocument::fromJson(h.readAll()).object();
        QCOMPARE(sj["r2_per_state"].toArray().size(), 8);
        QVERIFY(sj["r2"].toDouble() <= 1.0);
    }
    void outOfTimeSplitAndSegmentsReachMetrics()
    {
        // The synth config with a time split and a segment column, trained for one epoch.
        QFile in(path("demo/config.json"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QJsonObject c = QJsonDocument::fromJson(in.readAll()).object();
        QJsonObject labels = c["labels"].toObject();
        labels["split"] = QJsonObject{
            {"by", "cutoff"}, {"valid_after", "2024-06-30"}, {"test_after", "2024-09-30"}};
        c["labels"] = labels;
        c["monitoring"] = QJsonObject{{"segments", QJsonArray{"region"}}};
        testutil::writeFile(m_dir, "demo/oot.json", QJsonDocument(c).toJson().toStdString());
        Run r = cli({"train", "--config", path("demo/oot.json"), "--out", path("oot"), "--epochs",
                     "1", "--threads", "2"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        // The test split, counted independently: labelled rows with a cutoff after 2024-09-30.
        QFile l(path("demo/labels.csv"));
        QVERIFY(l.open(QIODevice::ReadOnly));
        const QStringList header = QString(l.readLine()).trimmed().split(',');
        const int cut = header.indexOf("application_time"), reg = header.indexOf("region");
        int test = 0;
        QMap<QString, int> perRegion;
        while (!l.atEnd()) {
            const QStringList f = QString(l.readLine()).trimmed().split(',');
            if (f[cut] > "2024-09-30") {
                ++test;
                ++perRegion[f[reg]];
            }
        }
        QVERIFY(test > 20);
        QFile mf(path("oot/metrics.json"));
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QJsonObject m = QJsonDocument::fromJson(mf.readAll()).object();
        QCOMPARE(m["test"].toObject()["n"].toInt(), test);
        const QJsonObject seg = m["segments"].toObject();
        QCOMPARE(seg["approval_rate"].toDouble(), 0.8);
        const QJsonObject table = seg["tables"].toArray()[0].toObject();
        QCOMPARE(table["column"].toString(), QString("region"));
        QMap<QString, int> seen;
        for (const auto &row : table["rows"].toArray())
            seen[row.toObject()["value"].toString()] = row.toObject()["applicants"].toInt();
        QCOMPARE(seen, perRegion);
        QFile bf(path("oot/bundle.json"));
        QVERIFY(bf.open(QIODevice::ReadOnly));
        const QJsonObject splits =
            QJsonDocument::fromJson(bf.readAll())["report"]["splits"].toObject();
        QCOMPARE(splits["method"].toString(), QString("time"));
        QCOMPARE(splits["test"].toInt(), test);
        QVERIFY(splits["cutoffs"].toObject()["test"].toObject()["first"].toString() > "2024-09-30");
    }
    void auditReportsWhatLoadingAndEncodingDo()
    {
        Run r = cli({"audit", "--config", path("demo/config.json"), "--out", path("audit.json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("audit: 400 applicants"), qPrintable(r.err));
        QFile f(path("audit.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject a = QJsonDocument::fromJson(f.readAll()).object();
        const QJsonObject load = a["load"].toObject(), splits = a["splits"].toObject();
        QCOMPARE(load["applicants"].toInt(), 400);
        QCOMPARE(load["events_kept"].toInt() + load["events_after_cutoff"].toInt() +
                     load["events_unknown_entity"].toInt(),
                 load["event_rows"].toInt());
        QCOMPARE(splits["train"].toInt() + splits["valid"].toInt() + splits["test"].toInt(),
                 load["positives"].toInt() + load["negatives"].toInt());
        QCOMPARE(splits["test"].toInt(), // 20 % stratified: rounded per class
                 int(std::llround(0.2 * load["positives"].toInt()) +
                     std::llround(0.2 * load["negatives"].toInt())));
        int histogram = 0;
        for (const auto &b : load["events_per_applicant"].toObject()["histogram"].toArray())
            histogram += b.toObject()["count"].toInt();
        QCOMPARE(histogram, 400);
        // The same data, split and encoder as training: the bundle's data report is identical.
        QFile b(path("model/bundle.json"));
        QVERIFY(b.open(QIODevice::ReadOnly));
        const QJsonObject report = QJsonDocument::fromJson(b.readAll())["report"].toObject();
        QCOMPARE(report["load"].toObject(), load);
        QCOMPARE(report["encode"].toObject(), a["encode"].toObject());
        // Without --out the JSON goes to stdout; a bad config is exit 2 with its path.
        r = cli({"audit", "--config", path("demo/config.json")});
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8())["load"].toObject(), load);
        r = cli({"audit", "--config", "/nonexistent.json"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("cannot open config file"));
    }
    // Several event sources from the command line: synth --kind multi, train into a project,
    // score and explain with --events name=path, the applicant report, and the usage errors.
    void severalEventSourcesEndToEnd()
    {
        Run r = cli({"synth", "--kind", "multi", "--out", path("multi"), "--applicants", "300"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.err.contains("four tables"));
        r = cli({"train", "--config", path("multi/config.json"), "--out", path("multi_model"),
                 "--epochs", "1", "--threads", "2", "--project", path("multi.seqlens")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QStringList events;
        for (const char *s : {"inst=instalments", "bureau=bureau", "balance=balance", "app=app"}) {
            const QStringList parts = QString(s).split('=');
            events << "--events" << parts[0] + "=" + path("multi/" + parts[1] + ".csv");
        }
        r = cli(QStringList{"score", "--model", path("multi_model"), "--labels",
                            path("multi/labels.csv"), "--out", path("multi_scores.csv")} +
                events);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.err.contains("scored 300 applicants"));
        r = cli(QStringList{"explain", "--model", path("multi_model"), "--labels",
                            path("multi/labels.csv"), "--entity", "M100000", "--method", "all"} +
                events);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject x = QJsonDocument::fromJson(r.out.toUtf8()).object();
        int bySourceEvents = 0;
        for (const auto &s : x["by_source"].toArray())
            bySourceEvents += s.toObject()["events"].toInt();
        QCOMPARE(bySourceEvents, x["events"].toArray().size());
        QVERIFY(x["events"].toArray()[0].toObject().contains("source"));
        r = cli({"report", "--project", path("multi.seqlens"), "--run", "1", "--applicant",
                 "M100000", "--out", path("multi_applicant.html")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile html(path("multi_applicant.html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(html.readAll()).contains("By event source"));
        // One unnamed file for four sources, and an unknown source name: usage errors (2).
        r = cli({"score", "--model", path("multi_model"), "--events", path("multi/app.csv"),
                 "--out", path("x.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("give each as --events name=path"), qPrintable(r.err));
        r = cli({"score", "--model", path("multi_model"), "--events", "cards=" + path("x.csv"),
                 "--out", path("x.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no event source \"cards\""), qPrintable(r.err));
    }
    void exitCodesAndOneLineErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("needle");
        QTest::newRow("no command") << QStringList{} << 2 << "";
        QTest::newRow("unknown command") << QStringList{"fly"} << 2 << "unknown command \"fly\"";
        QTest::newRow("unknown option")
            << QStringList{"train", "--cofig", "x"} << 2 << "unknown option --cofig";
        QTest::newRow("missing option")
            << QStringList{"train", "--out", "x"} << 2 << "missing required option --config";
        QTest::newRow("bad integer") << QStringList{"synth", "--out", "x", "--applicants", "many"}
                                     << 2 << "--applicants: expected an integer";
        QTest::newRow("no config")
            << QStringList{"train", "--config", "/nonexistent.json", "--out", "x"} << 2
            << "cannot open config file";
        QTest::newRow("bad bundle")
            << QStringList{"score", "--model", "/nonexistent", "--events", "e", "--out", "o"} << 3
            << "not a model bundle";
    }
    void exitCodesAndOneLineErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, needle);
        Run r = cli(args);
        QCOMPARE(r.code, code);
        if (!needle.isEmpty()) {
            QVERIFY2(r.err.contains(needle), qPrintable(r.err));
            QCOMPARE(r.err.trimmed().count('\n'), 0);
        }
    }
    void badConfigListsEveryProblem()
    {
        QFile f(path("bad.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"schema_version": 1, "events": [], "labels": {"path": "l.csv"}, "modle": {}})");
        f.close();
        Run r = cli({"train", "--config", path("bad.json"), "--out", path("x")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("bad.json: /events: expected a non-empty array"));
        QVERIFY(r.err.contains("bad.json: /labels/entity: required key is missing"));
        QVERIFY(r.err.contains("bad.json: /modle: unknown key"));
    }
    void projectRunsAndReports()
    {
        const QString project = path("p.seqlens");
        Run r = cli({"train", "--config", path("demo/config.json"), "--out", path("pmodel"),
                     "--epochs", "2", "--project", project});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("recorded as run 1 (finished) in"), qPrintable(r.err));
        r = cli({"runs", "--project", project});
        QCOMPARE(r.code, 0);
        QJsonObject m = QJsonDocument::fromJson([&] {
                            QFile f(path("pmodel/metrics.json"));
                            f.open(QIODevice::ReadOnly);
                            return f.readAll();
                        }())
                            .object();
        const QString auc = QString::number(m["test"].toObject()["auc"].toDouble(), 'f', 4);
        QVERIFY2(r.out.contains(QRegularExpression("\\n1 +train +finished .* " +
                                                   QRegularExpression::escape(auc))),
                 qPrintable(r.out));
        r = cli({"report", "--project", project, "--run", "1", "--out", path("v.pdf")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile pdf(path("v.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        r = cli({"report", "--project", project, "--run", "1", "--out", path("v.txt")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("v.txt: a report is written as .pdf or .html"), qPrintable(r.err));
        r = cli({"report", "--project", project, "--run", "7", "--out", path("v.pdf")});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains("no run 7"), qPrintable(r.err));
        r = cli({"runs", "--project", path("demo/config.json")});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains("config.json: not a SeqLens project"), qPrintable(r.err));
        r = cli({"score", "--model", path("pmodel"), "--events", path("demo/events.csv"), "--out",
                 path("ps.csv"), "--project", project});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        {
            seqlens::ProjectStore store(project.toStdString());
            QCOMPARE(store.auditLog().back().action, std::string("scored"));
            QVERIFY(testutil::contains(store.auditLog().back().detail, "ps.csv"));
        }
        // Monitoring a later, drifted month against the recorded run.
        r = cli({"synth", "--out", path("later"), "--applicants", "300", "--seed", "9", "--from",
                 "2025-03-01", "--span-days", "30", "--drift", "new_type"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({"monitor", "--project", project, "--run", "1", "--events",
                 path("later/events.csv"), "--labels", path("later/labels.csv"), "--out",
                 path("mon")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(
                     "monitoring record 1: events.csv, 300 applicants, cohorts by month: red"),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QRegularExpression("characteristic stability +red +highest PSI")),
                 qPrintable(r.out));
        QVERIFY(QFile::exists(path("mon/monitoring.json")) &&
                QFile::exists(path("mon/cohorts.csv")));
        r = cli({"monitor", "--project", project, "--run", "1", "--events", path("nope.csv"),
                 "--out", path("mon2")});
        QCOMPARE(r.code, 3);
        const QString last = r.err.trimmed().split('\n').last();
        QVERIFY2(last.startsWith("seqlens-cli monitor: error: ") && last.contains("nope.csv"),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(path("mon2")));
        r = cli({"monitor", "--project", project, "--list"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QRegularExpression("\\n1 +1 +\\S+ +300 +red +month +events.csv")),
                 qPrintable(r.out));
        r = cli({"runs", "--project", project, "--delete", "1"});
        QCOMPARE(r.code, 0);
        r = cli({"runs", "--project", project});
        QVERIFY(!r.out.contains("train"));
    }

    void badDataGivesExitCode3WithFileAndLine()
    {
        QFile src(path("demo/events.csv"));
        QVERIFY(src.open(QIODevice::ReadOnly));
        QByteArray content = src.readAll();
        content.insert(content.indexOf('\n') + 1,
                       "A0000003,2024-13-45T00:00:00,payment,online,1.0\n");
        QFile dst(path("demo/events.csv"));
        src.close();
        QVERIFY(dst.open(QIODevice::WriteOnly));
        dst.write(content);
        dst.close();
        Run r = cli(
            {"train", "--config", path("demo/config.json"), "--out", path("x"), "--epochs", "1"});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains("events.csv:2: column \"event_time\": expected an ISO 8601 date or "
                                "date-time, got \"2024-13-45T00:00:00\""),
                 qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
