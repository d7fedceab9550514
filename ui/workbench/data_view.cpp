// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/data_view.h"

#include "report/plots.h"
#include "workbench/job.h"
#include "workbench/plot_export.h"
#include "workbench/project_session.h"
#include "workbench/source_form.h"

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

#include <algorithm>
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

// A resolved copy: the source's and its hops' paths against the config's directory.
EventSourceConfig resolved(const Config &c, EventSourceConfig s)
{
    s.path = c.resolve(s.path);
    for (auto &hop : s.via)
        hop.path = c.resolve(hop.path);
    return s;
}

} // namespace

DataView::DataView(ProjectSession &session, QWidget *parent) : QWidget(parent), m_session(session)
{
    setAcceptDrops(true);
    auto *importEventsButton = new QPushButton("Add event table…");
    auto *removeEventsButton = new QPushButton("Remove event table");
    auto *importLabelsButton = new QPushButton("Import labels CSV…");
    auto *generate = new QPushButton("Generate config from the tables");
    auto *save = new QPushButton("Save config (Ctrl+S)");
    auto *audit = new QPushButton("Run data audit");
    m_cancelAudit = new QPushButton("Cancel audit");
    m_cancelAudit->setEnabled(false);
    m_labelsPreview = readOnlyTable();
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

    m_tabs = new QTabWidget;
    m_tabs->addTab(m_labelsPreview, "labels (first rows)");
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    auto *importRow = new QHBoxLayout;
    importRow->addWidget(importEventsButton);
    importRow->addWidget(removeEventsButton);
    importRow->addWidget(importLabelsButton);
    importRow->addWidget(generate);
    leftLayout->addLayout(importRow);
    leftLayout->addWidget(
        new QLabel("Drop CSV files here: each is an event table (one tab each, named and joined "
                   "there), a name with \"label\" is the label table."));
    leftLayout->addWidget(m_tabs, 2);
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

    connectSignals(importEventsButton, removeEventsButton, importLabelsButton, generate, save,
                   audit);
}

void DataView::connectSignals(QPushButton *importEventsButton, QPushButton *removeEventsButton,
                              QPushButton *importLabelsButton, QPushButton *generate,
                              QPushButton *save, QPushButton *audit)
{
    connect(importEventsButton, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(
            this, "Event table", {}, "CSV (*.csv *.csv.gz *.txt *.asc);;All files (*)");
        if (!p.isEmpty())
            importEvents(p);
    });
    connect(removeEventsButton, &QPushButton::clicked, this, [this] {
        const auto it = std::find(m_forms.begin(), m_forms.end(), m_tabs->currentWidget());
        if (it != m_forms.end()) // once: removing a tab makes another one current
            removeEventTable(int(it - m_forms.begin()));
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
        clearEventTables();
        for (const auto &source : c.events) {
            const EventSourceConfig s = resolved(c, source);
            importEvents(QString::fromStdString(s.path))->fromConfig(s);
        }
        m_labelsPath = QString::fromStdString(c.resolve(c.labels.path));
        fillCsvPreview(m_labelsPreview, m_labelsPath);
        m_tabs->setCurrentIndex(0);
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

SourceForm *DataView::importEvents(const QString &path)
{
    auto *form = new SourceForm(path);
    QString name = form->name(); // unique among the tables: "trans", "trans_2", ...
    for (int k = 2;; ++k) {
        bool taken = false;
        for (const auto *f : m_forms)
            taken = taken || f->name() == name;
        if (!taken)
            break;
        name = form->name() + "_" + QString::number(k);
    }
    form->setName(name);
    m_forms.push_back(form);
    const int tab = m_tabs->insertTab(int(m_forms.size()) - 1, form, "events: " + name);
    connect(form, &SourceForm::nameChanged, this, [this, form](const QString &n) {
        m_tabs->setTabText(m_tabs->indexOf(form), "events: " + n);
    });
    m_tabs->setCurrentIndex(tab);
    return form;
}

void DataView::removeEventTable(int index)
{
    if (index < 0 || index >= int(m_forms.size()))
        return;
    SourceForm *form = m_forms[size_t(index)];
    m_forms.erase(m_forms.begin() + index);
    m_tabs->removeTab(m_tabs->indexOf(form));
    form->deleteLater();
}

void DataView::clearEventTables()
{
    while (!m_forms.empty())
        removeEventTable(int(m_forms.size()) - 1);
}

void DataView::importLabels(const QString &path)
{
    m_labelsPath = QFileInfo(path).absoluteFilePath();
    fillCsvPreview(m_labelsPreview, m_labelsPath);
}

void DataView::generateConfig()
{
    // Built as a Config, so it passes through the same validation as a config file.
    Config cfg;
    for (const SourceForm *form : m_forms)
        cfg.events.push_back(form->toConfig());
    if (cfg.events.empty()) {
        m_errors->clear();
        m_errors->addItem("Add an event table first.");
        return;
    }
    const EventSourceConfig &events = cfg.events[0];
    // The label table is keyed by the applicant: the first table's key, or its join's end.
    const std::string applicantKey = events.via.empty() ? events.entity : events.via.back().entity;
    LabelConfig &labels = cfg.labels;
    labels.path = m_labelsPath.toStdString();
    labels.entity = applicantKey;
    labels.target = "bad";
    labels.positive = {"1"};
    labels.negative = {"0"};
    labels.cutoffFormat.format = "iso";
    for (int c = 0; c < m_labelsPreview->columnCount(); ++c) {
        const QString h = m_labelsPreview->horizontalHeaderItem(c)
                              ? m_labelsPreview->horizontalHeaderItem(c)->text()
                              : QString();
        if (h.contains("time", Qt::CaseInsensitive) || h.contains("date", Qt::CaseInsensitive)) {
            labels.cutoff = h.toStdString();
            std::vector<std::string> values;
            for (int r = 0; r < m_labelsPreview->rowCount(); ++r)
                if (m_labelsPreview->item(r, c))
                    values.push_back(m_labelsPreview->item(r, c)->text().toStdString());
            labels.cutoffFormat.format = guessTimeFormat(values).toStdString();
        }
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
    if (r.profile.sources.empty())
        for (const auto &f : r.profile.fields)
            rows.push_back({"missing share: " + QString::fromStdString(f.name),
                            QString::number(100.0 * double(f.missing) / eventRows, 'f', 1) + " %"});
    for (const auto &s : l.sources) { // several sources: each with its joins and coverage
        if (l.sources.size() < 2)
            break;
        const QString n = QString::fromStdString(s.name) + ": ";
        rows.push_back({n + "rows / kept / after the cutoff",
                        QString("%1 / %2 / %3").arg(s.rows).arg(s.kept).arg(s.afterCutoff)});
        rows.push_back({n + "unlabeled / join misses",
                        QString("%1 / %2").arg(s.unknownEntity).arg(s.joinMisses)});
        rows.push_back({n + "applicants covered", QString::number(s.applicantsCovered)});
    }
    for (const auto &s : r.profile.sources) // over the source's own kept events
        for (const auto &[field, share] : s.missingShare)
            rows.push_back({"missing share: " + QString::fromStdString(field),
                            QString::number(100.0 * share, 'f', 1) + " %"});
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
