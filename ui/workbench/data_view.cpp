// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/data_view.h"

#include "report/plots.h"
#include "workbench/job.h"
#include "workbench/plot_export.h"
#include "workbench/project_session.h"

#include "seqlens/data/csv_reader.h"
#include "seqlens/data/dataset.h"
#include "seqlens/data/encoder.h"
#include "seqlens/util/error.h"
#include "seqlens/data/audit.h"

#include <nlohmann/json.hpp>
#include <qcustomplot.h>

#include <QComboBox>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <set>

namespace seqlens::ui {

using nlohmann::json;

namespace {

QTableWidget *readOnlyTable()
{
    auto *t = new QTableWidget;
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return t;
}

// Inferred type of a column from sample values.
QString inferType(const QString &name, const std::vector<std::string> &values)
{
    static const QRegularExpression date("^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2})?)?Z?$");
    std::set<std::string> distinct;
    bool allNumbers = true, allDates = true, any = false;
    for (const auto &v : values) {
        if (v.empty())
            continue;
        any = true;
        distinct.insert(v);
        bool ok = false;
        QString::fromStdString(v).toDouble(&ok);
        allNumbers = allNumbers && ok;
        allDates = allDates && date.match(QString::fromStdString(v)).hasMatch();
    }
    if (!any || name.endsWith("id", Qt::CaseInsensitive))
        return "ignore";
    if (allDates)
        return "time";
    if (allNumbers && distinct.size() > 12)
        return "numeric";
    return distinct.size() <= std::max<size_t>(50, values.size() / 2) ? "categorical" : "ignore";
}

} // namespace

DataView::DataView(ProjectSession &session, QWidget *parent) : QWidget(parent), m_session(session)
{
    setAcceptDrops(true);
    auto *importEventsButton = new QPushButton("Import events CSV…");
    auto *importLabelsButton = new QPushButton("Import labels CSV…");
    auto *generate = new QPushButton("Generate config from the types");
    auto *save = new QPushButton("Save config (Ctrl+S)");
    auto *audit = new QPushButton("Run data audit");
    m_cancelAudit = new QPushButton("Cancel audit");
    m_cancelAudit->setEnabled(false);
    m_eventsPreview = readOnlyTable();
    m_labelsPreview = readOnlyTable();
    m_types = new QTableWidget;
    m_editor = new QPlainTextEdit;
    m_editor->setFont(QFont("DejaVu Sans Mono", 9));
    m_errors = new QListWidget;
    m_errors->setMaximumHeight(110);
    m_auditTitle = new QLabel(
        "Run the audit to count rows, applicants, exclusions and missing values.");
    m_auditTitle->setWordWrap(true);
    m_audit = readOnlyTable();
    m_histogram = new QCustomPlot;
    m_histogram->setMinimumHeight(180);
    enablePlotExport(m_histogram, "events_per_applicant");
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300);

    auto *previews = new QTabWidget;
    previews->addTab(m_eventsPreview, "events (first rows)");
    previews->addTab(m_labelsPreview, "labels (first rows)");
    previews->addTab(m_types, "event field types");
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    auto *importRow = new QHBoxLayout;
    importRow->addWidget(importEventsButton);
    importRow->addWidget(importLabelsButton);
    importRow->addWidget(generate);
    leftLayout->addLayout(importRow);
    leftLayout->addWidget(
        new QLabel("Drop CSV files here (a name with \"label\" is the label table)."));
    leftLayout->addWidget(previews, 1);
    auto *auditRow = new QHBoxLayout;
    auditRow->addWidget(audit, 1);
    auditRow->addWidget(m_cancelAudit);
    leftLayout->addLayout(auditRow);
    leftLayout->addWidget(m_auditTitle);
    leftLayout->addWidget(m_audit, 1);
    leftLayout->addWidget(m_histogram, 1);
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->addWidget(new QLabel("Config (JSON, validated as you type):"));
    rightLayout->addWidget(m_editor, 1);
    rightLayout->addWidget(m_errors);
    rightLayout->addWidget(save);
    auto *split = new QSplitter;
    split->addWidget(left);
    split->addWidget(right);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connectSignals(importEventsButton, importLabelsButton, generate, save, audit);
}

