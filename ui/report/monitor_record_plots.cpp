// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/monitor_record_plots.h"

#include "report/monitor_plots.h"
#include "report/report_data.h"

#include <qcustomplot.h>

#include <cmath>

namespace seqlens::report {

namespace {

using nlohmann::json;

// The share of each bin among all of a stability's bins (reference or batch counts).
QVector<double> shares(const json &counts, size_t n)
{
    double total = 0;
    for (const auto &x : counts)
        total += x.get<double>();
    QVector<double> out;
    for (size_t i = 0; i < n && i < counts.size(); ++i)
        out << (total > 0 ? counts[i].get<double>() / total : 0.0);
    return out;
}

} // namespace

QString textOf(const json &j)
{
    return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QString();
}

double numberOr(const json &j, const char *key)
{
    const json &v = at(j, key);
    return v.is_number() ? v.get<double>() : std::nan("");
}

void drawCohortTimeline(QCustomPlot &plot, const json &record, CohortSeries series)
{
    QStringList names;
    QVector<double> values, lo, hi;
    for (const auto &c : at(record, "cohorts")) {
        names << textOf(at(c, "cohort"));
        const json &perf = at(c, "performance");
        const json &auc = at(perf, "auc"), &cal = at(perf, "calibration");
        if (series == CohortSeries::ScorePsi) {
            values << numberOr(at(c, "score"), "psi");
        } else if (series == CohortSeries::Auc) {
            values << numberOr(auc, "value");
            lo << numberOr(auc, "lo");
            hi << numberOr(auc, "hi");
        } else {
            values << numberOr(cal, "observed_rate");
            lo << numberOr(cal, "jeffreys_lo");
            hi << numberOr(cal, "jeffreys_hi");
        }
    }
    const json &t = at(record, "thresholds");
    if (series == CohortSeries::ScorePsi) {
        drawCohortSeries(plot, names, values, "score PSI",
                         {{numberOr(t, "psi_amber"), amberColour(), "amber"},
                          {numberOr(t, "psi_red"), redColour(), "red"}});
    } else if (series == CohortSeries::Auc) {
        const json &dev = at(at(record, "reference"), "test_auc");
        drawCohortSeries(plot, names, values, "AUC",
                         {{numberOr(dev, "value"), Qt::darkGray, "development"}}, lo, hi);
    } else {
        const json &cal = at(at(record, "performance"), "calibration");
        std::vector<LevelLine> lines;
        if (cal.is_object())
            lines.push_back({numberOr(cal, "predicted_rate"), Qt::darkGray, "predicted (batch)"});
        drawCohortSeries(plot, names, values, "observed bad rate", lines, lo, hi);
    }
}

void drawStabilityShares(QCustomPlot &plot, const json &stability, const QString &referenceName)
{
    const json &bins = at(stability, "bins");
    const json &labels = at(bins, "labels");
    size_t n = labels.size();
    // The score is never missing: leave out its empty "missing" bin.
    if (textOf(at(stability, "kind")) == "score" && n > 1)
        --n;
    QStringList names;
    for (size_t i = 0; i < n; ++i)
        names << textOf(labels[i]);
    drawPairedShares(plot, names, shares(at(bins, "reference"), n), shares(at(bins, "batch"), n),
                     referenceName, "batch");
}

} // namespace seqlens::report
