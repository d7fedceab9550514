// SPDX-License-Identifier: GPL-3.0-or-later
// The sections of the model-validation report, in report order.
#pragma once

#include "report/report_data.h"
#include "report/report_document.h"

namespace seqlens::report {

void modelCard(ReportDocument &doc, const RunReportData &d);
void dataAudit(ReportDocument &doc, const RunReportData &d);
void discrimination(ReportDocument &doc, const RunReportData &d);
void benchmark(ReportDocument &doc, const RunReportData &d);
void liftSection(ReportDocument &doc, const RunReportData &d);
void calibrationSection(ReportDocument &doc, const RunReportData &d);
void stabilitySection(ReportDocument &doc, const RunReportData &d);
void attentionSection(ReportDocument &doc, const RunReportData &d);
void faithfulnessSection(ReportDocument &doc, const RunReportData &d);
void limitations(ReportDocument &doc, const RunReportData &d);
void configAppendix(ReportDocument &doc, const RunReportData &d);

} // namespace seqlens::report
