// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/train_view.h"

#include "report/plots.h"
#include "workbench/job.h"
#include "workbench/plot_export.h"
#include "workbench/project_session.h"

#include "seqlens/nn/model_fit.h"
#include "seqlens/run_recording.h"
#include "seqlens/util/error.h"

#include <qcustomplot.h>

#include <QComboBox>

#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <algorithm>
#include <array>

#include "seqlens/data/config_limits.h"

#include <QVBoxLayout>
#include <algorithm>
#include <climits>

namespace seqlens::ui {

namespace {
// The item aggregations in the form's order.
constexpr std::array<ItemAggregation, 5> kAggregations = {
    ItemAggregation::Transformer, ItemAggregation::Gru, ItemAggregation::Lstm,
    ItemAggregation::None, ItemAggregation::Auto};

// A spin box over a config limit (clamped to what a QSpinBox holds).
QSpinBox *spin(IntRange r)
{
    auto *s = new QSpinBox;
    s->setRange(int(std::max<int64_t>(r.lo, INT_MIN)), int(std::min<int64_t>(r.hi, INT_MAX)));
    return s;
}

} // namespace

TrainView::TrainView(ProjectSession &session, QWidget *parent) : QWidget(parent), m_session(session)
{
    m_embDim = spin(limits::embDim);
    m_heads = spin(limits::heads);
    m_layers = spin(limits::layers);
    m_epochs = spin(limits::epochs);
    m_batch = spin(limits::batchSize);
    m_patience = spin(limits::patience);
    m_seed = spin(limits::seed);
    m_threads = spin(limits::threads);
    m_threads->setSpecialValueText("all cores");
    m_aggregation = new QComboBox;
    for (auto a : kAggregations)
        m_aggregation->addItem(toString(a));
    m_lr = new QDoubleSpinBox;
    m_lr->setDecimals(5); // finer rates than 1e-5 are set in the config file
    m_lr->setRange(std::max(limits::learningRate.lo, 1e-5), limits::learningRate.hi);
    m_lr->setSingleStep(0.0005);
    m_dropout = new QDoubleSpinBox;
    m_dropout->setDecimals(2);
    m_dropout->setRange(limits::dropout.lo, limits::dropout.hi - 0.01); // [0, 1)
    m_dropout->setSingleStep(0.05);
    auto *form = new QFormLayout;
    form->addRow("item aggregation", m_aggregation);
    form->addRow("embedding size", m_embDim);
    form->addRow("attention heads", m_heads);
    form->addRow("layers", m_layers);
    form->addRow("dropout", m_dropout);
    form->addRow("max epochs", m_epochs);
    form->addRow("batch size", m_batch);
    form->addRow("learning rate", m_lr);
    form->addRow("early-stopping patience", m_patience);
    form->addRow("seed", m_seed);
    form->addRow("threads", m_threads);
    m_start = new QPushButton("Start training (F5)");
    m_cancel = new QPushButton("Cancel");
    m_cancel->setEnabled(false);
    m_load = new QPushButton("Load model…");
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_load);
    auto *left = new QVBoxLayout;
    left->addLayout(form);
    left->addLayout(buttons);
    left->addStretch();
    m_progress = new QProgressBar;
    m_eta = new QLabel;
    m_plot = new QCustomPlot;
    m_plot->setMinimumHeight(260);
    enablePlotExport(m_plot, "training_history");
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    auto *right = new QVBoxLayout;
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_eta);
    right->addLayout(bar);
    right->addWidget(m_plot, 2);
    right->addWidget(m_log, 1);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left);
    layout->addLayout(right, 1);
    connect(m_start, &QPushButton::clicked, this, &TrainView::startTraining);
    connect(m_cancel, &QPushButton::clicked, this, &TrainView::cancel);
    connect(m_load, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, "Load model bundle", QFileInfo(m_session.path()).absolutePath());
        if (!dir.isEmpty())
            loadModel(dir);
    });
    connect(&m_session, &ProjectSession::configChanged, this,
            qOverload<>(&TrainView::fillFromConfig));
    report::drawHistory(*m_plot, {}, {}, {});
    fillFromConfig(Config()); // the documented defaults until a config is loaded
    fillFromConfig();
}

