// SPDX-License-Identifier: GPL-3.0-or-later
// Reason codes: readable phrases for the parts of a history that raised the score, each with
// the summed attribution of the events (or inputs) it names. The config's explain.reasons come
// first; reasons generated from the field names follow, so a new dataset reads well unedited.
#pragma once

#include "seqlens/data/config.h"
#include "seqlens/explain/explain_workflow.h"

#include <vector>

namespace seqlens {

// The config's rules, then (when explain.default_reasons) the generated ones:
//   per categorical field F: "{count} events with F = {value}" (any time, and within each of
//   the first two baseline windows), "F = {value} followed by F = {then_value} within 7 days";
//   per numeric field and time input: its values over the events; "{count} events in the
//   {days} days before the cutoff" for the shortest baseline window.
std::vector<ReasonRule> reasonRules(const Config &config, const std::vector<std::string> &inputs);

// The `count` reasons with the largest positive contribution, from the explanation's
// attributions (none when it has none). A reason whose events are all covered by an already
// chosen reason, or that names an input already chosen, is skipped.
std::vector<Reason> topReasons(const ApplicantExplanation &explanation,
                               const std::vector<ReasonRule> &rules, int64_t count);

} // namespace seqlens
