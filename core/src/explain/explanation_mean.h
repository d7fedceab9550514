// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to explain: the mean of several models' explanations of the same history (a bag's
// fold models). Every averaged part is linear in the logits (logits, attributions, occlusion
// deltas) or a mean of weights that each sum to 1 (attention), so the mean is the explanation of
// the mean logit.
#pragma once

#include "seqlens/explain/explain_workflow.h"

namespace seqlens {

class ExplanationMean {
public:
    explicit ExplanationMean(ApplicantExplanation first);
    // Throws an Internal error when `x` explains a different history (another event count).
    void add(const ApplicantExplanation &x);
    ApplicantExplanation result() const;

private:
    ApplicantExplanation m_sum;
    int64_t m_count = 1;
};

} // namespace seqlens
