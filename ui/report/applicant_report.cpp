// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/plots.h"
#include "report/report_document.h"
#include "report/reports.h"

#include "seqlens/bundle.h"
#include "seqlens/data/time_parser.h"
#include "seqlens/explain/explain_workflow.h"
#include "seqlens/explain/source_breakdown.h"
#include "seqlens/util/error.h"

#include <QDateTime>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

namespace seqlens::report {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString valueText(const std::string &v)
{
    return v.empty() ? "(missing)" : q(v);
}

// Seconds since the epoch (UTC) of a time in days since the epoch.
double timeKey(double days)
{
    return days * 86400.0;
}

// An event time on one line: "2023-03-23 13:51" (date alone at midnight), with a no-break space.
QString timeText(double days)
{
    QString t = q(formatDays(days)).replace('T', QChar(0x00A0));
    if (t.endsWith(":00") && t.count(':') == 2)
        t.chop(3);
    return t;
}

// Share of the run's test applicants (sequence model) scoring at or below `score`.
double percentile(const ProjectStore &store, int64_t run, double score)
{
    const auto test = store.scores(run, "sequence", "test");
    if (test.empty())
        return std::nan("");
    int64_t below = 0;
    for (const auto &s : test)
        below += s.score <= score;
    return double(below) / double(test.size());
}

size_t topField(const ExplainedEvent &e)
{
    size_t best = 0;
    for (size_t f = 1; f < e.fieldWeights.size(); ++f)
        if (e.fieldWeights[f] > e.fieldWeights[best])
            best = f;
    return best;
}

QString describe(const ApplicantExplanation &x, const ExplainedEvent &e)
{
    QStringList parts;
    for (size_t f = 0; f < x.fields.size() && f < e.values.size(); ++f)
        parts << q(x.fields[f]) + " = " + valueText(e.values[f]);
    return parts.join(", ");
}

void reasons(ReportDocument &doc, const ApplicantExplanation &x)
{
    QStringList items;
    for (const Reason &r : x.reasons)
        items << QString("%1: raised the score by %2 probability points (%3 logit) [%4]")
                     .arg(q(r.text), QString::number(r.probabilityPoints, 'f', 1),
                          "+" + QString::number(r.logit, 'f', 3), q(r.code));
    if (items.isEmpty())
        items << (x.events.empty() ? QString("The applicant has no events before the cutoff: the "
                                             "score rests on the empty history alone.")
                                   : QString("No part of the history raised the score above "
                                             "the reference."));
    doc.heading("Main reasons");
    doc.text(QString("The parts of the history that raised the score most, in score units: "
                     "Integrated Gradients over every input of every event (%1 steps), measured "
                     "from the reference \"%2\" (logit %3; the applicant's logit is %4; the "
                     "attributions add up to the difference within %5).")
                 .arg(x.attribution.steps)
                 .arg(toString(x.attribution.reference))
                 .arg(x.attribution.referenceLogit, 0, 'f', 3)
                 .arg(x.logit, 0, 'f', 3)
                 .arg(std::fabs(x.attribution.completenessGap), 0, 'g', 2));
    doc.bullets(items);
}

// Where the model looked: the events with the most attention (model internals, not effects).
void attention(ReportDocument &doc, const ApplicantExplanation &x)
{
    std::vector<size_t> order(x.events.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return x.events[a].itemWeight > x.events[b].itemWeight;
    });
    QStringList items;
    const double even = x.events.empty() ? 0.0 : 1.0 / double(x.events.size());
    for (size_t k = 0; k < std::min<size_t>(3, order.size()); ++k) {
        const ExplainedEvent &e = x.events[order[k]];
        const size_t field = topField(e);
        items << QString("The event on %1 (%2) carried %3 of the model's attention on this "
                         "timeline (%4× an even share); "
                         "within it the model looked mostly at %5 (%6).")
                     .arg(timeText(e.timeDays), describe(x, e), pct(e.itemWeight),
                          QString::number(e.itemWeight / even, 'f', 1), q(x.inputs[field]),
                          pct(e.fieldWeights[field]));
    }
    if (items.isEmpty())
        return;
    doc.heading("Where the model looked (attention)");
    doc.text("Attention weights are model internals: they say where the model looked, not what "
             "raised or lowered the score.");
    doc.bullets(items);
}

