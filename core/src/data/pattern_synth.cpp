// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/pattern_synth.h"

#include "synth_files.h"

#include "seqlens/data/time_parser.h"
#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

namespace seqlens {

namespace {

enum Type { Payment, CardUse, Inquiry, LoanOpen, LimitChange, Late, Collection, Review };
const char *kTypes[] = {"payment",      "card_use",     "inquiry",    "loan_open",
                        "limit_change", "late_payment", "collection", "account_review"};
const double kBackgroundWeights[] = {0.38, 0.30, 0.10, 0.06, 0.10, 0.06, 0.0, 0.0};
const double kAmountMu[] = {5.5, 3.5, 0.0, 8.5, 7.0, 4.5, 6.0, 0.0};
enum Channel { Branch, Online, Mobile, Broker };
const char *kChannels[] = {"branch", "online", "mobile", "broker"};

struct Event {
    double daysBefore; // before the cutoff, > 0
    int type, channel;
    double amount; // NaN: missing
};

struct Rng {
    std::mt19937_64 engine;
    double unif() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine); }
    double normal() { return std::normal_distribution<double>(0.0, 1.0)(engine); }
    int channel() { return std::discrete_distribution<int>({0.2, 0.4, 0.3, 0.1})(engine); }
    double amount(int type, double sd = 0.7) { return std::exp(kAmountMu[type] + sd * normal()); }
};

// The background every family shares, and its window-countable risk (centred logit).
double background(Rng &r, std::vector<Event> &events)
{
    std::discrete_distribution<int> typeDist(std::begin(kBackgroundWeights),
                                             std::end(kBackgroundWeights));
    const int n = std::clamp(int(std::lround(std::exp(3.6 + 0.3 * r.normal()))), 5, 120);
    int lates = 0, inquiries = 0;
    for (int k = 0; k < n; ++k) {
        const int type = typeDist(r.engine);
        const double t = 0.01 + 729.0 * r.unif();
        events.push_back({t, type, r.channel(), r.unif() < 0.03 ? NAN : r.amount(type)});
        lates += type == Late && t <= 365.0;
        inquiries += type == Inquiry && t <= 90.0;
    }
    return 0.6 * (lates - 1.1) + 0.5 * (inquiries - 0.45);
}

// Each planter adds the pattern (planted) or its control, returns the pattern feature.
double plantOrder(Rng &r, std::vector<Event> &ev, bool planted)
{
    const double t = 5.0 + 600.0 * r.unif(), gap = 0.2 + 3.8 * r.unif();
    const int first = planted ? Late : Inquiry, second = planted ? Inquiry : Late;
    ev.push_back({t, first, r.channel(), r.amount(first, 0.5)});
    ev.push_back({t - gap, second, r.channel(), r.amount(second, 0.5)});
    return planted;
}

double plantRecency(Rng &r, std::vector<Event> &ev, bool)
{
    if (r.unif() < 0.5)
        return 0.0;
    const double t = 1.0 + 728.0 * r.unif();
    ev.push_back({t, Collection, r.channel(), r.amount(Collection)});
    return std::exp(-t / 60.0);
}

double plantTrend(Rng &r, std::vector<Event> &ev, bool planted)
{
    std::vector<double> amounts(6);
    for (double &a : amounts)
        a = r.amount(Payment, 0.6);
    if (planted) // oldest smallest, latest largest
        std::sort(amounts.begin(), amounts.end());
    for (int k = 0; k < 6; ++k) // k = 0 is the oldest
        ev.push_back({15.0 + 30.0 * (5 - k) + r.unif(), Payment, r.channel(), amounts[size_t(k)]});
    return planted;
}

double plantBurst(Rng &r, std::vector<Event> &ev, bool planted)
{
    const double end = 35.0 + 300.0 * r.unif(), span = planted ? 1.0 : 25.0;
    for (int k = 0; k < 8; ++k)
        ev.push_back({end + span * r.unif(), CardUse, r.channel(), r.amount(CardUse)});
    return planted;
}

double plantIrregular(Rng &r, std::vector<Event> &ev, bool planted)
{
    // 24 monthly payments; the latest 8 gaps (240 days) irregular when planted, same span.
    std::vector<double> gaps(8, 30.0);
    if (planted) {
        for (double &g : gaps)
            g = 5.0 + 50.0 * r.unif();
        const double scale = 240.0 / std::accumulate(gaps.begin(), gaps.end(), 0.0);
        for (double &g : gaps)
            g *= scale;
    }
    double t = 10.0 + r.unif();
    for (int k = 0; k < 24; ++k) {
        ev.push_back({t + (planted && k < 8 ? 0.0 : r.normal()), Payment, r.channel(),
                      r.amount(Payment, 0.3)});
        t += k < 8 ? gaps[size_t(k)] : 30.0;
    }
    return planted;
}

double plantInteraction(Rng &r, std::vector<Event> &ev, bool)
{
    int matches = 0;
    for (int k = 0; k < 3; ++k) {
        const bool online = r.unif() < 0.5, large = r.unif() < 0.5;
        matches += online == large; // online with a large amount, or branch with a small one
        ev.push_back({1.0 + 728.0 * r.unif(), LoanOpen, online ? Online : Branch,
                      std::exp((large ? 9.0 : 5.0) + 0.3 * r.normal())});
    }
    return matches;
}

