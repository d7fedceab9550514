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

} // namespace seqlens::report
