// SPDX-License-Identifier: GPL-3.0-or-later
// Section 9 of the validation report: how faithful the explanations are, the global
// attributions, and the state-space surrogate.
#include "report/json_text.h"
#include "report/plot_data.h"
#include "report/validation_sections.h"

#include <qcustomplot.h>

namespace seqlens::report {

using nlohmann::json;

namespace {

int rankedHeight(const Bars &bars)
{
    return 70 + 24 * int(bars.labels.size());
}

void globalAttributionPart(ReportDocument &doc, const json &g)
{
    if (g.is_null() || !g.contains("inputs") || g["inputs"].empty()) {
        doc.text("No global attributions were recorded (no test applicant had events).");
        return;
    }
    doc.text("Global attributions: the Integrated Gradients of " + count(g["applicants"]) +
             " test applicants, aggregated. Unlike attention they are in score units (logit): "
             "positive values raised the risk score, negative values lowered it.");
    QCustomPlot plot;
    const Bars inputs = attributionByInput(g);
    drawRankedBars(plot, inputs.labels, inputs.values, "mean |attribution| (logit)", false);
    doc.figure("attribution_by_input", renderImage(plot, 640, rankedHeight(inputs)), 540,
               "Mean absolute attribution of each model input per event: how much each input "
               "moves the score.");
    const Bars values = attributionByValue(g, 12);
    if (!values.labels.isEmpty()) {
        drawRankedBars(plot, values.labels, values.values, "mean attribution (logit)", true);
        doc.figure("attribution_by_value", renderImage(plot, 640, rankedHeight(values)), 540,
                   "Categorical values with the largest mean attribution of their events (seen "
                   "on 5 events or more): red raises risk, blue lowers it.");
    }
    const Bars bands = attributionByTime(g);
    drawSignedBars(plot, bands.labels, bands.values, "mean attribution (logit)");
    plot.xAxis->setLabel("time before the cutoff");
    doc.figure("attribution_by_time", renderImage(plot, 640, 260), 540,
               "Mean attribution of an event by its time before the cutoff.");
    std::vector<QStringList> rows;
    for (size_t b = 0; b < g["bands"].size(); ++b)
        rows.push_back({q(g["bands"][b]), count(g["band_events"][b]),
                        g["band_mean_signed"][b].is_number()
                            ? fmt(g["band_mean_signed"][b].get<double>())
                            : QString("n/a"),
                        g["band_mean_abs"][b].is_number() ? fmt(g["band_mean_abs"][b].get<double>())
                                                          : QString("n/a")});
    doc.table({"time before the cutoff", "events", "mean attribution", "mean |attribution|"},
              rows);
}

void surrogatePart(ReportDocument &doc, const json &sur)
{
    if (sur.is_null() || !sur.contains("inputs"))
        return;
    QStringList top;
    for (size_t i = 0; i < sur["inputs"].size() && i < 5; ++i)
        top << q(sur["inputs"][i]["feature"]);
    doc.text(QString("State-space surrogate (Maree & Omlin 2021): a linear model of each event's "
                     "%1 state from the event's inputs and the previous state reconstructs the "
                     "held-out states with R² %2 (%3 events); the inputs that move the state "
                     "most: %4.")
                 .arg(q(sur["aggregation"]),
                      sur["r2"].is_number() ? fmt(sur["r2"].get<double>()) : QString("n/a"),
                      count(sur["held_out_events"]), top.join(", ")));
    const Bars coef = surrogateCoefficients(sur, 12);
    QCustomPlot plot;
    drawRankedBars(plot, coef.labels, coef.values, "coefficient norm", false);
    doc.figure("surrogate_coefficients", renderImage(plot, 640, rankedHeight(coef)), 540,
               "What moves the model's memory: the norm of the surrogate's coefficients per "
               "event input, and of the previous state.");
}

} // namespace

void faithfulnessSection(ReportDocument &doc, const RunReportData &d)
{
    doc.heading("9. Explanation faithfulness");
    const json &a = d.explanationAudit;
    if (a.is_null() || !a.contains("faithfulness")) {
        doc.text("No explanation audit was recorded for this run (runs recorded before SeqLens "
                 "measured faithfulness).");
        return;
    }
    const json &f = a["faithfulness"];
    doc.text("Each method ranks an applicant's events; the deletion curve removes the top events "
             "and follows the logit, the insertion curve starts from the empty history and adds "
             "them back (both in logit minus the empty history's logit, over the share of events). "
             "A faithful ranking drops the deletion curve fast and raises the insertion curve "
             "fast: the larger insertion minus deletion, the better. " +
             count(f["applicants"]) + " test applicants with two or more events; 95 % intervals "
             "from " + count(f["bootstrap_reps"]) + " bootstrap resamples of the applicants.");
    std::vector<Series> deletion, insertion;
    faithfulnessCurves(f, deletion, insertion);
    QCustomPlot plot;
    drawFaithfulness(plot, deletion, insertion);
    std::vector<QStringList> rows;
    auto iv = [](const json &i) {
        return fmt(i["value"].get<double>()) + " [" + fmt(i["lo"].get<double>()) + ", " +
               fmt(i["hi"].get<double>()) + "]";
    };
    for (const auto &m : f["methods"])
        rows.push_back({q(m["method"]), iv(m["deletion_area"]), iv(m["insertion_area"]),
                        iv(m["insertion_minus_deletion"])});
    doc.figure("faithfulness", renderImage(plot, 700, 340), 560,
               "Deletion (solid) and insertion (dashed) curves per explanation method, mean over "
               "the test applicants.");
    doc.table({"method", "deletion area", "insertion area", "insertion - deletion"}, rows);
    const json &s = f["sanity_check"];
    doc.text(QString("Randomised-weights check (Adebayo et al. 2018): the mean rank correlation "
                     "between the event attributions of the trained model and of the same "
                     "architecture with random weights is %1 over %2 applicants; %3 (threshold "
                     "%4).")
                 .arg(fmt(s["mean_spearman_trained_vs_random_weights"].get<double>()),
                      count(s["applicants"]),
                      s["passed"].get<bool>() ? "passed" : "FAILED: do not use the attributions",
                      fmt(s["threshold"].get<double>(), 2)));
    doc.text("Verdict. " + q(f["verdict"]));
    globalAttributionPart(doc, a["global_attribution"]);
    surrogatePart(doc, a["surrogate"]);
}

} // namespace seqlens::report
