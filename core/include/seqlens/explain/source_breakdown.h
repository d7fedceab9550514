// SPDX-License-Identifier: GPL-3.0-or-later
// An explanation read per event source: how much of the timeline's attention and of the
// attribution each source's events carry.
#pragma once

#include "seqlens/explain/explain_workflow.h"

#include <string>
#include <vector>

namespace seqlens {

struct SourceShare {
    std::string source;
    int64_t events = 0;              // events of the source the model used
    double itemWeight = 0;           // their summed timeline attention (all sources sum to 1)
    double attribution = 0;          // their summed attribution, logit units (0 when not computed)
    std::vector<std::string> inputs; // the source's own inputs
    std::vector<double> meanFieldWeight; // per own input: mean field attention over its events
};

// One entry per source that has events in the explanation (in first-appearance order); empty
// for a one-source explanation.
std::vector<SourceShare> sourceShares(const ApplicantExplanation &x);

} // namespace seqlens
