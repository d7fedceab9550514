// SPDX-License-Identifier: GPL-3.0-or-later
// Data: import the event tables and the label CSV (file dialog or drag and drop); each event
// table gets a form (source_form.h: its name, key and time columns, clock, join through a
// parent table, preview, inferred and editable field types); the
// config as JSON, editable and validated as you type (errors at their JSON path); a data audit
// (rows, applicants, events-per-applicant histogram, missing share per field, events excluded
// by cutoff, truncated histories; per source with several: rows, kept, join misses, coverage)
// computed on a worker thread.
#pragma once

#include <QWidget>

#include <vector>

class QCustomPlot;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QTimer;

namespace seqlens {
struct AuditReport;
}

namespace seqlens::ui {

class Job;
class ProjectSession;
class SourceForm;

class DataView : public QWidget {
    Q_OBJECT
public:
    explicit DataView(ProjectSession &session, QWidget *parent = nullptr);

    SourceForm *importEvents(const QString &path); // adds an event table
    void removeEventTable(int index);
    int eventTableCount() const { return int(m_forms.size()); }
    SourceForm *eventTable(int index) const { return m_forms.at(size_t(index)); }
    void importLabels(const QString &path);
    void generateConfig(); // from the field-type table
    bool saveConfig();     // Ctrl+S; false when invalid or unwritable
    void runAudit();
    QStringList validationErrors() const; // as last shown
    QTableWidget *auditTable() const { return m_audit; }
    QPlainTextEdit *editor() const { return m_editor; }

Q_SIGNALS:
    void auditFinished(bool ok);

protected:
    void dragEnterEvent(QDragEnterEvent *e) override;
    void dropEvent(QDropEvent *e) override;

private:
    void connectSignals(QPushButton *importEvents, QPushButton *removeEvents,
                        QPushButton *importLabels, QPushButton *generate, QPushButton *save,
                        QPushButton *audit);
    void loadConfigText();
    void validate();
    void clearEventTables();
    void showAudit(const AuditReport &report);

    ProjectSession &m_session;
    QString m_labelsPath;
    QTabWidget *m_tabs; // one tab per event table, the labels last
    std::vector<SourceForm *> m_forms;
    QTableWidget *m_labelsPreview, *m_audit;
    QPlainTextEdit *m_editor;
    QListWidget *m_errors;
    QLabel *m_auditTitle;
    QCustomPlot *m_histogram;
    QTimer *m_debounce;
    QPushButton *m_cancelAudit;
    Job *m_job = nullptr;
};

} // namespace seqlens::ui
