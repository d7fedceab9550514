// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/config.h"

#include "seqlens/data/csv_reader.h"
#include "seqlens/util/error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace seqlens {

using nlohmann::json;

namespace {

const char *typeName(const json &v)
{
    if (v.is_null())
        return "null";
    if (v.is_boolean())
        return "a boolean";
    if (v.is_number_integer() || v.is_number_unsigned())
        return "an integer";
    if (v.is_number())
        return "a number";
    if (v.is_string())
        return "a string";
    if (v.is_array())
        return "an array";
    return "an object";
}

std::string shown(const json &v)
{
    std::string s = v.dump();
    return s.size() > 40 ? s.substr(0, 40) + "..." : s;
}

// Walks one JSON object, records problems with their JSON pointers, and flags unknown keys.
class Reader {
public:
    Reader(std::vector<std::string> &problems, std::string source)
        : m_problems(problems), m_source(std::move(source))
    {}

    void problem(const std::string &path, const std::string &msg)
    {
        m_problems.push_back(m_source + ": " + path + ": " + msg);
    }

    // Checks that `v` is an object and that it has only `allowed` keys.
    bool object(const json &v, const std::string &path, std::initializer_list<const char *> allowed)
    {
        if (!v.is_object()) {
            problem(path.empty() ? "/" : path,
                    std::string("expected an object, got ") + typeName(v));
            return false;
        }
        std::set<std::string> ok(allowed.begin(), allowed.end());
        for (auto it = v.begin(); it != v.end(); ++it)
            if (!ok.count(it.key())) {
                std::string list;
                for (auto *k : allowed)
                    list += std::string(list.empty() ? "" : ", ") + k;
                problem(path + "/" + it.key(), "unknown key (expected one of: " + list + ")");
            }
        return true;
    }

    const json *member(const json &obj, const char *key, const std::string &path, bool required)
    {
        if (!obj.is_object())
            return nullptr;
        auto it = obj.find(key);
        if (it == obj.end()) {
            if (required)
                problem(path + "/" + key, "required key is missing");
            return nullptr;
        }
        return &*it;
    }

    void str(const json &obj, const char *key, const std::string &path, std::string &out,
             bool required = false)
    {
        const json *v = member(obj, key, path, required);
        if (!v)
            return;
        if (!v->is_string() || v->get<std::string>().empty())
            problem(path + "/" + key, std::string("expected a non-empty string, got ") + shown(*v));
        else
            out = v->get<std::string>();
    }

    void optStr(const json &obj, const char *key, const std::string &path,
                std::optional<std::string> &out)
    {
        const json *v = member(obj, key, path, false);
        if (!v || v->is_null())
            return;
        if (!v->is_string() || v->get<std::string>().empty())
            problem(path + "/" + key,
                    std::string("expected a column name or null, got ") + shown(*v));
        else
            out = v->get<std::string>();
    }

    void integer(const json &obj, const char *key, const std::string &path, int64_t &out,
                 int64_t lo, int64_t hi)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        if (!v->is_number_integer() && !v->is_number_unsigned()) {
            problem(path + "/" + key, "expected an integer in [" + std::to_string(lo) + ", " +
                                          std::to_string(hi) + "], got " + shown(*v));
            return;
        }
        int64_t x = v->get<int64_t>();
        if (x < lo || x > hi)
            problem(path + "/" + key, "expected an integer in [" + std::to_string(lo) + ", " +
                                          std::to_string(hi) + "], got " + std::to_string(x));
        else
            out = x;
    }

