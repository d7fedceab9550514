// SPDX-License-Identifier: GPL-3.0-or-later
#include "config_reader.h"
#include "seqlens/util/error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <fstream>
#include <set>
#include <sstream>

namespace seqlens {

using nlohmann::json;
using namespace config_detail;

namespace {

void readLabels(Reader &r, const json &root, Config &c)
{
    const json *lj = r.member(root, "labels", "", true);
    if (!lj)
        return;
    const std::string p = "/labels";
    LabelConfig &l = c.labels;
    if (!r.object(*lj, p,
                  {"path", "entity", "target", "positive", "negative", "cutoff", "cutoff_format",
                   "cutoff_unit", "cutoff_origin", "cutoff_value", "split", "delimiter",
                   "features"}))
        return;
    r.str(*lj, "path", p, l.path, true);
    r.str(*lj, "entity", p, l.entity, true);
    r.str(*lj, "target", p, l.target, true);
    r.strings(*lj, "positive", p, l.positive, true);
    r.strings(*lj, "negative", p, l.negative, false);
    r.optStr(*lj, "cutoff", p, l.cutoff);
    if (const json *v = r.member(*lj, "cutoff_value", p, false); v && !v->is_null()) {
        if (v->is_string() && !v->get<std::string>().empty())
            l.cutoffValue = v->get<std::string>();
        else
            r.problem(p + "/cutoff_value",
                      "expected a time (cutoff format or ISO date) or null, got " + shown(*v));
    }
    r.timeFormat(*lj, p, "cutoff_format", "cutoff_unit", "cutoff_origin", l.cutoffFormat);
    readSplit(r, *lj, p, l);
    r.delimiter(*lj, p, l.delimiter);
    if (const json *fs = r.member(*lj, "features", p, false)) {
        if (!fs->is_array()) {
            r.problem(p + "/features", std::string("expected an array, got ") + typeName(*fs));
        } else {
            for (size_t k = 0; k < fs->size(); ++k) {
                std::string fp = p + "/features/" + std::to_string(k);
                StaticFeatureConfig f;
                if (r.object((*fs)[k], fp, {"name", "type"})) {
                    r.str((*fs)[k], "name", fp, f.name, true);
                    r.choice(
                        (*fs)[k], "type", fp, f.type,
                        {{"categorical", FieldType::Categorical}, {"numeric", FieldType::Numeric}});
                }
                l.features.push_back(f);
            }
        }
    }
}

void readSequence(Reader &r, const json &root, SequenceConfig &s)
{
    const json *j = r.member(root, "sequence", "", false);
    if (!j ||
        !r.object(*j, "/sequence",
                  {"max_items", "time_buckets_days", "time_since_previous", "time_before_cutoff",
                   "time_since_same", "change_since_same"}))
        return;
    r.integer(*j, "max_items", "/sequence", s.maxItems, limits::maxItems);
    r.boolean(*j, "time_since_previous", "/sequence", s.timeSincePrevious);
    r.boolean(*j, "time_before_cutoff", "/sequence", s.timeBeforeCutoff);
    r.strings(*j, "time_since_same", "/sequence", s.timeSinceSame, false);
    r.strings(*j, "change_since_same", "/sequence", s.changeSinceSame, false);
    r.days(*j, "time_buckets_days", "/sequence", s.timeBucketsDays);
}

void readModel(Reader &r, const json &root, ModelConfig &m)
{
    const json *j = r.member(root, "model", "", false);
    if (!j || !r.object(*j, "/model",
                        {"emb_dim", "heads", "layers", "ff_dim", "item_aggregation", "positions",
                         "dropout", "time_bias", "local_order", "pooling", "head",
                         "calibration", "numeric_encoding", "time_encoding"}))
        return;
    r.integer(*j, "emb_dim", "/model", m.embDim, limits::embDim);
    r.integer(*j, "heads", "/model", m.heads, limits::heads);
    r.integer(*j, "layers", "/model", m.layers, limits::layers);
    r.integer(*j, "ff_dim", "/model", m.ffDim, limits::ffDim);
    r.choice(*j, "item_aggregation", "/model", m.itemAggregation,
             {{"transformer", ItemAggregation::Transformer},
              {"gru", ItemAggregation::Gru},
              {"lstm", ItemAggregation::Lstm},
              {"none", ItemAggregation::None},
              {"auto", ItemAggregation::Auto}});
    r.boolean(*j, "positions", "/model", m.positions);
    r.number(*j, "dropout", "/model", m.dropout, limits::dropout);
    r.boolean(*j, "time_bias", "/model", m.timeBias);
    r.boolean(*j, "local_order", "/model", m.localOrder);
    r.choice(*j, "numeric_encoding", "/model", m.numericEncoding,
             {{"linear", NumericEmbedding::Linear}, {"periodic", NumericEmbedding::Periodic}});
    r.choice(*j, "time_encoding", "/model", m.timeEncoding,
             {{"buckets", TimeEncoding::Buckets}, {"continuous", TimeEncoding::Continuous}});
    r.choice(*j, "pooling", "/model", m.pooling,
             {{"attention", Pooling::Attention},
              {"all", Pooling::All},
              {"all_inputs", Pooling::AllInputs}});
    r.choice(*j, "head", "/model", m.head, {{"mlp", Head::Mlp}, {"skip", Head::Skip}});
    r.choice(*j, "calibration", "/model", m.calibration,
             {{"platt", CalibrationMethod::Platt},
              {"isotonic", CalibrationMethod::Isotonic},
              {"none", CalibrationMethod::None}});
}

void readTraining(Reader &r, const json &root, TrainingConfig &t)
{
    const json *j = r.member(root, "training", "", false);
    const std::string p = "/training";
    if (!j ||
        !r.object(*j, p,
                  {"epochs", "batch_size", "learning_rate", "weight_decay", "embedding_lr_scale",
                   "derived_lr_scale", "pos_weight", "grad_clip", "patience", "min_epochs",
                   "lr_schedule", "warmup_epochs", "seed", "valid_fraction", "test_fraction",
                   "threads"}))
        return;
    r.integer(*j, "epochs", p, t.epochs, limits::epochs);
    r.integer(*j, "batch_size", p, t.batchSize, limits::batchSize);
    r.number(*j, "learning_rate", p, t.learningRate, limits::learningRate);
    r.number(*j, "weight_decay", p, t.weightDecay, limits::weightDecay);
    r.number(*j, "embedding_lr_scale", p, t.embeddingLrScale, limits::embeddingLrScale);
    r.optNumber(*j, "derived_lr_scale", p, t.derivedLrScale, limits::derivedLrScale);
    r.number(*j, "pos_weight", p, t.posWeight, limits::posWeight);
    r.number(*j, "grad_clip", p, t.gradClip, limits::gradClip);
    r.integer(*j, "patience", p, t.patience, limits::patience);
    r.integer(*j, "min_epochs", p, t.minEpochs, limits::minEpochs);
    r.choice(*j, "lr_schedule", p, t.lrSchedule,
             {{"constant", LrSchedule::Constant}, {"warmup_cosine", LrSchedule::WarmupCosine}});
    r.number(*j, "warmup_epochs", p, t.warmupEpochs, limits::warmupEpochs);
    int64_t seed = int64_t(t.seed);
    r.integer(*j, "seed", p, seed, limits::seed);
    if (seed < 0) // validate() sees a seed it can report
        r.problem(p + "/seed", "expected an integer in [0, " + std::to_string(limits::seed.hi) +
                                   "], got " + std::to_string(seed));
    else
        t.seed = uint64_t(seed);
    r.number(*j, "valid_fraction", p, t.validFraction, limits::validFraction);
    r.number(*j, "test_fraction", p, t.testFraction, limits::testFraction);
    r.integer(*j, "threads", p, t.threads, limits::threads);
}

} // namespace

namespace {

// The JSON pointer of the value being parsed, kept up to date by nlohmann's parser callback, so
// an error the parser throws without a position (a number that overflows a double) gets one.
class PathTracker {
public:
    bool operator()(int, json::parse_event_t event, json &parsed)
    {
        switch (event) {
        case json::parse_event_t::object_start: m_stack.push_back({false, {}, 0}); break;
        case json::parse_event_t::array_start: m_stack.push_back({true, {}, 0}); break;
        case json::parse_event_t::key: m_stack.back().key = parsed.get<std::string>(); break;
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
            m_stack.pop_back();
            elementDone();
            break;
        case json::parse_event_t::value: elementDone(); break;
        }
        return true;
    }
    std::string path() const
    {
        std::string p;
        for (const auto &f : m_stack)
            p += "/" + (f.array ? std::to_string(f.count) : f.key);
        return p.empty() ? "/" : p;
    }

private:
    void elementDone()
    {
        if (!m_stack.empty() && m_stack.back().array)
            ++m_stack.back().count;
    }
    struct Frame {
        bool array;
        std::string key;
        int64_t count;
    };
    std::vector<Frame> m_stack;
};

json parseJsonText(const std::string &text, const std::string &sourceName)
{
    PathTracker tracker;
    try {
        return json::parse(text, std::ref(tracker));
    } catch (const json::parse_error &e) {
        // nlohmann reports a byte offset; turn it into line:column.
        size_t off = std::min<size_t>(e.byte, text.size());
        size_t line = 1, col = 1;
        for (size_t i = 0; i + 1 < off; ++i) {
            if (text[i] == '\n') {
                ++line;
                col = 1;
            } else
                ++col;
        }
        std::string what = e.what();
        auto pos = what.find("syntax error");
        throw ConfigError(
            {sourceName + ":" + std::to_string(line) + ":" + std::to_string(col) +
             ": invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos))});
    } catch (const json::out_of_range &e) { // 406: a number too large for a double
        std::string what = e.what(), token = "a number";
        if (auto a = what.find('\''), b = what.rfind('\''); a != std::string::npos && b > a)
            token = what.substr(a + 1, b - a - 1);
        throw ConfigError({sourceName + ": " + tracker.path() + ": expected a number, got " +
                           token + ", which is out of the range of a double"});
    }
}

} // namespace

Config parseConfig(const std::string &text, const std::string &sourceName,
                   const std::string &baseDir)
{
    const json root = parseJsonText(text, sourceName);
    std::vector<std::string> problems;
    Reader r(problems, sourceName);
    Config c;
    c.baseDir = baseDir;
    const bool rootIsObject = r.object(root, "",
                                       {"schema_version", "events", "labels", "sequence", "model",
                                        "training", "baseline", "explain", "monitoring",
                                        "comment"});
    if (rootIsObject) {
        const json *sv = r.member(root, "schema_version", "", true);
        if (sv && !(sv->is_number_integer() && sv->get<int64_t>() == 1))
            r.problem("/schema_version",
                      "expected 1 (the version this SeqLens reads), got " + shown(*sv));
        readEvents(r, root, c);
        readLabels(r, root, c);
        readSequence(r, root, c.sequence);
        readModel(r, root, c.model);
        readTraining(r, root, c.training);
        readBaseline(r, root, c.baseline);
        readExplain(r, root, c.explain);
        readMonitoring(r, root, c.monitoring);
    }
    // Then the semantic checks, except where the JSON already has a problem.
    if (rootIsObject)
        for (const auto &p : validate(c))
            if (!r.covered(p.path))
                problems.push_back(sourceName + ": " + p.path + ": " + p.message);
    if (!problems.empty())
        throw ConfigError(problems);
    return c;
}

Config loadConfig(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Config, path + ": cannot open config file");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string base =
        std::filesystem::absolute(std::filesystem::path(path)).parent_path().string();
    return parseConfig(ss.str(), path, base);
}

} // namespace seqlens
