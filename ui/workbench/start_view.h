// SPDX-License-Identifier: GPL-3.0-or-later
// Start: create or open a project file, recent projects, and "Open demo project" (generates
// the synthetic data and config, ready to train).
#pragma once

#include <QWidget>

class QListWidget;

namespace seqlens::ui {

class StartView : public QWidget {
    Q_OBJECT
public:
    explicit StartView(QWidget *parent = nullptr);
    void refreshRecent();

Q_SIGNALS:
    void newProject();
    void openProject();
    void openDemo();
    void openRecent(const QString &path);

private:
    QListWidget *m_recent;
};

} // namespace seqlens::ui
