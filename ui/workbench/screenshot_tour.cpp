// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/screenshot_tour.h"

#include "workbench/compare_view.h"
#include "workbench/data_view.h"
#include "workbench/explain_view.h"
#include "workbench/inspector_view.h"
#include "workbench/main_window.h"
#include "workbench/monitoring_view.h"
#include "workbench/project_session.h"
#include "workbench/train_view.h"

#include "seqlens/data/synth.h"

#include <QDir>
#include <QEventLoop>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>

#include <cstdio>

namespace seqlens::ui {

namespace {

// Waits for `signal` of `sender` (at most `ms`); true when it came.
template <typename Sender, typename Signal>
bool waitFor(Sender *sender, Signal signal, int ms)
{
    QEventLoop loop;
    bool fired = false;
    QObject::connect(sender, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
    return fired;
}

bool grab(MainWindow &w, MainWindow::Page page, const QString &path)
{
    w.showPage(page);
    QEventLoop loop;
    QTimer::singleShot(300, &loop, &QEventLoop::quit);
    loop.exec();
    const bool ok = w.grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

} // namespace

// Monitors a later quarter of the demo population with a new event type (the selected run).
bool monitorLaterQuarter(MainWindow &w, const QString &demoDir, const QString &path)
{
    SynthOptions o;
    o.outDir = (demoDir + "/later").toStdString();
    o.applicants = 3000;
    o.seed = 99;
    o.startDays = 20089; // 2025-01-01
    o.spanDays = 90;
    o.drift = SynthDrift::NewType;
    const SynthSummary later = writeSynthDataset(o);
    w.showPage(MainWindow::Monitoring);
    w.monitoringView()->runMonitoring(QString::fromStdString(later.eventsPath),
                                      QString::fromStdString(later.labelsPath), "month");
    if (!waitFor(w.monitoringView(), &MonitoringView::monitoringFinished, 300000))
        return false;
    w.monitoringView()->inputsTable()->setCurrentCell(0, 1);
    return grab(w, MainWindow::Monitoring, path);
}

int runScreenshotTour(MainWindow &w, const QString &demoDir, const QString &outDir)
{
    QDir().mkpath(outDir);
    w.resize(1500, 950);
    w.show();
    bool ok = grab(w, MainWindow::Start, outDir + "/1-start.png");
    if (!w.openDemoProject(demoDir))
        return 1;
    w.dataView()->runAudit();
    waitFor(w.dataView(), &DataView::auditFinished, 120000);
    ok &= grab(w, MainWindow::Data, outDir + "/2-data.png");
    w.trainView()->setEpochs(12);
    w.showPage(MainWindow::Train);
    w.trainView()->startTraining();
    if (!waitFor(w.trainView(), &TrainView::trainingFinished, 600000))
        return 2;
    ok &= grab(w, MainWindow::Train, outDir + "/3-train.png");
    w.compareView()->runCompare(3, 12);
    if (!waitFor(w.compareView(), &CompareView::compareFinished, 900000))
        return 3;
    ok &= grab(w, MainWindow::Compare, outDir + "/4-compare.png");
    w.explainView()->tabs()->setCurrentIndex(0);
    ok &= grab(w, MainWindow::Explain, outDir + "/5-explain.png");
    w.explainView()->tabs()->setCurrentIndex(1);
    ok &= grab(w, MainWindow::Explain, outDir + "/5b-explain-faithfulness.png");
    w.explainView()->tabs()->setCurrentIndex(0);
    w.showPage(MainWindow::Inspector); // starts loading the selected run's model
    waitFor(w.inspectorView(), &InspectorView::explorerLoaded, 120000);
    auto *list = w.inspectorView()->applicantList();
    list->selectRow(0); // the riskiest applicant (sorted by score)
    w.inspectorView()->selectEvent(
        int(w.inspectorView()->current() ? w.inspectorView()->current()->events.size() / 2 : 0));
    ok &= grab(w, MainWindow::Inspector, outDir + "/6-inspector.png");
    ok &= monitorLaterQuarter(w, demoDir, outDir + "/7-monitoring.png");
    return ok ? 0 : 4;
}

} // namespace seqlens::ui
