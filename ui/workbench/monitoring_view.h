// SPDX-License-Identifier: GPL-3.0-or-later
// Monitoring (validators, after go-live): pick a run and one of its monitored batches, or monitor
// new files on a worker thread (progress and cancel); the checks with their lights; a timeline
// of score PSI, AUC or bad rate by cohort with its bands; the cohorts with their lights; the
// inputs ranked by PSI, a click showing the input's development and batch distributions side by
// side; the sequence shape; the segments; and the monitoring report (PDF/HTML).
#pragma once

#include <nlohmann/json.hpp>

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTabWidget;

namespace seqlens::ui {

class Job;
class ProjectSession;

class MonitoringView : public QWidget {
    Q_OBJECT
public:
    explicit MonitoringView(ProjectSession &session, QWidget *parent = nullptr);

    // Shows a monitoring record (its run is selected in the run list).
    void showRecord(qint64 record);
    // Monitors a batch of the selected run on a worker thread; the record is shown when done.
    void runMonitoring(const QString &events, const QString &labels, const QString &by);
    void exportReport(const QString &path); // PDF or HTML by extension; a dialog on error

    QTableWidget *checksTable() const { return m_checks; }
    QTableWidget *inputsTable() const { return m_inputs; }
    QCustomPlot *timelinePlot() const { return m_timeline; }
    QCustomPlot *inputPlot() const { return m_input; }
    QComboBox *seriesBox() const { return m_series; }
    qint64 shownRecord() const { return m_record; }

Q_SIGNALS:
    void monitoringFinished(bool ok, qint64 record);

private:
    void buildLayout();
    void connectSignals();
    void refreshRuns();
    void refreshRecords(qint64 select = 0);
    void monitorFilesDialog();
    void drawTimeline();
    void showInput(int row);

    ProjectSession &m_session;
    Job *m_job = nullptr;
    QComboBox *m_run, *m_batch, *m_series;
    QPushButton *m_monitor, *m_cancel, *m_export;
    QProgressBar *m_progress;
    QLabel *m_status, *m_inputTitle;
    QTableWidget *m_checks, *m_cohorts, *m_inputs, *m_shape, *m_segments;
    QCustomPlot *m_timeline, *m_input;
    QTabWidget *m_tabs;
    nlohmann::json m_shown; // the shown record's JSON
    qint64 m_record = 0;
};

} // namespace seqlens::ui
