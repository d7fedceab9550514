// SPDX-License-Identifier: GPL-3.0-or-later
// Applicant inspector: find an applicant by id or pick one from a list sortable by score (the
// highest score is shown when a run opens); the header (score, percentile, label); the reasons
// that raised the score; the timeline on a real date axis (one bar per event, height = its
// signed contribution by Integrated Gradients or occlusion, or its attention; colour = a chosen
// categorical field; a line at the cutoff); the heatmap of events x inputs in the same measure
// (diverging red/blue scale for contributions, with a legend); the raw events; and what-if:
// remove the selected event, set one of its fields, or move it in time, see the new score and
// contributions at once, undo, reset. Selecting an event in any of the views highlights it in
// the others; hovering a bar shows its values. With several event sources the timeline has one
// lane per source on the same time axis, each coloured by a field of its own, the heatmap
// shows each event's own source's fields (and the time inputs), and the events table names the
// source.
#pragma once

#include "report/plots.h"
#include "report/timeline_lanes.h"
#include "seqlens/explain/explorer.h"

#include <QWidget>

#include <memory>

class QCustomPlot;
class QCPBars;
class QCPItemRect;
class QComboBox;
class QCPColorScale;
class QPushButton;
class QDoubleSpinBox;
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

    enum class Measure { IntegratedGradients, Occlusion, Attention };
    void setMeasure(Measure m);
    // What-if on the shown applicant; each edit counts events in the history the previous
    // edits left. Errors (a value that is not a number, a move past the cutoff) go to the status.
    bool applyEdit(const HistoryEdit &edit);
    void undoEdit();
    void resetEdits();
    int editCount() const { return int(m_edits.size()); }
    double originalScore() const { return m_originalScore; }
    QString reasonsText() const;

    // For tests and benchmarks.
    int timelineBarCount() const;
    QSize heatmapSize() const
    {
        return {m_heatCols, m_heatRows};
    } // width = events, height = inputs
    int heatmapCellCount() const { return m_heatCells; } // cells drawn: own inputs only
    int laneCount() const;                                 // timeline lanes: one per source
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
    void rebuildColourChoices();
    std::vector<report::TimelineLane> timelineLanes() const;
    size_t laneOf(const ExplainedEvent &e) const;
    bool showsInput(const ExplainedEvent &e, size_t input) const;
    void drawTimeline();
    void drawHeatmap();
    void fillEvents();
    void onTimelineClick(QCPBars *bars, int dataIndex);
    void onHover(QMouseEvent *event);
    QString eventText(int event) const;
    QWidget *buildWhatIfPanel();
    void refreshApplicant(); // explains m_index with m_edits and redraws
    void updateHeader();
    double eventValue(const ExplainedEvent &e) const;
    double cellValue(const ExplainedEvent &e, size_t input) const;
    QString measureLabel() const;

    ProjectSession &m_session;
    std::shared_ptr<ApplicantExplorer> m_explorer;
    std::unique_ptr<ApplicantExplanation> m_view;
    std::vector<double> m_sortedTestScores;
    int64_t m_index = -1;
    std::vector<HistoryEdit> m_edits;
    double m_originalScore = 0;
    Measure m_measure = Measure::IntegratedGradients;
    QComboBox *m_measureBox, *m_editField;
    QLineEdit *m_editValue;
    QDoubleSpinBox *m_moveDays;
    QPushButton *m_undo, *m_reset;
    QLabel *m_reasons;
    QCPColorScale *m_scale = nullptr;
    Job *m_job = nullptr;
    QLineEdit *m_search;
    QLabel *m_header, *m_status;
    QWidget *m_colourRow;
    std::vector<QComboBox *> m_colourBy; // one per lane
    ApplicantListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_list;
    QCustomPlot *m_timeline, *m_heatmap;
    QTableWidget *m_events;
    std::vector<report::TimelineBars> m_bars; // bars -> event of each data point
    QCPItemRect *m_heatSelection = nullptr;
    int m_heatRows = 0, m_heatCols = 0, m_heatCells = 0, m_selected = -1;
    bool m_syncing = false;
};

} // namespace seqlens::ui
