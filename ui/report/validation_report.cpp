// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/reports.h"

#include "report/report_data.h"
#include "report/segment_section.h"
#include "report/validation_sections.h"

namespace seqlens::report {

void writeValidationReport(ProjectStore &store, int64_t run, const std::string &path)
{
    checkReportPath(path);
    const RunReportData d = loadRunReportData(store, run);
    ReportDocument doc(QString("Model-validation report — run %1 (%2)")
                           .arg(run)
                           .arg(QString::fromStdString(d.run.kind)));
    const bool outOfTime = at(at(d.dataReport, "splits"), "method") == "time";
    doc.text("Project " + QString::fromStdString(store.path()) +
             ". All figures are on the untouched test split unless stated" +
             (outOfTime ? "; the test split is out of time (applicants after the last "
                          "development cutoff, see section 2)."
                        : "."));
    modelCard(doc, d);
    dataAudit(doc, d);
    discrimination(doc, d);
    benchmark(doc, d);
    liftSection(doc, d);
    calibrationSection(doc, d);
    stabilitySection(doc, d);
    attentionSection(doc, d);
    faithfulnessSection(doc, d);
    segmentSection(doc, "10. Segments",
                   d.isCompare() ? at(d.compare, "segments") : at(d.trainMetrics, "segments"),
                   d.isCompare() ? "the test split, stacking model" : "the test split, sequence model");
    limitations(doc, d);
    configAppendix(doc, d);
    doc.write(QString::fromStdString(path));
    store.audit("exported", "run " + std::to_string(run), "model-validation report " + path);
}

} // namespace seqlens::report
