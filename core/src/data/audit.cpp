// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/audit.h"

#include "seqlens/util/error.h"

#include <algorithm>
#include <iterator>

namespace seqlens {

namespace {

EventsPerApplicant eventsPerApplicant(const RawDataset &d)
{
    EventsPerApplicant out;
    std::vector<int64_t> n;
    for (int64_t a = 0; a < int64_t(d.applicants.size()); ++a)
        n.push_back(d.eventCount(a));
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

} // namespace

DataProfile profileData(const RawDataset &d)
{
    DataProfile p;
    p.eventsPerApplicant = eventsPerApplicant(d);
    for (const auto &f : d.fields)
        p.fields.push_back(
            {f.config.name, f.missing, f.nonFinite, f.invalid, int64_t(f.pool.size())});
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
        r.splits = {int64_t(train.size()), int64_t(rowsIn(raw, splits, Split::Valid).size()),
                    int64_t(rowsIn(raw, splits, Split::Test).size())};
        throwIfCancelled(cancel);
        Encoder::fit(raw, config, train).encode(raw, &r.encode);
        return r;
    });
}

} // namespace seqlens
