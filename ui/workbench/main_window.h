// SPDX-License-Identifier: GPL-3.0-or-later
// The SeqLens workbench window: a list of views (Start, Data, Train, Compare, Explain,
// Applicant inspector, Monitoring) beside their pages, menus with shortcuts (Ctrl+N/O/S, Ctrl+E, F5),
// a status bar, an About dialog, and window layout and recent projects in QSettings.
#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace seqlens::ui {

class CompareView;
class DataView;
class ExplainView;
class InspectorView;
class MonitoringView;
class ProjectSession;
class StartView;
class TrainView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Page { Start, Data, Train, Compare, Explain, Inspector, Monitoring };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    bool openProject(const QString &path);         // shows a dialog on error; false then
    bool openDemoProject(const QString &dir = {}); // generates the demo data there when missing
    void showPage(Page page);

    ProjectSession &session() { return *m_session; }
    TrainView *trainView() const { return m_train; }
    CompareView *compareView() const { return m_compare; }
    ExplainView *explainView() const { return m_explain; }
    InspectorView *inspectorView() const { return m_inspector; }
    MonitoringView *monitoringView() const { return m_monitoring; }
    DataView *dataView() const { return m_data; }
    QWidget *page(Page p) const;

protected:
    void closeEvent(QCloseEvent *e) override;

private:
    void buildMenus();
    void newProject();
    void exportMenu();
    void about();
    void updateTitle();
    void loadInspectorIfPending();

    ProjectSession *m_session;
    QListWidget *m_nav;
    QStackedWidget *m_pages;
    StartView *m_start;
    DataView *m_data;
    TrainView *m_train;
    CompareView *m_compare;
    ExplainView *m_explain;
    InspectorView *m_inspector;
    MonitoringView *m_monitoring;
    bool m_inspectorPending = false; // a run was selected whose model the inspector has not loaded
};

} // namespace seqlens::ui
