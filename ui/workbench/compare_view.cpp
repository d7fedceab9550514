// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/compare_view.h"

#include "report/plot_data.h"
#include "report/report_data.h"
#include "workbench/job.h"
#include "workbench/plot_export.h"
#include "workbench/project_session.h"

#include "seqlens/util/error.h"
#include "seqlens/run_recording.h"
#include "seqlens/compare/validation_stats.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QDateTime>
#include <QFileInfo>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>

#include <cmath>

namespace seqlens::ui {

using nlohmann::json;

namespace {

QString valueCi(const MetricRow *m)
{
    if (!m)
        return "–";
    QString s = QString::number(m->value, 'f', 4);
    if (!std::isnan(m->lo))
        s += QString(" [%1, %2]").arg(m->lo, 0, 'f', 4).arg(m->hi, 0, 'f', 4);
    return s;
}

void setTable(QTableWidget *t, const QStringList &header, const std::vector<QStringList> &rows)
{
    t->clear();
    t->setColumnCount(int(header.size()));
    t->setHorizontalHeaderLabels(header);
    t->setRowCount(int(rows.size()));
    for (int r = 0; r < int(rows.size()); ++r)
        for (int c = 0; c < int(rows[size_t(r)].size()); ++c)
            t->setItem(r, c, new QTableWidgetItem(rows[size_t(r)][c]));
    t->resizeColumnsToContents();
}

QTableWidget *table()
{
    auto *t = new QTableWidget;
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->hide();
    return t;
}

} // namespace

CompareView::CompareView(ProjectSession &session, QWidget *parent)
    : QWidget(parent), m_session(session)
{
    m_runA = new QComboBox;
    m_runB = new QComboBox;
    m_ksModel = new QComboBox;
    m_run = new QPushButton("Run compare…");
    m_cancel = new QPushButton("Cancel");
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar;
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_roc = new QCustomPlot;
    m_ks = new QCustomPlot;
    m_calibration = new QCustomPlot;
    for (auto [plot, name] :
         {std::pair{m_roc, "roc"}, {m_ks, "ks"}, {m_calibration, "calibration"}}) {
        plot->setMinimumSize(320, 260);
        enablePlotExport(plot, name);
    }
    m_metrics = table();
    m_lift = table();
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel("run"));
    top->addWidget(m_runA, 1);
    top->addWidget(new QLabel("side by side with"));
    top->addWidget(m_runB, 1);
    top->addWidget(m_run);
    top->addWidget(m_cancel);
    top->addWidget(m_progress);
    auto *grid = new QGridLayout;
    grid->addWidget(m_roc, 0, 0);
    auto *ksBox = new QVBoxLayout;
    auto *ksTop = new QHBoxLayout;
    ksTop->addWidget(new QLabel("KS curve of"));
    ksTop->addWidget(m_ksModel, 1);
    ksBox->addLayout(ksTop);
    ksBox->addWidget(m_ks, 1);
    grid->addLayout(ksBox, 0, 1);
    grid->addWidget(m_calibration, 0, 2);
    grid->addWidget(m_metrics, 1, 0, 1, 2);
    grid->addWidget(m_lift, 1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addLayout(grid, 1);

    connect(&m_session, &ProjectSession::runsChanged, this, &CompareView::refreshRunLists);
    connect(&m_session, &ProjectSession::runSelected, this,
            [this](qint64 run) { showRuns(run, m_runB->currentData().toLongLong()); });
    connect(m_runA, &QComboBox::activated, this,
            [this] { m_session.selectRun(m_runA->currentData().toLongLong()); });
    connect(m_runB, &QComboBox::activated, this, [this] {
        showRuns(m_runA->currentData().toLongLong(), m_runB->currentData().toLongLong());
    });
    connect(m_ksModel, &QComboBox::activated, this,
            [this] { drawKsFor(m_ksModel->currentText()); });
    connect(m_run, &QPushButton::clicked, this, [this] { runCompare(5); });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
    });
}

