// SPDX-License-Identifier: GPL-3.0-or-later
// seqlens-sources-learning-bench: does the several-source model find a pattern that lies across
// tables, over several seeds and sizes? For each size and seed it generates synth --kind multi
// data (data/multi_synth.h: a bureau credit opened within days after a missed instalment; every
// table alone uninformative) and trains, with the same budget, seed and split: the
// several-source model, one model per single table, and one model on the tables stacked by hand
// into one. Prints one JSON line per run and a table of test AUCs.
//   seqlens-sources-learning-bench [--sizes 2000,6000] [--seeds 11,12,13] [--threads T]
//                                  [--aggregation gru|transformer|auto] [--work DIR]
#include "seqlens/data/config.h"
#include "seqlens/data/multi_synth.h"
#include "seqlens/train_workflow.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

using namespace seqlens;
using nlohmann::json;

namespace {

std::vector<int64_t> numbers(const std::string &list)
{
    std::vector<int64_t> out;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');)
        out.push_back(std::stoll(item));
    return out;
}

double testAuc(Config cfg, ItemAggregation aggregation, int64_t threads)
{
    cfg.model.itemAggregation = aggregation;
    cfg.training.epochs = 25;
    cfg.training.minEpochs = 15;
    cfg.training.threads = threads;
    return runTraining(cfg, TrainRequest{}).test.metrics.auc;
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<int64_t> sizes{2000, 6000}, seeds{11, 12, 13};
    int64_t threads = 2;
    std::string work = "/tmp/seqlens-sources-learning", aggregationName = "gru";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--sizes")
            sizes = numbers(v);
        else if (a == "--seeds")
            seeds = numbers(v);
        else if (a == "--threads")
            threads = std::stoll(v);
        else if (a == "--work")
            work = v;
        else if (a == "--aggregation")
            aggregationName = v;
        else {
            std::cerr << "unknown option " << a << "\n";
            return 2;
        }
    }
    const ItemAggregation aggregation = aggregationName == "transformer"
                                            ? ItemAggregation::Transformer
                                        : aggregationName == "auto" ? ItemAggregation::Auto
                                                                    : ItemAggregation::Gru;
    const std::vector<std::string> singles{"inst", "bureau", "balance", "app"};
    std::printf("%8s %5s %7s %7s %7s %7s %7s %8s\n", "size", "seed", "multi", "inst", "bureau",
                "balance", "app", "stacked");
    for (int64_t size : sizes)
        for (int64_t seed : seeds) {
            MultiSynthOptions o;
            o.outDir = work + "/" + std::to_string(size) + "_" + std::to_string(seed);
            o.applicants = size;
            o.seed = uint64_t(seed);
            writeMultiSourceSynth(o);
            const Config cfg = loadConfig(o.outDir + "/config.json");
            json row = {{"size", size}, {"seed", seed}, {"aggregation", aggregationName}};
            row["multi"] = testAuc(cfg, aggregation, threads);
            for (const auto &s : singles)
                row[s] = testAuc(singleSource(cfg, s), aggregation, threads);
            row["stacked"] = testAuc(loadConfig(writeStackedTable(o.outDir)), aggregation, threads);
            std::cerr << row.dump() << "\n";
            std::printf("%8lld %5lld %7.3f %7.3f %7.3f %7.3f %7.3f %8.3f\n", (long long)size,
                        (long long)seed, row["multi"].get<double>(), row["inst"].get<double>(),
                        row["bureau"].get<double>(), row["balance"].get<double>(),
                        row["app"].get<double>(), row["stacked"].get<double>());
            std::fflush(stdout);
            std::filesystem::remove_all(o.outDir);
        }
    return 0;
}
