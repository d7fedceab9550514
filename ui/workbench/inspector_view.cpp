// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/inspector_view.h"

#include "report/plots.h"
#include "workbench/applicant_list_model.h"
#include "workbench/job.h"
#include "workbench/plot_export.h"
#include "workbench/project_session.h"
#include "workbench/inspector_time.h"

#include "seqlens/data/time_parser.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>

namespace seqlens::ui {

namespace {

QString labelText(int label)
{
    return label < 0 ? "unknown" : label == 1 ? "bad" : "good";
}

} // namespace

InspectorView::InspectorView(ProjectSession &session, QWidget *parent)
    : QWidget(parent), m_session(session)
{
    m_search = new QLineEdit;
    m_search->setPlaceholderText("Find applicant by id (Enter)");
    m_model = new ApplicantListModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::EditRole);
    m_list = new QTableView;
    m_list->setModel(m_proxy);
    m_list->setSortingEnabled(true);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->verticalHeader()->hide();
    m_list->horizontalHeader()->setStretchLastSection(true);
    m_status = new QLabel("Select a finished run to inspect its applicants.");
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_search);
    leftLayout->addWidget(m_list);
    leftLayout->addWidget(m_status);

    m_header = new QLabel;
    m_header->setTextFormat(Qt::RichText);
    m_reasons = new QLabel;
    m_reasons->setTextFormat(Qt::RichText);
    m_reasons->setWordWrap(true);
    m_measureBox = new QComboBox;
    m_measureBox->addItem("contribution (Integrated Gradients)");
    m_measureBox->addItem("contribution (occlusion)");
    m_measureBox->addItem("attention (where the model looked)");
    m_colourRow = new QWidget;
    new QHBoxLayout(m_colourRow);
    m_colourRow->layout()->setContentsMargins(0, 0, 0, 0);
    m_timeline = new QCustomPlot;
    m_timeline->setMinimumHeight(200);
    m_timeline->setInteractions(QCP::iSelectPlottables | QCP::iRangeDrag | QCP::iRangeZoom);
    m_timeline->axisRect()->setRangeDrag(Qt::Horizontal);
    m_timeline->axisRect()->setRangeZoom(Qt::Horizontal);
    m_timeline->setMouseTracking(true);
    m_heatmap = new QCustomPlot;
    m_heatmap->setMinimumHeight(140);
    m_events = new QTableWidget;
    m_events->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_events->setSelectionMode(QAbstractItemView::SingleSelection);
    m_events->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_events->verticalHeader()->hide();
    enablePlotExport(m_timeline, "timeline");
    enablePlotExport(m_heatmap, "field_attention_heatmap");

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(new QLabel("show"));
    top->addWidget(m_measureBox);
    top->addWidget(new QLabel("colour by"));
    top->addWidget(m_colourRow);
    rightLayout->addLayout(top);
    rightLayout->addWidget(m_reasons);
    rightLayout->addWidget(buildWhatIfPanel());
    auto *plots = new QSplitter(Qt::Vertical);
    plots->addWidget(m_timeline);
    plots->addWidget(m_heatmap);
    plots->addWidget(m_events);
    plots->setStretchFactor(0, 3);
    plots->setStretchFactor(1, 2);
    plots->setStretchFactor(2, 3);
    rightLayout->addWidget(plots, 1);

    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connectSignals();
}

// Search, list, colour choice, timeline clicks and hover, axis sync, table and session.
void InspectorView::connectSignals()
{
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (!showApplicant(m_search->text().trimmed()))
            m_status->setText("No applicant \"" + m_search->text().trimmed() +
                              "\" in this run's data.");
    });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &cur) {
                if (cur.isValid() && !m_syncing)
                    showApplicantIndex(
                        m_proxy->data(m_proxy->index(cur.row(), 0), Qt::UserRole).toLongLong());
            });
    connect(m_measureBox, &QComboBox::currentIndexChanged, this,
            [this](int i) { setMeasure(Measure(i)); });
    connect(m_timeline, &QCustomPlot::plottableClick, this,
            [this](QCPAbstractPlottable *p, int i, QMouseEvent *) {
                if (auto *bars = qobject_cast<QCPBars *>(p))
                    onTimelineClick(bars, i);
            });
    connect(m_timeline, &QCustomPlot::mouseMove, this, &InspectorView::onHover);
    connect(m_timeline->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
            [this](const QCPRange &r) {
                m_heatmap->xAxis->setRange(r);
                m_heatmap->replot(QCustomPlot::rpQueuedReplot);
            });
    connect(m_events, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (!m_syncing)
            selectEvent(row);
    });
    connect(&m_session, &ProjectSession::explorerChanged, this, &InspectorView::onExplorerChanged);
}

InspectorView::~InspectorView() = default;

