// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/monitor_plots.h"

#include "report/plots.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace seqlens::report {

namespace {

void categoricalAxis(QCustomPlot &plot, const QStringList &labels)
{
    QVector<double> keys;
    for (int i = 0; i < labels.size(); ++i)
        keys.push_back(i + 1);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    ticker->addTicks(keys, QVector<QString>(labels.begin(), labels.end()));
    plot.xAxis->setTicker(ticker);
    plot.xAxis->setTickLabelRotation(labels.size() > 6 ? 45 : 0);
    plot.xAxis->setRange(0.3, labels.size() + 0.7);
}

void levelLine(QCustomPlot &plot, double y, double left, const QColor &colour, const QString &name)
{
    auto *line = new QCPItemStraightLine(&plot);
    line->point1->setCoords(0, y);
    line->point2->setCoords(1, y);
    line->setPen(QPen(colour, 1, Qt::DashLine));
    auto *t = new QCPItemText(&plot);
    t->position->setCoords(left, y);
    t->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    t->setText(name);
    t->setColor(colour);
}

} // namespace

QColor amberColour()
{
    return QColor(230, 145, 0);
}

QColor redColour()
{
    return QColor(200, 30, 30);
}

void drawPairedShares(QCustomPlot &plot, const QStringList &labels,
                      const QVector<double> &reference, const QVector<double> &batch,
                      const QString &referenceName, const QString &batchName)
{
    plot.clearPlottables();
    plot.clearItems();
    QVector<double> left, right;
    for (int i = 0; i < labels.size(); ++i) {
        left.push_back(i + 1 - 0.2);
        right.push_back(i + 1 + 0.2);
    }
    auto *a = new QCPBars(plot.xAxis, plot.yAxis);
    a->setData(left, reference, true);
    a->setName(referenceName);
    auto *b = new QCPBars(plot.xAxis, plot.yAxis);
    b->setData(right, batch, true);
    b->setName(batchName);
    int colour = 0;
    for (auto *bars : {a, b}) {
        bars->setWidth(0.38);
        bars->setBrush(seriesColor(colour++));
        bars->setPen(Qt::NoPen);
    }
    categoricalAxis(plot, labels);
    double top = 0;
    for (const auto *v : {&reference, &batch})
        for (double x : *v)
            top = std::max(top, std::isnan(x) ? 0.0 : x);
    plot.yAxis->setLabel("share");
    plot.yAxis->setRange(0, top * 1.15 + 1e-9);
    plot.legend->setVisible(true);
    plot.axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
}

void drawCohortSeries(QCustomPlot &plot, const QStringList &cohorts, const QVector<double> &values,
                      const QString &valueLabel, const std::vector<LevelLine> &lines,
                      const QVector<double> &lo, const QVector<double> &hi)
{
    plot.clearPlottables();
    plot.clearItems();
    plot.legend->setVisible(false);
    QVector<double> keys;
    for (int i = 0; i < cohorts.size(); ++i)
        keys.push_back(i + 1);
    auto *g = plot.addGraph();
    g->setData(keys, values, true);
    g->setPen(QPen(seriesColor(0), 2));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
    double top = 0, bottom = 0;
    for (double v : values)
        if (!std::isnan(v)) {
            top = std::max(top, v);
            bottom = std::min(bottom, v);
        }
    if (!lo.isEmpty() && lo.size() == values.size()) {
        auto *err = new QCPErrorBars(plot.xAxis, plot.yAxis);
        err->setDataPlottable(g);
        QVector<double> minus, plus;
        for (int i = 0; i < values.size(); ++i) {
            minus.push_back(values[i] - lo[i]);
            plus.push_back(hi[i] - values[i]);
            if (!std::isnan(hi[i]))
                top = std::max(top, hi[i]);
        }
        err->setData(minus, plus);
    }
    for (const auto &l : lines) {
        levelLine(plot, l.y, 0.35, l.colour, l.name);
        top = std::max(top, l.y);
        bottom = std::min(bottom, l.y);
    }
    categoricalAxis(plot, cohorts);
    plot.yAxis->setLabel(valueLabel);
    plot.yAxis->setRange(bottom, top * 1.15 + 1e-9);
}

} // namespace seqlens::report
