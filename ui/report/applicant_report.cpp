// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/plots.h"
#include "report/report_document.h"
#include "report/reports.h"

#include "seqlens/bundle.h"
#include "seqlens/explain/explain_workflow.h"
#include "seqlens/util/error.h"
#include "seqlens/data/time_parser.h"

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

std::string bundleDirOf(const RunInfo &run)
{
    return run.kind == "compare" ? run.outputPath + "/model" : run.outputPath;
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
        items << "The applicant has no events before the cutoff: the score rests on the empty "
                 "history alone.";
    doc.heading("Main reasons");
    doc.bullets(items);
}

void timeline(ReportDocument &doc, const ApplicantExplanation &x, const Config &config)
{
    int colourField = -1;
    const auto &fields = config.events.at(0).fields;
    for (size_t f = 0; f < fields.size() && colourField < 0; ++f)
        if (fields[f].type == FieldType::Categorical)
            colourField = int(f);
    QVector<double> times, weights;
    std::vector<int> category;
    std::map<std::string, int> index;
    QStringList names;
    for (const auto &e : x.events) {
        times << timeKey(e.timeDays);
        weights << e.itemWeight;
        const std::string v = colourField < 0 ? std::string() : e.values[size_t(colourField)];
        if (v.empty()) {
            category.push_back(-1);
            continue;
        }
        auto [it, added] = index.emplace(v, int(names.size()));
        if (added)
            names << q(v);
        category.push_back(it->second);
    }
    const QString colourName = colourField < 0 ? QString() : q(fields[size_t(colourField)].name);
    QCustomPlot plot;
    drawTimeline(plot, times, weights, category, names, colourName);
    doc.heading("Timeline");
    doc.text("One bar per event at its time; the height is the event's attention weight" +
             (colourName.isEmpty() ? QString(".") : ", the colour its " + colourName + "."));
    doc.figure("timeline", renderImage(plot, 700, 300), 600,
               "Timeline of the applicant's events before the cutoff: attention weight per "
               "event.");
}

void eventTable(ReportDocument &doc, const ApplicantExplanation &x)
{
    QStringList header{"#", "time"};
    for (const auto &f : x.fields)
        header << q(f);
    header << "attention weight"
           << "main field";
    std::vector<QStringList> rows;
    for (const auto &e : x.events) {
        QStringList row{QString::number(e.index + 1), timeText(e.timeDays)};
        for (const auto &v : e.values)
            row << valueText(v);
        row << fmt(e.itemWeight) << q(x.inputs[topField(e)]);
        rows.push_back(row);
    }
    doc.heading("Events");
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
    const ApplicantExplanation ex =
        explainWithBundle(bundle, config.resolve(config.events.at(0).path),
                          config.resolve(config.labels.path), applicant);

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
    timeline(doc, ex, config);
    eventTable(doc, ex);
    doc.text("Attention weights describe where the model looked; they are not causal effects.");
    doc.write(q(path));
    store.audit("exported", "applicant " + applicant,
                "applicant report of run " + std::to_string(run) + ": " + path);
}

} // namespace seqlens::report
