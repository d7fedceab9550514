// SPDX-License-Identifier: GPL-3.0-or-later
// Everything a report needs about one run, read from the project store.
#pragma once

#include "seqlens/store/project_store.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace seqlens::report {

struct RunReportData {
    RunInfo run;
    nlohmann::json config; // the resolved config
    std::vector<DatasetInfo> datasets;
    std::vector<MetricRow> metrics;
    std::vector<EpochRow> epochs;
    nlohmann::json compare;          // compare runs: compare.json; null for train runs
    nlohmann::json dataReport;       // {"load": {...}, "encode": {...} (train runs)}
    nlohmann::json globalAttention;  // null when not recorded
    nlohmann::json explanationAudit; // faithfulness, global attributions, surrogate; or null
    nlohmann::json trainMetrics;     // train runs: metrics.json (calibrator, tables); or null
    std::vector<std::string> models; // judged on test: baseline, sequence, stacking (or sequence)
    std::map<std::string, nlohmann::json>
        curves; // model -> {"roc": [[t, fpr, tpr]...], "ks": [...]}
    std::map<std::string, std::vector<double>>
        testScores; // model -> scores, in one applicant order
    std::vector<int> testLabels;
    std::vector<double> validScores; // train runs: for the PSI of validation vs test

    bool isCompare() const { return !compare.is_null(); }
    const MetricRow *metric(const std::string &split, const std::string &model,
                            const std::string &name) const;
    double value(const std::string &split, const std::string &model,
                 const std::string &name) const; // NaN when absent
    std::string primaryModel() const { return isCompare() ? "stacking" : "sequence"; }
};

// j[key], or null when j is not an object or lacks the key (never undefined behaviour).
const nlohmann::json &at(const nlohmann::json &j, const std::string &key);

// Data error when the run is unknown or has not finished (no metrics to report).
RunReportData loadRunReportData(const ProjectStore &store, int64_t run);

} // namespace seqlens::report