    void number(const json &obj, const char *key, const std::string &path, double &out, double lo,
                double hi, bool hiOpen = false)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        std::ostringstream range;
        range << "a number in [" << lo << ", " << hi << (hiOpen ? ")" : "]");
        if (!v->is_number()) {
            problem(path + "/" + key, "expected " + range.str() + ", got " + shown(*v));
            return;
        }
        double x = v->get<double>();
        if (x < lo || x > hi || (hiOpen && x >= hi))
            problem(path + "/" + key, "expected " + range.str() + ", got " + shown(*v));
        else
            out = x;
    }

    void boolean(const json &obj, const char *key, const std::string &path, bool &out)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        if (!v->is_boolean())
            problem(path + "/" + key, std::string("expected true or false, got ") + shown(*v));
        else
            out = v->get<bool>();
    }

    template <typename E>
    void choice(const json &obj, const char *key, const std::string &path, E &out,
                std::initializer_list<std::pair<const char *, E>> options)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        std::string list;
        for (auto &o : options) {
            list += std::string(list.empty() ? "" : ", ") + "\"" + o.first + "\"";
            if (v->is_string() && v->get<std::string>() == o.first) {
                out = o.second;
                return;
            }
        }
        problem(path + "/" + key, "expected one of " + list + ", got " + shown(*v));
    }

    void strings(const json &obj, const char *key, const std::string &path,
                 std::vector<std::string> &out, bool required)
    {
        const json *v = member(obj, key, path, required);
        if (!v)
            return;
        if (!v->is_array() || (required && v->empty())) {
            problem(path + "/" + key, std::string("expected a ") + (required ? "non-empty " : "") +
                                          "array of strings, got " + shown(*v));
            return;
        }
        out.clear();
        for (size_t i = 0; i < v->size(); ++i) {
            const json &e = (*v)[i];
            if (e.is_string())
                out.push_back(e.get<std::string>());
            else if (e.is_number_integer())
                out.push_back(std::to_string(e.get<int64_t>()));
            else
                problem(path + "/" + key + "/" + std::to_string(i),
                        std::string("expected a string, got ") + shown(e));
        }
    }

    // A non-empty array of at most maxCount positive, strictly ascending numbers of days.
    void ascendingDays(const json &obj, const char *key, const std::string &path,
                       std::vector<double> &out, size_t maxCount)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        bool ok = v->is_array() && !v->empty() && v->size() <= maxCount;
        std::vector<double> days;
        for (size_t i = 0; ok && i < v->size(); ++i) {
            ok = (*v)[i].is_number() && (*v)[i].get<double>() > 0 &&
                 (days.empty() || (*v)[i].get<double>() > days.back());
            if (ok)
                days.push_back((*v)[i].get<double>());
        }
        if (!ok)
            problem(path + "/" + key, "expected 1 to " + std::to_string(maxCount) +
                                          " positive, strictly ascending numbers of days, got " +
                                          shown(*v));
        else
            out = days;
    }

    void delimiter(const json &obj, const std::string &path, char &out)
    {
        std::string d = "auto";
        const json *v = member(obj, "delimiter", path, false);
        if (!v)
            return;
        if (!v->is_string() || !parseDelimiterSetting(v->get<std::string>(), out))
            problem(path + "/delimiter",
                    "expected \"auto\", \",\", \";\" or \"\\t\", got " + shown(*v));
    }

    void timeFormat(const json &obj, const std::string &path, const char *fmtKey,
                    const char *unitKey, const char *originKey, TimeFormat &out)
    {
        str(obj, fmtKey, path, out.format);
        str(obj, unitKey, path, out.unit);
        str(obj, originKey, path, out.origin);
        std::string p = TimeParser::validate(out);
        if (!p.empty())
            problem(path + "/" + fmtKey, p);
    }

private:
    std::vector<std::string> &m_problems;
    std::string m_source;
};

void readField(Reader &r, const json &j, const std::string &path, FieldConfig &f)
{
    if (!r.object(j, path, {"name", "type", "min_count", "max_vocab", "transform", "invalid"}))
        return;
    r.str(j, "name", path, f.name, true);
    r.choice(j, "type", path, f.type,
             {{"categorical", FieldType::Categorical}, {"numeric", FieldType::Numeric}});
    if (!j.contains("type"))
        r.problem(path + "/type",
                  "required key is missing (expected \"categorical\" or \"numeric\")");
    r.integer(j, "min_count", path, f.minCount, 1, 1000000000);
    r.integer(j, "max_vocab", path, f.maxVocab, 1, 10000000);
    r.choice(j, "transform", path, f.transform,
             {{"none", NumericTransform::None},
              {"log1p", NumericTransform::Log1p},
              {"signed_log", NumericTransform::SignedLog}});
    std::string invalid = "error";
    r.str(j, "invalid", path, invalid);
    if (invalid != "error" && invalid != "missing")
        r.problem(path + "/invalid", "expected \"error\" or \"missing\", got \"" + invalid + "\"");
    f.invalidAsMissing = invalid == "missing";
    if (f.type == FieldType::Categorical && j.contains("transform"))
        r.problem(path + "/transform", "only numeric fields take a transform");
}

