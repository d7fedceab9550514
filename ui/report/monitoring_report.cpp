// SPDX-License-Identifier: GPL-3.0-or-later
// The monitoring report of one monitored batch, from its record in the project (the JSON that
// `monitor` stored): summary and checks, score stability by cohort, the inputs ranked by PSI
// with the distributions of the top ones, the shape of the sequences, performance and
// calibration by cohort, and the method.
#include "report/reports.h"

#include "report/json_text.h"
#include "report/monitor_record_plots.h"
#include "report/plots.h"
#include "report/report_document.h"
#include "report/segment_section.h"

#include "seqlens/util/error.h"

#include <qcustomplot.h>

#include <cmath>

namespace seqlens::report {

namespace {

using nlohmann::json;

void summary(ReportDocument &doc, const MonitoringRecord &m, const RunInfo &run, const json &r)
{
    doc.heading("1. Summary");
    doc.keyValues(
        {{"batch", q(m.name)},
         {"monitored (UTC)", q(m.createdAt)},
         {"run", QString("%1 (%2, started %3)").arg(run.id).arg(q(run.kind), q(run.startedAt))},
         {"events", q(m.eventsPath) + " (fingerprint " + q(m.eventsFingerprint) + ")"},
         {"labels", m.labelsPath.empty() ? "none" : q(m.labelsPath)},
         {"applicants", QString::number(m.applicants)},
         {"cohorts", "by " + q(m.cohortBy) + ", " + QString::number(r["cohorts"].size())},
         {"status", q(m.status).toUpper()}});
    std::vector<QStringList> rows;
    for (const auto &c : r["checks"])
        rows.push_back({q(c["check"]), q(c["light"]).toUpper(), q(c["detail"])});
    doc.table({"check", "light", "figure"}, rows, {1});
}

void scoreSection(ReportDocument &doc, const json &r)
{
    doc.heading("2. Score stability");
    doc.text("Score distribution over the deciles of the run's test scores (the same model, out of "
             "sample): PSI " +
             fmt(numberOr(r["score"], "psi"), 4) + ".");
    QCustomPlot plot;
    drawStabilityShares(plot, r["score"], "run's test split");
    doc.figure("score_shares", renderImage(plot, 640, 300), 540,
               "Score distribution: share of the run's test applicants and of the batch per score "
               "bin (bins fixed on the test scores).");
    std::vector<QStringList> rows;
    for (const auto &c : r["cohorts"]) {
        rows.push_back({q(c["cohort"]), count(c["applicants"]), fmt(numberOr(c["score"], "psi"), 4),
                        q(c["score_light"]).toUpper()});
    }
    drawCohortTimeline(plot, r, CohortSeries::ScorePsi);
    doc.figure("score_psi", renderImage(plot, 640, 260), 540,
               "Score PSI by cohort with the amber and red thresholds.");
    doc.table({"cohort", "applicants", "score PSI", "light"}, rows, {0});
}

void inputsSection(ReportDocument &doc, const json &r)
{
    doc.heading("3. Characteristic stability");
    const auto &inputs = r["characteristics"];
    doc.text(
        QString("%1 characteristics (window features, model inputs, sequence shape), ranked by "
                "PSI; the 25 highest:")
            .arg(inputs.size()));
    std::vector<QStringList> rows;
    for (size_t i = 0; i < inputs.size() && i < 25; ++i) {
        const auto &s = inputs[i];
        rows.push_back({QString::number(i + 1), q(s["name"]), q(s["kind"]),
                        fmt(numberOr(s, "psi"), 4), pct(numberOr(s, "new_share"), 1),
                        fmt(100 * numberOr(s, "missing_share_reference"), 1) + " → " +
                            pct(numberOr(s, "missing_share_batch"), 1)});
    }
    doc.table({"#", "characteristic", "kind", "PSI", "new", "missing"}, rows, {0, 2, 3, 4});
    for (size_t i = 0; i < inputs.size() && i < 3; ++i) {
        const auto &s = inputs[i];
        QCustomPlot plot;
        drawStabilityShares(plot, s, "development");
        doc.figure(QString("input_%1").arg(i), renderImage(plot, 640, 280), 540,
                   q(s["name"]) +
                       ": development and batch shares per bin (bins fixed on "
                       "development), PSI " +
                       fmt(numberOr(s, "psi"), 3) + ".");
    }
}

QStringList shapeRow(const QString &name, const json &s)
{
    return {name,
            count(s["applicants"]),
            fmt(numberOr(s, "mean_events"), 1),
            fmt(numberOr(s, "median_events"), 1),
            pct(numberOr(s, "empty_share"), 1),
            pct(numberOr(s, "truncated_share"), 1),
            fmt(numberOr(s, "median_gap_days"), 1)};
}

void shapeSection(ReportDocument &doc, const json &r)
{
    doc.heading("4. Sequence shape");
    std::vector<QStringList> rows{shapeRow("development", r["reference"]["shape"]),
                                  shapeRow("batch", r["shape"])};
    for (const auto &c : r["cohorts"])
        rows.push_back(shapeRow(q(c["cohort"]), c["shape"]));
    doc.table({"population", "applicants", "mean events", "median events", "empty", "truncated",
               "median gap (days)"},
              rows, {0});
    doc.text("Truncated: more events before the cutoff than sequence.max_items, so the model sees "
             "only the latest ones.");
}

// One row of the discrimination table and, with labels, one of the calibration table.
void performanceRows(const QString &name, const json &p, std::vector<QStringList> &discrimination,
                     std::vector<QStringList> &calibration)
{
    if (p.contains("auc")) {
        const auto &a = p["auc"];
        discrimination.push_back(
            {name, count(p["labelled"]) + " (" + count(p["bads"]) + ")",
             fmt(numberOr(a, "value"), 3), fmtCi(numberOr(a, "lo"), numberOr(a, "hi"), 2),
             fmt(numberOr(a, "ks"), 2), fmt(numberOr(a, "drop_p"), 3), q(a["light"]).toUpper()});
    } else {
        discrimination.push_back({name, count(p["labelled"]) + " (" + count(p["bads"]) + ")", "n/a",
                                  "", "", "", "not assessed"});
    }
    if (p.contains("calibration")) {
        const auto &c = p["calibration"];
        calibration.push_back(
            {name, pct(numberOr(c, "observed_rate"), 2), pct(numberOr(c, "predicted_rate"), 2),
             fmtCi(100 * numberOr(c, "jeffreys_lo"), 100 * numberOr(c, "jeffreys_hi"), 2) + " %",
             fmt(numberOr(c, "p_two_sided"), 4), q(c["light"]).toUpper()});
    }
}

void performanceSection(ReportDocument &doc, const json &r)
{
    doc.heading("5. Performance and calibration");
    const auto &dev = r["reference"]["test_auc"];
    doc.text("Development (the run's test split): AUC " + fmt(numberOr(dev, "value"), 4) + " " +
             fmtCi(numberOr(dev, "lo"), numberOr(dev, "hi"), 4) + ".");
    std::vector<QStringList> discrimination, calibration;
    performanceRows("batch", r["performance"], discrimination, calibration);
    for (const auto &c : r["cohorts"])
        performanceRows(q(c["cohort"]), c["performance"], discrimination, calibration);
    doc.table({"population", "n (bads)", "AUC", "95 %", "KS", "p (drop)", "light"}, discrimination,
              {0, 1, 2, 3, 4, 5});
    if (calibration.empty())
        doc.text("Calibration: not assessed, the batch has no labels yet.");
    else
        doc.table({"population", "bad rate", "predicted", "Jeffreys 95 %", "p", "light"},
                  calibration, {0, 1, 2, 3, 4});
    QCustomPlot plot;
    drawCohortTimeline(plot, r, CohortSeries::Auc);
    doc.figure("auc_by_cohort", renderImage(plot, 640, 260), 540,
               "AUC by cohort with DeLong 95 % intervals; the dashed line is the run's test AUC.");
    if (!calibration.empty()) {
        drawCohortTimeline(plot, r, CohortSeries::BadRate);
        doc.figure("bad_rate_by_cohort", renderImage(plot, 640, 260), 540,
                   "Observed bad rate by cohort with Jeffreys 95 % intervals; the dashed line is "
                   "the batch's mean predicted bad rate.");
    }
}

void methodSection(ReportDocument &doc, const json &r)
{
    doc.heading("7. Method");
    const auto &t = r["thresholds"];
    doc.bullets(
        {"PSI = Σ (a − e) ln(a / e) over bins fixed on the reference (never on the batch); an "
         "empty bin counts as 0.0001 of its population.",
         "Score reference: the run's test split as recorded, scored out of sample by the same "
         "model. Input reference: the run's development applicants (its data without the test "
         "split), reloaded and checked against the run's fingerprint.",
         "Categorical inputs: development's values (the 50 most frequent), other, new (never in "
         "development) and missing. Numeric inputs: development's quantiles and missing.",
         "AUC drop: (development − batch) / √(se_d² + se_b²) with DeLong errors, one-sided. "
         "Calibration in the large: Jeffreys test, Beta(D + ½, N − D + ½) at the mean predicted "
         "probability, two-sided.",
         QString("Lights: PSI amber from %1, red from %2; tests amber below p %3, red below p %4; "
                 "%5 bins.")
             .arg(fmt(t["psi_amber"].get<double>(), 2), fmt(t["psi_red"].get<double>(), 2),
                  fmt(t["alpha_amber"].get<double>(), 2), fmt(t["alpha_red"].get<double>(), 2))
             .arg(t["bins"].get<int>())});
}

} // namespace

void writeMonitoringReport(ProjectStore &store, int64_t record, const std::string &path)
{
    checkReportPath(path);
    const MonitoringRecord m = store.monitoring(record);
    const RunInfo run = store.run(m.run);
    json r;
    try {
        r = json::parse(m.json);
    } catch (const json::exception &e) {
        throwData(store.path() + ": monitoring record " + std::to_string(record) +
                  " is not valid JSON: " + e.what());
    }
    ReportDocument doc(QString("Monitoring report — %1 against run %2").arg(q(m.name)).arg(m.run));
    doc.text("Project " + q(store.path()) + ", monitoring record " + QString::number(record) + ".");
    summary(doc, m, run, r);
    scoreSection(doc, r);
    inputsSection(doc, r);
    shapeSection(doc, r);
    performanceSection(doc, r);
    segmentSection(doc, "6. Segments", r.value("segments", json()),
                   "the batch (labelled applicants for AUC and bad rates), the run's score");
    methodSection(doc, r);
    doc.write(QString::fromStdString(path));
    store.audit("exported", "monitoring " + std::to_string(record), "monitoring report " + path);
}

} // namespace seqlens::report
