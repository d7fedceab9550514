// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/project_session.h"

#include <QFileInfo>
#include <QSettings>

namespace seqlens::ui {

ProjectSession::ProjectSession(QObject *parent) : QObject(parent) {}
ProjectSession::~ProjectSession() = default;

void ProjectSession::open(const QString &projectPath)
{
    auto store = std::make_unique<ProjectStore>(projectPath.toStdString());
    m_store = std::move(store);
    m_path = QFileInfo(projectPath).absoluteFilePath();
    m_run = 0;
    m_explorer.reset();
    m_explorerRun = 0;
    QSettings settings;
    m_configPath = settings.value("configFor/" + m_path).toString();
    if (m_configPath.isEmpty() || !QFileInfo::exists(m_configPath)) {
        // Else a config.json next to the project file (the demo project's layout).
        const QString sibling = QFileInfo(m_path).absolutePath() + "/config.json";
        m_configPath = QFileInfo::exists(sibling) ? sibling : QString();
    }
    QStringList recent = settings.value("recentProjects").toStringList();
    recent.removeAll(m_path);
    recent.prepend(m_path);
    settings.setValue("recentProjects", recent.mid(0, 10));
    Q_EMIT opened();
    Q_EMIT configChanged();
    Q_EMIT runsChanged();
    const auto runs = m_store->runs();
    for (const auto &r : runs)
        if (r.status == RunStatus::Finished) {
            selectRun(r.id);
            break;
        }
}

void ProjectSession::setConfigPath(const QString &path)
{
    m_configPath = QFileInfo(path).absoluteFilePath();
    QSettings().setValue("configFor/" + m_path, m_configPath);
    Q_EMIT configChanged();
}

void ProjectSession::selectRun(int64_t run)
{
    m_run = run;
    Q_EMIT runSelected(run);
}

void ProjectSession::setExplorer(std::shared_ptr<ApplicantExplorer> e, int64_t run)
{
    m_explorer = std::move(e);
    m_explorerRun = run;
    Q_EMIT explorerChanged();
}

QString ProjectSession::bundleDirOf(int64_t run)
{
    const RunInfo info = m_store->run(run);
    const QString out = QString::fromStdString(info.outputPath);
    return info.kind == "compare" ? out + "/model" : out;
}

} // namespace seqlens::ui
