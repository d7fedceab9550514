// SPDX-License-Identifier: GPL-3.0-or-later
// Section 1 of the validation report: purpose, run, architecture (with the item aggregation
// "auto" kept), reproducibility manifest and the kept model's training history.
#include "report/validation_sections.h"

#include "report/json_text.h"
#include "report/plot_data.h"
#include "seqlens/nn/model_fit.h"

#include <qcustomplot.h>

namespace seqlens::report {

using nlohmann::json;

namespace {

bool isBag(const RunReportData &d)
{
    return d.isCompare() && d.compare.value("test_scores", "full_model") == "bagged";
}

// The kept sequence model's item_aggregation record ({"kept", "trials"}); null when the run
// predates it. Of a bag: fold 1's, the model whose history the report shows.
json keptChoice(const RunReportData &d)
{
    if (d.isCompare()) {
        const json &all = d.compare.value("item_aggregation", json::array());
        return all.empty() ? json() : all.front(); // the full model (or fold 1) comes first
    }
    return d.trainMetrics.is_object() ? d.trainMetrics.value("item_aggregation", json()) : json();
}

// Where the kept aggregation was chosen: by a compare run's first model for every model (its
// other models record "chosen_on"), or, in runs before that, by each fold model on its own.
QString choiceScope(const RunReportData &d)
{
    if (!d.isCompare())
        return "";
    const json &all = d.compare.value("item_aggregation", json::array());
    const bool once = all.size() > 1 && all[1].contains("chosen_on");
    const QString first = all.empty() ? "" : q(all.front()["model"]);
    if (once)
        return " on the validation split of " + first + ", and used by every model of the run";
    return isBag(d) ? " in fold 1; each fold model chose on its own split" : "";
}

QString aggregationText(const RunReportData &d)
{
    QString text = q(d.config["model"]["item_aggregation"]);
    const json kept = keptChoice(d);
    if (kept.is_null() || kept["trials"].empty())
        return text;
    QStringList trials;
    for (const auto &t : kept["trials"])
        trials << q(t["aggregation"]) + " " +
                      QString::number(t["best_valid_auc"].get<double>(), 'f', 4) +
                      (t.value("stopped_at_epoch", json()).is_number()
                           ? QString(" to epoch %1, then stopped behind")
                                 .arg(t["stopped_at_epoch"].get<int64_t>())
                           : QString());
    return text + ": " + q(kept["kept"]) + " kept (best validation AUC " + trials.join(", ") + ")" +
           choiceScope(d);
}

// How the compare scored its test split with the sequence model.
QString testScoringText(const RunReportData &d)
{
    if (!isBag(d))
        return "one more sequence model trained on all of development (\"full_model\")";
    QStringList kept;
    for (const auto &c : d.compare.value("item_aggregation", json::array()))
        kept << q(c["kept"]);
    return "the mean logit of the " + count(d.compare["folds"]) +
           " fold models (\"bagged\"; kept aggregations " + kept.join(", ") +
           "), calibrated on the out-of-fold logits";
}

// Recorded epochs of the kept sequence model: "sequence", "full model (…)" or, of a bag, "fold
// 1/K", with "auto" the kept candidate's (" · gru") only.
bool isKeptModelHistory(const RunReportData &d, const std::string &model)
{
    const auto at = model.find(kTrialSeparator);
    const std::string base = model.substr(0, at);
    const bool ours = isBag(d) ? base.rfind("fold 1/", 0) == 0
                               : base == "sequence" || base.rfind("full", 0) == 0;
    if (!ours)
        return false;
    if (at == std::string::npos)
        return true;
    const json kept = keptChoice(d);
    return !kept.is_null() &&
           model.substr(at + std::string(kTrialSeparator).size()) == kept["kept"];
}

// "x 10 the learning rate", and the derived inputs' own multiplier where one is set.
QString inputStepText(const json &training)
{
    QString text =
        "x " + q(training.value("embedding_lr_scale", json(1.0)).dump()) + " the learning rate";
    const json derived = training.value("derived_lr_scale", json());
    if (derived.is_number())
        text += ", the inputs derived from an earlier event (time/change since the same value) x " +
                q(derived.dump());
    return text;
}

} // namespace

void modelCard(ReportDocument &doc, const RunReportData &d)
{
    const json &c = d.config, &m = c["model"], &t = c["training"], &l = c["labels"];
    doc.heading("1. Model card");
    doc.heading("Purpose", 3);
    QString positive;
    for (const auto &p : l["positive"])
        positive += (positive.isEmpty() ? "" : ", ") + q(p);
    doc.text("Estimates the probability that an applicant is bad (column \"" + q(l["target"]) +
             "\" in {" + positive +
             "}) from the applicant's event history before the decision cutoff" +
             (l["cutoff"].is_null() ? QString() : " (column \"" + q(l["cutoff"]) + "\")") +
             ". Intended for credit-risk ranking and as an additional feature next to an existing "
             "scorecard.");
    doc.heading("Run", 3);
    const auto &r = d.run;
    doc.keyValues(
        {{"run", QString::number(r.id) + " (" + q(r.kind) + ", " + toString(r.status) + ")"},
         {"started / finished (UTC)", q(r.startedAt) + " / " + q(r.finishedAt)},
         {"user and host", q(r.osUser) + " on " + q(r.host)},
         {"seed / threads", QString::number(r.seed) + " / " + QString::number(r.threads)},
         {"SeqLens / LibTorch / Qt",
          q(r.seqlensVersion) + " / " + q(r.torchVersion) + " / " + qVersion()},
         {"output", q(r.outputPath)}});
    doc.heading("Architecture and training", 3);
    doc.keyValues(
        {{"item aggregation", aggregationText(d)},
         {"embedding size / heads / layers",
          q(m["emb_dim"].dump()) + " / " + q(m["heads"].dump()) + " / " + q(m["layers"].dump())},
         {"dropout", q(m["dropout"].dump())},
         {"epochs (max) / batch / learning rate", q(t["epochs"].dump()) + " / " +
                                                      q(t["batch_size"].dump()) + " / " +
                                                      q(t["learning_rate"].dump())},
         {"step of the input embeddings", inputStepText(t)},
         {"early stopping patience", q(t["patience"].dump())},
         {"validation / test fraction",
          q(t["valid_fraction"].dump()) + " / " + q(t["test_fraction"].dump())}});
    if (d.isCompare()) {
        const json &b = d.compare["baseline_model"];
        doc.text("Baseline family: " + q(b["family"]) + " (" + q(b["solver"]) +
                 "), converged: " + (b["converged"].get<bool>() ? "yes" : "no") +
                 "; stacking converged: " + (b["stacking_converged"].get<bool>() ? "yes" : "no") +
                 ". Folds: " + count(d.compare["folds"]) +
                 "; window features: " + count(d.compare["features"]) +
                 ". Test applicants are scored by " + testScoringText(d) + ".");
    }
    doc.heading("Reproducibility manifest", 3);
    std::vector<QStringList> rows;
    for (const auto &ds : d.datasets)
        rows.push_back({q(ds.role), q(ds.path), QString::number(ds.sizeBytes),
                        QString::number(ds.rows), q(ds.fingerprint)});
    doc.table({"data", "path", "bytes", "rows", "fingerprint (FNV-1a 64)"}, rows);
    doc.text("Same config, data (same fingerprints), seed and threads reproduce the same numbers. "
             "The resolved config, every default written out, is in Appendix A.");
    if (!d.epochs.empty()) {
        QVector<double> e, loss, auc;
        for (const auto &row : d.epochs)
            if (isKeptModelHistory(d, row.model)) {
                e.push_back(double(row.epoch));
                loss.push_back(row.trainLoss);
                auc.push_back(row.validAuc);
            }
        if (!e.isEmpty()) {
            QCustomPlot plot;
            drawHistory(plot, e, loss, auc);
            doc.text(isBag(d) ? "Training history of fold 1's sequence model (best epoch "
                                "restored; the other folds' are in the run's epochs):"
                              : "Training history of the sequence model (best epoch restored):");
            doc.figure("history", renderImage(plot, 640, 260), 560,
                       "Training history of the sequence model: training loss and validation "
                       "AUC per epoch.");
        }
    }
}

} // namespace seqlens::report
