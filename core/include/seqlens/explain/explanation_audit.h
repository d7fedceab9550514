// SPDX-License-Identifier: GPL-3.0-or-later
// How far a model's explanations can be trusted, over a sample of applicants:
//   - faithfulness: deletion and insertion curves (remove, or add back, the top events ranked
//     by attention, Integrated Gradients, occlusion or at random, and follow the logit), their
//     areas with bootstrap intervals, and a randomised-weights sanity check (Adebayo et al. 2018);
//   - the global view of the attributions: by input, by categorical value, by time before the
//     cutoff;
//   - the state-space surrogate (Maree & Omlin 2021): a linear model of each event's state from
//     the event's inputs and the previous state, with its fidelity.
#pragma once

#include "seqlens/bundle.h"
#include "seqlens/compare/validation_stats.h"
#include "seqlens/data/dataset.h"
#include "seqlens/explain/explain_workflow.h"
#include "seqlens/util/cancel.h"

#include <string>
#include <vector>

namespace seqlens {

struct MethodFaithfulness {
    std::string method;             // "attention", "integrated_gradients", "occlusion", "random"
    std::vector<double> deletion;   // per fraction: mean logit(top events removed) - logit(empty)
    std::vector<double> insertion;  // per fraction: mean logit(only top events) - logit(empty)
    // Means over applicants with percentile bootstrap 95 % intervals (bootstrapMean):
    BootstrapInterval deletionArea;  // lower: the top events carried the score
    BootstrapInterval insertionArea; // higher: the top events alone rebuild it
    BootstrapInterval difference;    // insertion - deletion; higher is more faithful
    BootstrapInterval versusBest;    // difference minus the best method's, paired
};

struct Faithfulness {
    int64_t applicants = 0;       // applicants with at least two events in the sample
    int64_t bootstrapReps = 0;
    std::vector<double> fractions; // share of each history's events removed / added back
    std::vector<MethodFaithfulness> methods;
    std::string best;              // the method with the largest difference
    double sanityRankCorrelation = 0; // mean Spearman of IG event totals, trained vs random weights
    int64_t sanityApplicants = 0;
    bool sanityPassed = false;     // the correlation is below kSanityThreshold
    std::string verdict;           // one plain paragraph: which method to trust, and why
};
constexpr double kSanityThreshold = 0.5;

struct ValueAttribution {
    std::string field, value;
    int64_t events = 0;
    double meanSigned = 0, meanAbs = 0; // of the event totals of events with this value
};

struct GlobalAttribution {
    int64_t applicants = 0;
    std::vector<std::string> inputs;
    std::vector<double> meanSigned, meanAbs; // per input: mean over events of its attribution
    std::vector<ValueAttribution> values;    // per categorical value, by mean signed, largest first
    std::vector<std::string> bands;          // time before the cutoff (global_attention.h bands)
    std::vector<double> bandMeanSigned, bandMeanAbs; // of event totals; NaN when no events
    std::vector<int64_t> bandEvents;
};

struct SurrogateCoefficient {
    std::string feature; // "type=late", "amount", "amount missing", "state[3]"
    double norm = 0;     // L2 norm of its coefficients over the state dimensions
};

struct Surrogate {
    std::string aggregation;          // the item aggregation whose states were modelled
    int64_t trainEvents = 0, heldOutEvents = 0;
    std::vector<double> r2PerState;   // on held-out applicants
    double r2 = 0; // 1 - total residual / total variance, held out; NaN without events
    std::vector<SurrogateCoefficient> inputs; // event-input features by norm, largest first
    double previousStateNorm = 0;     // norm of the previous-state coefficients (memory)
};

struct ExplanationAudit {
    Faithfulness faithfulness;
    GlobalAttribution global;
    Surrogate surrogate;
};

struct AuditOptions {
    int64_t applicants = 500;   // sample size (evenly spaced over the given applicants)
    int64_t points = 11;        // fractions 0, 0.1, ..., 1
    int64_t bootstrapReps = 1000;
    uint64_t seed = 7;
    ExplainOptions explain;     // reference and steps of the attributions
    const CancelToken *cancel = nullptr;
};

Faithfulness measureFaithfulness(const ModelBundle &bundle, const RawDataset &raw,
                                 const EncodedDataset &data,
                                 const std::vector<ApplicantExplanation> &explained,
                                 const std::vector<int64_t> &applicants, const AuditOptions &o);

GlobalAttribution globalAttribution(const std::vector<ApplicantExplanation> &explained,
                                    const std::vector<double> &bandEdgesDays);

// The explanations (IG and event occlusion, no input occlusion or reasons) of `applicants`:
// what the faithfulness curves and the global view are computed from.
std::vector<ApplicantExplanation> explainSample(const ModelBundle &bundle, const RawDataset &raw,
                                                const EncodedDataset &data,
                                                const std::vector<int64_t> &applicants,
                                                const AuditOptions &o);

// Fits on every other applicant of `applicants` (0, 2, 4, ...), measures fidelity on the rest.
Surrogate fitSurrogate(const ModelBundle &bundle, const EncodedDataset &data,
                       const std::vector<int64_t> &applicants);

// All three over an even sample of `applicants` (the test split, typically).
ExplanationAudit auditExplanations(const ModelBundle &bundle, const RawDataset &raw,
                                   const EncodedDataset &data,
                                   const std::vector<int64_t> &applicants, const AuditOptions &o);

} // namespace seqlens
