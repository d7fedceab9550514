// SPDX-License-Identifier: GPL-3.0-or-later
// seqlens-sources-bench: several event sources at scale. Generates synth --kind multi data (four
// tables, two with clocks counted from the cutoff, one joined through a via table), then prints
// JSON with: load + join + merge, encoder fit and encode, as event rows per second and peak
// memory; and training throughput (sequences/s, one epoch on the same training applicants) of
// the several-source model against a one-source model of the same rows (the tables stacked).
//   seqlens-sources-bench [--applicants N] [--threads T] [--train N] [--work DIR]
#include "seqlens/data/multi_synth.h"
#include "seqlens/nn/sequence_model.h"
#include "seqlens/nn/trainer.h"
#include "seqlens/train_workflow.h"

#include "bench_util.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <chrono>
#include <iostream>

using namespace seqlens;
using bench::Clock;
using bench::peakRssMiB;
using bench::since;
using nlohmann::json;

namespace {

// Loads, fits and encodes; then trains one epoch on the first `trainLimit` training applicants
// and returns the figures.
json measure(const std::string &configPath, int64_t threads, int64_t trainLimit)
{
    Config cfg = loadConfig(configPath);
    cfg.training.threads = threads;
    cfg.training.epochs = 1;
    cfg.training.batchSize = 64;
    cfg.model.itemAggregation = ItemAggregation::Transformer;
    auto t0 = Clock::now();
    const RawDataset raw = loadDataset(cfg);
    const double loadSec = since(t0);
    const auto splits = assignSplits(raw, cfg.training.validFraction, cfg.training.testFraction,
                                     cfg.training.seed);
    auto train = rowsIn(raw, splits, Split::Train);
    auto t1 = Clock::now();
    const Encoder enc = Encoder::fit(raw, cfg, train);
    const EncodedDataset data = enc.encode(raw, nullptr, threads);
    const double encodeSec = since(t1);
    const double rss = peakRssMiB();
    if (int64_t(train.size()) > trainLimit)
        train.resize(size_t(trainLimit));
    SequenceModel model(cfg.model, layoutOf(enc), cfg.training.seed);
    const TrainResult tr = trainModel(model, data, train, {}, cfg.training, {});
    const double epochSec = tr.history.empty() ? 0.0 : tr.history[0].seconds;
    return {{"sources", int64_t(cfg.events.size())},
            {"event_rows", raw.report.eventRows},
            {"events_kept", int64_t(data.rawEvent.size())},
            {"applicants", int64_t(raw.applicants.size())},
            {"load_join_seconds", loadSec},
            {"fit_encode_seconds", encodeSec},
            {"events_per_second", double(raw.report.eventRows) / (loadSec + encodeSec)},
            {"peak_rss_mib_after_preprocessing", rss},
            {"train_applicants", int64_t(train.size())},
            {"epoch_seconds", epochSec},
            {"sequences_per_second", epochSec > 0 ? double(train.size()) / epochSec : 0.0}};
}

} // namespace

int main(int argc, char **argv)
{
    int64_t applicants = 270000, threads = 2, trainLimit = 20000;
    std::string work = "/tmp/seqlens-sources-bench";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--applicants")
            applicants = std::stoll(v);
        else if (k == "--threads")
            threads = std::stoll(v);
        else if (k == "--train")
            trainLimit = std::stoll(v);
        else if (k == "--work")
            work = v;
        else {
            std::cerr << "unknown option " << k << "\n";
            return 2;
        }
    }
    try {
        setTorchThreads(threads);
        auto t0 = Clock::now();
        const MultiSynthSummary s = writeMultiSourceSynth({work, applicants, 1});
        const double genSec = since(t0);
        const json multi = measure(s.configPath, threads, trainLimit);
        const std::string stackedPath = writeStackedTable(work);
        const json stacked = measure(stackedPath, threads, trainLimit);
        const double ratio = multi["sequences_per_second"].get<double>() /
                             stacked["sequences_per_second"].get<double>();
        std::cout << json{{"threads", threads},
                          {"generate_seconds", genSec},
                          {"several_sources", multi},
                          {"stacked_one_source", stacked},
                          {"training_throughput_ratio", ratio}}
                         .dump(2)
                  << std::endl;
    } catch (const std::exception &e) {
        std::cerr << "seqlens-sources-bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