void InspectorView::loadRun(int64_t run)
{
    if (m_job && m_job->isRunning())
        m_job->cancel(); // a newer choice wins; the old load stops at its next check and is dropped
    const QString dir = m_session.bundleDirOf(run);
    m_status->setText("Loading the model and data of run " + QString::number(run) + "…");
    auto result = std::make_shared<std::shared_ptr<ApplicantExplorer>>();
    Job *job = new Job(
        [dir, result](Job &j) {
            *result = ApplicantExplorer::open(dir.toStdString(), {}, {}, j.cancelToken());
        },
        this);
    m_job = job;
    connect(job, &Job::finished, this,
            [this, job, result, run](bool ok, const QString &error, bool cancelled) {
                job->deleteLater();
                if (job != m_job || cancelled)
                    return;
                m_job = nullptr;
                if (!ok) {
                    m_status->setText("Cannot inspect run " + QString::number(run) + ": " + error);
                    Q_EMIT explorerLoaded(false);
                    return;
                }
                m_session.setExplorer(*result, run);
            });
    m_job->start();
}

void InspectorView::onExplorerChanged()
{
    m_explorer = m_session.explorer();
    m_model->setExplorer(m_explorer);
    m_sortedTestScores.clear();
    if (m_explorer) {
        for (int64_t a = 0; a < m_explorer->count(); ++a)
            if (m_explorer->split(a) == Split::Test)
                m_sortedTestScores.push_back(m_explorer->score(a));
        std::sort(m_sortedTestScores.begin(), m_sortedTestScores.end());
        m_list->sortByColumn(1, Qt::DescendingOrder);
        m_status->setText(QString("%1 applicants (run %2)")
                              .arg(m_explorer->count())
                              .arg(m_session.explorerRun()));
    }
    rebuildColourChoices();
    if (m_explorer && m_explorer->count() > 0) // open on the highest score, not on empty plots
        m_list->selectRow(0);
    Q_EMIT explorerLoaded(bool(m_explorer));
}

bool InspectorView::showApplicant(const QString &id)
{
    if (!m_explorer)
        return false;
    const int64_t a = m_explorer->find(id.toStdString());
    if (a < 0)
        return false;
    showApplicantIndex(a);
    return true;
}

void InspectorView::showApplicantIndex(int64_t index)
{
    if (!m_explorer)
        return;
    m_index = index;
    m_edits.clear();
    m_originalScore = m_explorer->score(index);
    refreshApplicant();
    Q_EMIT applicantShown(QString::fromStdString(m_view->id));
}

void InspectorView::refreshApplicant()
{
    ExplainOptions options = m_explorer->defaultOptions();
    // Occlusion re-scores one history per event (and per event and input for the heatmap):
    // quadratic in the history length, up to seconds for 128 events, so the UI thread computes
    // it only while the occlusion view is on screen.
    options.occlusion = options.inputOcclusion = m_measure == Measure::Occlusion;
    if (m_edits.empty())
        m_view = std::make_unique<ApplicantExplanation>(m_explorer->explain(m_index, options));
    else
        m_view = std::make_unique<ApplicantExplanation>(
            m_explorer->explainEdited(m_index, m_edits, options));
    m_undo->setEnabled(!m_edits.empty());
    m_reset->setEnabled(!m_edits.empty());
    updateHeader();
    m_reasons->setText(reasonsText());
    m_editField->clear();
    for (const auto &f : m_view->fields)
        m_editField->addItem(QString::fromStdString(f));
    m_selected = -1;
    drawTimeline();
    drawHeatmap();
    fillEvents();
}

void InspectorView::updateHeader()
{
    const auto &v = *m_view;
    const double pctl = m_sortedTestScores.empty()
                            ? std::nan("")
                            : double(std::upper_bound(m_sortedTestScores.begin(),
                                                      m_sortedTestScores.end(), v.score) -
                                     m_sortedTestScores.begin()) /
                                  double(m_sortedTestScores.size());
    QString score = "<b>" + QString::number(v.score, 'f', 4) + "</b>";
    if (!m_edits.empty())
        score = QString("<b>%1</b> (was %2, %3%4 after %5 edit%6)")
                    .arg(v.score, 0, 'f', 4)
                    .arg(m_originalScore, 0, 'f', 4)
                    .arg(v.score >= m_originalScore ? "+" : "")
                    .arg(v.score - m_originalScore, 0, 'f', 4)
                    .arg(m_edits.size())
                    .arg(m_edits.size() == 1 ? "" : "s");
    m_header->setText(
        QString("<b>%1</b> &nbsp; score %2 &nbsp; percentile among test applicants <b>%3</b> "
                "&nbsp; label <b>%4</b> &nbsp; %5 events used of %6")
            .arg(QString::fromStdString(v.id).toHtmlEscaped(), score,
                 std::isnan(pctl) ? QString("n/a") : QString::number(100 * pctl, 'f', 1) + " %",
                 labelText(v.label))
            .arg(v.events.size())
            .arg(v.eventsInHistory));
}

