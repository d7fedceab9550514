// SPDX-License-Identifier: GPL-3.0-or-later
// Compare (validators): ROC curves of baseline, sequence-only and stacking with the diagonal;
// the KS curve with the KS point; the metrics table with intervals and the ΔAUC p-value (PSI
// included); the lift table; the calibration plot; a second run side by side. "Run compare"
// starts a comparison on a worker thread and records it in the project.
#pragma once

#include <nlohmann/json.hpp>

#include <QWidget>

#include <map>
#include <string>

class QCustomPlot;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace seqlens::report {
struct RunReportData;
}

namespace seqlens::ui {

class Job;
class ProjectSession;

class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(ProjectSession &session, QWidget *parent = nullptr);

    void showRuns(qint64 runA, qint64 runB = 0);
    void runCompare(int folds, int epochs = 0); // epochs 0: the config's
    QCustomPlot *rocPlot() const { return m_roc; }
    QTableWidget *metricsTable() const { return m_metrics; }

Q_SIGNALS:
    void compareFinished(bool ok, qint64 run);

private:
    void refreshRunLists();
    void drawKsFor(const QString &model);
    void drawRocAndCalibration(const report::RunReportData &a, const report::RunReportData &b);
    void fillMetrics(const report::RunReportData &a, const report::RunReportData &b);
    void fillLift(const report::RunReportData &a);

    ProjectSession &m_session;
    Job *m_job = nullptr;
    QComboBox *m_runA, *m_runB, *m_ksModel;
    QPushButton *m_run, *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_summary;
    QCustomPlot *m_roc, *m_ks, *m_calibration;
    QTableWidget *m_metrics, *m_lift;
    std::map<std::string, nlohmann::json> m_curves; // of the shown run A, by model
};

} // namespace seqlens::ui