void timeline(ReportDocument &doc, const ApplicantExplanation &x, const Config &config,
              bool contributions)
{
    // The colour: the event source with several, else the first categorical field.
    const bool bySource = config.events.size() > 1;
    int colourField = -1;
    const auto &fields = config.events.at(0).fields;
    for (size_t f = 0; f < fields.size() && colourField < 0 && !bySource; ++f)
        if (fields[f].type == FieldType::Categorical)
            colourField = int(f);
    QVector<double> times, weights;
    std::vector<int> category;
    std::map<std::string, int> index;
    QStringList names;
    for (const auto &e : x.events) {
        times << timeKey(e.timeDays);
        weights << (contributions ? e.attributionTotal : e.itemWeight);
        const std::string v = bySource          ? e.source
                              : colourField < 0 ? std::string()
                                                : e.values[size_t(colourField)];
        if (v.empty()) {
            category.push_back(-1);
            continue;
        }
        auto [it, added] = index.emplace(v, int(names.size()));
        if (added)
            names << q(v);
        category.push_back(it->second);
    }
    const QString colourName = bySource          ? QString("event source")
                               : colourField < 0 ? QString()
                                                 : q(fields[size_t(colourField)].name);
    const QString measure = contributions ? "contribution to the logit" : "attention weight";
    QCustomPlot plot;
    drawTimeline(plot, times, weights, category, names, colourName, measure);
    if (!std::isnan(x.cutoffDays))
        addCutoffLine(plot, timeKey(x.cutoffDays));
    if (contributions) {
        doc.heading("Timeline");
        doc.text("One bar per event at its time; the height is the event's signed contribution "
                 "to the logit (Integrated Gradients; above zero it raised the risk)" +
                 (colourName.isEmpty() ? QString(".") : ", the colour its " + colourName + "."));
    }
    doc.figure(contributions ? "timeline" : "timeline_attention", renderImage(plot, 700, 300), 600,
               contributions ? "Timeline of the applicant's events before the cutoff: "
                               "contribution of each event to the logit."
                             : "Timeline of the applicant's events: attention weight per event "
                               "(where the model looked).");
}

// Several event sources: what each source's events carry of the explanation.
void sources(ReportDocument &doc, const ApplicantExplanation &x)
{
    const auto shares = sourceShares(x);
    if (shares.empty())
        return;
    std::vector<QStringList> rows;
    for (const auto &s : shares) {
        QStringList fieldsText;
        for (size_t k = 0; k < s.inputs.size(); ++k)
            fieldsText << q(s.inputs[k]) + " " + pct(s.meanFieldWeight[k]);
        rows.push_back({q(s.source), QString::number(s.events),
                        QString::number(s.attribution, 'f', 3), pct(s.itemWeight),
                        fieldsText.join(", ")});
    }
    doc.heading("By event source");
    doc.text("contribution: the summed Integrated Gradients of the source's events (logit "
             "units); attention: their share of the timeline attention; fields: the mean field "
             "attention of the source's own fields on its events (the time inputs take the rest).");
    doc.table({"source", "events", "contribution", "attention", "fields"}, rows);
}

void eventTable(ReportDocument &doc, const ApplicantExplanation &x)
{
    QStringList header{"#", "time"};
    const bool bySource = !x.events.empty() && !x.events[0].source.empty();
    if (bySource)
        header << "source";
    for (const auto &f : x.fields)
        header << q(f);
    header << "contribution"
           << "if removed"
           << "attention";
    std::vector<QStringList> rows;
    for (const auto &e : x.events) {
        QStringList row{QString::number(e.index + 1), timeText(e.timeDays)};
        if (bySource)
            row << q(e.source);
        for (const auto &v : e.values)
            row << valueText(v);
        row << QString::number(e.attributionTotal, 'f', 3)
            << (std::isnan(e.occlusionDelta) ? QString("n/a")
                                             : QString::number(e.occlusionDelta, 'f', 3))
            << fmt(e.itemWeight);
        rows.push_back(row);
    }
    doc.heading("Events");
    doc.text("contribution: Integrated Gradients, logit units; if removed: the exact change of "
             "the logit when the event is removed (occlusion); attention: item weight.");
    doc.table(header, rows, /*noWrap=*/{1}); // the time on one line
}

} // namespace

void writeApplicantReport(ProjectStore &store, int64_t run, const std::string &applicant,
                          const std::string &path)
{
    checkReportPath(path);
    const RunInfo info = store.run(run);
    if (info.status != RunStatus::Finished)
        throwData(store.path() + ": run " + std::to_string(run) + " is " + toString(info.status) +
                  "; it has no model to explain with");
    const std::string dir = bundleDirOf(info);
    if (!std::filesystem::exists(dir + "/manifest.json"))
        throwData(dir + ": the model of run " + std::to_string(run) +
                  " is no longer there (moved or deleted)");
    const ModelBundle bundle = loadBundle(dir);
    const Config &config = bundle.config; // paths resolved when the run was recorded
    const ApplicantExplanation ex = explainWithBundle(
        bundle, EventFiles(), // the run's own event files, every source
        config.resolve(config.labels.path), applicant, explainOptions(config));

    const double score = ex.score;
    ReportDocument doc("Applicant report — " + q(applicant));
    doc.keyValues(
        {{"applicant", q(applicant)},
         {"score (probability of bad)", fmt(score)},
         {"percentile among the run's test applicants", pct(percentile(store, run, score))},
         {"label", ex.label < 0 ? "unknown" : (ex.label == 1 ? "bad" : "good")},
         {"cutoff", std::isnan(ex.cutoffDays) ? "none" : timeText(ex.cutoffDays)},
         {"events used / in history",
          QString("%1 / %2").arg(qsizetype(ex.events.size())).arg(ex.eventsInHistory)},
         {"model", q(dir) + " (run " + QString::number(run) + ", " + q(info.kind) + ")"}});
    reasons(doc, ex);
    timeline(doc, ex, config, /*contributions=*/true);
    sources(doc, ex);
    eventTable(doc, ex);
    attention(doc, ex);
    if (!ex.events.empty())
        timeline(doc, ex, config, /*contributions=*/false);
    doc.write(q(path));
    store.audit("exported", "applicant " + applicant,
                "applicant report of run " + std::to_string(run) + ": " + path);
}

} // namespace seqlens::report
