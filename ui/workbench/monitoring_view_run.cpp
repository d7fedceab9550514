// SPDX-License-Identifier: GPL-3.0-or-later
// The Monitoring view's job: monitoring new files of the selected run on a worker thread.
#include "workbench/monitoring_view.h"

#include "workbench/job.h"
#include "workbench/project_session.h"

#include "seqlens/monitor/monitor_project.h"

#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>

#include <memory>

namespace seqlens::ui {

void MonitoringView::monitorFilesDialog()
{
    const QString dir = QFileInfo(m_session.path()).absolutePath();
    const QString events = QFileDialog::getOpenFileName(
        this, "Events of the new batch", dir, "CSV (*.csv *.csv.gz *.asc *.txt);;All (*)");
    if (events.isEmpty())
        return;
    const QString labels = QFileDialog::getOpenFileName(
        this, "Labels of the batch (cutoffs, outcomes; cancel for none)", dir,
        "CSV (*.csv *.csv.gz *.asc *.txt);;All (*)");
    bool ok = false;
    const QString by = QInputDialog::getText(this, "Cohorts",
                                             "Cohorts by (month, quarter, all or a "
                                             "label column):",
                                             QLineEdit::Normal, "month", &ok);
    if (ok)
        runMonitoring(events, labels, by);
}

void MonitoringView::runMonitoring(const QString &events, const QString &labels, const QString &by)
{
    const qint64 run = m_run->currentData().toLongLong();
    if ((m_job && m_job->isRunning()) || !m_session.isOpen() || run <= 0) {
        if (run <= 0)
            QMessageBox::information(this, "Monitoring", "Pick a finished run first.");
        return;
    }
    MonitorRequest req;
    req.events = events.toStdString();
    req.labelsPath = labels.toStdString();
    req.by = by.toStdString();
    const std::string out = (QFileInfo(m_session.path()).absolutePath() + "/monitor-" +
                             QDateTime::currentDateTimeUtc().toString("yyyyMMdd-HHmmss-zzz"))
                                .toStdString();
    ProjectStore *store = &m_session.store();
    auto record = std::make_shared<int64_t>(0);
    delete m_job;
    m_job = new Job(
        [req, out, store, run, record](Job &job) mutable {
            req.progress = [&job](const std::string &stage) {
                job.log(QString::fromStdString(stage));
            };
            req.cancel = job.cancelToken();
            monitorRunInProject(*store, run, req, out, record.get());
        },
        this);
    connect(m_job, &Job::logLine, this,
            [this](const QString &stage) { m_progress->setFormat(stage); });
    connect(m_job, &Job::finished, this,
            [this, record](bool ok, const QString &error, bool cancelled) {
                m_monitor->setEnabled(true);
                m_cancel->setEnabled(false);
                m_progress->setRange(0, 100);
                m_progress->setValue(ok ? 100 : 0);
                m_progress->setFormat(ok ? "done" : cancelled ? "cancelled" : "failed");
                if (!ok && !cancelled)
                    QMessageBox::warning(this, "Monitoring failed", error);
                if (ok) {
                    refreshRuns();
                    showRecord(*record);
                }
                Q_EMIT monitoringFinished(ok, *record);
            });
    m_monitor->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setRange(0, 0); // busy: the stages come as its text
    m_progress->setFormat("starting");
    m_job->start();
}

} // namespace seqlens::ui
