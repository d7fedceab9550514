// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/bundle.h"

#include "seqlens/util/error.h"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace seqlens {

using nlohmann::json;
namespace fs = std::filesystem;

uint32_t fileCrc32(const std::string &path, int64_t *size)
{
    std::FILE *fp = std::fopen(path.c_str(), "rb");
    if (!fp)
        throwData(path + ": cannot open: missing bundle file");
    uLong crc = crc32(0L, Z_NULL, 0);
    std::vector<unsigned char> buf(1 << 16);
    size_t n;
    int64_t total = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), fp)) > 0) {
        crc = crc32(crc, buf.data(), uInt(n));
        total += int64_t(n);
    }
    std::fclose(fp);
    if (size)
        *size = total;
    return uint32_t(crc);
}

namespace {

void writeText(const fs::path &path, const std::string &text)
{
    fs::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out)
            throwData(path.string() + ": cannot write");
    }
    fs::rename(tmp, path);
}

std::string readText(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throwData(path.string() + ": cannot open: missing bundle file");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

json parseJson(const std::string &text, const std::string &where)
{
    try {
        return json::parse(text);
    } catch (const json::exception &e) {
        throwData(where + ": not valid JSON (" + std::string(e.what()) +
                  "); the bundle is corrupted");
    }
}

// A bundle's config has every key written out, so a model key it lacks predates the key: the
// architecture it was trained with is the one without the feature, whatever today's default.
json withLegacyModelKeys(json config)
{
    if (!config.contains("model") || !config["model"].is_object())
        return config;
    json &m = config["model"];
    const std::pair<const char *, json> legacy[] = {
        {"time_bias", false}, {"local_order", false}, {"pooling", "attention"},
        {"head", "mlp"},      {"numeric_encoding", "linear"}, {"time_encoding", "buckets"}};
    for (const auto &[key, value] : legacy)
        if (!m.contains(key))
            m[key] = value;
    return config;
}

std::unique_ptr<SequenceModel> loadModel(const Config &config, const Encoder &encoder,
                                         const std::string &weights)
{
    auto model =
        std::make_unique<SequenceModel>(config.model, layoutOf(encoder), config.training.seed);
    model->loadWeights(weights);
    return model;
}

void checkReference(const std::vector<float> &reference, const Encoder &encoder,
                    const Config &config, const std::string &where)
{
    const size_t cells = encoder.inputNames().size() * size_t(config.model.embDim);
    if (!reference.empty() && reference.size() != cells)
        throwData(where + "/mean_input_embedding: expected " + std::to_string(cells) +
                  " numbers (inputs x emb_dim), got " + std::to_string(reference.size()));
}

ItemAggregation trainedAggregation(const std::string &name, const std::string &where)
{
    for (ItemAggregation a : {ItemAggregation::Transformer, ItemAggregation::Gru,
                              ItemAggregation::Lstm, ItemAggregation::None})
        if (name == toString(a))
            return a;
    throwData(where + ": expected transformer, gru, lstm or none, found \"" + name + "\"");
}

// The other fold models of a bag (bundle.json "bag"); every weights file must be in the manifest.
std::vector<BagMember> loadBag(const json &bag, const Config &config, const fs::path &dir,
                               const json &manifestFiles, const std::string &bundlePath)
{
    std::vector<BagMember> out;
    try {
        const json &folds = bag.at("other_folds");
        if (bag.at("folds").get<size_t>() != folds.size() + 1 || folds.empty())
            throwData(bundlePath + ": /bag/folds: expected the number of other_folds + 1 (>= 2)");
        for (size_t k = 0; k < folds.size(); ++k) {
            const std::string where = bundlePath + ": /bag/other_folds/" + std::to_string(k);
            const std::string weights = folds[k].at("weights").get<std::string>();
            if (!manifestFiles.contains(weights) || weights.find('/') != std::string::npos)
                throwData(where + "/weights: \"" + weights + "\" is not a file of the manifest");
            BagMember m;
            Config own = config; // "auto" may keep another aggregation in each fold
            own.model.itemAggregation = trainedAggregation(
                folds[k].at("item_aggregation").get<std::string>(), where + "/item_aggregation");
            m.encoder = Encoder::fromJson(folds[k].at("encoder").dump(), bundlePath);
            m.referenceEmbedding =
                folds[k].at("reference").at("mean_input_embedding").get<std::vector<float>>();
            checkReference(m.referenceEmbedding, m.encoder, config, where + "/reference");
            m.model = loadModel(own, m.encoder, (dir / weights).string());
            out.push_back(std::move(m));
        }
    } catch (const json::exception &e) {
        throwData(bundlePath + ": /bag: " + std::string(e.what()));
    }
    return out;
}

} // namespace

