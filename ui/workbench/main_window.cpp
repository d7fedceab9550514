// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/main_window.h"

#include "report/reports.h"
#include "workbench/compare_view.h"
#include "workbench/data_view.h"
#include "workbench/explain_view.h"
#include "workbench/monitoring_view.h"
#include "workbench/inspector_view.h"
#include "workbench/plot_export.h"
#include "workbench/project_session.h"
#include "workbench/start_view.h"
#include "workbench/train_view.h"

#include "seqlens/util/error.h"
#include "seqlens/nn/sequence_model.h"
#include "seqlens/data/synth.h"
#include "seqlens/util/version.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>

namespace seqlens::ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent), m_session(new ProjectSession(this))
{
    m_start = new StartView;
    m_data = new DataView(*m_session);
    m_train = new TrainView(*m_session);
    m_compare = new CompareView(*m_session);
    m_explain = new ExplainView(*m_session);
    m_inspector = new InspectorView(*m_session);
    m_monitoring = new MonitoringView(*m_session);
    m_nav = new QListWidget;
    m_nav->addItems(
        {"Start", "Data", "Train", "Compare", "Explain", "Applicant inspector", "Monitoring"});
    m_nav->setMaximumWidth(170);
    m_pages = new QStackedWidget;
    for (QWidget *w : std::initializer_list<QWidget *>{m_start, m_data, m_train, m_compare,
                                                       m_explain, m_inspector, m_monitoring})
        m_pages->addWidget(w);
    auto *split = new QSplitter;
    split->addWidget(m_nav);
    split->addWidget(m_pages);
    split->setStretchFactor(1, 1);
    split->setSizes({170, 1230});
    setCentralWidget(split);
    connect(m_nav, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(m_start, &StartView::newProject, this, &MainWindow::newProject);
    connect(m_start, &StartView::openProject, this, [this] {
        const QString p = QFileDialog::getOpenFileName(
            this, "Open project", {}, "SeqLens project (*.seqlens);;All files (*)");
        if (!p.isEmpty())
            openProject(p);
    });
    connect(m_start, &StartView::openDemo, this, [this] { openDemoProject(); });
    connect(m_start, &StartView::openRecent, this, [this](const QString &p) { openProject(p); });
    // The inspector loads a run's model and data (seconds on large data) only when it is shown.
    connect(m_session, &ProjectSession::runSelected, this, [this](qint64 run) {
        statusBar()->showMessage(QString("run %1 selected").arg(run), 5000);
        m_inspectorPending = run > 0 && m_session->explorerRun() != run;
        if (m_pages->currentIndex() == Inspector)
            loadInspectorIfPending();
    });
    connect(m_nav, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row == Inspector)
            loadInspectorIfPending();
    });
    buildMenus();
    statusBar()->showMessage("Open a project or the demo project to begin.");
    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    if (!settings.contains("window/geometry"))
        resize(1400, 900);
    showPage(Start);
    updateTitle();
}

MainWindow::~MainWindow() = default;

QWidget *MainWindow::page(Page p) const
{
    return m_pages->widget(int(p));
}

void MainWindow::showPage(Page page)
{
    m_nav->setCurrentRow(int(page));
}

void MainWindow::loadInspectorIfPending()
{
    if (!m_inspectorPending)
        return;
    m_inspectorPending = false;
    m_inspector->loadRun(m_session->currentRun());
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu("&File");
    file->addAction("&New project…", QKeySequence::New, this, &MainWindow::newProject);
    file->addAction("&Open project…", QKeySequence::Open, this, [this] {
        const QString p = QFileDialog::getOpenFileName(
            this, "Open project", {}, "SeqLens project (*.seqlens);;All files (*)");
        if (!p.isEmpty())
            openProject(p);
    });
    file->addAction("Open &demo project", this, [this] { openDemoProject(); });
    file->addAction("&Save config", QKeySequence::Save, this, [this] { m_data->saveConfig(); });
    file->addAction("&Export…", QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::exportMenu);
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);
    QMenu *run = menuBar()->addMenu("&Run");
    run->addAction("&Train", QKeySequence(Qt::Key_F5), this, [this] {
        showPage(Train);
        m_train->startTraining();
    });
    run->addAction("&Cancel training", this, [this] { m_train->cancel(); });
    run->addAction("Co&mpare (5 folds)", this, [this] {
        showPage(Compare);
        m_compare->runCompare(5);
    });
    QMenu *view = menuBar()->addMenu("&View");
    const char *names[] = {"Start",   "Data",    "Train",     "Compare",
                           "Explain", "Applicant inspector", "Monitoring"};
    for (int i = 0; i < 7; ++i)
        view->addAction(names[i], QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)), this,
                        [this, i] { showPage(Page(i)); });
    menuBar()->addMenu("&Help")->addAction("&About SeqLens", this, &MainWindow::about);
}

