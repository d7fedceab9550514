// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/segment_section.h"

#include "report/json_text.h"
#include "report/monitor_record_plots.h"

namespace seqlens::report {

namespace {

using nlohmann::json;

// Discrimination and calibration of one segment.
QStringList performanceRow(const json &r)
{
    const bool hasAuc = r.contains("auc") && r["auc"].is_number();
    return {q(r.value("value", "")),
            count(r.value("applicants", json())),
            count(r.value("bads", json())) + " (" + fmt(100 * numberOr(r, "bad_rate"), 1) + " %)",
            fmt(100 * numberOr(r, "predicted_bad_rate"), 1),
            fmt(numberOr(r, "auc"), 3),
            hasAuc ? fmtCi(numberOr(r, "auc_lo"), numberOr(r, "auc_hi"), 2) : QString("n/a"),
            fmt(numberOr(r, "ks"), 3)};
}

// Approval at the cut-off and the adverse-impact ratio of one segment.
QStringList approvalRow(const json &r)
{
    return {q(r.value("value", "")), count(r.value("applicants", json())),
            pct(numberOr(r, "approval_rate"), 1), fmt(numberOr(r, "adverse_impact"), 2),
            r.value("light", json()).is_string() ? q(r["light"]) : QString("not judged")};
}

} // namespace

void segmentSection(ReportDocument &doc, const QString &heading, const json &segments,
                    const QString &scored)
{
    doc.heading(heading);
    if (!segments.is_object()) {
        doc.text("No segments configured: name label-table columns (age band, region, product) "
                 "in the config's monitoring.segments to check the model per segment.");
        return;
    }
    doc.text(
        QString("Per segment of %1 (n applicants; bads and bad rate among the labelled; pred. %: "
                "mean predicted bad rate): discrimination (AUC with its DeLong 95 % interval, KS), "
                "observed against mean predicted bad rate, and the approval rate at the "
                "cut-off that approves %2 of the reference (score at or below %3). The "
                "adverse-impact ratio is a segment's approval rate over the most approved "
                "segment's; below %4 it is amber (the four-fifths rule). Segments smaller "
                "than the configured minimum are listed but not judged. Overall: %5.")
            .arg(scored, pct(numberOr(segments, "approval_rate"), 0),
                 fmt(numberOr(segments, "cutoff_score"), 4),
                 fmt(numberOr(segments, "adverse_impact_threshold"), 2),
                 q(segments.value("light", ""))));
    for (const auto &t : segments.value("tables", json::array())) {
        doc.heading(q(t.value("column", "")), 3);
        std::vector<QStringList> performance, approval;
        for (const auto &r : t.value("rows", json::array())) {
            performance.push_back(performanceRow(r));
            approval.push_back(approvalRow(r));
        }
        doc.table({"segment", "n", "bads", "pred. %", "AUC", "95 % CI", "KS"}, performance,
                  {0, 1, 2, 3, 4, 5, 6});
        doc.table({"segment", "n", "approved", "adverse-impact ratio", "light"}, approval,
                  {0, 1, 2, 3, 4});
        if (t.value("lowest_impact", json()).is_number())
            doc.text("Lowest adverse-impact ratio: " + fmt(numberOr(t, "lowest_impact"), 2) + " (" +
                     q(t.value("lowest", "")) + ").");
    }
}

} // namespace seqlens::report
