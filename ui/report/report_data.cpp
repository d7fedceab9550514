// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/report_data.h"

#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>

namespace seqlens::report {

using nlohmann::json;

namespace {

json artifactOr(const ProjectStore &store, int64_t run, const std::string &name)
{
    auto a = store.artifact(run, name);
    return a ? json::parse(*a) : json();
}

// Test scores of every model in the order of the first model's applicants.
void loadScores(const ProjectStore &store, int64_t run, RunReportData &d)
{
    std::vector<std::string> order;
    std::map<std::string, size_t> position;
    for (const auto &model : d.models) {
        auto rows = store.scores(run, model, "test");
        if (order.empty()) {
            for (const auto &r : rows) {
                position[r.entity] = order.size();
                order.push_back(r.entity);
                d.testLabels.push_back(r.label);
            }
        }
        std::vector<double> s(order.size(), std::nan(""));
        for (const auto &r : rows)
            if (auto it = position.find(r.entity); it != position.end())
                s[it->second] = r.score;
        d.testScores[model] = s;
    }
    for (const auto &r : store.scores(run, "sequence", "valid"))
        d.validScores.push_back(r.score);
}

} // namespace

const json &at(const json &j, const std::string &key)
{
    static const json null;
    if (!j.is_object())
        return null;
    auto it = j.find(key);
    return it == j.end() ? null : *it;
}

const MetricRow *RunReportData::metric(const std::string &split, const std::string &model,
                                       const std::string &name) const
{
    for (const auto &m : metrics)
        if (m.split == split && m.model == model && m.name == name)
            return &m;
    return nullptr;
}

double RunReportData::value(const std::string &split, const std::string &model,
                            const std::string &name) const
{
    const MetricRow *m = metric(split, model, name);
    return m ? m->value : std::nan("");
}

RunReportData loadRunReportData(const ProjectStore &store, int64_t run)
{
    RunReportData d;
    d.run = store.run(run);
    if (d.run.status != RunStatus::Finished)
        throwData(store.path() + ": run " + std::to_string(run) + " is " + toString(d.run.status) +
                  "; reports are made from finished runs");
    d.config = json::parse(d.run.configJson);
    d.datasets = store.datasets(run);
    d.metrics = store.metrics(run);
    d.epochs = store.epochs(run);
    d.compare = artifactOr(store, run, "compare");
    d.dataReport = artifactOr(store, run, "data_report");
    d.globalAttention = artifactOr(store, run, "global_attention");
    d.explanationAudit = artifactOr(store, run, "explanation_audit");
    if (d.compare.is_null())
        d.trainMetrics = artifactOr(store, run, "metrics");
    d.models = d.isCompare() ? std::vector<std::string>{"baseline", "sequence", "stacking"}
                             : std::vector<std::string>{"sequence"};
    for (const auto &m : d.models)
        d.curves[m] = artifactOr(store, run, "curves/test/" + m);
    loadScores(store, run, d);
    return d;
}

} // namespace seqlens::report