void DataView::connectSignals(QPushButton *importEventsButton, QPushButton *importLabelsButton,
                              QPushButton *generate, QPushButton *save, QPushButton *audit)
{
    connect(importEventsButton, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, "Event table", {},
                                                       "CSV (*.csv *.csv.gz *.txt);;All files (*)");
        if (!p.isEmpty())
            importEvents(p);
    });
    connect(importLabelsButton, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, "Label table", {},
                                                       "CSV (*.csv *.csv.gz *.txt);;All files (*)");
        if (!p.isEmpty())
            importLabels(p);
    });
    connect(generate, &QPushButton::clicked, this, &DataView::generateConfig);
    connect(save, &QPushButton::clicked, this, &DataView::saveConfig);
    connect(audit, &QPushButton::clicked, this, &DataView::runAudit);
    connect(m_cancelAudit, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
    });
    connect(m_editor, &QPlainTextEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &DataView::validate);
    connect(&m_session, &ProjectSession::configChanged, this, &DataView::loadConfigText);
}

void DataView::loadConfigText()
{
    const QString path = m_session.configPath();
    QFile f(path);
    if (path.isEmpty() || !f.open(QIODevice::ReadOnly))
        return;
    m_editor->setPlainText(QString::fromUtf8(f.readAll()));
    validate();
    try {
        const Config c = loadConfig(path.toStdString());
        m_eventsPath = QString::fromStdString(c.resolve(c.events.at(0).path));
        m_labelsPath = QString::fromStdString(c.resolve(c.labels.path));
        fillPreview(m_eventsPreview, m_eventsPath);
        fillPreview(m_labelsPreview, m_labelsPath);
        inferTypes();
    } catch (const Error &) {
        // shown by validate()
    }
}

void DataView::validate()
{
    m_errors->clear();
    const std::string base = m_session.configPath().isEmpty()
                                 ? QFileInfo(m_session.path()).absolutePath().toStdString()
                                 : QFileInfo(m_session.configPath()).absolutePath().toStdString();
    try {
        parseConfig(m_editor->toPlainText().toStdString(), "config", base);
        m_errors->addItem("✓ valid");
    } catch (const ConfigError &e) {
        for (const auto &p : e.problems())
            m_errors->addItem(QString::fromStdString(p));
    } catch (const Error &e) {
        m_errors->addItem(QString::fromStdString(e.what()));
    }
}

QStringList DataView::validationErrors() const
{
    QStringList out;
    for (int i = 0; i < m_errors->count(); ++i)
        if (!m_errors->item(i)->text().startsWith("✓"))
            out << m_errors->item(i)->text();
    return out;
}

bool DataView::saveConfig()
{
    validate();
    if (!validationErrors().isEmpty()) {
        QMessageBox::warning(this, "Save config",
                             "The config has problems (listed under the editor); fix them first.");
        return false;
    }
    QString path = m_session.configPath();
    if (path.isEmpty())
        path = QFileDialog::getSaveFileName(
            this, "Save config", QFileInfo(m_session.path()).absolutePath() + "/config.json",
            "JSON (*.json)");
    if (path.isEmpty())
        return false;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        f.write(m_editor->toPlainText().toUtf8()) < 0) {
        QMessageBox::warning(this, "Save config", "Cannot write " + path + ": " + f.errorString());
        return false;
    }
    f.close();
    m_session.setConfigPath(path);
    return true;
}