QString InspectorView::reasonsText() const
{
    if (!m_view)
        return {};
    if (m_view->reasons.empty())
        return "<i>No part of this history raised the score above the reference "
               "(all contributions are zero or negative).</i>";
    QString t = "<b>Reasons that raised the score</b> (Integrated Gradients, reference: " +
                QString(toString(m_view->attribution.reference)) + "):<ol style='margin:0'>";
    for (const auto &r : m_view->reasons)
        t += QString("<li>%1 &nbsp; <span style='color:#b2182b'>+%2 logit, +%3 points</span> "
                     "<span style='color:gray'>[%4]</span></li>")
                 .arg(QString::fromStdString(r.text).toHtmlEscaped())
                 .arg(r.logit, 0, 'f', 3)
                 .arg(r.probabilityPoints, 0, 'f', 1)
                 .arg(QString::fromStdString(r.code).toHtmlEscaped());
    return t + "</ol>";
}

void InspectorView::setMeasure(Measure m)
{
    const bool needsOcclusion = m == Measure::Occlusion && m_measure != m;
    m_measure = m;
    if (m_measureBox->currentIndex() != int(m))
        m_measureBox->setCurrentIndex(int(m));
    if (!m_view)
        return;
    if (needsOcclusion) {
        refreshApplicant();
        return;
    }
    drawTimeline();
    drawHeatmap();
    fillEvents();
}

QWidget *InspectorView::buildWhatIfPanel()
{
    auto *panel = new QWidget;
    auto *row = new QHBoxLayout(panel);
    row->setContentsMargins(0, 0, 0, 0);
    auto *remove = new QPushButton("Remove event");
    m_editField = new QComboBox;
    m_editValue = new QLineEdit;
    m_editValue->setPlaceholderText("new value (empty = missing)");
    auto *set = new QPushButton("Set");
    m_moveDays = new QDoubleSpinBox;
    m_moveDays->setRange(-3650, 3650);
    m_moveDays->setSuffix(" days");
    auto *move = new QPushButton("Move");
    m_undo = new QPushButton("Undo");
    m_reset = new QPushButton("Reset");
    m_undo->setEnabled(false);
    m_reset->setEnabled(false);
    row->addWidget(new QLabel("What-if on the selected event:"));
    row->addWidget(remove);
    row->addWidget(m_editField);
    row->addWidget(m_editValue, 1);
    row->addWidget(set);
    row->addWidget(m_moveDays);
    row->addWidget(move);
    row->addWidget(m_undo);
    row->addWidget(m_reset);
    auto needEvent = [this]() {
        if (m_view && m_selected >= 0)
            return true;
        m_status->setText("Select an event first (click a bar or a row).");
        return false;
    };
    connect(remove, &QPushButton::clicked, this, [this, needEvent] {
        if (needEvent())
            applyEdit({HistoryEdit::Kind::Remove, m_selected, {}, {}, 0});
    });
    connect(set, &QPushButton::clicked, this, [this, needEvent] {
        if (needEvent())
            applyEdit({HistoryEdit::Kind::Set, m_selected, m_editField->currentText().toStdString(),
                       m_editValue->text().toStdString(), 0});
    });
    connect(move, &QPushButton::clicked, this, [this, needEvent] {
        if (needEvent())
            applyEdit({HistoryEdit::Kind::Move, m_selected, {}, {},
                       m_view->events[size_t(m_selected)].timeDays + m_moveDays->value()});
    });
    connect(m_undo, &QPushButton::clicked, this, &InspectorView::undoEdit);
    connect(m_reset, &QPushButton::clicked, this, &InspectorView::resetEdits);
    return panel;
}

bool InspectorView::applyEdit(const HistoryEdit &edit)
{
    if (!m_explorer || m_index < 0)
        return false;
    m_edits.push_back(edit);
    try {
        refreshApplicant();
    } catch (const std::exception &e) {
        m_edits.pop_back();
        refreshApplicant();
        m_status->setText(QString("What-if refused: ") + e.what());
        return false;
    }
    m_status->setText(QString::fromStdString("What-if: " + describe(edit)));
    return true;
}

void InspectorView::undoEdit()
{
    if (m_edits.empty())
        return;
    m_edits.pop_back();
    refreshApplicant();
}

void InspectorView::resetEdits()
{
    m_edits.clear();
    if (m_index >= 0)
        refreshApplicant();
}

