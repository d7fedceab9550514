// SPDX-License-Identifier: GPL-3.0-or-later
// Train: model and training parameters in a form, Start (F5) and Cancel, a progress bar with
// ETA, live loss and validation-AUC curves, and a log. Training runs on a worker thread and is
// recorded in the project; "Load model…" opens an existing bundle for the inspector.
#pragma once

#include "report/plots.h"

#include <QWidget>

#include <utility>
#include <vector>

class QCustomPlot;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace seqlens {
struct Config;
}

namespace seqlens::ui {

class Job;
class ProjectSession;

class TrainView : public QWidget {
    Q_OBJECT
public:
    explicit TrainView(ProjectSession &session, QWidget *parent = nullptr);

    void startTraining();
    void cancel();
    void loadModel(const QString &bundleDir);
    bool isTraining() const;
    void setEpochs(int epochs);
    int batchSize() const;
    QCustomPlot *historyPlot() const { return m_plot; }

Q_SIGNALS:
    void trainingFinished(bool ok, qint64 run);

private:
    void fillFromConfig();
    void fillFromConfig(const Config &config);
    void applyForm(Config &config) const;
    void onProgress(const struct ProgressInfo &p);
    void onFinished(bool ok, const QString &error, bool cancelled);
    void log(const QString &line);

    ProjectSession &m_session;
    Job *m_job = nullptr;
    qint64 m_run = 0;
    QSpinBox *m_embDim, *m_heads, *m_layers, *m_epochs, *m_batch, *m_patience, *m_seed, *m_threads;
    QComboBox *m_aggregation;
    QDoubleSpinBox *m_lr, *m_dropout;
    QPushButton *m_start, *m_cancel, *m_load;
    QProgressBar *m_progress;
    QLabel *m_eta;
    QCustomPlot *m_plot;
    QPlainTextEdit *m_log;
    // One per model of the run: "auto" trains its two candidates side by side, and each
    // candidate's progress names it ("sequence · gru").
    std::vector<std::pair<QString, report::HistorySeries>> m_histories; // by task
    report::HistorySeries &historyOf(const QString &task);
};

} // namespace seqlens::ui
