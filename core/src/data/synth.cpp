// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/synth.h"

#include "synth_files.h"

#include "seqlens/util/error.h"
#include "seqlens/data/time_parser.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace seqlens {

namespace {

struct Event {
    double time; // days since epoch
    int type;
    int channel;
    double amount; // NaN = missing
};

const char *kTypes[] = {"inquiry",  "loan_open",    "payment",   "late_payment",
                        "card_use", "limit_change", "collection"};
const char *kChannels[] = {"branch", "online", "mobile", "broker"};
const double kTypeWeights[] = {0.12, 0.06, 0.40, 0.05, 0.30, 0.07, 0.0};
const double kTypeAmountMu[] = {0.0, 8.5, 5.5, 4.5, 3.5, 7.0, 6.0};
const double kTypeMixWeights[] = {0.12, 0.06, 0.10, 0.05, 0.60, 0.07, 0.0};
constexpr int kInquiry = 0, kLate = 3, kCardUse = 4, kCollection = 6;
constexpr int kNewType = 7; // "bnpl_purchase", only with SynthDrift::NewType

const char *typeName(int type)
{
    return type == kNewType ? "bnpl_purchase" : kTypes[type];
}

const char *kConfig = R"({
  "schema_version": 1,
  "events": [{"path": "events.csv", "entity": "applicant_id", "time": "event_time", "time_format": "iso",
              "fields": [{"name": "event_type", "type": "categorical", "min_count": 5},
                         {"name": "channel", "type": "categorical", "min_count": 5},
                         {"name": "amount", "type": "numeric", "transform": "log1p"}]}],
  "labels": {"path": "labels.csv", "entity": "applicant_id", "target": "bad", "positive": ["1"], "negative": ["0"],
             "cutoff": "application_time", "cutoff_format": "iso", "split": null,
             "features": [{"name": "income", "type": "numeric"}, {"name": "region", "type": "categorical"}]},
  "sequence": {"max_items": 64, "time_buckets_days": [1, 3, 7, 14, 30, 60, 90, 180, 365, 730]},
  "model": {"emb_dim": 8, "heads": 2, "layers": 1, "item_aggregation": "auto", "dropout": 0.1},
  "training": {"epochs": 30, "batch_size": 64, "learning_rate": 0.003, "patience": 5, "seed": 7,
               "valid_fraction": 0.15, "test_fraction": 0.2, "threads": 0}
}
)";

} // namespace

bool parseSynthDrift(const std::string &text, SynthDrift &drift)
{
    const std::pair<const char *, SynthDrift> names[] = {
        {"none", SynthDrift::None},
        {"type_mix", SynthDrift::TypeMix},
        {"new_type", SynthDrift::NewType},
        {"longer_gaps", SynthDrift::LongerGaps},
        {"label_relation", SynthDrift::LabelRelation}};
    for (const auto &[name, d] : names)
        if (text == name) {
            drift = d;
            return true;
        }
    return false;
}

SynthSummary writeSynthDataset(const SynthOptions &opt)
{
    SynthFiles files;
    openSynthFiles(files, opt.outDir, kConfig, "applicant_id,event_time,event_type,channel,amount",
                   "applicant_id,application_time,bad,income,region");
    std::ostream &ev = files.events, &lab = files.labels;
    SynthSummary sum;
    sum.eventsPath = files.eventsPath;
    sum.labelsPath = files.labelsPath;
    sum.configPath = files.configPath;

    std::mt19937_64 rng(opt.seed);
    std::uniform_real_distribution<double> unif(0.0, 1.0);
    std::normal_distribution<double> normal(0.0, 1.0);
    const bool mix = opt.drift == SynthDrift::TypeMix;
    std::discrete_distribution<int> typeDist(mix ? std::begin(kTypeMixWeights) : std::begin(kTypeWeights),
                                             mix ? std::end(kTypeMixWeights) : std::end(kTypeWeights));
    const double historySpan = opt.drift == SynthDrift::LongerGaps ? 1825.0 : 730.0;
    std::discrete_distribution<int> channelDist({0.2, 0.4, 0.3, 0.1});
    const double start = double(opt.startDays);
    char buf[256];
    std::vector<Event> events;
    for (int64_t i = 0; i < opt.applicants; ++i) {
        events.clear();
        const double app = std::floor(start + unif(rng) * double(opt.spanDays));
        const int n = unif(rng) < 0.03
                          ? 0
                          : std::max(0, int(std::round(std::exp(2.8 + 0.6 * normal(rng)))));
        for (int k = 0; k < n; ++k) {
            int type = typeDist(rng);
            double amount = std::exp(kTypeAmountMu[type] + 0.7 * normal(rng));
            events.push_back({app - historySpan * std::pow(unif(rng), 1.5) - 0.01, type,
                              channelDist(rng), unif(rng) < 0.03 ? NAN : amount});
            if (opt.drift == SynthDrift::NewType && type == kCardUse && unif(rng) < 0.5)
                events.back().type = kNewType;
        }
        // Order signal: the same two events, in one order or the other.
        bool risky = false;
        auto plant = [&](int first, int second) {
            double t = app - 5.0 - unif(rng) * 360.0;
            events.push_back(
                {t, first, channelDist(rng), std::exp(kTypeAmountMu[first] + 0.5 * normal(rng))});
            events.push_back({t + 0.2 + unif(rng) * 4.8, second, 1,
                              std::exp(kTypeAmountMu[second] + 0.5 * normal(rng))});
        };
        if (unif(rng) < 0.30) {
            plant(kLate, kInquiry);
            risky = true;
        }
        if (unif(rng) < 0.30)
            plant(kInquiry, kLate);
        int lates = 0;
        for (const auto &e : events)
            lates += e.type == kLate;
        const double income = std::exp(10.3 + 0.5 * normal(rng));
        const int region = int(unif(rng) * 5);
        const double orderEffect = opt.drift == SynthDrift::LabelRelation ? 0.72 : 2.4 * risky;
        const double logit = -2.4 + orderEffect + 0.12 * lates + (region == 3 ? 0.4 : 0.0) -
                             0.5 * (std::log(income) - 10.3) / 0.5;
        const int bad = unif(rng) < 1.0 / (1.0 + std::exp(-logit));
        // Events after the application date: a leak if they were used.
        if (unif(rng) < (bad ? 0.6 : 0.05))
            events.push_back(
                {app + 1.0 + unif(rng) * 90.0, kCollection, 0, std::exp(6.0 + normal(rng))});
        std::shuffle(events.begin(), events.end(), rng); // file order is not time order
        std::snprintf(buf, sizeof buf, "A%07lld", (long long)i);
        const std::string id = buf;
        for (const auto &e : events) {
            writeEventRow(ev, id, e.time, typeName(e.type), kChannels[e.channel], e.amount);
            ++sum.events;
        }
        std::snprintf(buf, sizeof buf, "A%07lld,%s,%d,%.0f,R%d\n", (long long)i,
                      formatDays(app).c_str(), bad, income, region + 1);
        lab << buf;
        sum.bads += bad;
        ++sum.applicants;
    }
    // A few events of entities that have no label row (counted and ignored when loading).
    for (int k = 0; k < 5; ++k) {
        ev << "X" << k << ",2024-01-01T00:00:00,payment,online,10.0\n";
        ++sum.events;
    }
    files.checkWritten(opt.outDir);
    return sum;
}

} // namespace seqlens