void DataView::fillPreview(QTableWidget *table, const QString &path)
{
    table->clear();
    try {
        CsvReader r(path.toStdString());
        table->setColumnCount(int(r.header().size()));
        QStringList header;
        for (const auto &h : r.header())
            header << QString::fromStdString(h);
        table->setHorizontalHeaderLabels(header);
        int row = 0;
        table->setRowCount(0);
        while (row < 50 && r.next()) {
            table->insertRow(row);
            for (size_t c = 0; c < r.fields().size(); ++c)
                table->setItem(row, int(c),
                               new QTableWidgetItem(QString::fromUtf8(r.fields()[c].data(),
                                                                      int(r.fields()[c].size()))));
            ++row;
        }
    } catch (const Error &e) {
        table->setColumnCount(1);
        table->setRowCount(1);
        table->setItem(0, 0, new QTableWidgetItem(QString::fromStdString(e.what())));
    }
}

void DataView::inferTypes()
{
    m_types->clear();
    m_types->setColumnCount(2);
    m_types->setHorizontalHeaderLabels({"column", "type"});
    m_types->setRowCount(m_eventsPreview->columnCount());
    for (int c = 0; c < m_eventsPreview->columnCount(); ++c) {
        const QString name = m_eventsPreview->horizontalHeaderItem(c)
                                 ? m_eventsPreview->horizontalHeaderItem(c)->text()
                                 : QString();
        std::vector<std::string> values;
        for (int r = 0; r < m_eventsPreview->rowCount(); ++r)
            values.push_back(m_eventsPreview->item(r, c)
                                 ? m_eventsPreview->item(r, c)->text().toStdString()
                                 : "");
        auto *item = new QTableWidgetItem(name);
        item->setFlags(item->flags() & ~Qt::ItemIsEditable);
        m_types->setItem(c, 0, item);
        auto *type = new QComboBox;
        type->addItems({"categorical", "numeric", "time", "ignore"});
        type->setCurrentText(inferType(name, values));
        m_types->setCellWidget(c, 1, type);
    }
    m_types->resizeColumnsToContents();
}

void DataView::importEvents(const QString &path)
{
    m_eventsPath = QFileInfo(path).absoluteFilePath();
    fillPreview(m_eventsPreview, m_eventsPath);
    inferTypes();
}

void DataView::importLabels(const QString &path)
{
    m_labelsPath = QFileInfo(path).absoluteFilePath();
    fillPreview(m_labelsPreview, m_labelsPath);
}

void DataView::generateConfig()
{
    // Built as a Config, so it passes through the same validation as a config file.
    Config cfg;
    EventSourceConfig events;
    events.path = m_eventsPath.toStdString();
    events.timeFormat.format = "iso";
    for (int r = 0; r < m_types->rowCount(); ++r) {
        const std::string name = m_types->item(r, 0)->text().toStdString();
        const QString type = qobject_cast<QComboBox *>(m_types->cellWidget(r, 1))->currentText();
        if (events.entity.empty() &&
            QString::fromStdString(name).endsWith("id", Qt::CaseInsensitive))
            events.entity = name;
        else if (type == "time" && events.time.empty())
            events.time = name;
        else if (type == "categorical" || type == "numeric")
            events.fields.push_back(FieldConfig{
                name, type == "categorical" ? FieldType::Categorical : FieldType::Numeric});
    }
    cfg.events.push_back(events);
    LabelConfig &labels = cfg.labels;
    labels.path = m_labelsPath.toStdString();
    labels.entity = events.entity;
    labels.target = "bad";
    labels.positive = {"1"};
    labels.negative = {"0"};
    labels.cutoffFormat.format = "iso";
    for (int c = 0; c < m_labelsPreview->columnCount(); ++c) {
        const QString h = m_labelsPreview->horizontalHeaderItem(c)
                              ? m_labelsPreview->horizontalHeaderItem(c)->text()
                              : QString();
        if (h.contains("time", Qt::CaseInsensitive) || h.contains("date", Qt::CaseInsensitive))
            labels.cutoff = h.toStdString();
        else if (h.contains("bad", Qt::CaseInsensitive) ||
                 h.contains("target", Qt::CaseInsensitive) ||
                 h.contains("default", Qt::CaseInsensitive))
            labels.target = h.toStdString();
    }
    cfg.training.batchSize = 64;
    m_editor->setPlainText(QString::fromStdString(configToJson(cfg)));
    validate();
}

