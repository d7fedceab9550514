// SPDX-License-Identifier: GPL-3.0-or-later
// Score: every applicant of an event file with a bundle's own encoder and model.
#pragma once

#include "seqlens/bundle.h"
#include "seqlens/data/dataset.h"

#include <string>
#include <vector>

namespace seqlens {

struct ScoredApplicant {
    std::string id;
    double score = 0; // probability of bad
    int label = -1;   // 1, 0, or -1 unknown
};

// Loads events (and labels, which supply cutoffs and known labels) and scores every
// applicant with the bundle's own encoder and model.
std::vector<ScoredApplicant> scoreWithBundle(const ModelBundle &bundle,
                                             const std::string &eventsPath,
                                             const std::string &labelsPath,
                                             LoadReport *report = nullptr);
void writeScoresCsv(const std::string &path, const std::vector<ScoredApplicant> &scores);

// Options of a load for scoring or explaining with a bundle: the label table, when given,
// supplies cutoffs, known labels and given splits, and need not have the target column.
LoadOptions scoringLoadOptions(const std::string &eventsPath, const std::string &labelsPath);

} // namespace seqlens
