// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/plots.h"
#include "report/report_document.h"
#include "report/reports.h"

#include "seqlens/bundle.h"
#include "seqlens/util/error.h"
#include "seqlens/workflows.h"

#include <QDateTime>
#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>

namespace seqlens::report {

using nlohmann::json;

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString valueText(const json &v)
{
    return v.is_null() ? "(missing)" : v.is_string() ? q(v.get<std::string>()) : q(v.dump());
}

// Seconds since the epoch (UTC) of an explanation's event time ("YYYY-MM-DD[THH:MM:SS]").
double timeKey(const std::string &t)
{
    QDateTime dt = QDateTime::fromString(q(t), Qt::ISODate);
    if (!dt.isValid())
        dt = QDateTime(QDate::fromString(q(t.substr(0, 10)), Qt::ISODate), QTime(0, 0), Qt::UTC);
    dt.setTimeSpec(Qt::UTC);
    return double(dt.toSecsSinceEpoch());
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

std::string topField(const json &event)
{
    std::string best;
    double w = -1;
    for (const auto &[name, v] : event["field_attention"].items())
        if (v.get<double>() > w) {
            w = v.get<double>();
            best = name;
        }
    return best;
}

QString describe(const json &event)
{
    QStringList parts;
    for (const auto &[name, v] : event["values"].items())
        if (name != "time_since_previous_days")
            parts << q(name) + " = " + valueText(v);
    return parts.join(", ");
}

void reasons(ReportDocument &doc, const json &ex)
{
    const auto &events = ex["events"];
    std::vector<size_t> order(events.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return events[a]["item_weight"].get<double>() > events[b]["item_weight"].get<double>();
    });
    QStringList items;
    const double even = events.empty() ? 0.0 : 1.0 / double(events.size());
    for (size_t k = 0; k < std::min<size_t>(3, order.size()); ++k) {
        const json &e = events[order[k]];
        const double w = e["item_weight"].get<double>();
        const std::string field = topField(e);
        items << QString("The event on %1 (%2) carried %3 of the model's attention on this "
                         "timeline (%4× an even share); "
                         "within it the model looked mostly at %5 (%6).")
                     .arg(q(e["time"].get<std::string>()), describe(e), pct(w),
                          QString::number(w / even, 'f', 1), q(field),
                          pct(e["field_attention"][field].get<double>()));
    }
    if (items.isEmpty())
        items << "The applicant has no events before the cutoff: the score rests on the empty "
                 "history alone.";
    doc.heading("Main reasons");
    doc.bullets(items);
}

void timeline(ReportDocument &doc, const json &ex, const json &config)
{
    std::string colourField;
    for (const auto &f : config["events"][0]["fields"])
        if (f["type"] == "categorical") {
            colourField = f["name"];
            break;
        }
    QVector<double> times, weights;
    std::vector<int> category;
    std::map<std::string, int> index;
    QStringList names;
    for (const auto &e : ex["events"]) {
        times << timeKey(e["time"]);
        weights << e["item_weight"].get<double>();
        const json &v = colourField.empty() ? json() : e["values"][colourField];
        if (v.is_null()) {
            category.push_back(-1);
            continue;
        }
        auto [it, added] = index.emplace(v.get<std::string>(), int(names.size()));
        if (added)
            names << q(v.get<std::string>());
        category.push_back(it->second);
    }
    QCustomPlot plot;
    drawTimeline(plot, times, weights, category, names, q(colourField));
    doc.heading("Timeline");
    doc.text("One bar per event at its time; the height is the event's attention weight" +
             (colourField.empty() ? QString(".") : ", the colour its " + q(colourField) + "."));
    doc.image("timeline", renderImage(plot, 700, 300), 600);
}

void eventTable(ReportDocument &doc, const json &ex)
{
    QStringList header{"#", "time"};
    std::vector<std::string> fields;
    if (!ex["events"].empty())
        for (const auto &[name, v] : ex["events"][0]["values"].items())
            if (name != "time_since_previous_days")
                fields.push_back(name);
    for (const auto &f : fields)
        header << q(f);
    header << "attention weight"
           << "main field";
    std::vector<QStringList> rows;
    for (const auto &e : ex["events"]) {
        QStringList row{QString::number(e["index"].get<int64_t>() + 1),
                        q(e["time"].get<std::string>())};
        for (const auto &f : fields)
            row << valueText(e["values"].value(f, json()));
        row << fmt(e["item_weight"].get<double>()) << q(topField(e));
        rows.push_back(row);
    }
    doc.heading("Events");
    doc.table(header, rows);
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
    const json config = json::parse(info.configJson);
    const json ex = json::parse(explainWithBundle(bundle, config["events"][0]["path"],
                                                  config["labels"]["path"], applicant));

    const double score = ex["score"].get<double>();
    ReportDocument doc("Applicant report — " + q(applicant));
    doc.keyValues(
        {{"applicant", q(applicant)},
         {"score (probability of bad)", fmt(score)},
         {"percentile among the run's test applicants", pct(percentile(store, run, score))},
         {"label",
          ex["label"].is_null() ? "unknown" : (ex["label"].get<int>() == 1 ? "bad" : "good")},
         {"cutoff", ex["cutoff"].is_null() ? "none" : q(ex["cutoff"].get<std::string>())},
         {"events used / in history", QString("%1 / %2")
                                          .arg(ex["events_used"].get<int64_t>())
                                          .arg(ex["events_in_history"].get<int64_t>())},
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
