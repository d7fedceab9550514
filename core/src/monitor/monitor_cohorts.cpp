// SPDX-License-Identifier: GPL-3.0-or-later
#include "monitor_cohorts.h"

#include "seqlens/compare/metrics.h"
#include "seqlens/data/csv_reader.h"
#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace seqlens::monitor {

namespace {

std::string periodOf(double cutoff, bool quarter)
{
    if (std::isnan(cutoff))
        return "(no cutoff)";
    const std::string date = formatDays(std::floor(cutoff)); // YYYY-MM-DD
    if (!quarter)
        return date.substr(0, 7);
    const int month = std::stoi(date.substr(5, 2));
    return date.substr(0, 4) + "-Q" + std::to_string((month - 1) / 3 + 1);
}

std::unordered_map<std::string, std::string> columnByEntity(const Config &config,
                                                            const std::string &labelsPath,
                                                            const std::string &column)
{
    if (labelsPath.empty())
        throwUsage("cohorts by the column \"" + column +
                   "\" need the batch's label table (--labels FILE)");
    CsvOptions opt;
    opt.delimiter = config.labels.delimiter;
    CsvReader csv(labelsPath, opt);
    const int key = csv.requireColumn(config.labels.entity), value = csv.requireColumn(column);
    std::unordered_map<std::string, std::string> out;
    while (csv.next())
        out[std::string(csv.fields()[size_t(key)])] = std::string(csv.fields()[size_t(value)]);
    return out;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return std::nan("");
    const size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + long(mid), v.end());
    const double hi = v[mid];
    if (v.size() % 2)
        return hi;
    return 0.5 * (hi + *std::max_element(v.begin(), v.begin() + long(mid)));
}

} // namespace

Cohorts assignCohorts(const RawDataset &batch, const std::string &byIn, const Config &config,
                      const std::string &labelsPath)
{
    Cohorts c;
    bool anyCutoff = false;
    for (const auto &a : batch.applicants)
        anyCutoff = anyCutoff || !std::isnan(a.cutoff);
    c.by = byIn.empty() ? (anyCutoff ? "month" : "all") : byIn;
    std::vector<std::string> key(batch.applicants.size(), "all");
    if (c.by == "month" || c.by == "quarter") {
        if (!anyCutoff)
            throwUsage("cohorts by " + c.by +
                       " need cutoffs: the run's config has no "
                       "labels.cutoff, or the batch has no label table (--labels FILE)");
        for (size_t a = 0; a < key.size(); ++a)
            key[a] = periodOf(batch.applicants[a].cutoff, c.by == "quarter");
    } else if (c.by != "all") {
        const auto values = columnByEntity(config, labelsPath, c.by);
        for (size_t a = 0; a < key.size(); ++a) {
            auto it = values.find(batch.applicants[a].id);
            key[a] = it == values.end() || it->second.empty() ? "(missing)" : it->second;
        }
    }
    std::map<std::string, int32_t> index;
    for (const auto &k : key)
        index.emplace(k, 0);
    for (auto &[name, i] : index) {
        i = int32_t(c.names.size());
        c.names.push_back(name);
    }
    for (const auto &k : key)
        c.of.push_back(index[k]);
    return c;
}

SequenceShape sequenceShape(const RawDataset &d, const std::vector<int64_t> &rows, int64_t maxItems)
{
    SequenceShape s;
    s.applicants = int64_t(rows.size());
    std::vector<double> counts, gaps;
    int64_t empty = 0, truncated = 0;
    for (int64_t a : rows) {
        const int64_t n = d.eventCount(a);
        counts.push_back(double(n));
        empty += n == 0;
        truncated += n > maxItems;
        for (int64_t e = d.offsets[size_t(a)] + 1; e < d.offsets[size_t(a) + 1]; ++e)
            gaps.push_back(d.times[size_t(e)] - d.times[size_t(e - 1)]);
    }
    if (rows.empty())
        return s;
    double total = 0;
    for (double n : counts)
        total += n;
    s.meanEvents = total / double(rows.size());
    s.medianEvents = median(counts);
    s.emptyShare = double(empty) / double(rows.size());
    s.truncatedShare = double(truncated) / double(rows.size());
    s.medianGapDays = median(gaps);
    return s;
}

Performance performanceOf(const std::vector<double> &scores, const std::vector<int> &labels,
                          const AucInterval &referenceAuc, const MonitorThresholds &t)
{
    Performance p;
    std::vector<double> s;
    std::vector<int> y;
    double predicted = 0;
    for (size_t i = 0; i < scores.size(); ++i)
        if (labels[i] >= 0) {
            s.push_back(scores[i]);
            y.push_back(labels[i]);
            predicted += scores[i];
            p.bads += labels[i];
        }
    p.labelled = int64_t(y.size());
    auto lightOf = [&](double pValue) {
        return pValue < t.alphaRed     ? Light::Red
               : pValue < t.alphaAmber ? Light::Amber
                                       : Light::Green;
    };
    p.calibrationAvailable = p.labelled > 0;
    if (p.calibrationAvailable) {
        p.calibration = jeffreysTest(p.labelled, p.bads, predicted / double(p.labelled));
        p.calibrationLight = lightOf(p.calibration.pTwoSided);
    }
    p.aucAvailable = p.bads > 0 && p.bads < p.labelled;
    if (p.aucAvailable) {
        p.auc = delongAuc(s, y);
        p.ks = binaryMetrics(s, y).ks;
        p.drop = aucDropTest(referenceAuc, p.auc);
        p.aucLight = lightOf(p.drop.pValue);
    }
    return p;
}

} // namespace seqlens::monitor