void readEvents(Reader &r, const json &root, Config &c)
{
    const json *ev = r.member(root, "events", "", true);
    if (!ev)
        return;
    if (!ev->is_array() || ev->empty()) {
        r.problem("/events",
                  std::string("expected a non-empty array of event sources, got ") + typeName(*ev));
        return;
    }
    if (ev->size() > 1)
        r.problem("/events",
                  "expected one event source, got " + std::to_string(ev->size()) +
                      ": several event tables are not supported yet; merge them into one table");
    for (size_t i = 0; i < ev->size(); ++i) {
        std::string p = "/events/" + std::to_string(i);
        const json &j = (*ev)[i];
        EventSourceConfig s;
        if (r.object(j, p,
                     {"path", "entity", "time", "time_format", "time_unit", "time_origin",
                      "delimiter", "fields"})) {
            r.str(j, "path", p, s.path, true);
            r.str(j, "entity", p, s.entity, true);
            r.str(j, "time", p, s.time, true);
            r.timeFormat(j, p, "time_format", "time_unit", "time_origin", s.timeFormat);
            r.delimiter(j, p, s.delimiter);
            const json *fields = r.member(j, "fields", p, true);
            if (fields && (!fields->is_array() || fields->empty()))
                r.problem(p + "/fields", std::string("expected a non-empty array of fields, got ") +
                                             shown(*fields));
            else if (fields) {
                std::set<std::string> seen;
                for (size_t k = 0; k < fields->size(); ++k) {
                    FieldConfig f;
                    std::string fp = p + "/fields/" + std::to_string(k);
                    readField(r, (*fields)[k], fp, f);
                    if (!f.name.empty() && !seen.insert(f.name).second)
                        r.problem(fp + "/name", "duplicate field \"" + f.name + "\"");
                    if (!f.name.empty() && (f.name == s.entity || f.name == s.time))
                        r.problem(fp + "/name",
                                  "field \"" + f.name + "\" is also the entity or time column");
                    s.fields.push_back(f);
                }
            }
        }
        c.events.push_back(s);
    }
}

void readLabels(Reader &r, const json &root, Config &c)
{
    const json *lj = r.member(root, "labels", "", true);
    if (!lj)
        return;
    const std::string p = "/labels";
    LabelConfig &l = c.labels;
    if (!r.object(*lj, p,
                  {"path", "entity", "target", "positive", "negative", "cutoff", "cutoff_format",
                   "cutoff_unit", "cutoff_origin", "split", "delimiter", "features"}))
        return;
    r.str(*lj, "path", p, l.path, true);
    r.str(*lj, "entity", p, l.entity, true);
    r.str(*lj, "target", p, l.target, true);
    r.strings(*lj, "positive", p, l.positive, true);
    r.strings(*lj, "negative", p, l.negative, false);
    for (auto &n : l.negative)
        for (auto &q : l.positive)
            if (n == q)
                r.problem(p + "/negative",
                          "value \"" + n + "\" is listed as both positive and negative");
    r.optStr(*lj, "cutoff", p, l.cutoff);
    r.timeFormat(*lj, p, "cutoff_format", "cutoff_unit", "cutoff_origin", l.cutoffFormat);
    r.optStr(*lj, "split", p, l.split);
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
                  {"max_items", "time_buckets_days", "time_since_previous", "time_before_cutoff"}))
        return;
    r.integer(*j, "max_items", "/sequence", s.maxItems, 1, 4096);
    r.boolean(*j, "time_since_previous", "/sequence", s.timeSincePrevious);
    r.boolean(*j, "time_before_cutoff", "/sequence", s.timeBeforeCutoff);
    r.ascendingDays(*j, "time_buckets_days", "/sequence", s.timeBucketsDays, 64);
}

void readModel(Reader &r, const json &root, ModelConfig &m)
{
    const json *j = r.member(root, "model", "", false);
    if (!j || !r.object(*j, "/model",
                        {"emb_dim", "heads", "layers", "ff_dim", "item_aggregation", "positions",
                         "dropout"}))
        return;
    r.integer(*j, "emb_dim", "/model", m.embDim, 2, 256);
    r.integer(*j, "heads", "/model", m.heads, 1, 64);
    r.integer(*j, "layers", "/model", m.layers, 1, 8);
    r.integer(*j, "ff_dim", "/model", m.ffDim, 0, 4096);
    r.choice(*j, "item_aggregation", "/model", m.itemAggregation,
             {{"transformer", ItemAggregation::Transformer},
              {"gru", ItemAggregation::Gru},
              {"lstm", ItemAggregation::Lstm},
              {"none", ItemAggregation::None}});
    r.boolean(*j, "positions", "/model", m.positions);
    r.number(*j, "dropout", "/model", m.dropout, 0.0, 1.0, /*hiOpen=*/true);
    if (m.embDim % m.heads != 0)
        r.problem("/model/heads", "expected a divisor of emb_dim (" + std::to_string(m.embDim) +
                                      "), got " + std::to_string(m.heads));
}

