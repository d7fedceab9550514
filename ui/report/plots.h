// SPDX-License-Identifier: GPL-3.0-or-later
// The plots of the reports and the workbench, drawn with QCustomPlot. Each draw* function
// clears the plot and fills it; renderImage() makes a PNG-ready image offscreen.
#pragma once

#include <QColor>
#include <QImage>
#include <QString>
#include <QStringList>
#include <QVector>

#include <cmath>
#include <vector>

class QCustomPlot;
class QCPColorGradient;
class QCPBars;
class QCPAxisRect;
class QCPAxis;

namespace seqlens::report {

struct Series {
    QString name;
    QVector<double> x, y;
};

QColor seriesColor(int i);

// ROC curves (false positive rate vs true positive rate) with the chance diagonal.
void drawRoc(QCustomPlot &plot, const std::vector<Series> &curves);
// Cumulative share of goods and bads by score, with the KS gap marked at `ksScore`.
void drawKs(QCustomPlot &plot, const QString &model, const Series &goods, const Series &bads,
            double ksScore, double ks);
// Mean predicted probability vs observed bad rate per bin, with the diagonal.
void drawCalibration(QCustomPlot &plot, const std::vector<Series> &models);
// One bar per label (categorical axis); `reference` draws a dashed line when not NaN.
void drawBars(QCustomPlot &plot, const QStringList &labels, const QVector<double> &values,
              const QString &valueLabel, double reference = std::nan(""),
              const QString &referenceName = {});
// One bar per label, red above 0 (raises risk) and blue below (lowers it), with a zero line.
void drawSignedBars(QCustomPlot &plot, const QStringList &labels, const QVector<double> &values,
                    const QString &valueLabel);
// Horizontal bars for long labels, the first label at the top; with `signedColours` red above 0
// and blue below, otherwise one colour.
void drawRankedBars(QCustomPlot &plot, const QStringList &labels, const QVector<double> &values,
                    const QString &valueLabel, bool signedColours);
// Deletion (solid) and insertion (dashed) curves, one colour per method.
void drawFaithfulness(QCustomPlot &plot, const std::vector<Series> &deletion,
                      const std::vector<Series> &insertion);
// Training loss (left axis) and validation AUC (right axis) by epoch.
void drawHistory(QCustomPlot &plot, const QVector<double> &epochs, const QVector<double> &trainLoss,
                 const QVector<double> &validAuc);
// The history of one model among several trained at once ("auto": the candidates).
struct HistorySeries {
    QString name; // appended to the legend ("training loss · gru"); empty for one model
    QVector<double> epochs, loss, auc;
};
// Loss (solid, left axis) and validation AUC (dashed, right axis) of every model, one colour
// per model: graphs 2k and 2k + 1 are model k's loss and AUC.
void drawHistories(QCustomPlot &plot, const std::vector<HistorySeries> &models);
// One bar per event at its time (seconds since the epoch, UTC), height = attention weight,
// coloured by category (index into `categories`, -1 for missing). Returns, per bar series, the
// event behind each of its bars (in data order), so clicks can be mapped back to events.
struct TimelineBars {
    QCPBars *bars = nullptr;
    std::vector<int> events;
};
std::vector<TimelineBars> drawTimeline(QCustomPlot &plot, const QVector<double> &times,
                                       const QVector<double> &values,
                                       const std::vector<int> &category,
                                       const QStringList &categories, const QString &categoryField,
                                       const QString &valueLabel = "attention weight");
// The parts of drawTimeline, for timelines drawn in several axis rects (timeline_lanes.h): the
// bar width for these times, the bars on the given axes, a date axis, a value range around 0.
double timelineBarWidth(const QVector<double> &times);
std::vector<TimelineBars> addTimelineBars(QCPAxis *x, QCPAxis *y, const QVector<double> &times,
                                          const QVector<double> &values,
                                          const std::vector<int> &category,
                                          const QStringList &categories,
                                          const QString &categoryField, double width);
void setDateAxis(QCPAxis *x);
void setValueRange(QCPAxis *y, const QVector<double> &values);

// A dashed vertical line at `seconds` (the cutoff), labelled; in `rect` (default: the main one).
void addCutoffLine(QCustomPlot &plot, double seconds, QCPAxisRect *rect = nullptr);
// Blue (lowers risk) - white - red (raises risk), symmetric around 0.
QCPColorGradient divergingGradient();

QImage renderImage(QCustomPlot &plot, int width, int height);

} // namespace seqlens::report
