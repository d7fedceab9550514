// SPDX-License-Identifier: GPL-3.0-or-later
// The workbench driven as a user would, on the offscreen platform: open the demo project,
// train one epoch through the F5 action and wait for the finished signal, check the loss and
// ROC plots hold data, pick an applicant and check the timeline has one bar per event and the
// heatmap the right size, click an event and check the table selection follows (and back),
// export a plot and check the PNG and CSV.
#include "ui_test_util.h"
#include "workbench/compare_view.h"
#include "workbench/data_view.h"
#include "workbench/explain_view.h"
#include "workbench/inspector_view.h"
#include "workbench/main_window.h"
#include "workbench/monitoring_view.h"
#include "workbench/plot_export.h"
#include "workbench/project_session.h"
#include "workbench/train_view.h"

#include <qcustomplot.h>

#include <QAction>
#include <QLabel>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "seqlens/data/config.h"
#include "seqlens/data/synth.h"

using namespace seqlens;
using namespace seqlens::ui;
using seqlens::uitest::findAction;

namespace {

// Waits that catch a hang, not a speed check: one epoch of the demo takes about 15 s here, but a
// CI machine running another training test beside this one once needed over 180 s.
constexpr int kTrainWaitMs = 540000;
constexpr int kJobWaitMs = 300000;

// An event whose bar no other bar overlaps (so a click at its centre hits only it).
int isolatedEvent(const ApplicantExplanation &v, double barWidthSeconds)
{
    for (int e = 0; e < int(v.events.size()); ++e) {
        bool alone = true;
        for (int o = 0; o < int(v.events.size()); ++o)
            alone = alone && (o == e || std::fabs(v.events[size_t(o)].timeDays -
                                                  v.events[size_t(e)].timeDays) *
                                                86400.0 >
                                            2 * barWidthSeconds);
        if (alone && v.events[size_t(e)].itemWeight > 0.02)
            return e;
    }
    return -1;
}

} // namespace

