// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/workflows.h"

#include "seqlens/util/error.h"
#include "seqlens/explain/global_attention.h"
#include "seqlens/util/text_util.h"
#include "seqlens/util/version.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <fstream>

namespace seqlens {

using nlohmann::json;

std::string utcNowIso()
{
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

namespace {

// Distribution of kept events per applicant: summary figures and a histogram.
json eventsPerApplicantJson(const RawDataset &d)
{
    std::vector<int64_t> n;
    for (int64_t a = 0; a < int64_t(d.applicants.size()); ++a)
        n.push_back(d.eventCount(a));
    if (n.empty())
        return {{"applicants", 0}};
    std::sort(n.begin(), n.end());
    double sum = 0;
    for (int64_t v : n)
        sum += double(v);
    auto quantile = [&](double q) {
        return n[std::min(n.size() - 1, size_t(q * double(n.size())))];
    };
    const int64_t edges[] = {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000};
    json hist = json::array();
    for (size_t i = 0; i < std::size(edges); ++i) {
        const int64_t lo = edges[i], hi = i + 1 < std::size(edges) ? edges[i + 1] : INT64_MAX;
        const auto count = std::lower_bound(n.begin(), n.end(), hi) -
                           std::lower_bound(n.begin(), n.end(), lo);
        json bin = {{"from", lo}, {"count", count}};
        if (hi != INT64_MAX)
            bin["to_exclusive"] = hi;
        hist.push_back(bin);
    }
    return {{"applicants", n.size()}, {"mean", sum / double(n.size())}, {"median", quantile(0.5)},
            {"p90", quantile(0.9)},   {"p99", quantile(0.99)},          {"max", n.back()},
            {"histogram", hist}};
}

} // namespace

std::string loadReportJson(const LoadReport &r, const RawDataset *data)
{
    json j = {{"events_path", r.eventsPath},
              {"labels_path", r.labelsPath},
              {"event_rows", r.eventRows},
              {"events_kept", r.eventsKept},
              {"events_after_cutoff", r.eventsAfterCutoff},
              {"events_unknown_entity", r.eventsUnknownEntity},
              {"label_rows", r.labelRows},
              {"label_missing", r.labelMissing},
              {"applicants", r.applicants},
              {"applicants_without_events", r.applicantsWithoutEvents},
              {"positives", r.positives},
              {"negatives", r.negatives},
              {"events_fingerprint", hex64(r.eventsFingerprint)},
              {"labels_fingerprint", hex64(r.labelsFingerprint)}};
    if (data) {
        j["events_per_applicant"] = eventsPerApplicantJson(*data);
        json fields = json::object();
        for (const auto &f : data->fields)
            fields[f.config.name] = {{"missing", f.missing},
                                     {"non_finite", f.nonFinite},
                                     {"invalid_as_missing", f.invalid},
                                     {"distinct", f.pool.size()}};
        j["fields"] = fields;
    }
    return j.dump();
}

std::string trainingHistoryJson(const std::vector<EpochRecord> &history)
{
    json out = json::array();
    for (const auto &h : history)
        out.push_back({{"epoch", h.epoch},
                       {"train_loss", h.trainLoss},
                       {"valid_loss", h.validLoss},
                       {"valid_auc", h.validAuc},
                       {"seconds", h.seconds}});
    return out.dump();
}

std::string bundleMetadataJson(uint64_t seed, int64_t threads, int64_t parameters,
                               double trainSeconds, const LoadReport &load,
                               const std::string &extra)
{
    json meta = {
        {"seqlens_version", seqlensVersion()},
        {"libtorch_version", torchVersion()},
        {"git_revision", gitRevision()},
        {"created", utcNowIso()},
        {"seed", seed},
        {"threads", threads},
        {"train_seconds", trainSeconds},
        {"parameters", parameters},
        {"data_fingerprints",
         {{"events", hex64(load.eventsFingerprint)}, {"labels", hex64(load.labelsFingerprint)}}}};
    meta.update(json::parse(extra));
    return meta.dump();
}

namespace {

SplitMetrics evaluate(const SequenceModel &model, const EncodedDataset &enc, const RawDataset &raw,
                      Split split)
{
    SplitMetrics out;
    auto idx = applicantsIn(enc, split);
    if (idx.empty()) {
        out.note = std::string("no applicants in the ") + toString(split) + " split";
        return out;
    }
    auto scores = model.predict(enc, idx);
    std::vector<int> labels;
    for (int64_t a : idx)
        labels.push_back(enc.labels[size_t(a)] > 0.5f);
    for (int64_t a : idx)
        out.entities.push_back(raw.applicants[size_t(a)].id);
    out.scores = scores;
    out.labels = labels;
    try {
        out.metrics = binaryMetrics(scores, labels);
        out.roc = rocCurve(scores, labels);
        out.ks = ksCurve(scores, labels);
        out.available = true;
    } catch (const Error &e) {
        out.note = std::string(toString(split)) + " split: " + e.what();
    }
    return out;
}

json metricsObject(const SplitMetrics &s)
{
    if (!s.available)
        return {{"auc", nullptr}, {"ks", nullptr}, {"note", s.note}};
    return {{"auc", s.metrics.auc},        {"ks", s.metrics.ks},
            {"gini", s.metrics.gini},      {"n", s.metrics.n},
            {"bads", s.metrics.positives}, {"ks_threshold", s.metrics.ksThreshold}};
}

} // namespace

std::string encodeReportJson(const EncodeReport &r, const Encoder &enc)
{
    json unseen = json::object(), missing = json::object();
    auto names = enc.inputNames();
    for (size_t i = 0; i < r.unseen.size(); ++i)
        unseen[enc.categorical()[i].name] = r.unseen[i];
    for (size_t i = 0; i < r.missing.size() && i < names.size(); ++i)
        missing[names[i]] = r.missing[i];
    return json{{"truncated_applicants", r.truncatedApplicants},
                {"truncated_events", r.truncatedEvents},
                {"unseen", unseen},
                {"missing", missing}}
        .dump();
}

namespace {

void logLoad(const LogFn &log, const LoadReport &r, const EncodeReport &e)
{
    if (!log)
        return;
    log("data: " + std::to_string(r.applicants) + " applicants (" + std::to_string(r.positives) +
        " bad, " + std::to_string(r.negatives) + " good, " +
        std::to_string(r.applicantsWithoutEvents) + " without events), " +
        std::to_string(r.eventsKept) + " events kept of " + std::to_string(r.eventRows) + " rows");
    log("data: " + std::to_string(r.eventsAfterCutoff) +
        " events at or after the cutoff excluded, " + std::to_string(r.eventsUnknownEntity) +
        " events of unlabeled entities ignored, " + std::to_string(r.labelMissing) +
        " label rows without a target skipped");
    log("data: " + std::to_string(e.truncatedApplicants) + " histories truncated to max_items (" +
        std::to_string(e.truncatedEvents) + " older events dropped)");
}

} // namespace

void writeCurveCsvs(const std::string &dir, const std::string &name,
                    const std::vector<RocPoint> &roc, const std::vector<KsPoint> &ks)
{
    std::ofstream r(dir + "/roc_" + name + ".csv"), k(dir + "/ks_" + name + ".csv");
    r.precision(10);
    k.precision(10);
    r << "threshold,fpr,tpr\n";
    for (const auto &p : roc)
        r << (std::isinf(p.threshold) ? std::string("inf") : formatNumber(p.threshold)) << ","
          << p.fpr << "," << p.tpr << "\n";
    k << "score,cum_good,cum_bad\n";
    for (const auto &p : ks)
        k << p.threshold << "," << p.cumGood << "," << p.cumBad << "\n";
    if (!r || !k)
        throwData(dir + ": cannot write the " + name + " curves");
}

TrainSummary runTraining(const TrainRequest &req)
{
    return runTraining(loadConfig(req.configPath), req);
}

TrainSummary runTraining(const Config &configIn, const TrainRequest &req)
{
    Config config = configIn;
    if (req.epochs)
        config.training.epochs = *req.epochs;
    if (req.seed)
        config.training.seed = *req.seed;
    if (req.threads)
        config.training.threads = *req.threads;
    TrainSummary sum;
    sum.threads = setTorchThreads(config.training.threads);

    RawDataset raw = loadDataset(config);
    assignSplits(raw, config.training.validFraction, config.training.testFraction,
                 config.training.seed);
    Encoder encoder = Encoder::fit(raw, config);
    EncodedDataset enc = encoder.encode(raw, &sum.encode);
    sum.load = raw.report;
    logLoad(req.log, sum.load, sum.encode);

    ModelBundle bundle;
    bundle.model = std::make_unique<SequenceModel>(config.model, layoutOf(encoder),
                                                   config.training.seed);
    if (req.log)
        req.log("model: " + std::string(toString(config.model.itemAggregation)) + ", " +
                std::to_string(bundle.model->parameterCount()) + " parameters, " +
                std::to_string(sum.threads) + " threads");
    sum.training = trainModel(*bundle.model, enc, config.training, req.progress, req.cancel);
    sum.cancelled = sum.training.cancelled;
    if (sum.cancelled)
        return sum;
    sum.valid = evaluate(*bundle.model, enc, raw, Split::Valid);
    sum.test = evaluate(*bundle.model, enc, raw, Split::Test);
    if (req.explainGlobally) {
        const auto explained = applicantsIn(enc,
                                            sum.test.entities.empty() ? Split::Valid : Split::Test);
        sum.globalAttentionJson = globalAttentionJson(globalAttention(
            *bundle.model, encoder, raw, enc, explained, config.sequence.timeBucketsDays));
    }

    const double seqPerSec = sum.training.seconds > 0
                                 ? double(sum.training.sequencesSeen) / sum.training.seconds
                                 : 0.0;
    json metrics = {
        {"valid", metricsObject(sum.valid)},     {"test", metricsObject(sum.test)},
        {"best_epoch", sum.training.bestEpoch},  {"epochs_run", sum.training.epochsRun},
        {"train_seconds", sum.training.seconds}, {"train_sequences_per_second", seqPerSec}};
    sum.metricsJson = metrics.dump(2);
    json report = {{"load", json::parse(loadReportJson(sum.load, &raw))},
                   {"encode", json::parse(encodeReportJson(sum.encode, encoder))}};
    bundle.config = config;
    bundle.encoder = encoder;
    bundle.metricsJson = metrics.dump();
    bundle.metadataJson = bundleMetadataJson(config.training.seed, sum.threads,
                                             bundle.model->parameterCount(), sum.training.seconds,
                                             sum.load);
    bundle.historyJson = trainingHistoryJson(sum.training.history);
    bundle.reportJson = report.dump();
    sum.reportJson = bundle.reportJson;
    if (!req.outDir.empty()) {
        saveBundle(req.outDir, bundle);
        for (const auto &[name, m] : {std::pair{"valid", &sum.valid}, std::pair{"test", &sum.test}})
            if (m->available)
                writeCurveCsvs(req.outDir, name, m->roc, m->ks);
    }
    return sum;
}

} // namespace seqlens
