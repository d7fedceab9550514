// SPDX-License-Identifier: GPL-3.0-or-later
// The workbench with several event tables, driven as an analyst would on the offscreen
// platform: add the four tables of the multi-source generator in the Data view, name them, set
// the balance table's join through the bureau table and the relative clocks, generate the
// config and check it against the generator's own; reopen it (the forms are rebuilt from the
// file); run the audit and check its per-source rows against the core's load report; train one
// epoch through F5; and in the inspector check one timeline lane per source with one bar per
// event of that source, a heatmap that draws only each event's own inputs, and the events
// table's source column.
#include "ui_test_util.h"
#include "workbench/data_view.h"
#include "workbench/inspector_view.h"
#include "workbench/join_editor.h"
#include "workbench/main_window.h"
#include "workbench/project_session.h"
#include "workbench/source_form.h"
#include "workbench/train_view.h"

#include <qcustomplot.h>

#include <QAction>
#include <QDir>
#include <QFile>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "seqlens/data/config.h"
#include "seqlens/data/dataset.h"
#include "seqlens/data/multi_synth.h"

#include <map>

using namespace seqlens;
using namespace seqlens::ui;
using seqlens::uitest::findAction;

namespace {

QString auditValue(QTableWidget *t, const QString &figure)
{
    for (int r = 0; r < t->rowCount(); ++r)
        if (t->item(r, 0)->text() == figure)
            return t->item(r, 1)->text();
    return {};
}

} // namespace

