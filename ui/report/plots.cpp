// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/plots.h"

#include <qcustomplot.h>

#include <algorithm>

namespace seqlens::report {

namespace {

void reset(QCustomPlot &plot)
{
    plot.clearPlottables();
    plot.clearItems();
    plot.clearGraphs();
    plot.axisRect()->setMinimumMargins(QMargins());
    plot.legend->clearItems();
    plot.xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot.yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot.xAxis->setTickLabelRotation(0);
    plot.yAxis2->setVisible(false);
    plot.setBackground(Qt::white);
    plot.legend->setVisible(false);
    QFont f = plot.font();
    f.setPointSize(9);
    plot.legend->setFont(f);
}

// Rotated tick labels run to the right of their tick: room for the last one.
void rotateLongLabelLists(QCustomPlot &plot, qsizetype labels)
{
    plot.xAxis->setTickLabelRotation(labels > 6 ? 45 : 0);
    plot.axisRect()->setMinimumMargins(QMargins(0, 0, labels > 6 ? 45 : 0, 0));
}

void diagonal(QCustomPlot &plot, double lo, double hi, const QString &name)
{
    QCPGraph *d = plot.addGraph();
    d->setData(QVector<double>{lo, hi}, QVector<double>{lo, hi});
    d->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    d->setName(name);
}

void unitAxes(QCustomPlot &plot, const QString &x, const QString &y)
{
    plot.xAxis->setLabel(x);
    plot.yAxis->setLabel(y);
    plot.xAxis->setRange(0, 1);
    plot.yAxis->setRange(0, 1.02);
}

void finishHistoryAxes(QCustomPlot &plot, double lastEpoch)
{
    plot.yAxis2->setVisible(true);
    plot.xAxis->setLabel("epoch");
    plot.yAxis->setLabel("training loss");
    plot.yAxis2->setLabel("validation AUC");
    plot.rescaleAxes();
    plot.xAxis->setRange(0.5, std::max(1.0, lastEpoch) + 0.5);
    plot.legend->setVisible(true);
    plot.axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignRight | Qt::AlignVCenter);
}

} // namespace

QColor seriesColor(int i)
{
    static const QColor colors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28),
                                    QColor(0x2c, 0xa0, 0x2c), QColor(0xff, 0x7f, 0x0e),
                                    QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                    QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf),
                                    QColor(0xbc, 0xbd, 0x22), QColor(0x7f, 0x7f, 0x7f)};
    return colors[size_t(i) % std::size(colors)];
}

void drawRoc(QCustomPlot &plot, const std::vector<Series> &curves)
{
    reset(plot);
    diagonal(plot, 0, 1, "chance");
    for (size_t i = 0; i < curves.size(); ++i) {
        QCPGraph *g = plot.addGraph();
        g->setData(curves[i].x, curves[i].y, true);
        g->setPen(QPen(seriesColor(int(i)), 2));
        g->setName(curves[i].name);
    }
    unitAxes(plot, "false positive rate (goods accepted as bad)",
             "true positive rate (bads caught)");
    plot.legend->setVisible(true);
    plot.axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
}

void drawKs(QCustomPlot &plot, const QString &model, const Series &goods, const Series &bads,
            double ksScore, double ks)
{
    reset(plot);
    const Series *both[] = {&goods, &bads};
    for (int i = 0; i < 2; ++i) {
        QCPGraph *g = plot.addGraph();
        g->setData(both[i]->x, both[i]->y, true);
        g->setPen(QPen(seriesColor(i == 0 ? 2 : 1), 2));
        g->setName(both[i]->name);
    }
    double lo = 0, hi = 1;
    for (const Series *s : both)
        for (int j = 0; j < s->x.size(); ++j)
            if (s->x[j] == ksScore)
                (s == &goods ? lo : hi) = s->y[j];
    auto *gap = new QCPItemLine(&plot);
    gap->start->setCoords(ksScore, std::min(lo, hi));
    gap->end->setCoords(ksScore, std::max(lo, hi));
    gap->setPen(QPen(Qt::black, 2, Qt::DotLine));
    auto *label = new QCPItemText(&plot);
    label->position->setCoords(ksScore, (lo + hi) / 2);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    label->setText(QString(" KS = %1").arg(ks, 0, 'f', 4));
    plot.xAxis->setLabel(model + " score");
    plot.yAxis->setLabel("cumulative share below the score");
    plot.rescaleAxes();
    plot.yAxis->setRange(0, 1.02);
    plot.legend->setVisible(true);
    plot.axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
}

