// SPDX-License-Identifier: GPL-3.0-or-later
// Score: every applicant of an event file with a bundle's own encoder and model.
#pragma once

#include "seqlens/bundle.h"
#include "seqlens/data/dataset.h"
#include "seqlens/explain/explain_workflow.h"

#include <string>
#include <vector>

namespace seqlens {

struct ScoredApplicant {
    std::string id;
    double score = 0; // probability of bad
    int label = -1;   // 1, 0, or -1 unknown
    std::vector<Reason> reasons; // with reasons > 0: the top reasons that raised the score
};

// Loads events (and labels, which supply cutoffs and known labels) and scores every
// applicant with the bundle's own encoder and model; with `reasons` > 0 also the top reasons
// of each (Integrated Gradients with the config's reference and steps: a few ms per applicant).
std::vector<ScoredApplicant> scoreWithBundle(const ModelBundle &bundle,
                                             const EventFiles &events,
                                             const std::string &labelsPath,
                                             LoadReport *report = nullptr, int64_t reasons = 0,
                                             const CancelToken *cancel = nullptr);
// Columns entity,score[,label][,reason_1_code,reason_1_text,...] (`reasons` pairs).
void writeScoresCsv(const std::string &path, const std::vector<ScoredApplicant> &scores,
                    int64_t reasons = 0);

// Options of a load for scoring or explaining with a bundle: the label table, when given,
// supplies cutoffs, known labels and given splits, and need not have the target column.
LoadOptions scoringLoadOptions(const EventFiles &events, const std::string &labelsPath);

} // namespace seqlens
