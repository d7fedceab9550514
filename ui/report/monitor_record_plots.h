// SPDX-License-Identifier: GPL-3.0-or-later
// Plots of a monitoring record's JSON (monitor/monitor_workflow.h, monitorResultJson), shared by
// the monitoring report and the workbench's Monitoring view.
#pragma once

#include <nlohmann/json.hpp>

#include <QString>

class QCustomPlot;

namespace seqlens::report {

enum class CohortSeries {
    ScorePsi, // score PSI per cohort with the amber and red thresholds
    Auc,      // AUC per cohort with DeLong 95 % intervals and the run's test AUC
    BadRate,  // observed bad rate per cohort with Jeffreys 95 % intervals, and the predicted rate
};

// One series over the record's cohorts; cohorts without the figure (no labels yet) are gaps.
void drawCohortTimeline(QCustomPlot &plot, const nlohmann::json &record, CohortSeries series);

// A stability's (score, window feature, model input or shape) reference and batch shares per
// bin, side by side; `referenceName` names the reference ("development", "run's test split").
void drawStabilityShares(QCustomPlot &plot, const nlohmann::json &stability,
                         const QString &referenceName);

// j[key] as a number, NaN when absent or not a number.
double numberOr(const nlohmann::json &j, const char *key);
// A JSON string as text, "" for anything else.
QString textOf(const nlohmann::json &j);

} // namespace seqlens::report
