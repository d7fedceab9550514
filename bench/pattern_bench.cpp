// SPDX-License-Identifier: GPL-3.0-or-later
// seqlens-pattern-bench: how much of what is learnable the sequence model learns, per pattern
// family (core/include/seqlens/data/pattern_synth.h). For each family and size, on one test
// split (the training workflow's own):
//   baseline  XGBoost on the window features of the events (development applicants only)
//   ceiling   the same model given the planted pattern as one more column (what is learnable)
//   bayes     the generator's true probability (no model can do better, in expectation)
//   sequence  the sequence model of the config, once per variant (default: the config as is)
//   closed    (sequence - baseline) / (ceiling - baseline), the share of the gap closed
// Prints one JSON line per family as it finishes, the JSON document of all, then a Markdown
// table on stderr.
//   seqlens-pattern-bench [--sizes 10000,50000] [--families order,trend,...] [--seed S]
//                         [--threads T] [--aggregations transformer,gru] [--work DIR]
//                         [--variant NAME=JSON ...] [--effect E]
// --effect is the pattern's logit difference (default 1.6; the learning tests use 2.5).
// A variant is a JSON merge patch (RFC 7386) on the generated config, e.g.
//   --variant gru='{"model":{"item_aggregation":"gru"}}'; --aggregations A,B is short for one
// variant per item aggregation.
#include "seqlens/compare/baseline_models.h"
#include "seqlens/compare/metrics.h"
#include "seqlens/compare/window_features.h"
#include "seqlens/data/pattern_synth.h"
#include "seqlens/nn/sequence_model.h"
#include "seqlens/train_workflow.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

using namespace seqlens;
using nlohmann::json;

namespace {

std::vector<std::string> splitList(const std::string &s)
{
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty())
            out.push_back(item);
    return out;
}

struct Split3 {
    std::vector<int64_t> dev, test;
    std::vector<int> devLabels, testLabels;
};

Split3 splitRows(const RawDataset &raw, const Config &cfg)
{
    const auto splits = assignSplits(raw, cfg.training.validFraction, cfg.training.testFraction,
                                     cfg.training.seed);
    Split3 s;
    for (int64_t a = 0; a < int64_t(raw.applicants.size()); ++a) {
        const int y = raw.applicants[size_t(a)].label;
        if (y < 0)
            continue;
        const bool test = splits[size_t(a)] == Split::Test;
        (test ? s.test : s.dev).push_back(a);
        (test ? s.testLabels : s.devLabels).push_back(y);
    }
    return s;
}

double baselineAuc(const FeatureMatrix &x, const Config &cfg, const Split3 &s, int64_t threads)
{
    auto model = makeBaselineModel(cfg.baseline, cfg.training.seed, threads);
    model->fit(x, s.dev, s.devLabels);
    return aucScore(model->predict(x, s.test), s.testLabels);
}

// The generator's per-applicant values, in the loaded dataset's applicant order.
std::vector<double> byApplicant(const RawDataset &raw, const std::vector<double> &values)
{
    std::vector<double> out;
    for (const auto &a : raw.applicants)
        out.push_back(values[size_t(std::stoll(a.id.substr(1)))]);
    return out;
}

struct Variant {
    std::string name;
    json patch; // merge patch on the config
};

Config variantConfig(const Config &cfg, const Variant &v)
{
    json j = json::parse(configToJson(cfg));
    j.merge_patch(v.patch);
    return parseConfig(j.dump(), "variant " + v.name, cfg.baseDir);
}

