// SPDX-License-Identifier: GPL-3.0-or-later
// The plots of monitoring (the report and the workbench's Monitoring view).
#pragma once

#include <QColor>
#include <QStringList>
#include <QVector>

#include <vector>

class QCustomPlot;

namespace seqlens::report {

// Two bars per label side by side: the reference population's share and the batch's.
void drawPairedShares(QCustomPlot &plot, const QStringList &labels,
                      const QVector<double> &reference, const QVector<double> &batch,
                      const QString &referenceName, const QString &batchName);
// A labelled dashed horizontal line (a threshold, the development value).
struct LevelLine {
    double y;
    QColor colour;
    QString name;
};
QColor amberColour();
QColor redColour();

// One value per cohort as a line with points, the level lines dashed, and an optional
// interval per point (empty lo/hi: none).
void drawCohortSeries(QCustomPlot &plot, const QStringList &cohorts, const QVector<double> &values,
                      const QString &valueLabel, const std::vector<LevelLine> &lines,
                      const QVector<double> &lo = {}, const QVector<double> &hi = {});

} // namespace seqlens::report