void TrainView::fillFromConfig()
{
    if (m_session.configPath().isEmpty())
        return;
    try {
        fillFromConfig(loadConfig(m_session.configPath().toStdString()));
    } catch (const Error &e) {
        log("config: " + QString::fromStdString(e.what()));
    }
}

void TrainView::fillFromConfig(const Config &c)
{
    {
        m_aggregation->setCurrentText(toString(c.model.itemAggregation));
        m_embDim->setValue(int(c.model.embDim));
        m_heads->setValue(int(c.model.heads));
        m_layers->setValue(int(c.model.layers));
        m_dropout->setValue(c.model.dropout);
        m_epochs->setValue(int(c.training.epochs));
        m_batch->setValue(int(c.training.batchSize));
        m_lr->setValue(c.training.learningRate);
        m_patience->setValue(int(c.training.patience));
        m_seed->setValue(int(c.training.seed));
        m_threads->setValue(int(c.training.threads));
    }
}

// The form's model and training parameters, written over the loaded config.
void TrainView::applyForm(Config &cfg) const
{
    cfg.model.itemAggregation = kAggregations[size_t(std::max(0, m_aggregation->currentIndex()))];
    cfg.model.embDim = m_embDim->value();
    cfg.model.heads = m_heads->value();
    cfg.model.layers = m_layers->value();
    cfg.model.dropout = m_dropout->value();
    cfg.training.epochs = m_epochs->value();
    cfg.training.batchSize = m_batch->value();
    cfg.training.learningRate = m_lr->value();
    cfg.training.patience = m_patience->value();
    cfg.training.seed = uint64_t(m_seed->value());
    cfg.training.threads = m_threads->value();
}

void TrainView::setEpochs(int epochs)
{
    m_epochs->setValue(epochs);
}
int TrainView::batchSize() const
{
    return m_batch->value();
}
bool TrainView::isTraining() const
{
    return m_job && m_job->isRunning();
}

void TrainView::startTraining()
{
    if (isTraining())
        return;
    if (!m_session.isOpen() || m_session.configPath().isEmpty()) {
        QMessageBox::information(this, "Train",
                                 "Open a project and choose a config in the Data view first.");
        return;
    }
    Config cfg;
    try {
        cfg = loadConfig(m_session.configPath().toStdString());
    } catch (const Error &e) {
        QMessageBox::warning(this, "Train",
                             "The config has problems; fix them in the Data view:\n" +
                                 QString::fromStdString(e.what()));
        return;
    }
    applyForm(cfg);
    if (const auto problems = validate(cfg); !problems.empty()) { // the config file's own rules
        QStringList lines;
        for (const auto &p : problems)
            lines << QString::fromStdString(p.path + ": " + p.message);
        QMessageBox::warning(this, "Train",
                             "The form's values are not a valid config:\n" + lines.join("\n"));
        return;
    }
    const QString out = QFileInfo(m_session.path()).absolutePath() + "/models/train-" +
                        QDateTime::currentDateTimeUtc().toString("yyyyMMdd-HHmmss-zzz");
    m_histories.clear();
    report::drawHistory(*m_plot, {}, {}, {});
    m_plot->replot();
    m_log->clear();
    m_progress->setValue(0);
    ProjectStore *store = &m_session.store();
    auto runId = std::make_shared<int64_t>(0);
    delete m_job;
    m_job = new Job(
        [cfg, out, store, runId](Job &job) {
            TrainRequest req;
            req.outDir = out.toStdString();
            req.progress = job.progressFn();
            req.cancel = job.cancelToken();
            req.log = [&job](const std::string &l) { job.log(QString::fromStdString(l)); };
            const TrainSummary s = runTrainingInProject(*store, cfg, req, runId.get());
            if (!s.cancelled && s.test.available)
                job.log(QString("test AUC %1, KS %2")
                            .arg(s.test.metrics.auc, 0, 'f', 4)
                            .arg(s.test.metrics.ks, 0, 'f', 4));
        },
        this);
    connect(m_job, &Job::progress, this, &TrainView::onProgress);
    connect(m_job, &Job::logLine, this, &TrainView::log);
    connect(m_job, &Job::finished, this,
            [this, runId](bool ok, const QString &error, bool cancelled) {
                m_run = *runId;
                onFinished(ok, error, cancelled);
            });
    m_start->setEnabled(false);
    m_cancel->setEnabled(true);
    log("training into " + out);
    m_job->start();
}

