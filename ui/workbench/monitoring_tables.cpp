// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/monitoring_tables.h"

#include "report/monitor_record_plots.h"
#include "report/report_data.h"

#include <QHeaderView>
#include <QTableWidget>

#include <cmath>

namespace seqlens::ui {

namespace {

using nlohmann::json;
using report::at;
using report::numberOr;
using report::textOf;

QString number(double v, int decimals)
{
    return std::isnan(v) ? QString("–") : QString::number(v, 'f', decimals);
}

QString percent(double share)
{
    return std::isnan(share) ? QString("–") : QString::number(100 * share, 'f', 1) + " %";
}

QTableWidgetItem *lightItem(const QString &light)
{
    auto *item = new QTableWidgetItem(light.isEmpty() ? "–" : light.toUpper());
    const QColor colour = light == "red"     ? QColor(0xf4, 0xc7, 0xc3)
                          : light == "amber" ? QColor(0xfd, 0xe4, 0xb0)
                          : light == "green" ? QColor(0xc8, 0xe6, 0xc9)
                                             : QColor();
    if (colour.isValid())
        item->setBackground(colour);
    return item;
}

// Fills `t`; in each row, the cells whose column is in `lightColumns` are lights.
void setRows(QTableWidget *t, const QStringList &header, const std::vector<QStringList> &rows,
             std::initializer_list<int> lightColumns)
{
    t->clear();
    t->setColumnCount(int(header.size()));
    t->setHorizontalHeaderLabels(header);
    t->setRowCount(int(rows.size()));
    for (int r = 0; r < int(rows.size()); ++r)
        for (int c = 0; c < int(rows[size_t(r)].size()); ++c) {
            const QString &cell = rows[size_t(r)][c];
            const bool light = std::find(lightColumns.begin(), lightColumns.end(), c) !=
                               lightColumns.end();
            t->setItem(r, c, light ? lightItem(cell) : new QTableWidgetItem(cell));
        }
    t->resizeColumnsToContents();
}

QStringList shapeRow(const QString &name, const json &s)
{
    return {name,
            number(numberOr(s, "applicants"), 0),
            number(numberOr(s, "mean_events"), 1),
            number(numberOr(s, "median_events"), 1),
            percent(numberOr(s, "empty_share")),
            percent(numberOr(s, "truncated_share")),
            number(numberOr(s, "median_gap_days"), 1)};
}

} // namespace

QTableWidget *monitoringTable()
{
    auto *t = new QTableWidget;
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

void fillChecks(QTableWidget *t, const json &record)
{
    std::vector<QStringList> rows;
    for (const auto &c : at(record, "checks"))
        rows.push_back({textOf(at(c, "check")), textOf(at(c, "light")), textOf(at(c, "detail"))});
    setRows(t, {"check", "light", "figure"}, rows, {1});
}

void fillCohorts(QTableWidget *t, const json &record)
{
    std::vector<QStringList> rows;
    for (const auto &c : at(record, "cohorts")) {
        const json &perf = at(c, "performance");
        const json &auc = at(perf, "auc"), &cal = at(perf, "calibration");
        rows.push_back(
            {textOf(at(c, "cohort")), number(numberOr(c, "applicants"), 0),
             number(numberOr(at(c, "score"), "psi"), 3), textOf(at(c, "score_light")),
             textOf(at(c, "worst_input")) + " (" + number(numberOr(c, "worst_input_psi"), 3) + ")",
             textOf(at(c, "input_light")), textOf(at(c, "shape_light")),
             number(numberOr(auc, "value"), 3), textOf(at(auc, "light")),
             percent(numberOr(cal, "observed_rate")) + " / " +
                 percent(numberOr(cal, "predicted_rate")),
             textOf(at(cal, "light"))});
    }
    setRows(t,
            {"cohort", "applicants", "score PSI", "score", "top input (PSI)", "inputs", "shape",
             "AUC", "AUC drop", "bad rate / predicted", "calibration"},
            rows, {3, 5, 6, 8, 10});
}

void fillInputs(QTableWidget *t, const json &record)
{
    const json &th = at(record, "thresholds");
    const double amber = numberOr(th, "psi_amber"), red = numberOr(th, "psi_red");
    std::vector<QStringList> rows;
    for (const auto &s : at(record, "characteristics")) {
        const double psi = numberOr(s, "psi");
        rows.push_back({QString::number(rows.size() + 1), textOf(at(s, "name")),
                        textOf(at(s, "kind")), number(psi, 4),
                        psi >= red     ? "red"
                        : psi >= amber ? "amber"
                                       : "green",
                        percent(numberOr(s, "new_share")),
                        percent(numberOr(s, "missing_share_reference")) + " → " +
                            percent(numberOr(s, "missing_share_batch"))});
    }
    setRows(t, {"#", "input", "kind", "PSI", "light", "new values", "missing (dev → batch)"}, rows,
            {4});
}

void fillShape(QTableWidget *t, const json &record)
{
    setRows(t,
            {"population", "applicants", "mean events", "median events", "empty", "truncated",
             "median gap (days)"},
            {shapeRow("development", at(at(record, "reference"), "shape")),
             shapeRow("batch", at(record, "shape"))},
            {});
}

void fillSegments(QTableWidget *t, const json &record)
{
    std::vector<QStringList> rows;
    for (const auto &table : at(at(record, "segments"), "tables"))
        for (const auto &r : at(table, "rows"))
            rows.push_back({textOf(at(table, "column")), textOf(at(r, "value")),
                            number(numberOr(r, "applicants"), 0), percent(numberOr(r, "bad_rate")),
                            percent(numberOr(r, "predicted_bad_rate")),
                            number(numberOr(r, "auc"), 3), number(numberOr(r, "ks"), 3),
                            percent(numberOr(r, "approval_rate")),
                            number(numberOr(r, "adverse_impact"), 2),
                            at(r, "light").is_string() ? textOf(at(r, "light")) : QString()});
    setRows(t,
            {"column", "segment", "applicants", "bad rate", "predicted", "AUC", "KS", "approved",
             "adverse impact", "light"},
            rows, {9});
}

} // namespace seqlens::ui
