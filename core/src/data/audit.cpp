// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/audit.h"

#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace seqlens {

namespace {

// Events per applicant, of every source (source < 0) or of one.
EventsPerApplicant eventsPerApplicant(const RawDataset &d, int source = -1)
{
    EventsPerApplicant out;
    std::vector<int64_t> n;
    for (int64_t a = 0; a < int64_t(d.applicants.size()); ++a)
        n.push_back(source < 0 ? d.eventCount(a)
                               : std::count(d.eventSource.begin() + d.offsets[size_t(a)],
                                            d.eventSource.begin() + d.offsets[size_t(a) + 1],
                                            uint8_t(source)));
    if (n.empty())
        return out;
    std::sort(n.begin(), n.end());
    double sum = 0;
    for (int64_t v : n)
        sum += double(v);
    auto quantile = [&](double q) {
        return n[std::min(n.size() - 1, size_t(q * double(n.size())))];
    };
    const int64_t edges[] = {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000};
    for (size_t i = 0; i < std::size(edges); ++i) {
        const int64_t lo = edges[i], hi = i + 1 < std::size(edges) ? edges[i + 1] : INT64_MAX;
        const auto count = std::lower_bound(n.begin(), n.end(), hi) -
                           std::lower_bound(n.begin(), n.end(), lo);
        out.histogram.push_back({lo, hi == INT64_MAX ? -1 : hi, int64_t(count)});
    }
    out.applicants = int64_t(n.size());
    out.mean = sum / double(n.size());
    out.median = quantile(0.5);
    out.p90 = quantile(0.9);
    out.p99 = quantile(0.99);
    out.max = n.back();
    return out;
}

std::string percent(double share)
{
    return std::to_string(int(std::lround(100 * share))) + " %";
}

std::string splitDescription(const Config &c)
{
    const LabelConfig &l = c.labels;
    if (l.timeSplit)
        return "out of time on the cutoff column \"" + l.cutoff.value_or("") +
               "\": train up to " + l.timeSplit->validAfter + ", validation after " +
               l.timeSplit->validAfter + " up to " + l.timeSplit->testAfter + ", test after " +
               l.timeSplit->testAfter;
    const TrainingConfig &t = c.training;
    const std::string random =
        "stratified random (validation " + percent(t.validFraction) + ", test " +
        percent(t.testFraction) + ", seed " + std::to_string(t.seed) + ")";
    if (l.split)
        return "given by the column \"" + *l.split + "\"; rows without a value " + random;
    return random;
}

} // namespace

SplitCounts countSplits(const RawDataset &data, const std::vector<Split> &splits,
                        const Config &config)
{
    SplitCounts out;
    out.method = config.labels.timeSplit ? SplitMethod::Time
                 : config.labels.split   ? SplitMethod::Column
                                         : SplitMethod::Random;
    out.description = splitDescription(config);
    int64_t *counts[3] = {&out.train, &out.valid, &out.test};
    for (size_t a = 0; a < data.applicants.size(); ++a) {
        if (data.applicants[a].label < 0 || splits[a] == Split::Unassigned)
            continue;
        const int k = int(splits[a]) - int(Split::Train);
        ++*counts[k];
        out.withoutEvents[k] += data.eventCount(int64_t(a)) == 0;
        const double t = data.applicants[a].cutoff;
        if (std::isnan(t))
            continue;
        out.firstCutoff[k] = std::isnan(out.firstCutoff[k]) ? t : std::min(out.firstCutoff[k], t);
        out.lastCutoff[k] = std::isnan(out.lastCutoff[k]) ? t : std::max(out.lastCutoff[k], t);
    }
    return out;
}

DataProfile profileData(const RawDataset &d)
{
    DataProfile p;
    p.eventsPerApplicant = eventsPerApplicant(d);
    for (const auto &f : d.fields)
        p.fields.push_back(
            {f.config.name, f.missing, f.nonFinite, f.invalid, int64_t(f.pool.size())});
    for (size_t s = 0; d.sourceNames.size() > 1 && s < d.sourceNames.size(); ++s) {
        SourceProfile sp{d.sourceNames[s], eventsPerApplicant(d, int(s)), {}};
        const int64_t kept = s < d.report.sources.size() ? d.report.sources[s].kept : 0;
        for (const auto &f : d.fields)
            if (f.source == s)
                sp.missingShare.emplace_back(f.config.name,
                                             kept > 0 ? double(f.missing) / double(kept) : 0.0);
        p.sources.push_back(std::move(sp));
    }
    return p;
}

AuditReport auditData(const Config &config, const CancelToken *cancel)
{
    return cancelledAsResult<AuditReport>([&] {
        AuditReport r;
        LoadOptions opt;
        opt.cancel = cancel;
        const RawDataset raw = loadDataset(config, opt);
        r.load = raw.report;
        r.profile = profileData(raw);
        const auto splits = assignSplits(raw, config.training.validFraction,
                                         config.training.testFraction, config.training.seed);
        const auto train = rowsIn(raw, splits, Split::Train);
        r.splits = countSplits(raw, splits, config);
        throwIfCancelled(cancel);
        Encoder::fit(raw, config, train).encode(raw, &r.encode);
        return r;
    });
}

} // namespace seqlens
