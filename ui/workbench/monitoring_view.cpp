// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/monitoring_view.h"

#include "report/monitor_record_plots.h"
#include "report/reports.h"
#include "workbench/job.h"
#include "workbench/monitoring_tables.h"
#include "workbench/plot_export.h"
#include "workbench/project_session.h"

#include "seqlens/monitor/monitor_project.h"
#include "seqlens/util/error.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>

namespace seqlens::ui {

using nlohmann::json;

MonitoringView::MonitoringView(ProjectSession &session, QWidget *parent)
    : QWidget(parent), m_session(session)
{
    m_run = new QComboBox;
    m_batch = new QComboBox;
    m_series = new QComboBox;
    m_series->addItems({"score PSI", "AUC", "bad rate"});
    m_monitor = new QPushButton("Monitor new files…");
    m_cancel = new QPushButton("Cancel");
    m_cancel->setEnabled(false);
    m_export = new QPushButton("Export report…");
    m_progress = new QProgressBar;
    m_progress->setFormat("idle");
    m_progress->setValue(0);
    m_status = new QLabel("Pick a run with monitored batches, or monitor new files.");
    m_status->setWordWrap(true);
    m_timeline = new QCustomPlot;
    m_input = new QCustomPlot;
    for (auto [plot, name] :
         {std::pair{m_timeline, "monitoring_timeline"}, std::pair{m_input, "monitoring_input"}}) {
        plot->setMinimumSize(360, 240);
        enablePlotExport(plot, name);
    }
    m_checks = monitoringTable();
    m_cohorts = monitoringTable();
    m_inputs = monitoringTable();
    m_shape = monitoringTable();
    m_segments = monitoringTable();

    buildLayout();
    connectSignals();
}

void MonitoringView::buildLayout()
{
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel("run"));
    top->addWidget(m_run, 1);
    top->addWidget(new QLabel("batch"));
    top->addWidget(m_batch, 1);
    top->addWidget(m_monitor);
    top->addWidget(m_cancel);
    top->addWidget(m_progress);
    top->addWidget(m_export);
    auto *timelineBox = new QVBoxLayout;
    auto *seriesRow = new QHBoxLayout;
    seriesRow->addWidget(new QLabel("by cohort:"));
    seriesRow->addWidget(m_series, 1);
    timelineBox->addLayout(seriesRow);
    timelineBox->addWidget(m_timeline, 1);
    auto *upper = new QGridLayout;
    upper->addWidget(m_checks, 0, 0);
    upper->addLayout(timelineBox, 0, 1);
    upper->setColumnStretch(0, 1);
    upper->setColumnStretch(1, 1);
    m_inputTitle = new QLabel;
    m_inputTitle->setWordWrap(true);
    auto *inputBox = new QWidget;
    auto *inputLayout = new QVBoxLayout(inputBox);
    inputLayout->setContentsMargins(0, 0, 0, 0);
    inputLayout->addWidget(m_inputTitle);
    inputLayout->addWidget(m_input, 1);
    auto *inputsPage = new QSplitter(Qt::Horizontal);
    inputsPage->addWidget(m_inputs);
    inputsPage->addWidget(inputBox);
    m_tabs = new QTabWidget;
    m_tabs->addTab(inputsPage, "Inputs by PSI");
    m_tabs->addTab(m_cohorts, "Cohorts");
    m_tabs->addTab(m_shape, "Sequence shape");
    m_tabs->addTab(m_segments, "Segments");
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addLayout(upper, 2);
    layout->addWidget(m_tabs, 3);
}

void MonitoringView::connectSignals()
{
    connect(&m_session, &ProjectSession::runsChanged, this, &MonitoringView::refreshRuns);
    connect(&m_session, &ProjectSession::opened, this, &MonitoringView::refreshRuns);
    connect(&m_session, &ProjectSession::runSelected, this, [this](qint64 run) {
        m_run->setCurrentIndex(std::max(0, m_run->findData(run)));
        refreshRecords();
    });
    connect(m_run, &QComboBox::activated, this, [this] { refreshRecords(); });
    connect(m_batch, &QComboBox::activated, this,
            [this] { showRecord(m_batch->currentData().toLongLong()); });
    connect(m_series, &QComboBox::currentIndexChanged, this, &MonitoringView::drawTimeline);
    connect(m_inputs, &QTableWidget::currentCellChanged, this, [this](int row) { showInput(row); });
    connect(m_monitor, &QPushButton::clicked, this, &MonitoringView::monitorFilesDialog);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
    });
    connect(m_export, &QPushButton::clicked, this, [this] {
        if (m_record <= 0)
            return;
        const QString path = QFileDialog::getSaveFileName(
            this, "Export monitoring report",
            QFileInfo(m_session.path()).absolutePath() +
                QString("/monitoring-%1.pdf").arg(m_record),
            "PDF (*.pdf);;HTML (*.html)");
        if (!path.isEmpty())
            exportReport(path);
    });
}

