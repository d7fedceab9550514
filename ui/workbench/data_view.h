// SPDX-License-Identifier: GPL-3.0-or-later
// Data: import the event and label CSVs (file dialog or drag and drop) with a preview of the
// first rows; field types inferred (categorical / numeric / time / ignore) and editable; the
// config as JSON, editable and validated as you type (errors at their JSON path); a data audit
// (rows, applicants, events-per-applicant histogram, missing share per field, events excluded
// by cutoff, truncated histories) computed on a worker thread.
#pragma once

#include <QWidget>

class QCustomPlot;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTimer;

namespace seqlens {
struct AuditReport;
}

namespace seqlens::ui {

class Job;
class ProjectSession;

class DataView : public QWidget {
    Q_OBJECT
public:
    explicit DataView(ProjectSession &session, QWidget *parent = nullptr);

    void importEvents(const QString &path);
    void importLabels(const QString &path);
    void generateConfig(); // from the field-type table
    bool saveConfig();     // Ctrl+S; false when invalid or unwritable
    void runAudit();
    QStringList validationErrors() const; // as last shown
    QPlainTextEdit *editor() const { return m_editor; }

Q_SIGNALS:
    void auditFinished(bool ok);

protected:
    void dragEnterEvent(QDragEnterEvent *e) override;
    void dropEvent(QDropEvent *e) override;

private:
    void connectSignals(QPushButton *importEvents, QPushButton *importLabels, QPushButton *generate,
                        QPushButton *save, QPushButton *audit);
    void loadConfigText();
    void validate();
    void fillPreview(QTableWidget *table, const QString &path);
    void inferTypes();
    void showAudit(const AuditReport &report);

    ProjectSession &m_session;
    QString m_eventsPath, m_labelsPath;
    QTableWidget *m_eventsPreview, *m_labelsPreview, *m_types, *m_audit;
    QPlainTextEdit *m_editor;
    QListWidget *m_errors;
    QLabel *m_auditTitle;
    QCustomPlot *m_histogram;
    QTimer *m_debounce;
    QPushButton *m_cancelAudit;
    Job *m_job = nullptr;
};

} // namespace seqlens::ui
