// SPDX-License-Identifier: GPL-3.0-or-later
// Synthetic applicants with several event tables, where the risk lies ACROSS tables: a new
// credit at another lender (bureau) opened within days after a missed instalment (the lender's
// own instalments). Every table alone is uninformative by construction: each applicant has the
// same number of missed instalments (2 of 12) and of bureau credits (2), at uniformly random
// times; only their relative timing carries the signal. Tables and clocks:
//   instalments.csv  id, due (ISO date), status (paid/missed), amount
//   bureau.csv       credit_id, id, days_credit (days before the application: negative),
//                    credit_type
//   balance.csv      credit_id, months_balance (months before the application: negative),
//                    status (monthly; joined to the applicant through bureau.csv)
//   app.csv          id, ts (ISO date-time), event (login / view / apply)
//   labels.csv       id, bad, application_date
// config.json reads all four as sources (bureau and balance with time_origin "cutoff", balance
// through `via` with the credit type carried).
#pragma once

#include "seqlens/data/config.h"

#include <cstdint>
#include <string>

namespace seqlens {

struct MultiSynthOptions {
    std::string outDir;
    int64_t applicants = 3000;
    uint64_t seed = 42;
    double patternShare = 0.4; // applicants with the cross-table pattern
    double badWithPattern = 0.45, badWithout = 0.10;
};

struct MultiSynthSummary {
    int64_t applicants = 0, bads = 0, withPattern = 0;
    int64_t rows = 0; // event rows over all four tables
    std::string configPath;
};

// Writes the five CSV files and config.json into outDir (created if needed). Throws a Data error
// naming the directory when it cannot write.
MultiSynthSummary writeMultiSourceSynth(const MultiSynthOptions &options);

// The config with only the named one of its event sources (the generator's tables one at a
// time, for comparisons).
Config singleSource(Config config, const std::string &source);

// What an analyst does without several sources: the four tables of a generated directory stacked
// into one event table (absolute dates, a "table" column, the union of the columns, empty where
// a table has none) as dir/stacked.csv with dir/config_stacked.json. Returns the config's path.
std::string writeStackedTable(const std::string &dir);

} // namespace seqlens
