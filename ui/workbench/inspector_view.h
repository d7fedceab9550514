// SPDX-License-Identifier: GPL-3.0-or-later
// Applicant inspector: find an applicant by id or pick one from a list sortable by score; the
// header (score, percentile, label); the timeline on a real date axis (one bar per event,
// height = attention, colour = a chosen categorical field); the field-attention heatmap
// (events x inputs) aligned under it; the raw events. Selecting an event in any of the three
// highlights it in the others; hovering a bar shows its values.
#pragma once

#include "report/plots.h"
#include "seqlens/explain/explorer.h"

#include <QWidget>

#include <memory>

class QCustomPlot;
class QCPBars;
class QCPItemRect;
class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;

namespace seqlens::ui {

class ApplicantListModel;
class Job;
class ProjectSession;

class InspectorView : public QWidget {
    Q_OBJECT
public:
    explicit InspectorView(ProjectSession &session, QWidget *parent = nullptr);
    ~InspectorView() override;

    void loadRun(int64_t run);             // loads the run's model and data on a worker thread
    bool showApplicant(const QString &id); // false when unknown
    void showApplicantIndex(int64_t index);
    void selectEvent(int event); // -1 clears

    // For tests and benchmarks.
    int timelineBarCount() const;
    QSize heatmapSize() const
    {
        return {m_heatCols, m_heatRows};
    } // width = events, height = inputs
    int selectedEvent() const { return m_selected; }
    QCustomPlot *timeline() const { return m_timeline; }
    QCustomPlot *heatmap() const { return m_heatmap; }
    QTableWidget *eventsTable() const { return m_events; }
    QTableView *applicantList() const { return m_list; }
    const ApplicantExplanation *current() const { return m_view.get(); }

Q_SIGNALS:
    void explorerLoaded(bool ok);
    void applicantShown(const QString &id);

private:
    void connectSignals();
    void onExplorerChanged();
    void drawTimeline();
    void drawHeatmap();
    void fillEvents();
    void onTimelineClick(QCPBars *bars, int dataIndex);
    void onHover(QMouseEvent *event);
    QString eventText(int event) const;

    ProjectSession &m_session;
    std::shared_ptr<ApplicantExplorer> m_explorer;
    std::unique_ptr<ApplicantExplanation> m_view;
    std::vector<double> m_sortedTestScores;
    Job *m_job = nullptr;
    QLineEdit *m_search;
    QLabel *m_header, *m_status;
    QComboBox *m_colourBy;
    ApplicantListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_list;
    QCustomPlot *m_timeline, *m_heatmap;
    QTableWidget *m_events;
    std::vector<report::TimelineBars> m_bars; // bars -> event of each data point
    QCPItemRect *m_heatSelection = nullptr;
    int m_heatRows = 0, m_heatCols = 0, m_selected = -1;
    bool m_syncing = false;
};

} // namespace seqlens::ui
