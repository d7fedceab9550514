// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/start_view.h"

#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace seqlens::ui {

StartView::StartView(QWidget *parent) : QWidget(parent)
{
    auto *title = new QLabel(
        "<h1>SeqLens</h1><p>Credit-risk deep learning on event sequences, with explanations.</p>");
    auto *newButton = new QPushButton("New project… (Ctrl+N)");
    auto *openButton = new QPushButton("Open project… (Ctrl+O)");
    auto *demoButton = new QPushButton("Open demo project");
    m_recent = new QListWidget;
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(newButton);
    buttons->addWidget(openButton);
    buttons->addWidget(demoButton);
    buttons->addStretch();
    layout->addLayout(buttons);
    layout->addWidget(new QLabel("Recent projects (double-click to open):"));
    layout->addWidget(m_recent, 1);
    connect(newButton, &QPushButton::clicked, this, &StartView::newProject);
    connect(openButton, &QPushButton::clicked, this, &StartView::openProject);
    connect(demoButton, &QPushButton::clicked, this, &StartView::openDemo);
    connect(m_recent, &QListWidget::itemDoubleClicked, this,
            [this](QListWidgetItem *i) { Q_EMIT openRecent(i->text()); });
    refreshRecent();
}

void StartView::refreshRecent()
{
    m_recent->clear();
    for (const QString &p : QSettings().value("recentProjects").toStringList())
        if (QFileInfo::exists(p))
            m_recent->addItem(p);
}

} // namespace seqlens::ui
