// SPDX-License-Identifier: GPL-3.0-or-later
// seqlens-bench: prints JSON with preprocessing events/s, training sequences/s, scoring
// latency for one applicant from raw CSV rows (p50/p99), batch scoring throughput and peak
// memory. Optionally dumps the encoded training data for bench/reference_train.py.
//   seqlens-bench [--applicants N] [--threads T] [--batch-size B] [--dump DIR] [--work DIR]
#include "seqlens/data/synth.h"
#include "seqlens/score_workflow.h"
#include "seqlens/train_workflow.h"
#include "seqlens/util/version.h"

#include "bench_util.h"

#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>

using namespace seqlens;
using bench::Clock;
using bench::peakRssMiB;
using bench::since;
using nlohmann::json;

namespace {

template <typename T>
void dumpVector(const std::string &path, const std::vector<T> &v)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(v.data()), std::streamsize(v.size() * sizeof(T)));
}

void dumpEncoded(const std::string &dir, const EncodedDataset &e, const Encoder &enc,
                 const Config &cfg, const std::vector<int64_t> &trainRows)
{
    std::filesystem::create_directories(dir);
    dumpVector(dir + "/cat.i32", e.cat);
    dumpVector(dir + "/num.f32", e.num);
    dumpVector(dir + "/num_state.u8", e.numState);
    dumpVector(dir + "/offsets.i64", e.offsets);
    dumpVector(dir + "/labels.f32", e.labels);
    std::vector<uint8_t> train(size_t(e.applicantCount()), 0);
    for (int64_t a : trainRows)
        train[size_t(a)] = 1;
    dumpVector(dir + "/train.u8", train);
    json meta = {{"num_cat", e.numCat},
                 {"num_num", e.numNum},
                 {"cardinalities", enc.cardinalities()},
                 {"max_items", enc.maxItems()},
                 {"emb_dim", cfg.model.embDim},
                 {"heads", cfg.model.heads},
                 {"layers", cfg.model.layers},
                 {"dropout", cfg.model.dropout},
                 {"learning_rate", cfg.training.learningRate},
                 {"batch_size", cfg.training.batchSize},
                 {"grad_clip", cfg.training.gradClip}};
    std::ofstream(dir + "/meta.json") << meta.dump(2);
}

double percentile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
}

// Scores one applicant from its raw CSV rows (parse, cutoff, encode, forward), `reps` times.
json singleApplicantLatency(const ModelBundle &bundle, const RawDataset &raw,
                            const std::string &eventsPath, const std::string &work, int reps)
{
    // The applicant with the median history length, written as its own small CSV files.
    std::vector<int64_t> order(raw.applicants.size());
    std::iota(order.begin(), order.end(), int64_t(0));
    std::sort(order.begin(), order.end(),
              [&](int64_t a, int64_t b) { return raw.eventCount(a) < raw.eventCount(b); });
    const Applicant &ap = raw.applicants[size_t(order[order.size() / 2])];
    std::ifstream in(eventsPath);
    std::string line, header;
    std::getline(in, header);
    std::ofstream ev(work + "/one_events.csv"), lab(work + "/one_labels.csv");
    ev << header << "\n";
    int64_t rows = 0;
    while (std::getline(in, line))
        if (line.compare(0, ap.id.size() + 1, ap.id + ",") == 0) {
            ev << line << "\n";
            ++rows;
        }
    lab << "applicant_id,application_time,bad\n" << ap.id << "," << formatDays(ap.cutoff) << ",\n";
    ev.close();
    lab.close();
    std::vector<double> ms;
    for (int i = 0; i < reps; ++i) {
        auto t = Clock::now();
        auto s = scoreWithBundle(bundle, work + "/one_events.csv", work + "/one_labels.csv");
        ms.push_back(since(t) * 1000.0);
        if (s.size() != 1)
            throw std::runtime_error("single-applicant scoring returned " +
                                     std::to_string(s.size()));
    }
    return {{"raw_rows", rows},
            {"events_used",
             std::min<int64_t>(raw.eventCount(order[order.size() / 2]), bundle.encoder.maxItems())},
            {"p50_ms", percentile(ms, 0.5)},
            {"p99_ms", percentile(ms, 0.99)},
            {"reps", reps}};
}

} // namespace