void CompareView::refreshRunLists()
{
    if (!m_session.isOpen())
        return;
    const qint64 a = m_runA->currentData().toLongLong(), b = m_runB->currentData().toLongLong();
    m_runA->clear();
    m_runB->clear();
    m_runB->addItem("(none)", 0);
    for (const auto &r : m_session.store().runs()) {
        if (r.status != RunStatus::Finished)
            continue;
        const QString text = QString("run %1: %2, %3")
                                 .arg(r.id)
                                 .arg(QString::fromStdString(r.kind),
                                      QString::fromStdString(r.startedAt));
        m_runA->addItem(text, qlonglong(r.id));
        m_runB->addItem(text, qlonglong(r.id));
    }
    m_runA->setCurrentIndex(std::max(0, m_runA->findData(qlonglong(a))));
    m_runB->setCurrentIndex(std::max(0, m_runB->findData(qlonglong(b))));
}

void CompareView::showRuns(qint64 runA, qint64 runB)
{
    if (!m_session.isOpen() || runA <= 0)
        return;
    report::RunReportData a, b;
    try {
        a = report::loadRunReportData(m_session.store(), runA);
        if (runB > 0 && runB != runA)
            b = report::loadRunReportData(m_session.store(), runB);
    } catch (const Error &e) {
        m_summary->setText(QString::fromStdString(e.what()));
        return;
    }
    m_curves = a.curves;
    m_runA->setCurrentIndex(std::max(0, m_runA->findData(qlonglong(runA))));
    drawRocAndCalibration(a, b);
    fillMetrics(a, b);
    fillLift(a);
    m_ksModel->clear();
    for (const auto &m : a.models)
        m_ksModel->addItem(QString::fromStdString(m));
    m_ksModel->setCurrentText(QString::fromStdString(a.primaryModel()));
    drawKsFor(m_ksModel->currentText());
    const double p = a.value("test", "stacking-baseline", "delta_auc_p_value");
    m_summary->setText(
        a.isCompare() ? QString("Run %1: ΔAUC (stacking − baseline) %2, DeLong p = %3 — %4.")
                            .arg(a.run.id)
                            .arg(a.value("test", "stacking-baseline", "delta_auc"), 0, 'f', 4)
                            .arg(p, 0, 'g', 3)
                            .arg(p < 0.05 ? "the sequence score adds significant discrimination"
                                          : "not significant at 5 %")
                      : QString("Run %1 trained the sequence model alone; run a comparison for the "
                                "baseline benchmark.")
                            .arg(a.run.id));
}

// ROC curves of both runs (B's, when given, after A's); calibration of run A.
void CompareView::drawRocAndCalibration(const report::RunReportData &a,
                                        const report::RunReportData &b)
{
    std::vector<report::Series> roc, cal;
    for (const auto *d : {&a, &b})
        for (const auto &m : d->models)
            if (!d->curves.at(m).is_null())
                roc.push_back(report::curveSeries(d->curves.at(m)["roc"], 1, 2,
                                                  QString("run %1 %2 (AUC %3)")
                                                      .arg(d->run.id)
                                                      .arg(QString::fromStdString(m))
                                                      .arg(d->value("test", m, "auc"), 0, 'f', 4)));
    report::drawRoc(*m_roc, roc);
    m_roc->replot();
    for (const auto &m : a.models)
        cal.push_back(report::calibrationSeries(calibration(a.testScores.at(m), a.testLabels, 10),
                                                QString::fromStdString(m)));
    report::drawCalibration(*m_calibration, cal);
    m_calibration->replot();
}

// One row per (model, metric), a column per run.
void CompareView::fillMetrics(const report::RunReportData &a, const report::RunReportData &b)
{
    QStringList header{"model", "metric", QString("run %1").arg(a.run.id)};
    if (b.run.id)
        header << QString("run %1").arg(b.run.id);
    static const std::vector<std::pair<std::string, std::string>> keys = {
        {"baseline", "auc"},
        {"baseline", "ks"},
        {"baseline", "gini"},
        {"baseline", "psi"},
        {"sequence", "auc"},
        {"sequence", "ks"},
        {"sequence", "gini"},
        {"sequence", "psi"},
        {"stacking", "auc"},
        {"stacking", "ks"},
        {"stacking", "gini"},
        {"stacking", "psi"},
        {"stacking-baseline", "delta_auc"},
        {"stacking-baseline", "delta_auc_p_value"},
        {"stacking-baseline", "delta_ks"}};
    auto cell = [](const MetricRow *m, const std::string &name) {
        return name == "delta_auc_p_value" && m ? QString::number(m->value, 'g', 3) : valueCi(m);
    };
    std::vector<QStringList> rows;
    for (const auto &[model, name] : keys) {
        const MetricRow *ma = a.metric("test", model, name);
        const MetricRow *mb = b.run.id ? b.metric("test", model, name) : nullptr;
        if (!ma && !mb)
            continue;
        QStringList row{QString::fromStdString(model), QString::fromStdString(name),
                        cell(ma, name)};
        if (b.run.id)
            row << cell(mb, name);
        rows.push_back(row);
    }
    setTable(m_metrics, header, rows);
}