double plantLongRange(Rng &r, std::vector<Event> &ev, bool planted)
{
    ev.push_back({680.0 + 40.0 * r.unif(), Review, planted ? Branch : Broker, NAN});
    ev.push_back({380.0 + 40.0 * r.unif(), Review, planted ? Broker : Branch, NAN});
    return planted;
}

double plant(PatternFamily f, Rng &r, std::vector<Event> &ev, bool planted)
{
    switch (f) {
    case PatternFamily::Order: return plantOrder(r, ev, planted);
    case PatternFamily::Recency: return plantRecency(r, ev, planted);
    case PatternFamily::Trend: return plantTrend(r, ev, planted);
    case PatternFamily::Burst: return plantBurst(r, ev, planted);
    case PatternFamily::Irregular: return plantIrregular(r, ev, planted);
    case PatternFamily::Interaction: return plantInteraction(r, ev, planted);
    case PatternFamily::LongRange: return plantLongRange(r, ev, planted);
    }
    return 0.0;
}

// Mean of the pattern feature, so the effect is centred and the bad rate stays near 20 %.
double featureMean(PatternFamily f)
{
    switch (f) {
    case PatternFamily::Recency: return 0.5 * 60.0 / 728.0; // E[exp(-t/60)], t ~ U(1, 729)
    case PatternFamily::Interaction: return 1.5;
    default: return 0.5;
    }
}

const char *kConfig = R"({
  "schema_version": 1,
  "events": [{"path": "events.csv", "entity": "applicant_id", "time": "event_time", "time_format": "iso",
              "fields": [{"name": "event_type", "type": "categorical", "min_count": 5},
                         {"name": "channel", "type": "categorical", "min_count": 5},
                         {"name": "amount", "type": "numeric", "transform": "log1p"}]}],
  "labels": {"path": "labels.csv", "entity": "applicant_id", "target": "bad", "positive": ["1"], "negative": ["0"],
             "cutoff": "application_time", "cutoff_format": "iso"},
  "sequence": {"max_items": 64, "time_buckets_days": [1, 3, 7, 14, 30, 60, 90, 180, 365, 730]},
  "baseline": {"model": "xgboost"}
}
)";

} // namespace

const char *toString(PatternFamily f)
{
    switch (f) {
    case PatternFamily::Order: return "order";
    case PatternFamily::Recency: return "recency";
    case PatternFamily::Trend: return "trend";
    case PatternFamily::Burst: return "burst";
    case PatternFamily::Irregular: return "irregular";
    case PatternFamily::Interaction: return "interaction";
    case PatternFamily::LongRange: return "long_range";
    }
    return "order";
}

std::vector<PatternFamily> allPatternFamilies()
{
    return {PatternFamily::Order,     PatternFamily::Recency,     PatternFamily::Trend,
            PatternFamily::Burst,     PatternFamily::Irregular,   PatternFamily::Interaction,
            PatternFamily::LongRange};
}

PatternFamily parsePatternFamily(const std::string &name)
{
    std::string all;
    for (PatternFamily f : allPatternFamilies()) {
        if (name == toString(f))
            return f;
        all += std::string(all.empty() ? "" : ", ") + toString(f);
    }
    throwUsage("unknown pattern family \"" + name + "\" (expected one of: " + all + ")");
}

PatternDataset writePatternDataset(const PatternOptions &o)
{
    SynthFiles files;
    openSynthFiles(files, o.outDir, kConfig, "applicant_id,event_time,event_type,channel,amount",
                   "applicant_id,application_time,bad");
    PatternDataset d;
    d.eventsPath = files.eventsPath;
    d.labelsPath = files.labelsPath;
    d.configPath = files.configPath;
    Rng r{std::mt19937_64(o.seed * 1000003ULL + uint64_t(o.family))};
    const double start = double(daysFromCivil(2023, 1, 1));
    std::vector<Event> events;
    char buf[256];
    for (int64_t i = 0; i < o.applicants; ++i) {
        events.clear();
        const double cutoff = std::floor(start + 730.0 * r.unif());
        const double base = background(r, events);
        const bool planted = r.unif() < 0.5;
        const double g = plant(o.family, r, events, planted);
        const double logit = -1.5 + base + o.effect * (g - featureMean(o.family));
        const double p = 1.0 / (1.0 + std::exp(-logit));
        const int bad = r.unif() < p;
        std::snprintf(buf, sizeof buf, "P%07lld", (long long)i);
        const std::string id = buf;
        std::shuffle(events.begin(), events.end(), r.engine); // file order is not time order
        for (const Event &e : events) {
            writeEventRow(files.events, id, cutoff - e.daysBefore, kTypes[e.type],
                          kChannels[e.channel], e.amount);
            ++d.events;
        }
        files.labels << id << ',' << formatDays(cutoff) << ',' << bad << '\n';
        d.entities.push_back(id);
        d.trueProbability.push_back(p);
        d.patternFeature.push_back(g);
        d.bads += bad;
    }
    files.checkWritten(o.outDir);
    return d;
}

} // namespace seqlens
