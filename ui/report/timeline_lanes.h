// SPDX-License-Identifier: GPL-3.0-or-later
// Several event sources on one time axis: one lane (axis rect) per source, stacked, sharing the
// x range (drag or zoom one, all follow) and the left margin, each coloured by its own field
// with its own legend, the cutoff in every lane and the dates under the last one.
#pragma once

#include "report/plots.h"

#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

#include <vector>

class QCustomPlot;

namespace seqlens::report {

struct TimelineLane {
    QString source;
    QVector<double> times, values; // seconds since the epoch (UTC); the measure
    std::vector<int> events;       // the event behind each point (index on the merged timeline)
    std::vector<int> category;     // index into `categories`, -1 = missing
    QStringList categories;        // empty: one colour
    QString categoryField;
};

// Draws the lanes (at least one) and returns the bars with merged-timeline event indices.
// `cutoffSeconds` NaN: no cutoff line.
std::vector<TimelineBars> drawTimelineLanes(QCustomPlot &plot,
                                            const std::vector<TimelineLane> &lanes,
                                            const QString &valueLabel, double cutoffSeconds);
// Back to the plot's own axis rect alone (clears every plottable and item first).
void removeExtraLanes(QCustomPlot &plot);
// The lane at a widget position, -1 outside every lane.
int laneAt(QCustomPlot &plot, const QPointF &pos);

} // namespace seqlens::report