void MonitoringView::refreshRuns()
{
    if (!m_session.isOpen())
        return;
    const qint64 keep = m_run->currentData().toLongLong();
    m_run->clear();
    for (const auto &r : m_session.store().runs()) {
        if (r.status != RunStatus::Finished)
            continue;
        const auto n = m_session.store().monitorings(r.id).size();
        m_run->addItem(QString("run %1: %2, %3 monitored")
                           .arg(r.id)
                           .arg(QString::fromStdString(r.kind))
                           .arg(n),
                       qlonglong(r.id));
    }
    m_run->setCurrentIndex(std::max(0, m_run->findData(keep)));
    refreshRecords();
}

void MonitoringView::refreshRecords(qint64 select)
{
    m_batch->clear();
    const qint64 run = m_run->currentData().toLongLong();
    if (!m_session.isOpen() || run <= 0)
        return;
    for (const auto &m : m_session.store().monitorings(run))
        m_batch->addItem(QString("%1: %2 (%3, %4)")
                             .arg(m.id)
                             .arg(QString::fromStdString(m.name),
                                  QString::fromStdString(m.createdAt),
                                  QString::fromStdString(m.status).toUpper()),
                         qlonglong(m.id));
    if (m_batch->count() == 0) {
        m_status->setText(
            QString("Run %1 has no monitored batch yet: monitor new files.").arg(run));
        return;
    }
    const int index = select > 0 ? m_batch->findData(select) : m_batch->count() - 1;
    m_batch->setCurrentIndex(std::max(0, index));
    showRecord(m_batch->currentData().toLongLong());
}

void MonitoringView::showRecord(qint64 record)
{
    if (!m_session.isOpen() || record <= 0)
        return;
    MonitoringRecord m;
    try {
        m = m_session.store().monitoring(record);
        m_shown = json::parse(m.json);
    } catch (const std::exception &e) {
        m_status->setText(
            QString("Monitoring record %1 cannot be shown: %2").arg(record).arg(e.what()));
        return;
    }
    m_record = record;
    if (m_run->currentData().toLongLong() != m.run) {
        m_run->setCurrentIndex(std::max(0, m_run->findData(qlonglong(m.run))));
        refreshRecords(record);
        return;
    }
    m_status->setText(
        QString("Batch \"%1\" of run %2: %3 applicants, cohorts by %4 — status %5.")
            .arg(QString::fromStdString(m.name))
            .arg(m.run)
            .arg(m.applicants)
            .arg(QString::fromStdString(m.cohortBy), QString::fromStdString(m.status).toUpper()));
    fillChecks(m_checks, m_shown);
    fillCohorts(m_cohorts, m_shown);
    fillInputs(m_inputs, m_shown);
    fillShape(m_shape, m_shown);
    fillSegments(m_segments, m_shown);
    drawTimeline();
    m_inputs->setCurrentCell(0, 0);
    showInput(0);
}

void MonitoringView::drawTimeline()
{
    if (m_shown.is_null())
        return;
    const auto series = static_cast<report::CohortSeries>(m_series->currentIndex());
    report::drawCohortTimeline(*m_timeline, m_shown, series);
    m_timeline->replot();
}

void MonitoringView::showInput(int row)
{
    const json &inputs = m_shown.is_object() ? m_shown.value("characteristics", json::array())
                                             : json::array();
    if (row < 0 || row >= int(inputs.size()))
        return;
    const json &s = inputs[size_t(row)];
    m_inputTitle->setText(QString("%1 (%2): PSI %3, development against the batch per bin")
                              .arg(QString::fromStdString(s.value("name", "")),
                                   QString::fromStdString(s.value("kind", "")))
                              .arg(report::numberOr(s, "psi"), 0, 'f', 4));
    report::drawStabilityShares(*m_input, s, "development");
    m_input->plotLayout()->setAutoMargins(QCP::msAll);
    m_input->replot();
}

void MonitoringView::exportReport(const QString &path)
{
    try {
        report::writeMonitoringReport(m_session.store(), m_record, path.toStdString());
    } catch (const Error &e) {
        QMessageBox::warning(this, "Export", QString::fromStdString(e.what()));
    }
}

} // namespace seqlens::ui