void TrainView::cancel()
{
    if (isTraining()) {
        m_job->cancel();
        log("cancelling after the current batch…");
    }
}

void TrainView::onProgress(const ProgressInfo &p)
{
    const double done = double((p.epoch - 1) * p.batches + p.batch) /
                        double(std::max<qint64>(1, p.epochs * p.batches));
    m_progress->setValue(int(100 * done));
    report::HistorySeries &history = historyOf(p.task);
    m_eta->setText(
        (p.task.isEmpty() ? QString() : p.task + "  ") +
        QString("epoch %1/%2  ETA %3 s").arg(p.epoch).arg(p.epochs).arg(p.etaSeconds, 0, 'f', 0));
    if (!p.epochEnd)
        return;
    history.epochs << double(p.epoch);
    history.loss << p.loss;
    history.auc << p.validAuc;
    std::vector<report::HistorySeries> all;
    for (const auto &h : m_histories)
        all.push_back(h.second);
    report::drawHistories(*m_plot, all);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    log(QString("%1epoch %2: loss %3, validation AUC %4")
            .arg(p.task.isEmpty() ? QString() : p.task + ": ")
            .arg(p.epoch)
            .arg(p.loss, 0, 'f', 4)
            .arg(p.validAuc, 0, 'f', 4));
}

report::HistorySeries &TrainView::historyOf(const QString &task)
{
    for (auto &h : m_histories)
        if (h.first == task)
            return h.second;
    log("training " + (task.isEmpty() ? QString("the model") : task));
    const QString separator = QString::fromUtf8(kTrialSeparator);
    const int at = task.lastIndexOf(separator);
    const QString candidate = at < 0 ? QString() : task.mid(at + separator.size());
    // Sorted by task: candidates report in whichever order they run, the plot keeps one order.
    auto where = std::find_if(m_histories.begin(), m_histories.end(),
                              [&](const auto &h) { return task < h.first; });
    return m_histories.insert(where, {task, {candidate, {}, {}, {}}})->second;
}

void TrainView::onFinished(bool ok, const QString &error, bool cancelled)
{
    m_start->setEnabled(true);
    m_cancel->setEnabled(false);
    if (ok)
        m_progress->setValue(100);
    log(ok          ? "finished: run " + QString::number(m_run)
        : cancelled ? "cancelled"
                    : "failed: " + error);
    if (!ok && !cancelled)
        QMessageBox::warning(this, "Training failed",
                             error + "\n\nFix the config or data and start again.");
    m_session.notifyRunsChanged();
    if (ok)
        m_session.selectRun(m_run);
    Q_EMIT trainingFinished(ok, m_run);
}

void TrainView::loadModel(const QString &bundleDir)
{
    log("loading model " + bundleDir + " …");
    auto result = std::make_shared<std::shared_ptr<ApplicantExplorer>>();
    auto *job = new Job(
        [bundleDir, result](Job &) { *result = ApplicantExplorer::open(bundleDir.toStdString()); },
        this);
    connect(job, &Job::finished, this,
            [this, job, result, bundleDir](bool ok, const QString &error) {
                job->deleteLater();
                if (!ok) {
                    QMessageBox::warning(this, "Load model",
                                         "Cannot load " + bundleDir + ":\n" + error);
                    return;
                }
                m_session.setExplorer(*result, 0);
                log("model loaded: " + QString::number((*result)->count()) +
                    " applicants ready in the inspector");
            });
    job->start();
}

void TrainView::log(const QString &line)
{
    m_log->appendPlainText(line);
}

} // namespace seqlens::ui
