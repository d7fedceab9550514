// SPDX-License-Identifier: GPL-3.0-or-later
// The open project: its store, its config (path and JSON text), the selected run, and the
// applicant explorer of the selected run's model. Views observe it through signals.
#pragma once

#include "seqlens/explain/explorer.h"
#include "seqlens/store/project_store.h"

#include <QObject>
#include <QString>

#include <memory>

namespace seqlens::ui {

class ProjectSession : public QObject {
    Q_OBJECT
public:
    explicit ProjectSession(QObject *parent = nullptr);
    ~ProjectSession() override;

    // Opens (or creates) a project file; the config is remembered in the project's meta as the
    // path of the last config used. Throws a seqlens::Error with a one-line message.
    void open(const QString &projectPath);
    bool isOpen() const { return bool(m_store); }
    ProjectStore &store() { return *m_store; }
    const QString &path() const { return m_path; }

    const QString &configPath() const { return m_configPath; }
    void setConfigPath(const QString &path);

    int64_t currentRun() const { return m_run; }
    void selectRun(int64_t run); // emits runSelected
    void notifyRunsChanged() { Q_EMIT runsChanged(); }

    // The explorer for the selected run (null until loaded by the inspector).
    std::shared_ptr<ApplicantExplorer> explorer() const { return m_explorer; }
    int64_t explorerRun() const { return m_explorerRun; }
    void setExplorer(std::shared_ptr<ApplicantExplorer> e, int64_t run);
    // The model bundle directory of a run (train: its output; compare: DIR/model).
    QString bundleDirOf(int64_t run);

Q_SIGNALS:
    void opened();
    void configChanged();
    void runsChanged();
    void runSelected(qint64 run);
    void explorerChanged();

private:
    std::unique_ptr<ProjectStore> m_store;
    QString m_path, m_configPath;
    int64_t m_run = 0, m_explorerRun = 0;
    std::shared_ptr<ApplicantExplorer> m_explorer;
};

} // namespace seqlens::ui
