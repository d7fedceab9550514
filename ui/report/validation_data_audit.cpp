// SPDX-License-Identifier: GPL-3.0-or-later
// Section 2 of the validation report: the data audit and how the applicants were split.
#include "report/validation_sections.h"

#include "report/json_text.h"
#include "report/plot_data.h"

#include <qcustomplot.h>

#include <cmath>

namespace seqlens::report {

using nlohmann::json;

namespace {

// How the applicants were split, with the counts and, for a time split, the cutoff ranges.
void splitText(ReportDocument &doc, const json &s)
{
    if (!s.is_object())
        return; // runs recorded before the split was part of the data report
    QString text = "Split: " + QString::fromStdString(s.value("description", "")) + ". " +
                   count(at(s, "train")) + " train, " + count(at(s, "valid")) + " validation and " +
                   count(at(s, "test")) + " test applicants";
    const json &c = at(s, "cutoffs");
    QStringList ranges;
    for (const char *k : {"train", "valid", "test"})
        if (c.contains(k))
            ranges << QString("%1 %2 to %3")
                          .arg(k, QString::fromStdString(at(c, k).value("first", "")),
                               QString::fromStdString(at(c, k).value("last", "")));
    if (!ranges.isEmpty())
        text += "; cutoffs " + ranges.join(", ");
    const json &empty = at(s, "without_events");
    if (empty.is_object())
        text += QString("; without any event before the cutoff: %1 train, %2 validation, %3 test")
                    .arg(count(at(empty, "train")), count(at(empty, "valid")),
                         count(at(empty, "test")));
    doc.text(text + ".");
}

// Several event sources: one row per source (rows, joins, exclusions, coverage).
void sourcesTable(ReportDocument &doc, const json &load)
{
    const json &sources = at(load, "sources");
    if (!sources.is_array() || sources.size() < 2)
        return;
    std::vector<QStringList> rows;
    for (const auto &s : sources)
        rows.push_back({q(s.value("name", "")), count(at(s, "rows")), count(at(s, "kept")),
                        count(at(s, "after_cutoff")), count(at(s, "unknown_entity")),
                        count(at(s, "join_misses")), count(at(s, "applicants_covered")),
                        fmt(at(at(s, "events_per_applicant"), "mean").is_number()
                                ? at(at(s, "events_per_applicant"), "mean").get<double>()
                                : std::nan(""),
                            1)});
    doc.text("Event sources, each joined to the applicants and merged on one timeline (join "
             "misses: rows whose key is in no row of the parent table):");
    doc.table({"source", "rows", "kept", "after the cutoff", "unlabeled", "join misses",
               "applicants covered", "events per applicant"},
              rows);
}

// A field's missing share: over its own source's kept events with several sources.
double missingShare(const json &load, const std::string &field, double missing, double rows)
{
    for (const auto &s : at(load, "sources"))
        if (at(s, "missing_share").contains(field))
            return at(s, "missing_share")[field].get<double>();
    return rows > 0 ? missing / rows : std::nan("");
}

} // namespace

void dataAudit(ReportDocument &doc, const RunReportData &d)
{
    doc.heading("2. Data audit");
    const json &load = d.dataReport.value("load", json::object());
    doc.keyValues(
        {{"event rows read", count(at(load, "event_rows"))},
         {"events kept (before the cutoff)", count(at(load, "events_kept"))},
         {"events at or after the cutoff, excluded", count(at(load, "events_after_cutoff"))},
         {"events of unlabeled entities, ignored", count(at(load, "events_unknown_entity"))},
         {"label rows / without a target",
          count(at(load, "label_rows")) + " / " + count(at(load, "label_missing"))},
         {"applicants (bad / good)", count(at(load, "applicants")) + " (" +
                                         count(at(load, "positives")) + " / " +
                                         count(at(load, "negatives")) + ")"},
         {"applicants without events", count(at(load, "applicants_without_events"))}});
    sourcesTable(doc, load);
    splitText(doc, at(d.dataReport, "splits"));
    if (load.contains("events_per_applicant")) {
        const json &e = at(load, "events_per_applicant");
        doc.text("Events per applicant: mean " + fmt(e.value("mean", std::nan("")), 1) +
                 ", median " + count(at(e, "median")) + ", 90th percentile " + count(at(e, "p90")) +
                 ", 99th percentile " + count(at(e, "p99")) + ", maximum " + count(at(e, "max")) +
                 ".");
        QStringList labels;
        QVector<double> values;
        for (const auto &b : at(e, "histogram")) {
            const int64_t from = at(b, "from").get<int64_t>();
            labels << (b.contains("to_exclusive")
                           ? (at(b, "to_exclusive").get<int64_t>() - from == 1
                                  ? QString::number(from)
                                  : QString("%1-%2").arg(from).arg(
                                        at(b, "to_exclusive").get<int64_t>() - 1))
                           : QString::number(from) + "+");
            values << double(at(b, "count").get<int64_t>());
        }
        QCustomPlot plot;
        drawBars(plot, labels, values, "applicants");
        plot.xAxis->setLabel("events per applicant");
        doc.figure("events_per_applicant", renderImage(plot, 640, 240), 520,
                   "Events per applicant before the cutoff (histogram).");
    }
    std::vector<QStringList> rows;
    const double eventRows = load.value("event_rows", 0.0);
    const json fields = load.value("fields",
                                   json::object()); // a local: items() must not outlive it
    for (const auto &[name, f] : fields.items()) {
        const double missing = f.value("missing", 0.0);
        QString unseen = "n/a";
        if (d.dataReport.contains("encode") &&
            at(at(d.dataReport, "encode"), "unseen").contains(name))
            unseen = count(at(at(d.dataReport, "encode"), "unseen")[name]);
        rows.push_back({q(name), count(at(f, "missing")),
                        pct(missingShare(load, name, missing, eventRows)),
                        count(at(f, "non_finite")), unseen, count(at(f, "distinct"))});
    }
    doc.text("Missing and unseen values per event field (unseen: categories not in the training "
             "vocabulary):");
    doc.table({"field", "missing", "missing share", "non-finite", "unseen", "distinct values"},
              rows);
    if (d.dataReport.contains("encode")) {
        const json &enc = at(d.dataReport, "encode");
        doc.text(
            "Truncation to the latest max_items events: " + count(at(enc, "truncated_applicants")) +
            " applicants, " + count(at(enc, "truncated_events")) + " older events dropped.");
    }
}

} // namespace seqlens::report