int main(int argc, char **argv)
{
    int64_t applicants = 100000, threads = 2, batchSize = 256;
    std::string dump, work = "/tmp/seqlens-bench";
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--applicants")
            applicants = std::stoll(v);
        else if (k == "--threads")
            threads = std::stoll(v);
        else if (k == "--batch-size")
            batchSize = std::stoll(v);
        else if (k == "--dump")
            dump = v;
        else if (k == "--work")
            work = v;
        else {
            std::cerr << "unknown option " << k << "\n";
            return 2;
        }
    }
    try {
        setTorchThreads(threads);
        SynthSummary syn = writeSynthDataset({work + "/data", applicants, 1});
        Config cfg = loadConfig(syn.configPath);
        cfg.training.batchSize = batchSize;
        cfg.training.epochs = 1;
        cfg.training.threads = threads;
        // The architecture of bench/reference_train.py: one Transformer, attention pooling.
        cfg.model.itemAggregation = ItemAggregation::Transformer;
        cfg.model.pooling = Pooling::Attention;

        auto t0 = Clock::now();
        RawDataset raw = loadDataset(cfg);
        const double loadSec = since(t0);
        const auto splits = assignSplits(raw, cfg.training.validFraction, cfg.training.testFraction,
                                         cfg.training.seed);
        const auto trainRows = rowsIn(raw, splits, Split::Train);
        const auto validRows = rowsIn(raw, splits, Split::Valid);
        auto t1 = Clock::now();
        Encoder enc = Encoder::fit(raw, cfg, trainRows);
        EncodedDataset data = enc.encode(raw);
        const double encodeSec = since(t1), prepSec = loadSec + encodeSec;
        const double rssAfterPrep = peakRssMiB();
        if (!dump.empty())
            dumpEncoded(dump, data, enc, cfg, trainRows);

        // Training: one epoch; throughput measured between the first and last batch callbacks
        // (excludes validation and the first, warm-up batch).
        ModelBundle bundle;
        bundle.config = cfg;
        bundle.encoder = enc;
        bundle.model = std::make_unique<SequenceModel>(cfg.model, layoutOf(enc), cfg.training.seed);
        Clock::time_point firstBatch, lastBatch;
        int64_t batchesTimed = 0, lastBatchIndex = 0;
        TrainResult tr = trainModel(*bundle.model, data, trainRows, validRows, cfg.training,
                                    [&](const TrainProgress &p) {
                                        if (p.epochEnd)
                                            return;
                                        if (p.batch == 1)
                                            firstBatch = Clock::now();
                                        lastBatch = Clock::now();
                                        lastBatchIndex = p.batch;
                                        ++batchesTimed;
                                    });
        const int64_t trainCount = int64_t(trainRows.size());
        const double seqTimed = double(std::min(trainCount, lastBatchIndex * batchSize) -
                                       batchSize);
        const double trainSeqPerSec = seqTimed /
                                      std::chrono::duration<double>(lastBatch - firstBatch).count();

        // Batch scoring: encoded applicants through the model, and end to end from the CSV files.
        std::vector<int64_t> all(size_t(data.applicantCount()));
        std::iota(all.begin(), all.end(), int64_t(0));
        auto t2 = Clock::now();
        bundle.model->predict(data, all, 1024);
        const double predictSec = since(t2);
        auto t3 = Clock::now();
        auto scored = scoreWithBundle(bundle, syn.eventsPath, syn.labelsPath);
        const double e2eSec = since(t3);

        json single = singleApplicantLatency(bundle, raw, syn.eventsPath, work, 2000);
        json out = {{"machine", {{"threads", threads}, {"libtorch", torchVersion()}}},
                    {"data",
                     {{"applicants", applicants},
                      {"event_rows", raw.report.eventRows},
                      {"events_kept", raw.report.eventsKept}}},
                    {"preprocessing",
                     {{"load_seconds", loadSec},
                      {"fit_encode_seconds", encodeSec},
                      {"events_per_second", double(raw.report.eventRows) / prepSec},
                      {"load_events_per_second", double(raw.report.eventRows) / loadSec},
                      {"peak_rss_mib_after_preprocessing", rssAfterPrep}}},
                    {"training",
                     {{"batch_size", batchSize},
                      {"train_applicants", trainCount},
                      {"sequences_per_second", trainSeqPerSec},
                      {"epoch_seconds", tr.history.empty() ? 0.0 : tr.history[0].seconds}}},
                    {"scoring",
                     {{"single_applicant_from_raw_csv", single},
                      {"batch_model_applicants_per_second", double(all.size()) / predictSec},
                      {"batch_end_to_end_applicants_per_second", double(scored.size()) / e2eSec}}},
                    {"peak_rss_mib", peakRssMiB()}};
        std::cout << out.dump(2) << std::endl;
    } catch (const std::exception &e) {
        std::cerr << "seqlens-bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