void CompareView::fillLift(const report::RunReportData &a)
{
    std::vector<QStringList> rows;
    for (const auto &r : liftTable(a.testScores.at(a.primaryModel()), a.testLabels, 10))
        rows.push_back({QString::number(r.group), QString::number(r.count), QString::number(r.bads),
                        QString::number(100 * r.badRate, 'f', 1) + " %",
                        QString::number(100 * r.cumCapture, 'f', 1) + " %",
                        QString::number(r.lift, 'f', 2)});
    setTable(m_lift, {"decile", "n", "bads", "bad rate", "cum. capture", "lift"}, rows);
}

void CompareView::drawKsFor(const QString &model)
{
    const auto it = m_curves.find(model.toStdString());
    if (it == m_curves.end() || it->second.is_null())
        return;
    const json &ks = it->second["ks"];
    const auto goods = report::curveSeries(ks, 0, 1, "goods"),
               bads = report::curveSeries(ks, 0, 2, "bads");
    const auto at = report::ksPointOf(goods, bads);
    report::drawKs(*m_ks, model, goods, bads, at.score, at.ks);
    m_ks->replot();
}

void CompareView::runCompare(int folds, int epochs)
{
    if ((m_job && m_job->isRunning()) || !m_session.isOpen() || m_session.configPath().isEmpty()) {
        if (!m_session.isOpen() || m_session.configPath().isEmpty())
            QMessageBox::information(this, "Compare",
                                     "Open a project and choose a config in the Data view first.");
        return;
    }
    Config cfg;
    try {
        cfg = loadConfig(m_session.configPath().toStdString());
    } catch (const Error &e) {
        QMessageBox::warning(this, "Compare", QString::fromStdString(e.what()));
        return;
    }
    Overrides overrides;
    overrides.folds = folds;
    if (epochs > 0)
        overrides.epochs = epochs;
    cfg = applyOverrides(cfg, overrides);
    const QString out = QFileInfo(m_session.path()).absolutePath() + "/compare-" +
                        QDateTime::currentDateTimeUtc().toString("yyyyMMdd-HHmmss-zzz");
    ProjectStore *store = &m_session.store();
    auto runId = std::make_shared<int64_t>(0);
    delete m_job;
    m_job = new Job(
        [cfg, out, store, runId](Job &job) {
            CompareRequest req;
            req.outDir = out.toStdString();
            req.progress = job.progressFn();
            req.cancel = job.cancelToken();
            runCompareInProject(*store, cfg, req, runId.get());
        },
        this);
    connect(m_job, &Job::progress, this, [this](const ProgressInfo &p) {
        m_progress->setFormat(p.task + " %p%");
        m_progress->setValue(int(100.0 * double(p.epoch) / double(std::max<qint64>(1, p.epochs))));
    });
    connect(m_job, &Job::finished, this,
            [this, runId](bool ok, const QString &error, bool cancelled) {
                m_run->setEnabled(true);
                m_cancel->setEnabled(false);
                m_progress->setFormat(ok ? "done" : cancelled ? "cancelled" : "failed");
                if (!ok && !cancelled)
                    QMessageBox::warning(this, "Compare failed", error);
                m_session.notifyRunsChanged();
                if (ok)
                    m_session.selectRun(*runId);
                Q_EMIT compareFinished(ok, *runId);
            });
    m_run->setEnabled(false);
    m_cancel->setEnabled(true);
    m_job->start();
}

} // namespace seqlens::ui
