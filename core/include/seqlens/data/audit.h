// SPDX-License-Identifier: GPL-3.0-or-later
// The data audit: what loading and encoding a config's data does to it — rows read and kept,
// events excluded by the cutoff, the distribution of events per applicant, per-field missing
// shares, truncation and unseen categories — before any model is trained.
#pragma once

#include "seqlens/data/dataset.h"
#include "seqlens/data/encoder.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace seqlens {

struct CountBin {
    int64_t from = 0;
    int64_t toExclusive = -1; // -1: open-ended
    int64_t count = 0;
};

struct EventsPerApplicant {
    int64_t applicants = 0;
    double mean = 0;
    int64_t median = 0, p90 = 0, p99 = 0, max = 0;
    std::vector<CountBin> histogram; // 0, 1, 2-4, 5-9, ..., 5000+
};

struct FieldProfile {
    std::string name;
    int64_t missing = 0, nonFinite = 0, invalidAsMissing = 0, distinct = 0;
};

// One event source of several: its events per applicant and its fields' missing shares
// (missing values over the source's kept events).
struct SourceProfile {
    std::string name;
    EventsPerApplicant eventsPerApplicant;
    std::vector<std::pair<std::string, double>> missingShare; // per field of the source
};

struct DataProfile {
    EventsPerApplicant eventsPerApplicant;
    std::vector<FieldProfile> fields;   // as configured
    std::vector<SourceProfile> sources; // several event sources only
};

DataProfile profileData(const RawDataset &data);

enum class SplitMethod { Random, Column, Time };

struct SplitCounts {
    int64_t train = 0, valid = 0, test = 0; // labeled applicants per split
    SplitMethod method = SplitMethod::Random;
    std::string description; // one sentence for reports: how the split was made
    // Per split (train, valid, test): the earliest and latest cutoff, days; NaN without cutoffs.
    double firstCutoff[3] = {NAN, NAN, NAN}, lastCutoff[3] = {NAN, NAN, NAN};
    // Per split: labelled applicants without any event before their cutoff (a time split on
    // data whose events end early leaves the later splits empty-handed).
    int64_t withoutEvents[3] = {0, 0, 0};
};

// The labeled applicants per split with how the split was made (random with the fractions and
// seed, a column, or out of time on the cutoff) and the cutoff range of each split.
SplitCounts countSplits(const RawDataset &data, const std::vector<Split> &splits,
                        const Config &config);

struct AuditReport {
    bool cancelled = false;
    LoadReport load;
    DataProfile profile;
    EncodeReport encode; // with the encoder fitted on the train split
    SplitCounts splits;
};

// Loads the config's data, assigns the splits, fits the encoder on the train split and encodes.
// Throws Config/Data errors naming the file; returns cancelled = true when `cancel` is set.
AuditReport auditData(const Config &config, const CancelToken *cancel = nullptr);

} // namespace seqlens
