// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/monitor/segments.h"

#include "seqlens/compare/metrics.h"
#include "seqlens/util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace seqlens {

namespace {

using nlohmann::json;

struct Members {
    std::vector<double> scores, labelledScores;
    std::vector<int> labels;
};

SegmentRow rowOf(const std::string &value, const Members &m, double cutoff, int64_t minSegment)
{
    SegmentRow r;
    r.value = value.empty() ? "(missing)" : value;
    r.applicants = int64_t(m.scores.size());
    r.labelled = int64_t(m.labels.size());
    r.bads = std::count(m.labels.begin(), m.labels.end(), 1);
    r.judged = r.applicants >= minSegment;
    if (r.labelled > 0) {
        r.badRate = double(r.bads) / double(r.labelled);
        double sum = 0;
        for (double s : m.labelledScores)
            sum += s;
        r.predictedBadRate = sum / double(r.labelled);
    }
    r.aucAvailable = r.bads > 0 && r.bads < r.labelled;
    if (r.aucAvailable) {
        r.auc = delongAuc(m.labelledScores, m.labels);
        r.ks = binaryMetrics(m.labelledScores, m.labels).ks;
    }
    const auto approved = std::count_if(m.scores.begin(), m.scores.end(),
                                        [&](double s) { return s <= cutoff; });
    r.approvalRate = r.applicants ? double(approved) / double(r.applicants) : NAN;
    return r;
}

// Adverse-impact ratios against the most approved judged segment, and the lights.
void judge(SegmentTable &t, double threshold)
{
    double best = 0;
    for (const auto &r : t.rows)
        if (r.judged)
            best = std::max(best, r.approvalRate);
    for (auto &r : t.rows) {
        if (!r.judged || best <= 0)
            continue;
        r.adverseImpact = r.approvalRate / best;
        r.light = r.adverseImpact < threshold ? Light::Amber : Light::Green;
        t.light = worst(t.light, r.light);
        if (std::isnan(t.lowestImpact) || r.adverseImpact < t.lowestImpact) {
            t.lowestImpact = r.adverseImpact;
            t.lowest = r.value;
        }
    }
}

SegmentTable tableOf(size_t column, const std::string &name,
                     const std::vector<std::vector<std::string>> &values,
                     const std::vector<double> &scores, const std::vector<int> &labels,
                     double cutoff, const MonitoringConfig &config)
{
    std::map<std::string, Members> groups;
    for (size_t a = 0; a < scores.size(); ++a) {
        Members &m = groups[values[a].at(column)];
        m.scores.push_back(scores[a]);
        if (labels[a] >= 0) {
            m.labelledScores.push_back(scores[a]);
            m.labels.push_back(labels[a]);
        }
    }
    SegmentTable t;
    t.column = name;
    for (const auto &[value, m] : groups)
        t.rows.push_back(rowOf(value, m, cutoff, config.minSegment));
    std::stable_sort(t.rows.begin(), t.rows.end(), [](const SegmentRow &a, const SegmentRow &b) {
        return a.applicants > b.applicants;
    });
    judge(t, config.thresholds.adverseImpact);
    return t;
}

json num(double v)
{
    return std::isfinite(v) ? json(v) : json(nullptr);
}

} // namespace

double approvalCutoff(std::vector<double> reference, double approvalRate)
{
    if (reference.empty())
        throwData("segment checks need reference scores to fix the approval cut-off, got none");
    std::sort(reference.begin(), reference.end());
    const double n = double(reference.size());
    const size_t k = size_t(std::clamp(std::ceil(approvalRate * n - 1e-9), 1.0, n));
    return reference[k - 1];
}

SegmentChecks segmentChecks(const std::vector<std::string> &columns,
                            const std::vector<std::vector<std::string>> &values,
                            const std::vector<double> &scores, const std::vector<int> &labels,
                            double cutoffScore, const MonitoringConfig &config)
{
    if (values.size() != scores.size() || labels.size() != scores.size())
        throwData("segment checks: values, scores and labels differ in length");
    SegmentChecks out;
    out.approvalRate = config.approvalRate;
    out.cutoffScore = cutoffScore;
    out.threshold = config.thresholds.adverseImpact;
    for (size_t c = 0; c < columns.size(); ++c) {
        out.tables.push_back(tableOf(c, columns[c], values, scores, labels, cutoffScore, config));
        out.light = worst(out.light, out.tables.back().light);
    }
    return out;
}

std::optional<SegmentChecks> segmentChecksOf(const RawDataset &data,
                                             const std::vector<int64_t> &rows,
                                             const std::vector<double> &scores,
                                             const Config &config,
                                             const std::vector<double> *reference)
{
    const MonitoringConfig &m = config.monitoring;
    if (m.segments.empty() || rows.empty())
        return std::nullopt;
    std::vector<std::vector<std::string>> values;
    std::vector<int> labels;
    for (int64_t a : rows) {
        const Applicant &ap = data.applicants.at(size_t(a));
        auto v = ap.segments;
        v.resize(m.segments.size()); // "" where the batch lacks a column
        values.push_back(std::move(v));
        labels.push_back(ap.label);
    }
    const double cut = approvalCutoff(reference ? *reference : scores, m.approvalRate);
    return segmentChecks(m.segments, values, scores, labels, cut, m);
}

json segmentChecksJson(const SegmentChecks &s)
{
    json tables = json::array();
    for (const auto &t : s.tables) {
        json rows = json::array();
        for (const auto &r : t.rows)
            rows.push_back({{"value", r.value},
                            {"applicants", r.applicants},
                            {"labelled", r.labelled},
                            {"bads", r.bads},
                            {"bad_rate", num(r.badRate)},
                            {"predicted_bad_rate", num(r.predictedBadRate)},
                            {"judged", r.judged},
                            {"auc", r.aucAvailable ? json(r.auc.auc) : json(nullptr)},
                            {"auc_lo", r.aucAvailable ? json(r.auc.lo) : json(nullptr)},
                            {"auc_hi", r.aucAvailable ? json(r.auc.hi) : json(nullptr)},
                            {"ks", num(r.ks)},
                            {"approval_rate", num(r.approvalRate)},
                            {"adverse_impact", num(r.adverseImpact)},
                            {"light", r.judged ? json(toString(r.light)) : json(nullptr)}});
        tables.push_back({{"column", t.column},
                          {"light", toString(t.light)},
                          {"lowest", t.lowest},
                          {"lowest_impact", num(t.lowestImpact)},
                          {"rows", rows}});
    }
    return {{"approval_rate", s.approvalRate},
            {"cutoff_score", s.cutoffScore},
            {"adverse_impact_threshold", s.threshold},
            {"light", toString(s.light)},
            {"tables", tables}};
}

} // namespace seqlens
