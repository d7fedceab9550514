// SPDX-License-Identifier: GPL-3.0-or-later
// Segment checks (config: monitoring.segments): for each label-table column named there and each
// of its values, the discrimination (AUC with a DeLong interval, KS), the observed and the mean
// predicted bad rate, and the approval rate at one cut-off with the adverse-impact ratio to the
// most approved segment (the four-fifths rule: below 0.8 is amber by default).
//
// The cut-off is fixed on a reference population, never on the segments judged: the score below
// which the configured share of the reference is approved (validation: the test split itself;
// monitoring: the run's recorded test scores), so a batch's approval rate can move.
#pragma once

#include "seqlens/compare/validation_stats.h"
#include "seqlens/data/config.h"
#include "seqlens/data/dataset.h"
#include "seqlens/monitor/stability.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace seqlens {

struct SegmentRow {
    std::string value;              // the column's value; "(missing)" when empty
    int64_t applicants = 0;         // scored applicants of the segment
    int64_t labelled = 0, bads = 0; // with a known outcome
    double badRate = NAN;           // observed, among the labelled
    double predictedBadRate = NAN;  // mean score (a probability) of the labelled
    bool judged = false;            // applicants >= monitoring.min_segment
    bool aucAvailable = false;      // labels of both classes
    AucInterval auc;
    double ks = NAN;
    double approvalRate = NAN;  // share of the segment at or below the cut-off
    double adverseImpact = NAN; // approval rate over the highest judged segment's
    Light light = Light::Green; // amber when adverseImpact is below the threshold (a
                                // screening ratio, never red by itself)
};

struct SegmentTable {
    std::string column;
    std::vector<SegmentRow> rows; // largest segment first, ties by value
    Light light = Light::Green;   // the worst judged row
    std::string lowest;           // the judged segment with the lowest adverse-impact ratio
    double lowestImpact = NAN;
};

struct SegmentChecks {
    double approvalRate = 0; // configured share approved on the reference
    double cutoffScore = 0;  // approved: score <= cutoffScore
    double threshold = 0;    // adverse-impact ratio below this: amber
    std::vector<SegmentTable> tables;
    Light light = Light::Green;
};

// The score at which `approvalRate` of `reference` is approved: the k-th smallest reference
// score, k = ceil(rate * n) (ties at the cut-off are approved together). Data error when empty.
double approvalCutoff(std::vector<double> reference, double approvalRate);

// Per applicant: `scores` (probabilities), `labels` (1, 0, -1 unknown) and `values[a][c]`, the
// value of segment column c ("" missing). `columns` names the columns in that order.
SegmentChecks segmentChecks(const std::vector<std::string> &columns,
                            const std::vector<std::vector<std::string>> &values,
                            const std::vector<double> &scores, const std::vector<int> &labels,
                            double cutoffScore, const MonitoringConfig &config);

// The checks of `rows` of `data` (their monitoring.segments values and labels) scored `scores`,
// the cut-off fixed on `reference` (the same scores when null). std::nullopt without segments
// configured or without rows.
std::optional<SegmentChecks> segmentChecksOf(const RawDataset &data,
                                             const std::vector<int64_t> &rows,
                                             const std::vector<double> &scores,
                                             const Config &config,
                                             const std::vector<double> *reference = nullptr);

nlohmann::json segmentChecksJson(const SegmentChecks &checks);

} // namespace seqlens
