// SPDX-License-Identifier: GPL-3.0-or-later
// The applicant inspector's plots (inspector_view.h): the colour choices per source, the
// timeline lanes, the heatmap, and the measure they show.
#include "workbench/inspector_view.h"

#include "workbench/inspector_time.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>

#include <algorithm>
#include <cmath>
#include <map>

namespace seqlens::ui {

// One "colour by" choice per lane: the categorical fields of the lane's source (the first is
// chosen), or none.
void InspectorView::rebuildColourChoices()
{
    for (QObject *child : m_colourRow->children())
        if (child->isWidgetType())
            delete child;
    m_colourBy.clear();
    const size_t lanes = m_explorer ? std::max<size_t>(1, m_explorer->sources().size()) : 1;
    for (size_t k = 0; k < lanes; ++k) {
        auto *box = new QComboBox;
        if (m_explorer) {
            const auto &sources = m_explorer->sources();
            if (!sources.empty())
                m_colourRow->layout()->addWidget(
                    new QLabel(QString::fromStdString(sources[k]) + ":"));
            for (size_t f = 0; f < m_explorer->fields().size(); ++f)
                if (m_explorer->fieldTypes()[f] == "categorical" &&
                    (sources.empty() || m_explorer->fieldSources()[f] == int(k)))
                    box->addItem(QString::fromStdString(m_explorer->fields()[f]), int(f));
        }
        box->addItem("(none)", -1);
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            drawTimeline();
            drawHeatmap();
        });
        m_colourRow->layout()->addWidget(box);
        m_colourBy.push_back(box);
    }
}

int InspectorView::laneCount() const
{
    return int(m_timeline->axisRectCount());
}

size_t InspectorView::laneOf(const ExplainedEvent &e) const
{
    const auto &sources = m_explorer->sources();
    const auto it = std::find(sources.begin(), sources.end(), e.source);
    return it == sources.end() ? 0 : size_t(it - sources.begin());
}

// With several sources an event has its own source's inputs and the time inputs only.
bool InspectorView::showsInput(const ExplainedEvent &e, size_t input) const
{
    const auto &owners = m_explorer->inputSources();
    return owners.empty() || owners[input] < 0 || size_t(owners[input]) == laneOf(e);
}

double InspectorView::eventValue(const ExplainedEvent &e) const
{
    switch (m_measure) {
    case Measure::IntegratedGradients: return e.attributionTotal;
    case Measure::Occlusion: return std::isnan(e.occlusionDelta) ? 0.0 : -e.occlusionDelta;
    case Measure::Attention: return e.itemWeight;
    }
    return 0;
}

double InspectorView::cellValue(const ExplainedEvent &e, size_t f) const
{
    switch (m_measure) {
    case Measure::IntegratedGradients: return f < e.attribution.size() ? e.attribution[f] : 0.0;
    case Measure::Occlusion:
        return f < e.inputOcclusionDelta.size() ? -e.inputOcclusionDelta[f] : 0.0;
    case Measure::Attention: return e.fieldWeights[f];
    }
    return 0;
}

QString InspectorView::measureLabel() const
{
    switch (m_measure) {
    case Measure::IntegratedGradients: return "contribution to logit (IG)";
    case Measure::Occlusion: return "logit drop when removed";
    case Measure::Attention: return "attention weight";
    }
    return {};
}

std::vector<report::TimelineLane> InspectorView::timelineLanes() const
{
    const auto &sources = m_explorer->sources();
    std::vector<report::TimelineLane> lanes(m_colourBy.size());
    std::vector<std::map<std::string, int>> index(lanes.size());
    for (size_t k = 0; k < lanes.size(); ++k) {
        lanes[k].source = sources.empty() ? QString() : QString::fromStdString(sources[k]);
        lanes[k].categoryField = m_colourBy[k]->currentText();
    }
    for (int i = 0; i < int(m_view->events.size()); ++i) {
        const auto &e = m_view->events[size_t(i)];
        const size_t k = laneOf(e);
        auto &lane = lanes[k];
        lane.times << secondsOf(e.timeDays);
        lane.values << eventValue(e);
        lane.events.push_back(i);
        const int field = m_colourBy[k]->currentData().toInt();
        if (field < 0 || e.values[size_t(field)].empty()) {
            lane.category.push_back(field < 0 ? 0 : -1);
            continue;
        }
        auto [it, added] = index[k].emplace(e.values[size_t(field)], int(lane.categories.size()));
        if (added)
            lane.categories << QString::fromStdString(e.values[size_t(field)]);
        lane.category.push_back(it->second);
    }
    for (size_t k = 0; k < lanes.size(); ++k)
        if (m_colourBy[k]->currentData().toInt() < 0)
            lanes[k].categories << (sources.empty() ? QString("events") : lanes[k].source);
    return lanes;
}

