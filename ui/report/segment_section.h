// SPDX-License-Identifier: GPL-3.0-or-later
// The segment-checks section of the validation and monitoring reports (monitor/segments.h).
#pragma once

#include "report/report_document.h"

#include <nlohmann/json.hpp>

namespace seqlens::report {

// `segments` is segmentChecksJson's object, or null when no segments were configured; `scored`
// names the population and score ("the test split, stacking model").
void segmentSection(ReportDocument &doc, const QString &heading, const nlohmann::json &segments,
                    const QString &scored);

} // namespace seqlens::report
