// SPDX-License-Identifier: GPL-3.0-or-later
// The monitored characteristics, binned once on the reference: every window feature, every
// model input (event fields) and the shape of the sequences. Each keeps the bin of every unit
// of the batch (an applicant or an event) and the applicant it belongs to, so the stability of
// any cohort is a count. Internal to core.
#pragma once

#include "seqlens/data/dataset.h"
#include "seqlens/monitor/stability.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace seqlens::monitor {

struct BinnedInput {
    std::string name, kind; // kind: "window feature", "model input", "sequence"
    std::vector<std::string> bins;
    size_t newBin = kNoBin, missingBin = kNoBin;
    std::vector<int64_t> reference;
    std::vector<uint16_t> batchBin; // per unit of the batch
    // Per unit: its applicant; null when unit i is applicant i. Shared by the event inputs.
    std::shared_ptr<const std::vector<int32_t>> owner;

    // Batch counts per bin of every cohort (`cohortOf`: per applicant, 0..cohorts-1).
    std::vector<std::vector<int64_t>> countsByCohort(const std::vector<int32_t> &cohortOf,
                                                     size_t cohorts) const;
    // Stability of batch counts against the reference; PSI NaN when either has no unit (a
    // cohort without events, say).
    Stability stability(std::vector<int64_t> batchCounts) const;
};

// `devRows`: the reference applicants of `ref`; every applicant of `batch` is monitored.
std::vector<BinnedInput> binInputs(const Config &config, const RawDataset &ref,
                                   const std::vector<int64_t> &devRows, const RawDataset &batch,
                                   int bins, const CancelToken *cancel);

// Per applicant: days between consecutive events (all but each applicant's first event) and
// days before the cutoff (or the last event) of every event, with the applicant of each.
struct EventTimes {
    std::vector<double> gaps, beforeCutoff;
    std::vector<int32_t> gapOwner, eventOwner; // the row in `data` of each
};
EventTimes eventTimes(const RawDataset &data, const std::vector<int64_t> &rows);

} // namespace seqlens::monitor
