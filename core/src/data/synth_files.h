// SPDX-License-Identifier: GPL-3.0-or-later
// What the synthetic-data writers share (synth.cpp, pattern_synth.cpp): the three output files
// of a generated dataset and the format of one event row. Internal to core.
#pragma once

#include <fstream>
#include <string>

namespace seqlens {

struct SynthFiles {
    std::string eventsPath, labelsPath, configPath;
    std::ofstream events, labels, config;
    // Throws a Data error naming `dir` when the stream has failed.
    void checkWritten(const std::string &dir) const;
};

// Creates `dir`, opens events.csv, labels.csv and config.json in it, writes the config text and
// the two CSV headers. Throws a Data error naming the directory when it cannot.
void openSynthFiles(SynthFiles &files, const std::string &dir, const char *configText,
                    const char *eventsHeader, const char *labelsHeader);

// id,time (ISO date-time, rounded to the minute),type,channel,amount (2 decimals; NaN: empty)
void writeEventRow(std::ostream &out, const std::string &id, double days, const char *type,
                   const char *channel, double amount);

} // namespace seqlens