json runOne(PatternFamily family, int64_t n, uint64_t seed, double effect, int64_t threads,
            const std::vector<Variant> &variants, const std::string &work)
{
    const auto t0 = std::chrono::steady_clock::now();
    PatternOptions po;
    po.outDir = work + "/" + toString(family) + "-" + std::to_string(n);
    po.family = family;
    po.applicants = n;
    po.seed = seed;
    po.effect = effect;
    const PatternDataset d = writePatternDataset(po);
    Config cfg = loadConfig(d.configPath);
    cfg.training.threads = threads;
    const RawDataset raw = loadDataset(cfg);
    const Split3 s = splitRows(raw, cfg);
    const FeatureMatrix x = WindowFeatureBuilder::fit(raw, cfg, s.dev).build(raw);
    json r = {{"family", toString(family)},
              {"applicants", n},
              {"seed", seed},
              {"effect", effect},
              {"bad_rate", double(d.bads) / double(n)},
              {"test_applicants", s.test.size()}};
    r["baseline"] = baselineAuc(x, cfg, s, threads);
    r["ceiling"] = baselineAuc(withColumn(x, "pattern", byApplicant(raw, d.patternFeature)), cfg, s,
                               threads);
    const auto truth = byApplicant(raw, d.trueProbability);
    std::vector<double> truthTest;
    for (int64_t a : s.test)
        truthTest.push_back(truth[size_t(a)]);
    r["bayes"] = aucScore(truthTest, s.testLabels);
    for (const Variant &variant : variants) {
        const Config c = variantConfig(cfg, variant);
        const auto t = std::chrono::steady_clock::now();
        const TrainSummary sum = runTraining(c, TrainRequest{});
        const double auc = sum.test.metrics.auc;
        const double gap = r["ceiling"].get<double>() - r["baseline"].get<double>();
        r["sequence"][variant.name] = {
            {"auc", auc},
            {"closed", gap > 0.005 ? json((auc - r["baseline"].get<double>()) / gap) : json()},
            {"epochs", sum.training.epochsRun},
            {"best_epoch", sum.training.bestEpoch},
            {"aggregation", toString(sum.aggregation)},
            {"seconds",
             std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count()}};
    }
    r["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<std::string> sizes = {"10000", "50000"}, families;
    std::vector<Variant> variants;
    for (PatternFamily f : allPatternFamilies())
        families.push_back(toString(f));
    uint64_t seed = 1;
    double effect = PatternOptions{}.effect;
    int64_t threads = 2;
    std::string work = "/tmp/seqlens-pattern-bench";
    for (int i = 1; i < argc; i += 2) {
        const std::string key = argv[i];
        if (i + 1 >= argc) {
            std::fprintf(stderr, "%s: expected a value\n", key.c_str());
            return 2;
        }
        const std::string value = argv[i + 1];
        if (key == "--sizes")
            sizes = splitList(value);
        else if (key == "--families")
            families = splitList(value);
        else if (key == "--aggregations")
            for (const auto &a : splitList(value))
                variants.push_back({a, json{{"model", {{"item_aggregation", a}}}}});
        else if (key == "--variant" && value.find('=') != std::string::npos)
            variants.push_back(
                {value.substr(0, value.find('=')), json::parse(value.substr(value.find('=') + 1))});
        else if (key == "--seed")
            seed = std::stoull(value);
        else if (key == "--effect")
            effect = std::stod(value);
        else if (key == "--threads")
            threads = std::stoll(value);
        else if (key == "--work")
            work = value;
        else {
            std::fprintf(stderr, "unknown option %s\n", key.c_str());
            return 2;
        }
    }
    if (variants.empty())
        variants.push_back({"default", json::object()});
    try {
        setTorchThreads(threads);
        json all = json::array();
        for (const auto &size : sizes)
            for (const auto &name : families) {
                all.push_back(runOne(parsePatternFamily(name), std::stoll(size), seed, effect,
                                     threads, variants, work));
                std::fprintf(stderr, "%s\n", all.back().dump().c_str());
            }
        std::cout << all.dump(2) << std::endl;
        std::fprintf(stderr, "\n| family | applicants | baseline | ceiling | Bayes |");
        for (const auto &v : variants)
            std::fprintf(stderr, " %s | closed |", v.name.c_str());
        std::fprintf(stderr, "\n|---|---|---|---|---|");
        for (size_t k = 0; k < variants.size(); ++k)
            std::fprintf(stderr, "---|---|");
        for (const auto &r : all) {
            std::fprintf(stderr, "\n| %s | %lld | %.4f | %.4f | %.4f |",
                         r["family"].get<std::string>().c_str(),
                         (long long)r["applicants"].get<int64_t>(), r["baseline"].get<double>(),
                         r["ceiling"].get<double>(), r["bayes"].get<double>());
            for (const auto &v : variants) {
                const json &m = r["sequence"][v.name];
                std::fprintf(
                    stderr, " %.4f | %s |", m["auc"].get<double>(),
                    m["closed"].is_null()
                        ? "n/a"
                        : (std::to_string(int(std::lround(100 * m["closed"].get<double>()))) + " %")
                              .c_str());
            }
        }
        std::fprintf(stderr, "\n");
    } catch (const std::exception &e) {
        std::fprintf(stderr, "seqlens-pattern-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
