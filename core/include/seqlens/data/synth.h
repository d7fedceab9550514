// SPDX-License-Identifier: GPL-3.0-or-later
// Synthetic credit-bureau-style demo data. The label depends partly on event ORDER: a late
// payment followed within days by a new credit inquiry raises the risk, while the same two
// events in the opposite order do not. Bad applicants also tend to have "collection" events
// AFTER their application date, which a leak-free pipeline must exclude.
#pragma once

#include <cstdint>
#include <string>

namespace seqlens {

// A later population for monitoring tests (the same generator, one thing changed):
//   TypeMix        more card use and fewer payments among the background events
//   NewType        half of the card-use events become "bnpl_purchase", a type never seen before
//   LongerGaps     the same number of background events spread over 2.5 times the span
//   LabelRelation  the order pattern no longer raises the risk (inputs unchanged, labels differ)
enum class SynthDrift { None, TypeMix, NewType, LongerGaps, LabelRelation };
// Parses none, type_mix, new_type, longer_gaps, label_relation; false otherwise.
bool parseSynthDrift(const std::string &text, SynthDrift &drift);

struct SynthOptions {
    std::string outDir;
    int64_t applicants = 5000;
    uint64_t seed = 42;
    int64_t startDays = 19358; // application dates from this day (days since 1970; 2023-01-01)
    int64_t spanDays = 730;    // ... over this many days
    SynthDrift drift = SynthDrift::None;
};

struct SynthSummary {
    int64_t applicants = 0, events = 0, bads = 0;
    std::string eventsPath, labelsPath, configPath;
};

// Writes events.csv, labels.csv and config.json into outDir (created if needed).
SynthSummary writeSynthDataset(const SynthOptions &options);

} // namespace seqlens