void drawCalibration(QCustomPlot &plot, const std::vector<Series> &models)
{
    reset(plot);
    double top = 0;
    for (const auto &m : models)
        for (int j = 0; j < m.x.size(); ++j)
            top = std::max({top, m.x[j], m.y[j]});
    top = std::min(1.0, top * 1.1 + 0.02);
    diagonal(plot, 0, top, "perfect calibration");
    for (size_t i = 0; i < models.size(); ++i) {
        QCPGraph *g = plot.addGraph();
        g->setData(models[i].x, models[i].y, true);
        g->setPen(QPen(seriesColor(int(i)), 1.5));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, seriesColor(int(i)), 6));
        g->setName(models[i].name);
    }
    plot.xAxis->setLabel("mean predicted probability of bad");
    plot.yAxis->setLabel("observed bad rate");
    plot.xAxis->setRange(0, top);
    plot.yAxis->setRange(0, top);
    plot.legend->setVisible(true);
    plot.axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
}

void drawBars(QCustomPlot &plot, const QStringList &labels, const QVector<double> &values,
              const QString &valueLabel, double reference, const QString &referenceName)
{
    reset(plot);
    QVector<double> keys;
    for (int i = 0; i < labels.size(); ++i)
        keys.push_back(i + 1);
    auto *bars = new QCPBars(plot.xAxis, plot.yAxis);
    bars->setData(keys, values, true);
    bars->setWidth(0.7);
    bars->setBrush(seriesColor(0));
    bars->setPen(Qt::NoPen);
    bars->setName(valueLabel);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    ticker->addTicks(keys, QVector<QString>(labels.begin(), labels.end()));
    plot.xAxis->setTicker(ticker);
    rotateLongLabelLists(plot, labels.size());
    plot.xAxis->setRange(0.3, labels.size() + 0.7);
    double top = 0;
    for (double v : values)
        top = std::max(top, std::isnan(v) ? 0.0 : v);
    if (!std::isnan(reference)) {
        auto *line = new QCPItemStraightLine(&plot);
        line->point1->setCoords(0, reference);
        line->point2->setCoords(1, reference);
        line->setPen(QPen(Qt::gray, 1, Qt::DashLine));
        auto *t = new QCPItemText(&plot);
        t->position->setCoords(labels.size() + 0.6, reference);
        t->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        t->setText(referenceName);
        top = std::max(top, reference);
    }
    plot.yAxis->setLabel(valueLabel);
    plot.yAxis->setRange(0, top * 1.15 + 1e-9);
}

namespace {

// Bars on `keys` 1..n of `keyAxis`, split into the part above 0 (first colour) and below 0
// (second colour); returns the value range covered, 0 included.
QCPRange splitBars(QCPAxis *keyAxis, QCPAxis *valueAxis, const QVector<double> &values,
                   const QColor &up, const QColor &down)
{
    QVector<double> keys, above, below;
    double lo = 0, hi = 0;
    for (int i = 0; i < values.size(); ++i) {
        const double v = std::isfinite(values[i]) ? values[i] : 0.0;
        keys << i + 1;
        above << std::max(v, 0.0);
        below << std::min(v, 0.0);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    for (const auto &[data, color] : {std::pair{&above, up}, std::pair{&below, down}}) {
        auto *bars = new QCPBars(keyAxis, valueAxis);
        bars->setData(keys, *data, true);
        bars->setWidth(0.7);
        bars->setBrush(color);
        bars->setPen(Qt::NoPen);
    }
    const double pad = 0.1 * std::max(hi - lo, 1e-9);
    return QCPRange(lo - (lo < 0 ? pad : 0), hi + (hi > 0 ? pad : 0) + 1e-12);
}

void labelTicks(QCPAxis *axis, const QStringList &labels, bool reversed)
{
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < labels.size(); ++i)
        ticker->addTick(i + 1, labels[reversed ? labels.size() - 1 - i : i]);
    axis->setTicker(ticker);
    axis->setRange(0.3, labels.size() + 0.7);
}

std::pair<QColor, QColor> riskColours()
{
    QCPColorGradient g = divergingGradient(); // color() is not const
    return {g.color(1, QCPRange(-1, 1)), g.color(-1, QCPRange(-1, 1))};
}

} // namespace

