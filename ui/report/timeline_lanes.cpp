// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/timeline_lanes.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace seqlens::report {

namespace {

// Several lanes: the source names the lane (the measure is in the view's own choice).
QString laneLabel(const TimelineLane &lane, const QString &valueLabel)
{
    return lane.source.isEmpty() ? valueLabel : lane.source;
}

// One row of legend entries in the lane's top right corner, so a short lane keeps its bars.
void compactLegend(QCPLegend *legend)
{
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(0);
    legend->setIconSize(10, 8);
    legend->setMargins(QMargins(4, 1, 4, 1));
    legend->setBrush(QColor(255, 255, 255, 210));
}

// Bars of one lane on its axes; their event indices mapped to the merged timeline.
std::vector<TimelineBars> laneBars(QCPAxisRect *rect, const TimelineLane &lane, double width)
{
    auto bars = addTimelineBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft),
                                lane.times, lane.values, lane.category, lane.categories,
                                lane.categoryField, width);
    for (auto &b : bars)
        for (int &e : b.events)
            e = lane.events[size_t(e)];
    return bars;
}

QCPAxisRect *addLane(QCustomPlot &plot, int row, QCPMarginGroup *group)
{
    auto *rect = new QCPAxisRect(&plot);
    plot.plotLayout()->addElement(row, 0, rect);
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    rect->setRangeDrag(Qt::Horizontal);
    rect->setRangeZoom(Qt::Horizontal);
    auto *legend = new QCPLegend;
    rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
    legend->setLayer("legend");
    legend->setFont(plot.legend->font());
    compactLegend(legend);
    // Every lane follows the first one's time axis and drives it.
    QCPAxis *x = rect->axis(QCPAxis::atBottom);
    QObject::connect(plot.xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), x,
                     qOverload<const QCPRange &>(&QCPAxis::setRange));
    QObject::connect(x, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), plot.xAxis,
                     qOverload<const QCPRange &>(&QCPAxis::setRange));
    return rect;
}

} // namespace

void removeExtraLanes(QCustomPlot &plot)
{
    plot.legend->setFillOrder(QCPLayoutGrid::foRowsFirst); // a one-lane plot's column legend
    plot.legend->setWrap(0);
    plot.legend->setIconSize(32, 18);
    plot.legend->setMargins(QMargins(7, 5, 7, 4));
    plot.legend->setBrush(Qt::white);
    plot.clearPlottables();
    plot.clearItems();
    plot.axisRect()->setMarginGroup(QCP::msAll, nullptr);
    QCPLayoutGrid *grid = plot.plotLayout();
    for (int row = grid->rowCount() - 1; row >= 1; --row)
        if (grid->hasElement(row, 0))
            grid->removeAt(grid->rowColToIndex(row, 0));
    grid->simplify();
    plot.xAxis->setTickLabels(true);
}

std::vector<TimelineBars> drawTimelineLanes(QCustomPlot &plot,
                                            const std::vector<TimelineLane> &lanes,
                                            const QString &valueLabel, double cutoffSeconds)
{
    removeExtraLanes(plot);
    QVector<double> all;
    for (const auto &l : lanes)
        all += l.times;
    const double width = timelineBarWidth(all);
    const TimelineLane &first = lanes.at(0);
    auto out = drawTimeline(plot, first.times, first.values, first.category, first.categories,
                            first.categoryField, laneLabel(first, valueLabel));
    for (auto &b : out) {
        b.bars->setWidth(width);
        for (int &e : b.events)
            e = first.events[size_t(e)];
    }
    if (lanes.size() > 1) {
        compactLegend(plot.legend);
        plot.axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    }
    auto *group = new QCPMarginGroup(&plot);
    plot.axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    std::vector<QCPAxisRect *> rects{plot.axisRect()};
    for (size_t k = 1; k < lanes.size(); ++k) {
        QCPAxisRect *rect = addLane(plot, int(k), group);
        for (auto &b : laneBars(rect, lanes[k], width)) {
            b.bars->removeFromLegend(); // new bars join the plot's own legend, of lane 0
            b.bars->addToLegend(qobject_cast<QCPLegend *>(rect->insetLayout()->elementAt(0)));
            out.push_back(std::move(b));
        }
        setDateAxis(rect->axis(QCPAxis::atBottom));
        setValueRange(rect->axis(QCPAxis::atLeft), lanes[k].values);
        rect->axis(QCPAxis::atLeft)->setLabel(laneLabel(lanes[k], valueLabel));
        rects.push_back(rect);
    }
    for (size_t k = 0; k + 1 < rects.size(); ++k) { // dates under the last lane only
        rects[k]->axis(QCPAxis::atBottom)->setTickLabels(false);
        rects[k]->axis(QCPAxis::atBottom)->setLabel({});
    }
    rects.back()->axis(QCPAxis::atBottom)->setLabel("event time");
    if (!all.isEmpty()) {
        const auto [lo, hi] = std::minmax_element(all.begin(), all.end());
        const double pad = std::max(0.03 * (*hi - *lo), width);
        plot.xAxis->setRange(*lo - pad, *hi + pad); // the other lanes follow
    }
    if (!std::isnan(cutoffSeconds))
        for (QCPAxisRect *rect : rects)
            addCutoffLine(plot, cutoffSeconds, rect);
    return out;
}

int laneAt(QCustomPlot &plot, const QPointF &pos)
{
    const auto rects = plot.axisRects();
    for (int k = 0; k < int(rects.size()); ++k)
        if (rects[k]->rect().contains(pos.toPoint()))
            return k;
    return -1;
}

} // namespace seqlens::report