void saveBundle(const std::string &dirText, const ModelBundle &b)
{
    fs::path dir(dirText);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throwData(dirText + ": cannot create bundle directory: " + ec.message());
    b.model->saveWeights((dir / "weights.pt").string());
    std::vector<std::string> files = {"weights.pt", "bundle.json", "metrics.json"};
    json bag = json::array();
    for (size_t k = 0; k < b.otherFolds.size(); ++k) {
        const BagMember &m = b.otherFolds[k];
        const std::string weights = "weights_fold_" + std::to_string(k + 2) + ".pt";
        m.model->saveWeights((dir / weights).string());
        files.push_back(weights);
        bag.push_back({{"weights", weights},
                       {"item_aggregation", toString(m.model->config().itemAggregation)},
                       {"encoder", json::parse(m.encoder.toJson())},
                       {"reference", {{"mean_input_embedding", m.referenceEmbedding}}}});
    }
    const int version = b.isBag() ? 2 : 1; // older readers keep reading single models
    json bundle = {{"format", "seqlens-model"},
                   {"format_version", version},
                   {"config", json::parse(configToJson(b.config))},
                   {"encoder", json::parse(b.encoder.toJson())},
                   {"metrics", b.metrics},
                   {"metadata", b.metadata},
                   {"history", b.history},
                   {"report", b.report},
                   {"reference", {{"mean_input_embedding", b.referenceEmbedding}}},
                   {"calibration", calibratorJson(b.calibrator)}};
    if (b.isBag())
        bundle["bag"] = {{"folds", bag.size() + 1}, {"other_folds", bag}};
    writeText(dir / "bundle.json", bundle.dump(2));
    writeText(dir / "metrics.json", b.metrics.dump(2));
    json listed = json::object();
    for (const std::string &name : files) {
        int64_t size = 0;
        uint32_t crc = fileCrc32((dir / name).string(), &size);
        listed[name] = {{"bytes", size}, {"crc32", crc}};
    }
    writeText(dir / "manifest.json", json({{"format", "seqlens-model"},
                                           {"format_version", version},
                                           {"files", listed}})
                                         .dump(2));
}

ModelBundle loadBundle(const std::string &dirText)
{
    fs::path dir(dirText);
    if (!fs::is_directory(dir))
        throwData(
            dirText +
            ": not a model bundle directory (expected manifest.json, bundle.json, weights.pt)");
    const std::string manifestPath = (dir / "manifest.json").string();
    json manifest = parseJson(readText(manifestPath), manifestPath);
    if (manifest.value("format", "") != "seqlens-model")
        throwData(manifestPath + ": /format: expected \"seqlens-model\"");
    if (manifest.value("format_version", 0) > kBundleFormatVersion)
        throwData(manifestPath + ": /format_version: bundle written by a newer SeqLens (version " +
                  std::to_string(manifest.value("format_version", 0)) +
                  "); this one reads version " + std::to_string(kBundleFormatVersion));
    if (!manifest.contains("files") || !manifest["files"].is_object())
        throwData(manifestPath + ": /files: expected an object listing the bundle files");
    for (auto &[name, info] : manifest["files"].items()) {
        int64_t size = 0;
        const std::string path = (dir / name).string();
        uint32_t crc = fileCrc32(path, &size);
        if (size != info.value("bytes", int64_t(-1)))
            throwData(path + ": truncated or changed: " + std::to_string(size) +
                      " bytes, manifest says " + std::to_string(info.value("bytes", int64_t(-1))));
        if (crc != info.value("crc32", uint32_t(0)))
            throwData(path + ": corrupted: CRC-32 does not match the manifest");
    }
    const std::string bundlePath = (dir / "bundle.json").string();
    json j = parseJson(readText(bundlePath), bundlePath);
    ModelBundle b;
    try {
        b.config = parseConfig(withLegacyModelKeys(j.at("config")).dump(),
                               bundlePath + "#/config", "");
        b.encoder = Encoder::fromJson(j.at("encoder").dump(), bundlePath);
        b.metrics = j.at("metrics");
        b.metadata = j.at("metadata");
        b.history = j.at("history");
        b.report = j.value("report", json::object());
        if (j.contains("calibration"))
            b.calibrator = calibratorFromJson(j.at("calibration"), bundlePath);
        if (j.contains("reference"))
            b.referenceEmbedding =
                j.at("reference").at("mean_input_embedding").get<std::vector<float>>();
    } catch (const json::exception &e) {
        throwData(bundlePath + ": missing part (" + std::string(e.what()) + ")");
    } catch (const ConfigError &e) {
        throwData(std::string("invalid config inside the bundle: ") + e.problems().front());
    }
    b.model = loadModel(b.config, b.encoder, (dir / "weights.pt").string());
    checkReference(b.referenceEmbedding, b.encoder, b.config, bundlePath + ": /reference");
    if (j.contains("bag"))
        b.otherFolds = loadBag(j.at("bag"), b.config, dir, manifest.at("files"), bundlePath);
    return b;
}

} // namespace seqlens
