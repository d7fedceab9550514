// SPDX-License-Identifier: GPL-3.0-or-later
// The explanation of one applicant's score: its events as the model saw them, each with
//   - signed attributions in logit units (Integrated Gradients over the embedding of every
//     input of every event; they add up to logit - reference logit),
//   - occlusion: the exact change of the logit when the event is removed, or one of its inputs
//     is set to missing, by re-scoring,
//   - attention (where the model looked: model internals, not effects),
// and the reasons that raised the score most. One code path for the CLI's explain, the
// inspector, what-if and the applicant report.
#pragma once

#include "seqlens/bundle.h"
#include "seqlens/data/dataset.h"
#include "seqlens/data/encoder.h"
#include "seqlens/explain/history_edit.h"

#include <cmath>
#include <string>
#include <vector>

namespace seqlens {

struct ExplainedEvent {
    int64_t index = 0;                       // position in the model's view (0 = oldest kept)
    double timeDays = 0;                     // days since 1970-01-01 (UTC)
    std::string source;                      // its event source (several sources only)
    double sincePreviousDays = std::nan(""); // gap to the previous event; NaN for the first
    std::vector<std::string> values;         // raw text per event field ("" = missing)
    double itemWeight = 0;                   // attention weight on the timeline (sums to 1)
    std::vector<double> fieldWeights;        // per model input, sums to 1
    std::vector<double> attribution;         // per model input, logit units (empty: not computed)
    double attributionTotal = 0;             // sum of `attribution`
    double occlusionDelta = std::nan("");    // logit without this event - logit (NaN: not computed)
    std::vector<double> inputOcclusionDelta; // per input: logit with it missing - logit
};

struct AttributionInfo {
    bool available = false;
    AttributionReference reference = AttributionReference::Missing;
    int64_t steps = 0;
    double referenceLogit = 0;
    double lengthTerm = 0;      // Empty reference: the share of having n events at all
    double completenessGap = 0; // sum of attributions + lengthTerm - (logit - referenceLogit)
};

// A reason that raised the score: a part of the history and its summed attribution.
struct Reason {
    std::string code, text;
    double logit = 0;             // summed attribution, logit units
    double probabilityPoints = 0; // score - score with this contribution taken away, x 100
    int64_t count = 0;            // events (or pairs of events) it covers
    std::vector<int64_t> events;  // their indices
};

struct ApplicantExplanation {
    std::string id;
    int label = -1;                   // 1 bad, 0 good, -1 unknown
    double cutoffDays = std::nan(""); // NaN when the config has no cutoff
    double score = 0, logit = 0;
    int64_t eventsInHistory = 0;        // before the cutoff, before truncation
    int64_t eventsAfterCutoff = 0;      // excluded by the cutoff
    std::vector<std::string> fields;    // event field names (the order of ExplainedEvent::values)
    std::vector<std::string> fieldTypes; // "categorical" / "numeric" per event field
    std::vector<std::string> inputs;    // model inputs (the order of fieldWeights, attribution)
    std::vector<ExplainedEvent> events; // the events the model used, oldest first
    AttributionInfo attribution;
    bool occlusion = false;      // whether occlusion deltas were computed
    std::vector<Reason> reasons; // largest first

    // Per input: the mean of its field weight over the events (0 without events).
    std::vector<double> meanFieldAttention() const;
    // Per input: the sum of its attribution over the events (0 without attributions).
    std::vector<double> inputAttributionTotals() const;
    // The time the "days before the cutoff" of reasons count from: the cutoff, else the last
    // event (as the encoder does).
    double referenceTime() const;
};

struct ExplainOptions {
    bool integratedGradients = true;
    bool occlusion = true;      // events removed one at a time
    bool inputOcclusion = true; // and each (event, input) cell set to missing
    AttributionReference reference = AttributionReference::Missing;
    int64_t steps = 32;
    int64_t reasons = 4; // top reasons to keep (needs integratedGradients)
};
// The options the config's "explain" section asks for.
ExplainOptions explainOptions(const Config &config);

ApplicantExplanation explainApplicant(const ModelBundle &bundle, const RawDataset &raw,
                                      const EncodedDataset &data, int64_t applicant,
                                      const ExplainOptions &options = {});

// Loads one applicant from the files and explains it. Throws a Data error when the entity is
// unknown.
ApplicantExplanation explainWithBundle(const ModelBundle &bundle, const EventFiles &events,
                                       const std::string &labelsPath, const std::string &entity,
                                       const ExplainOptions &options = {});

// The history of `applicant` after applying `edits` one after another (each edit's event index
// counts in the history the previous edits left), as a one-applicant dataset.
RawDataset editedHistory(const RawDataset &raw, int64_t applicant, const Encoder &encoder,
                         const std::vector<HistoryEdit> &edits);

// The explanation of `applicant` after `edits` (editedHistory): what an interactive edit needs.
ApplicantExplanation explainEdited(const ModelBundle &bundle, const RawDataset &raw,
                                   int64_t applicant, const std::vector<HistoryEdit> &edits,
                                   const ExplainOptions &options = {});

struct WhatIf {
    ApplicantExplanation before, after;
    std::vector<HistoryEdit> edits;
};
WhatIf whatIf(const ModelBundle &bundle, const RawDataset &raw, int64_t applicant,
              const std::vector<HistoryEdit> &edits, const ExplainOptions &options = {});

} // namespace seqlens