void readTraining(Reader &r, const json &root, TrainingConfig &t)
{
    const json *j = r.member(root, "training", "", false);
    const std::string p = "/training";
    if (!j ||
        !r.object(*j, p,
                  {"epochs", "batch_size", "learning_rate", "weight_decay", "pos_weight",
                   "grad_clip", "patience", "seed", "valid_fraction", "test_fraction", "threads"}))
        return;
    r.integer(*j, "epochs", p, t.epochs, 1, 100000);
    r.integer(*j, "batch_size", p, t.batchSize, 1, 1000000);
    r.number(*j, "learning_rate", p, t.learningRate, 1e-9, 10.0);
    r.number(*j, "weight_decay", p, t.weightDecay, 0.0, 10.0);
    r.number(*j, "pos_weight", p, t.posWeight, 1e-6, 1e6);
    r.number(*j, "grad_clip", p, t.gradClip, 0.0, 1e6);
    r.integer(*j, "patience", p, t.patience, 1, 100000);
    int64_t seed = int64_t(t.seed);
    r.integer(*j, "seed", p, seed, 0, INT64_MAX);
    t.seed = uint64_t(seed);
    r.number(*j, "valid_fraction", p, t.validFraction, 0.0, 0.9);
    r.number(*j, "test_fraction", p, t.testFraction, 0.0, 0.9);
    r.integer(*j, "threads", p, t.threads, 0, 1024);
    if (t.validFraction + t.testFraction >= 0.95)
        r.problem(p + "/test_fraction",
                  "valid_fraction + test_fraction must be below 0.95 to leave training data");
}

void readBaseline(Reader &r, const json &root, BaselineConfig &b)
{
    const json *j = r.member(root, "baseline", "", false);
    const std::string p = "/baseline";
    if (!j || !r.object(*j, p,
                        {"model", "windows_days", "top_values", "l2", "folds", "bootstrap_reps",
                         "xgboost"}))
        return;
    r.choice(*j, "model", p, b.model,
             {{"logistic", BaselineModelKind::Logistic}, {"xgboost", BaselineModelKind::XGBoost}});
    r.ascendingDays(*j, "windows_days", p, b.windowsDays, 32);
    r.integer(*j, "top_values", p, b.topValues, 1, 100);
    r.number(*j, "l2", p, b.l2, 0.0, 1e6);
    r.integer(*j, "folds", p, b.folds, 2, 20);
    r.integer(*j, "bootstrap_reps", p, b.bootstrapReps, 2, 100000);
    const json *x = r.member(*j, "xgboost", p, false);
    const std::string xp = p + "/xgboost";
    if (!x || !r.object(*x, xp,
                        {"rounds", "max_depth", "eta", "subsample", "colsample_bytree",
                         "min_child_weight"}))
        return;
    r.integer(*x, "rounds", xp, b.xgboost.rounds, 1, 100000);
    r.integer(*x, "max_depth", xp, b.xgboost.maxDepth, 1, 16);
    r.number(*x, "eta", xp, b.xgboost.eta, 1e-6, 1.0);
    r.number(*x, "subsample", xp, b.xgboost.subsample, 1e-3, 1.0);
    r.number(*x, "colsample_bytree", xp, b.xgboost.colsampleByTree, 1e-3, 1.0);
    r.number(*x, "min_child_weight", xp, b.xgboost.minChildWeight, 0.0, 1e6);
}

} // namespace

std::string Config::resolve(const std::string &path) const
{
    namespace fs = std::filesystem;
    fs::path p(path);
    if (p.is_absolute() || baseDir.empty())
        return p.lexically_normal().string();
    return (fs::path(baseDir) / p).lexically_normal().string();
}

