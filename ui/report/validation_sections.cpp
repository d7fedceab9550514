// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/validation_sections.h"

#include "report/json_text.h"
#include "report/plot_data.h"
#include "seqlens/compare/validation_stats.h"

#include <qcustomplot.h>

#include <cmath>

namespace seqlens::report {

using nlohmann::json;

namespace {

QString modelTitle(const std::string &m)
{
    if (m == "baseline")
        return "baseline (window features)";
    if (m == "stacking")
        return "stacking (window features + sequence score)";
    return "sequence model";
}

std::vector<double> present(const std::vector<double> &v)
{
    std::vector<double> out;
    for (double x : v)
        if (!std::isnan(x))
            out.push_back(x);
    return out;
}

} // namespace

void discrimination(ReportDocument &doc, const RunReportData &d)
{
    doc.heading("3. Discrimination (test split)");
    std::vector<QStringList> rows;
    for (const auto &m : d.models) {
        const MetricRow *auc = d.metric("test", m, "auc"), *ks = d.metric("test", m, "ks");
        rows.push_back({modelTitle(m), auc ? fmt(auc->value) : "n/a",
                        auc ? fmtCi(auc->lo, auc->hi) : "", ks ? fmt(ks->value) : "n/a",
                        ks ? fmtCi(ks->lo, ks->hi) : "", fmt(d.value("test", m, "gini"))});
    }
    doc.table({"model", "AUC", "AUC 95 % CI (DeLong)", "KS", "KS 95 % CI (bootstrap)", "Gini"},
              rows);
    std::vector<Series> roc;
    for (const auto &m : d.models)
        if (!d.curves.at(m).is_null())
            roc.push_back(curveSeries(d.curves.at(m)["roc"], 1, 2,
                                      q(m) + " (AUC " + fmt(d.value("test", m, "auc")) + ")"));
    QCustomPlot plot;
    drawRoc(plot, roc);
    doc.figure("roc", renderImage(plot, 520, 440), 440,
               "ROC curves of the models on the test split (true against false positive "
               "rate).");
    for (const auto &m : d.models) {
        if (d.curves.at(m).is_null())
            continue;
        const json &ks = d.curves.at(m)["ks"];
        Series goods = curveSeries(ks, 0, 1, "goods"), bads = curveSeries(ks, 0, 2, "bads");
        const KsGap at = ksPointOf(goods, bads);
        drawKs(plot, q(m), goods, bads, at.score, at.ks);
        doc.figure("ks_" + q(m), renderImage(plot, 640, 280), 520,
                   "KS curve of the " + q(m) +
                       " model on the test split: cumulative shares of goods and bads by "
                       "score; KS is the largest gap.");
    }
}

void benchmark(ReportDocument &doc, const RunReportData &d)
{
    doc.heading("4. Benchmark against the baseline");
    if (!d.isCompare()) {
        doc.text("This run trained the sequence model alone; it has no baseline comparison. Run "
                 "'seqlens-cli compare --project FILE' for the baseline vs stacking benchmark.");
        return;
    }
    const MetricRow *da = d.metric("test", "stacking-baseline", "delta_auc"),
                    *dk = d.metric("test", "stacking-baseline", "delta_ks");
    const double p = d.value("test", "stacking-baseline", "delta_auc_p_value");
    doc.keyValues({{"ΔAUC (stacking − baseline)", fmt(da->value) + " " + fmtCi(da->lo, da->hi)},
                   {"paired DeLong p-value", QString::number(p, 'g', 3)},
                   {"ΔKS (stacking − baseline), 95 % paired bootstrap",
                    fmt(dk->value) + " " + fmtCi(dk->lo, dk->hi)}});
    doc.text(p < 0.05 && da->value > 0
                 ? "The sequence score adds significant discrimination over the window-feature "
                   "baseline (5 % level)."
                 : "The gain over the baseline is not significant at the 5 % level.");
    const json &swap = d.compare["test"]["swap_set"];
    std::vector<QStringList> rows;
    const auto bands = swap["bands"].get<std::vector<std::string>>();
    for (size_t i = 0; i < bands.size(); ++i) {
        QStringList row{"baseline " + q(bands[i])};
        for (size_t j = 0; j < bands.size(); ++j) {
            const int64_t n = swap["counts"][i][j], b = swap["bads"][i][j];
            row << QString("%1 (bad rate %2)").arg(n).arg(n ? pct(double(b) / double(n)) : "n/a");
        }
        rows.push_back(row);
    }
    QStringList header{"swap set"};
    for (const auto &b : bands)
        header << "stacking " + q(b);
    doc.text("Swap set: test applicants by score band (terciles) under the baseline (rows) and "
             "stacking (columns).");
    doc.table(header, rows);
}

void liftSection(ReportDocument &doc, const RunReportData &d)
{
    const std::string m = d.primaryModel();
    doc.heading("5. Lift table (" + modelTitle(m) + ", test split, by score decile)");
    const auto lift = liftTable(d.testScores.at(m), d.testLabels, 10);
    std::vector<QStringList> rows;
    for (const auto &r : lift)
        rows.push_back({QString::number(r.group), QString::number(r.count), QString::number(r.bads),
                        fmt(r.minScore) + " – " + fmt(r.maxScore), pct(r.badRate),
                        pct(r.cumCapture), fmt(r.lift, 2)});
    doc.table({"decile (1 = riskiest)", "applicants", "bads", "score range", "bad rate",
               "cumulative capture", "lift"},
              rows);
}

// Train runs: the fitted calibrator and the test split's tables before (sigmoid of the logit)
// and after it; the calibrator was fitted on the validation split, so "after" is out of sample.
void calibratorTable(ReportDocument &doc, const RunReportData &d)
{
    const auto &cal = at(at(d.trainMetrics, "test"), "calibration");
    const auto &c = at(d.trainMetrics, "calibrator");
    if (cal.is_null() || c.is_null())
        return;
    const std::string method = c.value("method", "none");
    std::vector<QStringList> rows;
    for (const char *when : {"before", "after"}) {
        const auto &t = at(cal, when);
        rows.push_back({when == std::string("before") ? "sigmoid of the logit"
                                                      : "calibrated (" + q(method) + ")",
                        fmt(t.value("brier", 0.0)), fmt(t.value("hosmer_lemeshow", 0.0), 2),
                        QString::number(t.value("hosmer_lemeshow_df", 0)),
                        QString::number(t.value("hosmer_lemeshow_p_value", 1.0), 'g', 3)});
    }
    doc.table({"sequence score", "Brier score", "Hosmer-Lemeshow χ²", "df", "p-value"}, rows);
    QString how = "The reported probability is the sequence model's logit mapped by " + q(method) +
                  " calibration fitted on " + QString::number(c.value("fitted_on", 0)) +
                  " validation applicants";
    if (method == "platt")
        how += QString(" (p = sigmoid(%1 · logit + %2))")
                   .arg(c.value("a", 1.0), 0, 'f', 4)
                   .arg(c.value("b", 0.0), 0, 'f', 4);
    doc.text(how + "; calibration changes the level of the probabilities, not the ranking "
                   "(AUC and KS above are unchanged by Platt scaling).");
}

void calibrationSection(ReportDocument &doc, const RunReportData &d)
{
    doc.heading("6. Calibration (test split)");
    std::vector<Series> series;
    std::vector<QStringList> rows;
    for (const auto &m : d.models) {
        const auto cal = calibration(d.testScores.at(m), d.testLabels, 10);
        series.push_back(calibrationSeries(cal, q(m)));
        rows.push_back({modelTitle(m), fmt(cal.brier), fmt(cal.hosmerLemeshow, 2),
                        QString::number(cal.hlDegreesOfFreedom),
                        QString::number(cal.hlPValue, 'g', 3)});
    }
    QCustomPlot plot;
    drawCalibration(plot, series);
    doc.figure("calibration", renderImage(plot, 520, 420), 420,
               "Calibration on the test split: observed bad rate against mean predicted "
               "probability per score decile.");
    doc.table({"model", "Brier score", "Hosmer-Lemeshow χ²", "df", "p-value"}, rows);
    calibratorTable(doc, d);
    doc.text("Bins are score deciles. A small Hosmer-Lemeshow p-value means the probabilities are "
             "off in level even "
             "when the ranking is good; recalibrate before using them as PDs.");
}

void stabilitySection(ReportDocument &doc, const RunReportData &d)
{
    doc.heading("7. Stability (PSI)");
    std::vector<QStringList> rows;
    if (d.isCompare()) {
        for (const auto &m : d.models)
            rows.push_back({modelTitle(m), "development vs test", fmt(d.value("test", m, "psi"))});
    } else if (!d.validScores.empty()) {
        const double psi = populationStabilityIndex(present(d.validScores),
                                                    present(d.testScores.at("sequence")), 10);
        rows.push_back({modelTitle("sequence"), "validation vs test", fmt(psi)});
    }
    doc.table({"model", "populations", "PSI"}, rows);
    doc.text("Population stability index of the score over 10 bins of the first population: below "
             "0.10 stable, "
             "0.10–0.25 a moderate shift, above 0.25 a major shift.");
}

// Several event sources: each source's share of the timeline attention, and its events' field
// attention (own fields and the time inputs; other sources' fields get none).
void attentionBySource(ReportDocument &doc, const json &g)
{
    if (!g.contains("by_source") || g["by_source"].empty())
        return;
    std::vector<QStringList> rows;
    for (const auto &s : g["by_source"]) {
        QStringList fields;
        for (size_t i = 0; i < s["inputs"].size(); ++i)
            fields << q(s["inputs"][i]) + " " +
                          (s["mean_field_weight"][i].is_null()
                               ? QString("n/a")
                               : fmt(100 * s["mean_field_weight"][i].get<double>(), 1) + " %");
        rows.push_back({q(s["source"]), count(s["events"]),
                        s["timeline_share"].is_null()
                            ? QString("n/a")
                            : fmt(100 * s["timeline_share"].get<double>(), 1) + " %",
                        fields.join(", ")});
    }
    doc.text("By event source: the share of the timeline attention its events carry (mean over "
             "the applicants, the sources sum to 100 %), and the field attention of its events, "
             "averaged over them: its own fields and the time inputs.");
    doc.table({"source", "events", "timeline attention", "field attention of its events"}, rows);
}

void attentionSection(ReportDocument &doc, const RunReportData &d)
{
    doc.heading("8. Global field attention");
    const json &g = d.globalAttention;
    if (g.is_null() || !g.contains("inputs")) {
        doc.text("No global attention was recorded for this run.");
        return;
    }
    QStringList labels;
    QVector<double> values;
    sortedFieldAttention(g, labels, values);
    QCustomPlot plot;
    drawBars(plot, labels, values, "mean field attention",
             1.0 / double(std::max<qsizetype>(1, labels.size())), "uniform");
    doc.text("Mean field-attention weight per input over " + count(g["applicants"]) +
             " test applicants (each applicant's events averaged first), sorted:");
    doc.figure("field_attention", renderImage(plot, 640, 300), 540,
               "Global field attention: mean attention weight per model input, sorted.");
    attentionBySource(doc, g);
    QStringList bands;
    QVector<double> weights;
    std::vector<QStringList> rows;
    for (size_t b = 0; b < g["bands"].size(); ++b) {
        bands << q(g["bands"][b]);
        const double w = g["mean_item_weight"][b].is_null()
                             ? std::nan("")
                             : g["mean_item_weight"][b].get<double>();
        const double u = g["mean_item_weight_uniform"][b].is_null()
                             ? std::nan("")
                             : g["mean_item_weight_uniform"][b].get<double>();
        weights << (std::isnan(w) ? 0.0 : w);
        rows.push_back({q(g["bands"][b]), count(g["band_events"][b]), fmt(w), fmt(u),
                        std::isnan(w) || u <= 0 ? "n/a" : fmt(w / u, 2)});
    }
    drawBars(plot, bands, weights, "mean event weight");
    plot.xAxis->setLabel("time before the cutoff");
    doc.text("Mean attention weight of an event by its time before the cutoff (ratio > 1: more "
             "weight than an even spread):");
    doc.figure("item_weight_by_time", renderImage(plot, 640, 260), 540,
               "Mean attention weight of an event by its time before the cutoff.");
    doc.table({"time before the cutoff", "events", "mean weight", "even-spread weight", "ratio"},
              rows);
}

void limitations(ReportDocument &doc, const RunReportData &d)
{
    doc.heading("11. Limitations");
    QStringList items;
    int64_t bads = 0;
    for (int y : d.testLabels)
        bads += y == 1;
    items << QString("The test split holds %1 applicants with %2 bads; intervals widen quickly "
                     "below about 100 bads.")
                 .arg(d.testLabels.size())
                 .arg(bads);
    const json &method = at(at(d.dataReport, "splits"), "method");
    if (method == "time")
        items << "The test split is out of time (section 2), as on go-live; it is still one "
                 "period: monitoring the PSI and the performance by cohort after deployment "
                 "(seqlens-cli monitor) remains necessary.";
    else
        items << QString("The split is %1, not out of time: performance on future applicants "
                         "may be lower. An out-of-time split (labels.split with \"by\": "
                         "\"cutoff\") and monitoring after deployment are recommended.")
                     .arg(method == "column" ? "given by a column" : "random");
    items << "Attention weights show where the model looked, not causal effects; the reasons "
             "come from Integrated Gradients, whose faithfulness section 9 measures.";
    items << "Only events strictly before each applicant's cutoff are used; data quality upstream "
             "of the event table "
             "(late-arriving or corrected records) is not checked.";
    if (d.isCompare() && !d.compare["baseline_model"]["converged"].get<bool>())
        items << "The baseline model did not converge; its metrics may understate what the "
                 "features can do.";
    if (d.dataReport.contains("encode") &&
        d.dataReport["encode"].value("truncated_applicants", 0) > 0)
        items << "Some histories were truncated to the latest max_items events; older events were "
                 "not seen by the model.";
    doc.bullets(items);
}

void configAppendix(ReportDocument &doc, const RunReportData &d)
{
    doc.heading("Appendix A. Resolved config");
    doc.text("The config exactly as the run used it: defaults written out, overrides applied, "
             "paths absolute.");
    doc.preformatted(q(d.config.dump(2)));
}

} // namespace seqlens::report