class TestWorkbenchSources : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    MultiSynthSummary m_synth;
    qint64 m_run = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("SeqLensTest");
        MultiSynthOptions o;
        o.outDir = (m_dir.path() + "/data").toStdString();
        o.applicants = 600;
        o.seed = 5;
        m_synth = writeMultiSourceSynth(o);
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1400, 900);
        QVERIFY(m_window->openProject(m_dir.path() + "/multi.seqlens"));
    }

    // A table two hops from the applicant (status -> loan -> contract -> applicant), built in
    // the form with a column carried from each parent: the config it makes loads with every
    // row joined and the carried values on each row; reopened, the form gives it back.
    void theJoinFormChainsHopsAndCarriesColumns()
    {
        const QString dir = m_dir.path() + "/chain/";
        QVERIFY(QDir().mkpath(dir));
        std::string contracts = "contract_id,id,branch,limit\n",
                    loans = "loan_ref,contract_id,product\n", status = "loan_ref,month,status\n",
                    labels = "id,bad,cutoff\n";
        for (int a = 0; a < 30; ++a) { // applicant a: one contract, two loans, three months each
            const std::string id = "P" + std::to_string(a), c = "C" + std::to_string(a);
            contracts += c + "," + id + ",B" + std::to_string(a % 3) + "," +
                         std::to_string(1000 + 37 * a) + "\n";
            labels += id + "," + std::to_string(a % 4 == 0) + ",2024-06-01\n";
            for (int l = 0; l < 2; ++l) {
                const std::string loan = "L" + std::to_string(a) + "_" + std::to_string(l);
                loans += loan + "," + c + "," + (l == 0 ? "car" : "card") + "\n";
                for (int m = 1; m <= 3; ++m)
                    status += loan + ",2024-0" + std::to_string(m + l) + "-15," +
                              std::to_string((a + m) % 2) + "\n";
            }
        }
        status += "L99_0,2024-01-15,1\n"; // a loan in no loan row: a join miss
        for (const auto &[name, text] : {std::pair{"contracts.csv", contracts},
                                         {"loans.csv", loans},
                                         {"status.csv", status},
                                         {"labels.csv", labels}}) {
            QFile f(dir + name);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray::fromStdString(text));
        }

        SourceForm form(dir + "status.csv");
        QVERIFY(form.setKeyColumn("loan_ref"));
        QVERIFY(form.setTimeColumn("month"));
        QVERIFY(form.setType("status", "categorical"));
        JoinEditor *join = form.join();
        join->addHop(dir + "loans.csv");
        join->setHopColumns(0, "loan_ref", "contract_id");
        QVERIFY(join->setCarried(0, {"product"}));
        join->addHop(dir + "contracts.csv");
        join->setHopColumns(1, "contract_id", "id");
        QVERIFY(join->setCarried(1, {"branch", "limit"}));
        QCOMPARE(join->hopCount(), 2);
        const EventSourceConfig made = form.toConfig();
        QCOMPARE(made.entity, std::string("loan_ref"));
        QCOMPARE(made.via.size(), size_t(2));
        QCOMPARE(made.via[0].key, std::string("loan_ref"));
        QCOMPARE(made.via[0].entity, std::string("contract_id"));
        QCOMPARE(made.via[1].key, std::string("contract_id"));
        QCOMPARE(made.via[1].entity, std::string("id"));
        QCOMPARE(made.via[0].fields.size(), size_t(1));
        QCOMPARE(made.via[0].fields[0].type, FieldType::Categorical);
        QCOMPARE(made.via[1].fields.size(), size_t(2));
        QCOMPARE(made.via[1].fields[0].type, FieldType::Categorical); // branch: 3 values
        QCOMPARE(made.via[1].fields[1].type, FieldType::Numeric);     // limit: 30 numbers

        Config cfg = loadConfig(m_synth.configPath);
        cfg.events = {made};
        cfg.events[0].name = "status";
        cfg.labels.path = (dir + "labels.csv").toStdString();
        cfg.labels.entity = "id";
        cfg.labels.target = "bad";
        cfg.labels.cutoff = "cutoff";
        cfg.labels.cutoffFormat = TimeFormat{};
        const auto problems = validate(cfg);
        QVERIFY2(problems.empty(), problems.empty() ? "" : problems[0].message.c_str());
        const RawDataset d = loadDataset(cfg);
        QCOMPARE(d.applicants.size(), size_t(30));
        QCOMPARE(d.report.sources.at(0).kept, int64_t(30 * 2 * 3));
        QCOMPARE(d.report.sources.at(0).joinMisses, int64_t(1));
        size_t product = d.fields.size(), limit = d.fields.size();
        for (size_t k = 0; k < d.fields.size(); ++k) { // one source: names unqualified
            product = d.fields[k].config.name == "product" ? k : product;
            limit = d.fields[k].config.name == "limit" ? k : limit;
        }
        QVERIFY(product < d.fields.size() && limit < d.fields.size());
        for (size_t a = 0; a < d.applicants.size(); ++a) {
            const int n = QString::fromStdString(d.applicants[a].id).mid(1).toInt();
            QCOMPARE(d.eventCount(int64_t(a)), int64_t(6));
            for (int64_t e = d.offsets[a]; e < d.offsets[a + 1]; ++e)
                QCOMPARE(d.fields[limit].values[size_t(e)], float(1000 + 37 * n));
            // January holds only the first loan's month (the second starts in February).
            QCOMPARE(d.valueText(product, d.offsets[a]), std::string("car"));
        }

        SourceForm again(dir + "status.csv");
        again.fromConfig(made);
        QCOMPARE(again.join()->hopCount(), 2);
        QCOMPARE(again.join()->carried(1), (QStringList{"branch", "limit"}));
        const EventSourceConfig back = again.toConfig();
        QCOMPARE(back.via.size(), made.via.size());
        for (size_t h = 0; h < made.via.size(); ++h) {
            QCOMPARE(back.via[h].key, made.via[h].key);
            QCOMPARE(back.via[h].entity, made.via[h].entity);
            QCOMPARE(back.via[h].fields.size(), made.via[h].fields.size());
        }
        again.join()->removeLastHop();
        QCOMPARE(again.toConfig().via.size(), size_t(1));
    }

    void theDataViewBuildsASeveralSourceConfig()
    {
        DataView *data = m_window->dataView();
        const QString dir = m_dir.path() + "/data/";
        for (const char *table : {"instalments", "bureau", "balance", "app"})
            data->importEvents(dir + table + ".csv");
        data->importLabels(dir + "labels.csv");
        QCOMPARE(data->eventTableCount(), 4);
        QCOMPARE(data->eventTable(1)->name(), QString("bureau"));
        // What the analyst sets by hand: a shorter name, the bureau table's applicant key (its
        // first "...id" column is the credit's), the balance table's join and its unit.
        data->eventTable(0)->setName("inst");
        SourceForm *balance = data->eventTable(2);
        QVERIFY(balance->setKeyColumn("credit_id"));
        balance->setJoin(dir + "bureau.csv", "credit_id", "id");
        QCOMPARE(balance->join()->parentColumns(0),
                 (QStringList{"credit_id", "id", "days_credit", "credit_type"}));
        QVERIFY(!balance->join()->setCarried(0, {"no_such_column"}));
        QVERIFY(balance->join()->setCarried(0, {"credit_type"}));
        balance->setTimeFormat("number", "months", true);
        QVERIFY(data->eventTable(1)->setKeyColumn("id"));
        data->generateConfig();
        QVERIFY2(data->validationErrors().isEmpty(),
                 qPrintable(data->validationErrors().join("\n")));

        const Config made = parseConfig(data->editor()->toPlainText().toStdString(), "made", "/");
        const Config truth = loadConfig(m_synth.configPath);
        QCOMPARE(made.events.size(), truth.events.size());
        for (size_t s = 0; s < truth.events.size(); ++s) {
            const auto &m = made.events[s], &t = truth.events[s];
            QCOMPARE(m.name, t.name);
            QCOMPARE(m.entity, t.entity);
            QCOMPARE(m.time, t.time);
            QCOMPARE(m.timeFromCutoff, t.timeFromCutoff); // inferred from negative numbers
            QCOMPARE(m.timeFormat.format == "number", t.timeFormat.format == "number");
            if (t.timeFormat.format == "number")
                QCOMPARE(m.timeFormat.unit, t.timeFormat.unit);
            QCOMPARE(m.via.size(), t.via.size());
            if (!t.via.empty()) {
                QCOMPARE(m.via[0].key, t.via[0].key);
                QCOMPARE(m.via[0].entity, t.via[0].entity);
                QCOMPARE(QFileInfo(QString::fromStdString(m.via[0].path)).fileName(),
                         QString("bureau.csv"));
                QCOMPARE(m.via[0].fields.size(), t.via[0].fields.size());
                for (size_t k = 0; k < t.via[0].fields.size(); ++k) {
                    QCOMPARE(m.via[0].fields[k].name, t.via[0].fields[k].name);
                    QCOMPARE(m.via[0].fields[k].type, t.via[0].fields[k].type);
                }
            }
            std::vector<std::string> mf, tf;
            for (const auto &f : m.fields)
                mf.push_back(f.name);
            for (const auto &f : t.fields)
                tf.push_back(f.name);
            QCOMPARE(mf, tf);
        }
        QCOMPARE(made.labels.entity, std::string("id"));
        QCOMPARE(made.labels.cutoff, std::string("application_date"));

        // Saved and reopened: the forms come back from the file, join included.
        Config saved = made;
        saved.training.epochs = 1;
        const QString path = m_dir.path() + "/multi.json";
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(configToJson(saved)));
        f.close();
        m_window->session().setConfigPath(path);
        QCOMPARE(data->eventTableCount(), 4);
        const EventSourceConfig again = data->eventTable(2)->toConfig();
        QCOMPARE(again.name, std::string("balance"));
        QCOMPARE(again.via.size(), size_t(1));
        QCOMPARE(again.via[0].entity, std::string("id"));
        QCOMPARE(again.via[0].fields.size(), size_t(1));
        QCOMPARE(again.via[0].fields[0].name, std::string("credit_type"));
        QVERIFY(again.timeFromCutoff);

        // "Remove event table" removes the tab on screen, and only it (the editor keeps the
        // config; the tabs come back from the file below).
        auto *tabs = data->findChild<QTabWidget *>(); // the view's only tab widget
        QVERIFY(tabs);
        tabs->setCurrentWidget(data->eventTable(1));
        QPushButton *remove = nullptr;
        for (QPushButton *b : data->findChildren<QPushButton *>())
            if (b->text() == "Remove event table")
                remove = b;
        QVERIFY(remove);
        remove->click();
        QCOMPARE(data->eventTableCount(), 3);
        QCOMPARE(data->eventTable(1)->name(), QString("balance"));
        m_window->session().setConfigPath(path);
        QCOMPARE(data->eventTableCount(), 4);
    }

    void theAuditCountsEachSource()
    {
        DataView *data = m_window->dataView();
        QVERIFY(!m_window->session().configPath().isEmpty()); // else saving asks for a file
        QSignalSpy done(data, &DataView::auditFinished);
        data->runAudit();
        QVERIFY(done.wait(300000));
        QCOMPARE(done.at(0).at(0).toBool(), true);
        const Config cfg = loadConfig(m_window->session().configPath().toStdString());
        const RawDataset raw = loadDataset(cfg);
        QCOMPARE(raw.report.sources.size(), size_t(4));
        for (const auto &s : raw.report.sources) {
            const QString n = QString::fromStdString(s.name) + ": ";
            QCOMPARE(auditValue(data->auditTable(), n + "rows / kept / after the cutoff"),
                     QString("%1 / %2 / %3").arg(s.rows).arg(s.kept).arg(s.afterCutoff));
            QCOMPARE(auditValue(data->auditTable(), n + "applicants covered"),
                     QString::number(s.applicantsCovered));
        }
    }

    void trainOneEpoch()
    {
        TrainView *train = m_window->trainView();
        train->setEpochs(1);
        QSignalSpy finished(train, &TrainView::trainingFinished);
        findAction(m_window.get(), QKeySequence(Qt::Key_F5))->trigger();
        QVERIFY(finished.wait(540000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        m_run = finished.at(0).at(1).toLongLong();
        QVERIFY(m_run > 0);
    }

    void theInspectorHasOneLanePerSource()
    {
        InspectorView *inspector = m_window->inspectorView();
        QSignalSpy loaded(inspector, &InspectorView::explorerLoaded);
        m_window->showPage(MainWindow::Inspector);
        if (!m_window->session().explorer())
            QVERIFY(loaded.wait(300000));
        auto explorer = m_window->session().explorer();
        QVERIFY(explorer);
        QCOMPARE(explorer->sources().size(), size_t(4));
        QApplication::processEvents();
        QCOMPARE(inspector->laneCount(), 4);
        int checked = 0;
        for (int64_t a = 0; a < explorer->count() && checked < 3; ++a) {
            const ApplicantExplanation v = explorer->explain(a);
            std::map<std::string, int> perSource;
            for (const auto &e : v.events)
                ++perSource[e.source];
            if (perSource.size() < 3)
                continue;
            QVERIFY(inspector->showApplicant(QString::fromStdString(v.id)));
            QApplication::processEvents();
            QCOMPARE(inspector->timelineBarCount(), int(v.events.size()));
            // Each lane holds exactly the bars of its source's events.
            QCustomPlot *plot = inspector->timeline();
            for (int lane = 0; lane < plot->axisRectCount(); ++lane) {
                int bars = 0;
                for (QCPAbstractPlottable *p : plot->axisRect(lane)->plottables())
                    bars += p->interface1D()->dataCount();
                QCOMPARE(bars, perSource[explorer->sources()[size_t(lane)]]);
            }
            // The heatmap: own inputs and the time inputs of each event, nothing else.
            int cells = 0;
            for (const auto &e : v.events)
                for (size_t i = 0; i < explorer->inputs().size(); ++i) {
                    const int owner = explorer->inputSources()[i];
                    cells += owner < 0 || explorer->sources()[size_t(owner)] == e.source;
                }
            QCOMPARE(inspector->heatmapCellCount(), cells);
            QVERIFY(cells < int(v.events.size() * explorer->inputs().size()));
            QCOMPARE(inspector->eventsTable()->horizontalHeaderItem(2)->text(), QString("source"));
            for (int r = 0; r < int(v.events.size()); ++r)
                QCOMPARE(inspector->eventsTable()->item(r, 2)->text().toStdString(),
                         v.events[size_t(r)].source);
            ++checked;
        }
        QCOMPARE(checked, 3);
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestWorkbenchSources)
#include "test_workbench_sources.moc"