void drawSignedBars(QCustomPlot &plot, const QStringList &labels, const QVector<double> &values,
                    const QString &valueLabel)
{
    reset(plot);
    const auto [up, down] = riskColours();
    plot.yAxis->setRange(splitBars(plot.xAxis, plot.yAxis, values, up, down));
    auto *zero = new QCPItemStraightLine(&plot);
    zero->point1->setCoords(0, 0);
    zero->point2->setCoords(1, 0);
    zero->setPen(QPen(Qt::gray, 1));
    labelTicks(plot.xAxis, labels, false);
    rotateLongLabelLists(plot, labels.size());
    plot.yAxis->setLabel(valueLabel);
}

void drawRankedBars(QCustomPlot &plot, const QStringList &labels, const QVector<double> &values,
                    const QString &valueLabel, bool signedColours)
{
    reset(plot);
    const auto [up, down] = signedColours ? riskColours()
                                          : std::pair{seriesColor(0), seriesColor(0)};
    QVector<double> reversed(values.rbegin(), values.rend());
    plot.xAxis->setRange(splitBars(plot.yAxis, plot.xAxis, reversed, up, down));
    if (signedColours) {
        auto *zero = new QCPItemStraightLine(&plot);
        zero->point1->setCoords(0, 0);
        zero->point2->setCoords(0, 1);
        zero->setPen(QPen(Qt::gray, 1));
    }
    labelTicks(plot.yAxis, labels, true);
    plot.xAxis->setLabel(valueLabel);
    plot.yAxis->setLabel({});
}

void drawFaithfulness(QCustomPlot &plot, const std::vector<Series> &deletion,
                      const std::vector<Series> &insertion)
{
    reset(plot);
    for (size_t i = 0; i < deletion.size(); ++i)
        for (const auto &[curves, style] :
             {std::pair{&deletion, Qt::SolidLine}, std::pair{&insertion, Qt::DashLine}}) {
            if (i >= curves->size())
                continue;
            const Series &c = (*curves)[i];
            auto *graph = plot.addGraph();
            graph->setData(c.x, c.y);
            graph->setPen(QPen(seriesColor(int(i)), 2, style));
            graph->setName(c.name);
        }
    plot.xAxis->setLabel("share of events removed (deletion) / added back (insertion)");
    plot.yAxis->setLabel("logit - logit(empty history)");
    plot.rescaleAxes();
    plot.yAxis->scaleRange(1.08, plot.yAxis->range().center());
    plot.legend->setVisible(true);
    plot.axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
}

void drawHistory(QCustomPlot &plot, const QVector<double> &epochs, const QVector<double> &trainLoss,
                 const QVector<double> &validAuc)
{
    reset(plot);
    QCPGraph *loss = plot.addGraph(plot.xAxis, plot.yAxis);
    loss->setData(epochs, trainLoss, true);
    loss->setPen(QPen(seriesColor(0), 2));
    loss->setName("training loss");
    loss->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
    QCPGraph *auc = plot.addGraph(plot.xAxis, plot.yAxis2);
    auc->setData(epochs, validAuc, true);
    auc->setPen(QPen(seriesColor(1), 2));
    auc->setName("validation AUC");
    auc->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
    finishHistoryAxes(plot, epochs.isEmpty() ? 1.0 : epochs.back());
}

void drawHistories(QCustomPlot &plot, const std::vector<HistorySeries> &models)
{
    if (models.size() <= 1) {
        const HistorySeries none;
        const HistorySeries &m = models.empty() ? none : models.front();
        drawHistory(plot, m.epochs, m.loss, m.auc);
        return;
    }
    reset(plot);
    double last = 1.0;
    for (size_t k = 0; k < models.size(); ++k) {
        const HistorySeries &m = models[k];
        const QString suffix = m.name.isEmpty() ? QString() : " · " + m.name;
        QCPGraph *loss = plot.addGraph(plot.xAxis, plot.yAxis);
        loss->setData(m.epochs, m.loss, true);
        loss->setPen(QPen(seriesColor(int(k)), 2));
        loss->setName("training loss" + suffix);
        loss->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
        QCPGraph *auc = plot.addGraph(plot.xAxis, plot.yAxis2);
        auc->setData(m.epochs, m.auc, true);
        auc->setPen(QPen(seriesColor(int(k)), 2, Qt::DashLine));
        auc->setName("validation AUC" + suffix);
        auc->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
        if (!m.epochs.isEmpty())
            last = std::max(last, m.epochs.back());
    }
    finishHistoryAxes(plot, last);
}

double timelineBarWidth(const QVector<double> &times)
{
    double span = 0;
    if (times.size() > 1)
        span = *std::max_element(times.begin(), times.end()) -
               *std::min_element(times.begin(), times.end());
    return std::max(span / 150.0, 3600.0 * 12);
}

