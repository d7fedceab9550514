// SPDX-License-Identifier: GPL-3.0-or-later
// Cohorts of a monitored batch, and what is measured per cohort: the shape of the sequences and
// the performance once labels are known. Internal to core.
#pragma once

#include "seqlens/monitor/monitor_workflow.h"

namespace seqlens::monitor {

struct Cohorts {
    std::string by;                 // "month", "quarter", "all" or the column
    std::vector<std::string> names; // ascending
    std::vector<int32_t> of;        // per applicant of the batch
};

// `by` as in MonitorRequest; a column is read from `labelsPath` (Data error naming the file when
// it has no such column, or when there is no label table to read it from).
Cohorts assignCohorts(const RawDataset &batch, const std::string &by, const Config &config,
                      const std::string &labelsPath);

SequenceShape sequenceShape(const RawDataset &data, const std::vector<int64_t> &rows,
                            int64_t maxItems);

// Performance of `scores` (probabilities) against `labels` (-1 = unknown, skipped).
Performance performanceOf(const std::vector<double> &scores, const std::vector<int> &labels,
                          const AucInterval &referenceAuc, const MonitorThresholds &t);

} // namespace seqlens::monitor