void DataView::runAudit()
{
    if ((m_job && m_job->isRunning()) || !saveConfig())
        return;
    const std::string path = m_session.configPath().toStdString();
    auto result = std::make_shared<AuditReport>();
    delete m_job;
    m_job = new Job([path, result](
                        Job &j) { *result = auditData(loadConfig(path), j.cancelToken()); },
                    this);
    connect(m_job, &Job::finished, this,
            [this, result](bool ok, const QString &error, bool cancelled) {
                m_cancelAudit->setEnabled(false);
                if (ok && !result->cancelled)
                    showAudit(*result);
                else
                    m_auditTitle->setText(cancelled ? QString("Audit cancelled.")
                                                    : "Audit failed: " + error);
                Q_EMIT auditFinished(ok);
            });
    m_auditTitle->setText("Auditing…");
    m_cancelAudit->setEnabled(true);
    m_job->start();
}

void DataView::showAudit(const AuditReport &r)
{
    const LoadReport &l = r.load;
    const EncodeReport &e = r.encode;
    std::vector<std::pair<QString, QString>> rows = {
        {"event rows", QString::number(l.eventRows)},
        {"events kept (before the cutoff)", QString::number(l.eventsKept)},
        {"events excluded by the cutoff", QString::number(l.eventsAfterCutoff)},
        {"events of unlabeled entities", QString::number(l.eventsUnknownEntity)},
        {"applicants (bad / good)",
         QString("%1 (%2 / %3)").arg(l.applicants).arg(l.positives).arg(l.negatives)},
        {"applicants without events", QString::number(l.applicantsWithoutEvents)},
        {"truncated histories (events dropped)",
         QString("%1 (%2)").arg(e.truncatedApplicants).arg(e.truncatedEvents)},
        {"applicants train / valid / test",
         QString("%1 / %2 / %3").arg(r.splits.train).arg(r.splits.valid).arg(r.splits.test)}};
    const double eventRows = std::max<double>(1.0, double(l.eventRows));
    for (const auto &f : r.profile.fields)
        rows.push_back({"missing share: " + QString::fromStdString(f.name),
                        QString::number(100.0 * double(f.missing) / eventRows, 'f', 1) + " %"});
    m_audit->clear();
    m_audit->setColumnCount(2);
    m_audit->setRowCount(int(rows.size()));
    m_audit->setHorizontalHeaderLabels({"figure", "value"});
    for (int r = 0; r < int(rows.size()); ++r) {
        m_audit->setItem(r, 0, new QTableWidgetItem(rows[size_t(r)].first));
        m_audit->setItem(r, 1, new QTableWidgetItem(rows[size_t(r)].second));
    }
    m_audit->resizeColumnsToContents();
    QStringList labels;
    QVector<double> counts;
    for (const auto &b : r.profile.eventsPerApplicant.histogram) {
        const int64_t last = b.toExclusive >= 0 ? b.toExclusive - 1 : -1;
        labels << (last < 0         ? QString("%1+").arg(b.from)
                   : last == b.from ? QString::number(b.from)
                                    : QString("%1-%2").arg(b.from).arg(last));
        counts << double(b.count);
    }
    report::drawBars(*m_histogram, labels, counts, "applicants");
    m_histogram->xAxis->setLabel("events per applicant");
    m_histogram->replot();
    m_auditTitle->setText("Data audit of " + m_session.configPath());
}

void DataView::dragEnterEvent(QDragEnterEvent *e)
{
    if (e->mimeData()->hasUrls())
        e->acceptProposedAction();
}

void DataView::dropEvent(QDropEvent *e)
{
    for (const QUrl &url : e->mimeData()->urls()) {
        const QString path = url.toLocalFile();
        if (QFileInfo(path).fileName().contains("label", Qt::CaseInsensitive))
            importLabels(path);
        else
            importEvents(path);
    }
}

} // namespace seqlens::ui