std::vector<TimelineBars> addTimelineBars(QCPAxis *x, QCPAxis *y, const QVector<double> &times,
                                          const QVector<double> &weights,
                                          const std::vector<int> &category,
                                          const QStringList &categories,
                                          const QString &categoryField, double width)
{
    std::vector<TimelineBars> out;
    const int groups = int(categories.size()) + 1; // the last group: missing
    for (int c = 0; c < groups; ++c) {
        QVector<double> k, v;
        std::vector<int> events;
        for (int i = 0; i < times.size(); ++i)
            if ((category[size_t(i)] < 0 ? groups - 1 : category[size_t(i)]) == c) {
                k.push_back(times[i]);
                v.push_back(weights[i]);
                events.push_back(i);
            }
        if (k.isEmpty())
            continue;
        auto *bars = new QCPBars(x, y);
        bars->setData(k, v, true);
        bars->setWidth(width);
        bars->setBrush(c == groups - 1 ? QColor(Qt::lightGray) : seriesColor(c));
        bars->setPen(Qt::NoPen);
        bars->setName(c == groups - 1 ? categoryField + " missing" : categories[c]);
        out.push_back({bars, std::move(events)});
    }
    return out;
}

void setDateAxis(QCPAxis *x)
{
    QSharedPointer<QCPAxisTickerDateTime> ticker(new QCPAxisTickerDateTime);
    ticker->setDateTimeFormat("yyyy-MM-dd");
    ticker->setDateTimeSpec(Qt::UTC);
    x->setTicker(ticker);
}

void setValueRange(QCPAxis *y, const QVector<double> &weights)
{
    double lo = 0, hi = 0;
    for (double w : weights) {
        lo = std::min(lo, w);
        hi = std::max(hi, w);
    }
    y->setRange(lo * 1.15 - (lo < 0 ? 1e-9 : 0), hi * 1.15 + 1e-9);
}

std::vector<TimelineBars> drawTimeline(QCustomPlot &plot, const QVector<double> &times,
                                       const QVector<double> &weights,
                                       const std::vector<int> &category,
                                       const QStringList &categories, const QString &categoryField,
                                       const QString &valueLabel)
{
    reset(plot);
    auto out = addTimelineBars(plot.xAxis, plot.yAxis, times, weights, category, categories,
                               categoryField, timelineBarWidth(times));
    setDateAxis(plot.xAxis);
    plot.xAxis->setLabel("event time");
    plot.yAxis->setLabel(valueLabel);
    plot.rescaleAxes();
    plot.xAxis->scaleRange(1.06, plot.xAxis->range().center());
    setValueRange(plot.yAxis, weights);
    plot.legend->setVisible(!categories.isEmpty());
    plot.axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    return out;
}

void addCutoffLine(QCustomPlot &plot, double seconds, QCPAxisRect *rect)
{
    if (!rect)
        rect = plot.axisRect();
    QCPAxis *x = rect->axis(QCPAxis::atBottom), *y = rect->axis(QCPAxis::atLeft);
    auto *line = new QCPItemStraightLine(&plot);
    line->setClipAxisRect(rect);
    line->point1->setAxes(x, y);
    line->point2->setAxes(x, y);
    line->point1->setCoords(seconds, 0);
    line->point2->setCoords(seconds, 1);
    line->setPen(QPen(QColor(90, 90, 90), 1.5, Qt::DashLine));
    line->setSelectable(false);
    auto *text = new QCPItemText(&plot);
    text->setClipAxisRect(rect);
    text->position->setAxes(x, y);
    text->position->setAxisRect(rect);
    text->position->setType(QCPItemPosition::ptPlotCoords);
    text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    text->position->setCoords(seconds, 0.02);
    text->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    text->setText("cutoff ");
    text->setColor(QColor(90, 90, 90));
    text->setSelectable(false);
    const QCPRange r = x->range();
    if (seconds > r.upper)
        x->setRange(r.lower, seconds + 0.03 * (seconds - r.lower));
}

QCPColorGradient divergingGradient()
{
    QCPColorGradient g;
    g.setColorStopAt(0.0, QColor(33, 102, 172));
    g.setColorStopAt(0.5, QColor(247, 247, 247));
    g.setColorStopAt(1.0, QColor(178, 24, 43));
    g.setLevelCount(101);
    return g;
}

QImage renderImage(QCustomPlot &plot, int width, int height)
{
    plot.resize(width, height);
    plot.replot(QCustomPlot::rpImmediateRefresh);
    return plot.toPixmap(width, height, 2.0).toImage();
}

} // namespace seqlens::report
