// SPDX-License-Identifier: GPL-3.0-or-later
// Synthetic credit-bureau-style demo data. The label depends partly on event ORDER: a late
// payment followed within days by a new credit inquiry raises the risk, while the same two
// events in the opposite order do not. Bad applicants also tend to have "collection" events
// AFTER their application date, which a leak-free pipeline must exclude.
#pragma once

#include <cstdint>
#include <string>

namespace seqlens {

struct SynthOptions {
    std::string outDir;
    int64_t applicants = 5000;
    uint64_t seed = 42;
};

struct SynthSummary {
    int64_t applicants = 0, events = 0, bads = 0;
    std::string eventsPath, labelsPath, configPath;
};

// Writes events.csv, labels.csv and config.json into outDir (created if needed).
SynthSummary writeSynthDataset(const SynthOptions &options);

} // namespace seqlens
