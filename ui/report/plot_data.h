// SPDX-License-Identifier: GPL-3.0-or-later
// Recorded JSON (curves, global attention) turned into plot series, shared by the reports
// and the workbench views.
#pragma once

#include "report/plots.h"

#include "seqlens/compare/validation_stats.h"

#include <nlohmann/json.hpp>

namespace seqlens::report {

// Columns xi and yi of a recorded point list ([[threshold, fpr, tpr], ...] or the KS table).
Series curveSeries(const nlohmann::json &points, int xi, int yi, const QString &name);

struct KsGap {
    double score = 0, ks = 0; // where the cumulative shares of goods and bads are furthest apart
};
KsGap ksPointOf(const Series &goods, const Series &bads);

// Mean predicted vs observed bad rate per calibration bin.
Series calibrationSeries(const Calibration &calibration, const QString &name);

// Mean field attention per input, sorted from the largest.
void sortedFieldAttention(const nlohmann::json &globalAttention, QStringList &names,
                          QVector<double> &weights);

// Labelled values ready for a bar chart.
struct Bars {
    QStringList labels;
    QVector<double> values;
};

// From a recorded global attribution (result_json globalAttributionJson):
// mean |attribution| per input, largest first;
Bars attributionByInput(const nlohmann::json &globalAttribution);
// the `top` categorical values with the largest mean signed attribution of their events in
// absolute value (only values seen on `minEvents` events or more), by signed value, labelled
// "field=value";
Bars attributionByValue(const nlohmann::json &globalAttribution, int top, int64_t minEvents = 5);
// mean signed attribution of an event by its time before the cutoff (0 for empty bands).
Bars attributionByTime(const nlohmann::json &globalAttribution);
// From a recorded faithfulness audit: per method, the deletion and the insertion curve over the
// share of events ("<method> deletion", "<method> insertion").
void faithfulnessCurves(const nlohmann::json &faithfulness, std::vector<Series> &deletion,
                        std::vector<Series> &insertion);
// From a recorded surrogate: the `top` input features by coefficient norm, then "memory"
// (the previous-state coefficients' norm).
Bars surrogateCoefficients(const nlohmann::json &surrogate, int top);

} // namespace seqlens::report