bool MainWindow::openProject(const QString &path)
{
    try {
        m_session->open(path);
    } catch (const Error &e) {
        QMessageBox::warning(this, "Open project",
                             QString::fromStdString(e.what()) +
                                 "\n\nChoose a SeqLens project file or create a new one.");
        return false;
    }
    m_start->refreshRecent();
    updateTitle();
    const int64_t interrupted = m_session->store().interruptedOnOpen();
    statusBar()->showMessage(
        QString("opened %1%2")
            .arg(path,
                 interrupted ? QString(" (%1 interrupted run(s) marked)").arg(interrupted) : ""));
    showPage(m_session->currentRun() > 0 ? Compare : Data);
    return true;
}

bool MainWindow::openDemoProject(const QString &dirIn)
{
    const QString dir = dirIn.isEmpty() ? QDir::homePath() + "/SeqLens-demo" : dirIn;
    try {
        if (!QFileInfo::exists(dir + "/config.json")) {
            statusBar()->showMessage("generating the synthetic demo data…");
            QApplication::setOverrideCursor(Qt::WaitCursor);
            writeSynthDataset({dir.toStdString(), 5000, 42});
            QApplication::restoreOverrideCursor();
        }
    } catch (const Error &e) {
        QApplication::restoreOverrideCursor();
        QMessageBox::warning(this, "Demo project", QString::fromStdString(e.what()));
        return false;
    }
    if (!openProject(dir + "/demo.seqlens"))
        return false;
    m_session->setConfigPath(dir + "/config.json");
    if (m_session->currentRun() == 0)
        showPage(Train);
    return true;
}

void MainWindow::newProject()
{
    const QString p = QFileDialog::getSaveFileName(
        this, "New project", QDir::homePath() + "/project.seqlens", "SeqLens project (*.seqlens)");
    if (!p.isEmpty() && openProject(p))
        showPage(Data);
}

void MainWindow::exportMenu()
{
    QStringList items{"Model-validation report of the selected run (PDF or HTML)…"};
    if (m_inspector->current())
        items << "Applicant report of " + QString::fromStdString(m_inspector->current()->id) +
                     " (PDF or HTML)…";
    items << "A plot: right-click it and choose Export";
    bool ok = false;
    const QString choice = QInputDialog::getItem(this, "Export", "What to export:", items, 0, false,
                                                 &ok);
    if (!ok || choice.startsWith("A plot") || !m_session->isOpen() || m_session->currentRun() <= 0)
        return;
    QSettings settings;
    const QString folder = settings.value("export/lastFolder", QDir::homePath()).toString();
    const QString fmt = settings.value("export/lastReportFormat", "pdf").toString();
    const QString path = QFileDialog::getSaveFileName(
        this, "Export report", folder + "/report." + fmt, "PDF (*.pdf);;HTML (*.html)");
    if (path.isEmpty())
        return;
    try {
        if (choice.startsWith("Model"))
            report::writeValidationReport(m_session->store(), m_session->currentRun(),
                                          path.toStdString());
        else
            report::writeApplicantReport(m_session->store(),
                                         m_session->explorerRun() > 0 ? m_session->explorerRun()
                                                                      : m_session->currentRun(),
                                         m_inspector->current()->id, path.toStdString());
        settings.setValue("export/lastFolder", QFileInfo(path).absolutePath());
        settings.setValue("export/lastReportFormat", QFileInfo(path).suffix().toLower());
        statusBar()->showMessage("wrote " + path, 5000);
    } catch (const Error &e) {
        QMessageBox::warning(this, "Export", QString::fromStdString(e.what()));
    }
}

void MainWindow::about()
{
    QMessageBox::about(
        this, "About SeqLens",
        QString("<h3>SeqLens %1</h3><p>Credit-risk deep learning on event sequences.</p>"
                "<p>git %2<br>Qt %3<br>LibTorch %4<br>QCustomPlot %5</p><p>GPL-3.0-or-later</p>")
            .arg(seqlensVersion(), gitRevision(), qVersion(),
                 QString::fromStdString(torchVersion()), QCUSTOMPLOT_VERSION_STR));
}

void MainWindow::updateTitle()
{
    setWindowTitle(m_session->isOpen() ? QFileInfo(m_session->path()).fileName() + " — SeqLens"
                                       : "SeqLens");
}

void MainWindow::closeEvent(QCloseEvent *e)
{
    if (m_train->isTraining()) {
        if (QMessageBox::question(this, "Quit", "Training is running. Cancel it and quit?") !=
            QMessageBox::Yes) {
            e->ignore();
            return;
        }
        m_train->cancel();
    }
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    e->accept();
}

} // namespace seqlens::ui