void InspectorView::fillEvents()
{
    const auto &fields = m_explorer->fields();
    const bool bySource = !m_explorer->sources().empty();
    const int first = bySource ? 3 : 2; // the first field's column
    m_syncing = true;
    m_events->clear();
    m_events->setColumnCount(int(fields.size()) + first + 1);
    QStringList header{"#", "time"};
    if (bySource)
        header << "source";
    for (const auto &f : fields)
        header << QString::fromStdString(f);
    header << measureLabel();
    m_events->setHorizontalHeaderLabels(header);
    m_events->setRowCount(int(m_view->events.size()));
    for (int r = 0; r < int(m_view->events.size()); ++r) {
        const auto &e = m_view->events[size_t(r)];
        m_events->setItem(r, 0, new QTableWidgetItem(QString::number(r + 1)));
        m_events->setItem(r, 1,
                          new QTableWidgetItem(QString::fromStdString(formatDays(e.timeDays))));
        if (bySource)
            m_events->setItem(r, 2, new QTableWidgetItem(QString::fromStdString(e.source)));
        for (size_t f = 0; f < fields.size(); ++f)
            m_events->setItem(r, int(f) + first,
                              new QTableWidgetItem(QString::fromStdString(e.values[f])));
        m_events->setItem(r, int(fields.size()) + first,
                          new QTableWidgetItem(QString::number(eventValue(e), 'f', 4)));
    }
    m_events->resizeColumnsToContents();
    m_syncing = false;
}

void InspectorView::onTimelineClick(QCPBars *bars, int dataIndex)
{
    for (const auto &b : m_bars)
        if (b.bars == bars && dataIndex >= 0 && dataIndex < int(b.events.size()))
            selectEvent(b.events[size_t(dataIndex)]);
}

void InspectorView::selectEvent(int event)
{
    if (!m_view || event >= int(m_view->events.size()))
        return;
    m_selected = event;
    m_syncing = true;
    for (const auto &b : m_bars) {
        const auto it = std::find(b.events.begin(), b.events.end(), event);
        const int i = int(it - b.events.begin());
        b.bars->setSelection(it == b.events.end() ? QCPDataSelection()
                                                  : QCPDataSelection(QCPDataRange(i, i + 1)));
    }
    if (event >= 0) {
        m_events->selectRow(event);
        m_events->scrollToItem(m_events->item(event, 0));
    } else {
        m_events->clearSelection();
    }
    if (m_heatSelection)
        m_heatmap->removeItem(m_heatSelection);
    m_heatSelection = nullptr;
    if (event >= 0 && !m_bars.empty()) {
        const double x = secondsOf(m_view->events[size_t(event)].timeDays),
                     w = m_bars.front().bars->width();
        m_heatSelection = new QCPItemRect(m_heatmap);
        m_heatSelection->topLeft->setCoords(x - w / 2, m_heatRows);
        m_heatSelection->bottomRight->setCoords(x + w / 2, 0);
        m_heatSelection->setPen(QPen(QColor(0, 120, 255), 2));
    }
    m_syncing = false;
    m_timeline->replot();
    m_heatmap->replot();
}

QString InspectorView::eventText(int event) const
{
    const auto &e = m_view->events[size_t(event)];
    QString t = QString::fromStdString(formatDays(e.timeDays)) + "\ncontribution (IG) " +
                QString::number(e.attributionTotal, 'f', 4) + "\nlogit change if removed " +
                (std::isnan(e.occlusionDelta) ? QString("(shown in the occlusion view)")
                                              : QString::number(e.occlusionDelta, 'f', 4)) +
                "\nattention " +
                QString::number(e.itemWeight, 'f', 4);
    if (!e.source.empty())
        t += "\nsource " + QString::fromStdString(e.source);
    const auto &owners = m_explorer->fieldSources();
    for (size_t f = 0; f < e.values.size(); ++f)
        if (owners.empty() || size_t(owners[f]) == laneOf(e))
            t += "\n" + QString::fromStdString(m_explorer->fields()[f]) + " = " +
             (e.values[f].empty() ? QString("(missing)") : QString::fromStdString(e.values[f]));
    return t;
}

void InspectorView::onHover(QMouseEvent *event)
{
    if (!m_view || m_view->events.empty())
        return;
    const double px = event->position().x();
    const int lane = report::laneAt(*m_timeline, event->position()); // its events only
    int best = -1;
    double bestDist = 8; // pixels
    for (int e = 0; e < int(m_view->events.size()); ++e) {
        if (lane >= 0 && laneOf(m_view->events[size_t(e)]) != size_t(lane))
            continue;
        const double d = std::fabs(
            m_timeline->xAxis->coordToPixel(secondsOf(m_view->events[size_t(e)].timeDays)) - px);
        if (d < bestDist) {
            bestDist = d;
            best = e;
        }
    }
    if (best >= 0)
        QToolTip::showText(event->globalPosition().toPoint(), eventText(best), m_timeline);
    else
        QToolTip::hideText();
}

} // namespace seqlens::ui
