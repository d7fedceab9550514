// SPDX-License-Identifier: GPL-3.0-or-later
// The explanation of one applicant's score: its events as the model saw them, each with its
// item (event) attention weight and its field attention over the model inputs. One code path
// for the CLI's explain, the inspector and the applicant report.
#pragma once

#include "seqlens/bundle.h"
#include "seqlens/data/dataset.h"
#include "seqlens/data/encoder.h"

#include <cmath>
#include <string>
#include <vector>

namespace seqlens {

struct ExplainedEvent {
    int64_t index = 0;                      // position in the model's view (0 = oldest kept)
    double timeDays = 0;                    // days since 1970-01-01 (UTC)
    double sincePreviousDays = std::nan(""); // gap to the previous event; NaN for the first
    std::vector<std::string> values;        // raw text per event field ("" = missing)
    double itemWeight = 0;                  // attention weight on the timeline (sums to 1)
    std::vector<double> fieldWeights;       // per model input, sums to 1
};

struct ApplicantExplanation {
    std::string id;
    int label = -1;                     // 1 bad, 0 good, -1 unknown
    double cutoffDays = std::nan("");   // NaN when the config has no cutoff
    double score = 0, logit = 0;
    int64_t eventsInHistory = 0;        // before the cutoff, before truncation
    int64_t eventsAfterCutoff = 0;      // excluded by the cutoff
    std::vector<std::string> fields;    // event field names (the order of ExplainedEvent::values)
    std::vector<std::string> inputs;    // model inputs (the order of fieldWeights)
    std::vector<ExplainedEvent> events; // the events the model used, oldest first

    // Per input: the mean of its field weight over the events (0 without events).
    std::vector<double> meanFieldAttention() const;
};

ApplicantExplanation explainApplicant(const SequenceModel &model, const Encoder &encoder,
                                      const RawDataset &raw, const EncodedDataset &data,
                                      int64_t applicant);

// Loads one applicant from the files and explains it. Throws a Data error when the entity is
// unknown.
ApplicantExplanation explainWithBundle(const ModelBundle &bundle, const std::string &eventsPath,
                                       const std::string &labelsPath, const std::string &entity);

} // namespace seqlens