class TestWorkbench : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_trainedRun = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("SeqLensTest");
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(m_window->openDemoProject(m_dir.path() + "/demo"));
        QVERIFY(QFileInfo::exists(m_dir.path() + "/demo/demo.seqlens"));
        QCOMPARE(m_window->session().configPath(), m_dir.path() + "/demo/config.json");
    }

    void configEditorValidatesAsYouType()
    {
        DataView *data = m_window->dataView();
        const QString good = data->editor()->toPlainText();
        QVERIFY(good.contains("\"events\""));
        data->editor()->setPlainText(
            QString(good).replace("\"emb_dim\": 8", "\"emb_dim\": \"eight\""));
        QTRY_VERIFY_WITH_TIMEOUT(!data->validationErrors().isEmpty(), 3000);
        QVERIFY2(data->validationErrors().join("\n").contains("/model/emb_dim"),
                 qPrintable(data->validationErrors().join("\n")));
        data->editor()->setPlainText(good);
        QTRY_VERIFY_WITH_TIMEOUT(data->validationErrors().isEmpty(), 3000);
    }

    void aViewMadeAfterTheConfigShowsItsValues()
    {
        // Regression: the form once kept its spin-box minimums (batch size 1) when the view was
        // created after the config was chosen, and trained 5x slower.
        TrainView late(m_window->session());
        QCOMPARE(
            late.batchSize(),
            int(loadConfig(m_window->session().configPath().toStdString()).training.batchSize));
    }

    void trainOneEpochThroughTheF5Action()
    {
        TrainView *train = m_window->trainView();
        train->setEpochs(1);
        QSignalSpy finished(train, &TrainView::trainingFinished);
        QAction *f5 = findAction(m_window.get(), QKeySequence(Qt::Key_F5));
        QVERIFY(f5);
        f5->trigger();
        QVERIFY(train->isTraining());
        QVERIFY(finished.wait(kTrainWaitMs));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        const qint64 run = finished.at(0).at(1).toLongLong();
        QVERIFY(run > 0);
        m_trainedRun = run;
        QCOMPARE(m_window->session().store().run(run).status, RunStatus::Finished);
        QCustomPlot *loss = train->historyPlot();
        // "auto": both candidates trained side by side, each with its loss and AUC curve of
        // one epoch.
        QCOMPARE(loss->graphCount(), 4);
        for (int g = 0; g < 4; ++g) {
            QCOMPARE(loss->graph(g)->dataCount(), 1);
            QVERIFY(std::isfinite(loss->graph(g)->data()->at(0)->value));
        }
        QVERIFY(loss->graph(0)->name().endsWith("gru"));
        QVERIFY(loss->graph(2)->name().endsWith("transformer"));
        // The compare view shows the new run: the ROC plot holds the sequence model's curve.
        QCustomPlot *roc = m_window->compareView()->rocPlot();
        QCOMPARE(roc->graphCount(), 2); // chance diagonal + sequence
        QVERIFY(roc->graph(1)->dataCount() > 20);
        QTableWidget *metrics = m_window->compareView()->metricsTable();
        const QString auc = QString::number(
            m_window->session().store().metric(run, "test", "sequence", "auc")->value, 'f', 4);
        bool found = false;
        for (int r = 0; r < metrics->rowCount(); ++r)
            found = found || (metrics->item(r, 0)->text() == "sequence" &&
                              metrics->item(r, 1)->text() == "auc" &&
                              metrics->item(r, 2)->text().startsWith(auc + " ["));
        QVERIFY2(found, qPrintable(auc));
    }

    // The Explain view plots the run's recorded audit: its bars are the stored figures,
    // recomputed here from the JSON (sorting and selection done independently of the view).
    void explainViewPlotsTheRecordedAttributions()
    {
        QVERIFY(m_trainedRun > 0);
        const auto art = m_window->session().store().artifact(m_trainedRun, "explanation_audit");
        QVERIFY(art);
        const nlohmann::json a = nlohmann::json::parse(*art);
        ExplainView *view = m_window->explainView();
        view->showRun(m_trainedRun);
        QCOMPARE(view->tabs()->count(), 3);
        QVERIFY(view->tabs()->tabText(0).contains("score units"));
        const auto &g = a["global_attribution"];
        std::vector<double> meanAbs = g["mean_abs"].get<std::vector<double>>();
        std::sort(meanAbs.rbegin(), meanAbs.rend());
        auto *inputs = qobject_cast<QCPBars *>(view->inputAttributionPlot()->plottable(0));
        QVERIFY(inputs);
        // Horizontal bars, the largest at the top (the last key).
        const int n = inputs->dataCount();
        QCOMPARE(n, int(meanAbs.size()));
        for (int i = 0; i < n; ++i)
            QVERIFY(std::fabs(inputs->data()->at(i)->value - meanAbs[size_t(n - 1 - i)]) < 1e-12);
        // Signed values: red bars above 0, blue below; each key's two bars add up to the value.
        std::vector<double> expected;
        for (const auto &v : g["values"])
            if (v["events"].get<int64_t>() >= 5)
                expected.push_back(v["mean_signed"].get<double>());
        std::sort(expected.begin(), expected.end(),
                  [](double x, double y) { return std::fabs(x) > std::fabs(y); });
        expected.resize(std::min<size_t>(expected.size(), 16));
        std::sort(expected.rbegin(), expected.rend());
        QCustomPlot *values = view->valueAttributionPlot();
        QCOMPARE(values->plottableCount(), 2);
        auto *up = qobject_cast<QCPBars *>(values->plottable(0));
        auto *down = qobject_cast<QCPBars *>(values->plottable(1));
        const int m = up->dataCount();
        QCOMPARE(m, int(expected.size()));
        for (int i = 0; i < m; ++i) {
            QVERIFY(up->data()->at(i)->value >= 0 && down->data()->at(i)->value <= 0);
            QVERIFY(std::fabs(up->data()->at(i)->value + down->data()->at(i)->value -
                              expected[size_t(m - 1 - i)]) < 1e-12);
        }
        auto *bands = qobject_cast<QCPBars *>(view->timeAttributionPlot()->plottable(0));
        QCOMPARE(bands->dataCount(), int(g["bands"].size()));
        // Faithfulness: a deletion and an insertion curve per method; the surrogate's last bar
        // (at the bottom, the first key) is the memory term.
        const auto &f = a["faithfulness"];
        QCOMPARE(view->faithfulnessPlot()->graphCount(), 2 * int(f["methods"].size()));
        auto *coef = qobject_cast<QCPBars *>(view->surrogatePlot()->plottable(0));
        QVERIFY(std::fabs(coef->data()->at(0)->value -
                          a["surrogate"]["previous_state_norm"].get<double>()) < 1e-12);
        const QString text = view->auditLabel()->text();
        QVERIFY2(
            text.contains(
                QString::fromStdString(f["verdict"].get<std::string>()).left(30).toHtmlEscaped()),
            qPrintable(text));
        QVERIFY(text.contains(f["sanity_check"]["passed"].get<bool>() ? "passed" : "FAILED"));
    }

    void inspectorShowsOneBarPerEventAndSyncsSelection()
    {
        InspectorView *inspector = m_window->inspectorView();
        QSignalSpy loaded(inspector, &InspectorView::explorerLoaded);
        m_window->showPage(
            MainWindow::Inspector); // the inspector loads the selected run when shown
        if (!m_window->session().explorer())
            QVERIFY(loaded.wait(kJobWaitMs));
        auto explorer = m_window->session().explorer();
        QVERIFY(explorer && explorer->count() == 5000);
        QApplication::processEvents();
        // The view opens on the highest-scoring applicant instead of empty plots.
        QVERIFY(inspector->current() != nullptr);
        QVERIFY(inspector->timelineBarCount() == int(inspector->current()->events.size()));
        int chosen = -1;
        for (int64_t a = 0; a < explorer->count() && chosen < 0; ++a) {
            const ApplicantExplanation v = explorer->explain(a);
            if (v.events.size() < 5)
                continue;
            QVERIFY(inspector->showApplicant(QString::fromStdString(v.id)));
            QApplication::processEvents();
            QCOMPARE(inspector->timelineBarCount(), int(v.events.size()));
            QCOMPARE(inspector->heatmapSize(),
                     QSize(int(v.events.size()), int(explorer->inputs().size())));
            QCOMPARE(inspector->eventsTable()->rowCount(), int(v.events.size()));
            auto *bars = qobject_cast<QCPBars *>(inspector->timeline()->plottable(0));
            chosen = isolatedEvent(v, bars->width());
        }
        QVERIFY(chosen >= 0);
        // Bars show the IG contribution by default; attention is one switch away.
        const ApplicantExplanation &shown = *inspector->current();
        double barSum = 0, igSum = 0;
        for (int i = 0; i < inspector->timeline()->plottableCount(); ++i)
            if (auto *b = qobject_cast<QCPBars *>(inspector->timeline()->plottable(i)))
                for (auto it = b->data()->begin(); it != b->data()->end(); ++it)
                    barSum += it->value;
        for (const auto &e : shown.events)
            igSum += e.attributionTotal;
        QVERIFY(std::fabs(barSum - igSum) < 1e-6);
        QVERIFY(!inspector->reasonsText().isEmpty());
        // The occlusion view computes occlusion on demand: bars = logit drop when removed.
        inspector->setMeasure(InspectorView::Measure::Occlusion);
        QVERIFY(inspector->current()->occlusion);
        double occBars = 0, occSum = 0;
        for (int i = 0; i < inspector->timeline()->plottableCount(); ++i)
            if (auto *b = qobject_cast<QCPBars *>(inspector->timeline()->plottable(i)))
                for (auto it = b->data()->begin(); it != b->data()->end(); ++it)
                    occBars += it->value;
        for (const auto &e : inspector->current()->events)
            occSum -= e.occlusionDelta;
        QVERIFY(std::fabs(occBars - occSum) < 1e-6);
        inspector->setMeasure(InspectorView::Measure::Attention);
        QApplication::processEvents();
        const ApplicantExplanation &v = *inspector->current();
        QCustomPlot *t = inspector->timeline();
        const QPoint click(int(t->xAxis->coordToPixel(v.events[size_t(chosen)].timeDays * 86400.0)),
                           int(t->yAxis->coordToPixel(v.events[size_t(chosen)].itemWeight / 2)));
        QTest::mouseClick(t, Qt::LeftButton, Qt::NoModifier, click);
        QCOMPARE(inspector->selectedEvent(), chosen);
        QCOMPARE(inspector->eventsTable()->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(inspector->eventsTable()->selectionModel()->selectedRows().at(0).row(), chosen);
        // And back: a table row selects the bar.
        const int other = chosen == 0 ? 1 : 0;
        inspector->eventsTable()->setCurrentCell(other, 1);
        QCOMPARE(inspector->selectedEvent(), other);
        int selectedBars = 0;
        for (int i = 0; i < t->plottableCount(); ++i)
            selectedBars += t->plottable(i)->selection().dataPointCount();
        QCOMPARE(selectedBars, 1);
        QVERIFY(!inspector->showApplicant("no-such-applicant"));
        // What-if: remove the selected event, the score follows the core's what-if; undo.
        const double before = inspector->current()->score;
        const size_t n = inspector->current()->events.size();
        inspector->selectEvent(0);
        QVERIFY(inspector->applyEdit({HistoryEdit::Kind::Remove, 0, {}, {}, 0}));
        QCOMPARE(inspector->current()->events.size(), n - 1);
        QCOMPARE(inspector->editCount(), 1);
        QVERIFY(!inspector->applyEdit({HistoryEdit::Kind::Remove, 9999, {}, {}, 0}));
        QCOMPARE(inspector->editCount(), 1);
        inspector->undoEdit();
        QCOMPARE(inspector->current()->events.size(), n);
        QVERIFY(std::fabs(inspector->current()->score - before) < 1e-9);
        inspector->setMeasure(InspectorView::Measure::IntegratedGradients);
    }

    void exportingAPlotWritesPngAndCsv()
    {
        InspectorView *inspector = m_window->inspectorView();
        QVERIFY(inspector->current());
        const QString png = m_dir.path() + "/timeline.png", csv = m_dir.path() + "/timeline.csv";
        QVERIFY(exportPlot(inspector->timeline(), png));
        QImage img(png);
        QVERIFY(!img.isNull());
        QVERIFY(img.width() >= inspector->timeline()->width());
        QVERIFY(exportPlot(inspector->timeline(), csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(),
                 int(inspector->current()->events.size()) + 1); // header + one row per bar
        QVERIFY(!exportPlot(inspector->timeline(), m_dir.path() + "/timeline.bmpx"));
    }

    // Monitoring from the view: a later quarter with a new event type, run on the worker thread;
    // the view shows the new record, and its tables and plots hold the record's figures.
    void monitoringViewRunsABatchAndShowsIt()
    {
        QVERIFY(m_trainedRun > 0);
        SynthOptions o;
        o.outDir = (m_dir.path() + "/later").toStdString();
        o.applicants = 1500;
        o.seed = 77;
        o.startDays = 20089; // 2025-01-01
        o.spanDays = 90;
        o.drift = SynthDrift::NewType;
        const SynthSummary later = writeSynthDataset(o);
        m_window->showPage(MainWindow::Monitoring);
        MonitoringView *view = m_window->monitoringView();
        QSignalSpy finished(view, &MonitoringView::monitoringFinished);
        // Cancelled at once: nothing recorded.
        view->runMonitoring(QString::fromStdString(later.eventsPath),
                            QString::fromStdString(later.labelsPath), "month");
        for (auto *b : view->findChildren<QPushButton *>())
            if (b->text() == "Cancel")
                b->click();
        QVERIFY(finished.wait(kJobWaitMs));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        auto &store = m_window->session().store();
        QCOMPARE(store.monitorings(m_trainedRun).size(), size_t(0));
        view->runMonitoring(QString::fromStdString(later.eventsPath),
                            QString::fromStdString(later.labelsPath), "month");
        QVERIFY(finished.wait(kJobWaitMs));
        QCOMPARE(finished.at(1).at(0).toBool(), true);
        const qint64 record = finished.at(1).at(1).toLongLong();
        QCOMPARE(store.monitorings(m_trainedRun).size(), size_t(1));
        QCOMPARE(view->shownRecord(), record);
        const auto j = nlohmann::json::parse(store.monitoring(record).json);
        QCOMPARE(view->checksTable()->rowCount(), int(j["checks"].size()));
        // The new event type makes the characteristic check red; the ranked table says so.
        QCOMPARE(view->checksTable()->item(1, 0)->text(), QString("characteristic stability"));
        QCOMPARE(view->checksTable()->item(1, 1)->text(), QString("RED"));
        QCOMPARE(view->inputsTable()->rowCount(), int(j["characteristics"].size()));
        QCOMPARE(view->inputsTable()->item(0, 1)->text(),
                 QString::fromStdString(j["characteristics"][0]["name"].get<std::string>()));
        QCOMPARE(view->inputsTable()->item(0, 4)->text(), QString("RED"));
        // The timeline: one point per cohort (three months), for each series.
        for (int series = 0; series < 3; ++series) {
            view->seriesBox()->setCurrentIndex(series);
            QCOMPARE(view->timelinePlot()->graph(0)->dataCount(), int(j["cohorts"].size()));
        }
        QCOMPARE(int(j["cohorts"].size()), 3);
        // Clicking an input shows its bins: development and batch bars, one per bin.
        view->inputsTable()->setCurrentCell(2, 1);
        const auto &bins = j["characteristics"][2]["bins"]["labels"];
        int bars = 0;
        for (int i = 0; i < view->inputPlot()->plottableCount(); ++i)
            if (auto *b = qobject_cast<QCPBars *>(view->inputPlot()->plottable(i)))
                bars += b->dataCount();
        QCOMPARE(bars, 2 * int(bins.size()));
        const QString pdf = m_dir.path() + "/monitoring.pdf";
        view->exportReport(pdf);
        QVERIFY(QFileInfo(pdf).size() > 10000);
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestWorkbench)
#include "test_workbench.moc"