void InspectorView::drawTimeline()
{
    m_bars.clear();
    if (!m_view || m_colourBy.empty())
        return;
    m_timeline->setMinimumHeight(std::max<int>(200, 100 * int(m_colourBy.size())));
    m_bars = report::drawTimelineLanes(
        *m_timeline, timelineLanes(), measureLabel(),
        std::isnan(m_view->cutoffDays) ? std::nan("") : secondsOf(m_view->cutoffDays));
    for (const auto &b : m_bars)
        b.bars->setSelectable(QCP::stSingleData);
    m_timeline->replot();
}

void InspectorView::drawHeatmap()
{
    m_heatmap->clearItems();
    m_heatmap->clearPlottables();
    m_heatSelection = nullptr;
    m_heatRows = int(m_explorer->inputs().size());
    m_heatmap->setMinimumHeight(std::max(140, 14 * m_heatRows + 50)); // a label per row
    m_heatCols = int(m_view->events.size());
    QSharedPointer<QCPAxisTickerText> names(new QCPAxisTickerText);
    for (int f = 0; f < m_heatRows; ++f)
        names->addTick(f + 0.5, QString::fromStdString(m_explorer->inputs()[size_t(f)]));
    m_heatmap->yAxis->setTicker(names);
    m_heatmap->yAxis->setRange(0, m_heatRows);
    m_heatmap->xAxis->setTicker(m_timeline->xAxis->ticker());
    m_heatmap->xAxis->setTickLabels(false);
    const bool signedMeasure = m_measure != Measure::Attention;
    double extent = 1e-9; // symmetric colour range of the signed measures
    for (const auto &e : m_view->events)
        for (int f = 0; f < m_heatRows; ++f)
            extent = std::max(extent, std::fabs(cellValue(e, size_t(f))));
    const QCPRange range = signedMeasure ? QCPRange(-extent, extent) : QCPRange(0, 1);
    QCPColorGradient gradient = signedMeasure ? report::divergingGradient()
                                              : QCPColorGradient(QCPColorGradient::gpHot);
    if (!signedMeasure) {
        gradient.setLevelCount(50);
        gradient = gradient.inverted();
    }
    if (!m_scale) {
        m_scale = new QCPColorScale(m_heatmap); // below, so the x axes stay aligned
        m_heatmap->plotLayout()->addElement(1, 0, m_scale);
        m_scale->setType(QCPAxis::atBottom);
        m_scale->setBarWidth(8);
    }
    m_scale->setGradient(gradient);
    m_scale->setDataRange(range);
    m_scale->axis()->setLabel(signedMeasure ? "red raises risk, blue lowers" : "attention");
    const double width = m_bars.empty() ? 86400.0 : m_bars.front().bars->width();
    m_heatCells = 0;
    for (int e = 0; e < m_heatCols; ++e) {
        const double x = secondsOf(m_view->events[size_t(e)].timeDays);
        for (int f = 0; f < m_heatRows; ++f) {
            if (!showsInput(m_view->events[size_t(e)], size_t(f)))
                continue; // another source's field: not a part of this event
            ++m_heatCells;
            auto *cell = new QCPItemRect(m_heatmap);
            cell->topLeft->setCoords(x - width / 2, f + 1);
            cell->bottomRight->setCoords(x + width / 2, f);
            const QColor c = QColor::fromRgb(
                gradient.color(cellValue(m_view->events[size_t(e)], size_t(f)), range));
            cell->setBrush(c);
            cell->setPen(Qt::NoPen);
            cell->setSelectable(false);
        }
    }
    m_heatmap->xAxis->setRange(m_timeline->xAxis->range());
    m_heatmap->axisRect()->setMinimumMargins(m_timeline->axisRect()->minimumMargins());
    m_heatmap->replot();
}

int InspectorView::timelineBarCount() const
{
    int n = 0;
    for (const auto &b : m_bars)
        n += b.bars->dataCount();
    return n;
}

} // namespace seqlens::ui