Config parseConfig(const std::string &text, const std::string &sourceName,
                   const std::string &baseDir)
{
    json root;
    try {
        root = json::parse(text);
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
    }
    std::vector<std::string> problems;
    Reader r(problems, sourceName);
    Config c;
    c.baseDir = baseDir;
    if (r.object(root, "",
                 {"schema_version", "events", "labels", "sequence", "model", "training", "baseline",
                  "comment"})) {
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
    }
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

const char *toString(FieldType t)
{
    return t == FieldType::Categorical ? "categorical" : "numeric";
}
const char *toString(NumericTransform t)
{
    return t == NumericTransform::None    ? "none"
           : t == NumericTransform::Log1p ? "log1p"
                                          : "signed_log";
}
const char *toString(ItemAggregation a)
{
    switch (a) {
    case ItemAggregation::Transformer: return "transformer";
    case ItemAggregation::Gru: return "gru";
    case ItemAggregation::Lstm: return "lstm";
    case ItemAggregation::None: return "none";
    }
    return "transformer";
}

namespace {
const char *delimiterName(char d)
{
    return d == 0 ? "auto" : d == '\t' ? "\t" : d == ';' ? ";" : ",";
}
json optional(const std::optional<std::string> &s)
{
    return s ? json(*s) : json(nullptr);
}
} // namespace

std::string configToJson(const Config &c)
{
    json root;
    root["schema_version"] = c.schemaVersion;
    json events = json::array();
    for (const auto &s : c.events) {
        json fields = json::array();
        for (const auto &f : s.fields) {
            json jf = {{"name", f.name}, {"type", toString(f.type)}};
            if (f.type == FieldType::Categorical) {
                jf["min_count"] = f.minCount;
                jf["max_vocab"] = f.maxVocab;
            } else {
                jf["transform"] = toString(f.transform);
                jf["invalid"] = f.invalidAsMissing ? "missing" : "error";
            }
            fields.push_back(jf);
        }
        events.push_back({{"path", c.resolve(s.path)},
                          {"entity", s.entity},
                          {"time", s.time},
                          {"time_format", s.timeFormat.format},
                          {"time_unit", s.timeFormat.unit},
                          {"time_origin", s.timeFormat.origin},
                          {"delimiter", delimiterName(s.delimiter)},
                          {"fields", fields}});
    }
    root["events"] = events;
    const LabelConfig &l = c.labels;
    json feats = json::array();
    for (const auto &f : l.features)
        feats.push_back({{"name", f.name}, {"type", toString(f.type)}});
    root["labels"] = {{"path", c.resolve(l.path)},
                      {"entity", l.entity},
                      {"target", l.target},
                      {"positive", l.positive},
                      {"negative", l.negative},
                      {"cutoff", optional(l.cutoff)},
                      {"cutoff_format", l.cutoffFormat.format},
                      {"cutoff_unit", l.cutoffFormat.unit},
                      {"cutoff_origin", l.cutoffFormat.origin},
                      {"split", optional(l.split)},
                      {"delimiter", delimiterName(l.delimiter)},
                      {"features", feats}};
    root["sequence"] = {{"max_items", c.sequence.maxItems},
                        {"time_buckets_days", c.sequence.timeBucketsDays},
                        {"time_since_previous", c.sequence.timeSincePrevious},
                        {"time_before_cutoff", c.sequence.timeBeforeCutoff}};
    root["model"] = {{"emb_dim", c.model.embDim},
                     {"heads", c.model.heads},
                     {"layers", c.model.layers},
                     {"ff_dim", c.model.ffDim},
                     {"item_aggregation", toString(c.model.itemAggregation)},
                     {"positions", c.model.positions},
                     {"dropout", c.model.dropout}};
    const TrainingConfig &t = c.training;
    root["training"] = {{"epochs", t.epochs},
                        {"batch_size", t.batchSize},
                        {"learning_rate", t.learningRate},
                        {"weight_decay", t.weightDecay},
                        {"pos_weight", t.posWeight},
                        {"grad_clip", t.gradClip},
                        {"patience", t.patience},
                        {"seed", t.seed},
                        {"valid_fraction", t.validFraction},
                        {"test_fraction", t.testFraction},
                        {"threads", t.threads}};
    const BaselineConfig &b = c.baseline;
    root["baseline"] = {{"model", b.model == BaselineModelKind::Logistic ? "logistic" : "xgboost"},
                        {"windows_days", b.windowsDays},
                        {"top_values", b.topValues},
                        {"l2", b.l2},
                        {"folds", b.folds},
                        {"bootstrap_reps", b.bootstrapReps},
                        {"xgboost",
                         {{"rounds", b.xgboost.rounds},
                          {"max_depth", b.xgboost.maxDepth},
                          {"eta", b.xgboost.eta},
                          {"subsample", b.xgboost.subsample},
                          {"colsample_bytree", b.xgboost.colsampleByTree},
                          {"min_child_weight", b.xgboost.minChildWeight}}}};
    return root.dump(2);
}

} // namespace seqlens
