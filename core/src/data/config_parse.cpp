// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/config.h"
#include "seqlens/data/config_limits.h"

#include "seqlens/data/csv_reader.h"
#include "seqlens/util/error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
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
        m_paths.insert(path);
    }
    // Whether `path` or one of its parents already has a problem.
    bool covered(const std::string &path) const
    {
        for (const auto &p : m_paths)
            if (path == p || path.rfind(p + "/", 0) == 0)
                return true;
        return false;
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
        if (!v->is_string())
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

    // Reads an integer; its range is checked by validate() (the range names it in messages).
    void integer(const json &obj, const char *key, const std::string &path, int64_t &out,
                 IntRange range)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        const bool tooLarge = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX);
        if ((!v->is_number_integer() && !v->is_number_unsigned()) || tooLarge) {
            problem(path + "/" + key, "expected an integer in [" + std::to_string(range.lo) +
                                          ", " + std::to_string(range.hi) + "], got " + shown(*v));
            return;
        }
        out = v->get<int64_t>();
    }

    // Reads a number; its range is checked by validate().
    void number(const json &obj, const char *key, const std::string &path, double &out,
                RealRange range)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        if (!v->is_number()) {
            std::ostringstream m;
            m << "expected a number in [" << range.lo << ", " << range.hi
              << (range.hiOpen ? ")" : "]") << ", got " << shown(*v);
            problem(path + "/" + key, m.str());
            return;
        }
        out = v->get<double>();
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

    // An array of numbers of days; its ordering and bounds are checked by validate().
    void days(const json &obj, const char *key, const std::string &path, std::vector<double> &out)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        bool ok = v->is_array();
        for (size_t i = 0; ok && i < v->size(); ++i)
            ok = (*v)[i].is_number();
        if (!ok) {
            problem(path + "/" + key, "expected an array of numbers of days, got " + shown(*v));
            return;
        }
        out = v->get<std::vector<double>>();
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
    }

private:
    std::vector<std::string> &m_problems;
    std::set<std::string> m_paths;
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
    r.integer(j, "min_count", path, f.minCount, limits::minCount);
    r.integer(j, "max_vocab", path, f.maxVocab, limits::maxVocab);
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
                for (size_t k = 0; k < fields->size(); ++k) {
                    FieldConfig f;
                    readField(r, (*fields)[k], p + "/fields/" + std::to_string(k), f);
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
    r.integer(*j, "max_items", "/sequence", s.maxItems, limits::maxItems);
    r.boolean(*j, "time_since_previous", "/sequence", s.timeSincePrevious);
    r.boolean(*j, "time_before_cutoff", "/sequence", s.timeBeforeCutoff);
    r.days(*j, "time_buckets_days", "/sequence", s.timeBucketsDays);
}

void readModel(Reader &r, const json &root, ModelConfig &m)
{
    const json *j = r.member(root, "model", "", false);
    if (!j || !r.object(*j, "/model",
                        {"emb_dim", "heads", "layers", "ff_dim", "item_aggregation", "positions",
                         "dropout", "time_bias", "local_order", "pooling", "head",
                         "calibration", "numeric_encoding"}))
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
    r.choice(*j, "pooling", "/model", m.pooling,
             {{"attention", Pooling::Attention}, {"all", Pooling::All}});
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
                  {"epochs", "batch_size", "learning_rate", "weight_decay", "pos_weight",
                   "grad_clip", "patience", "min_epochs", "lr_schedule", "warmup_epochs", "seed",
                   "valid_fraction", "test_fraction", "threads"}))
        return;
    r.integer(*j, "epochs", p, t.epochs, limits::epochs);
    r.integer(*j, "batch_size", p, t.batchSize, limits::batchSize);
    r.number(*j, "learning_rate", p, t.learningRate, limits::learningRate);
    r.number(*j, "weight_decay", p, t.weightDecay, limits::weightDecay);
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

void readBaseline(Reader &r, const json &root, BaselineConfig &b)
{
    const json *j = r.member(root, "baseline", "", false);
    const std::string p = "/baseline";
    if (!j || !r.object(*j, p,
                        {"model", "windows_days", "top_values", "l2", "folds", "bootstrap_reps",
                         "test_scores", "xgboost"}))
        return;
    r.choice(*j, "model", p, b.model,
             {{"logistic", BaselineModelKind::Logistic}, {"xgboost", BaselineModelKind::XGBoost}});
    r.days(*j, "windows_days", p, b.windowsDays);
    r.integer(*j, "top_values", p, b.topValues, limits::topValues);
    r.number(*j, "l2", p, b.l2, limits::l2);
    r.integer(*j, "folds", p, b.folds, limits::folds);
    r.integer(*j, "bootstrap_reps", p, b.bootstrapReps, limits::bootstrapReps);
    r.choice(*j, "test_scores", p, b.testScores,
             {{"bagged", TestScoring::Bagged}, {"full_model", TestScoring::FullModel}});
    const json *x = r.member(*j, "xgboost", p, false);
    const std::string xp = p + "/xgboost";
    if (!x || !r.object(*x, xp,
                        {"rounds", "max_depth", "eta", "subsample", "colsample_bytree",
                         "min_child_weight"}))
        return;
    r.integer(*x, "rounds", xp, b.xgboost.rounds, limits::rounds);
    r.integer(*x, "max_depth", xp, b.xgboost.maxDepth, limits::maxDepth);
    r.number(*x, "eta", xp, b.xgboost.eta, limits::eta);
    r.number(*x, "subsample", xp, b.xgboost.subsample, limits::subsample);
    r.number(*x, "colsample_bytree", xp, b.xgboost.colsampleByTree, limits::colsampleByTree);
    r.number(*x, "min_child_weight", xp, b.xgboost.minChildWeight, limits::minChildWeight);
}

void readReasonMatch(Reader &r, const json &j, const std::string &p, ReasonMatch &m)
{
    if (!r.object(j, p, {"field", "value", "then", "input", "within_days"}))
        return;
    r.str(j, "field", p, m.field);
    r.str(j, "value", p, m.value);
    r.str(j, "input", p, m.input);
    r.number(j, "within_days", p, m.withinDays, limits::reasonDays);
    const json *then = r.member(j, "then", p, false);
    if (!then || !r.object(*then, p + "/then", {"field", "value"}))
        return;
    r.str(*then, "field", p + "/then", m.thenField, true);
    r.str(*then, "value", p + "/then", m.thenValue, true);
}

void readExplain(Reader &r, const json &root, ExplainConfig &e)
{
    const json *j = r.member(root, "explain", "", false);
    const std::string p = "/explain";
    if (!j || !r.object(*j, p, {"reasons", "default_reasons", "reference", "steps"}))
        return;
    r.boolean(*j, "default_reasons", p, e.defaultReasons);
    r.str(*j, "reference", p, e.reference);
    r.integer(*j, "steps", p, e.steps, limits::igSteps);
    const json *list = r.member(*j, "reasons", p, false);
    if (!list)
        return;
    if (!list->is_array()) {
        r.problem(p + "/reasons", std::string("expected an array of reasons, got ") + shown(*list));
        return;
    }
    for (size_t i = 0; i < list->size(); ++i) {
        const std::string rp = p + "/reasons/" + std::to_string(i);
        const json &item = (*list)[i];
        ReasonRule rule;
        if (!r.object(item, rp, {"code", "text", "match"}))
            continue;
        r.str(item, "code", rp, rule.code, true);
        r.str(item, "text", rp, rule.text, true);
        if (const json *m = r.member(item, "match", rp, true))
            readReasonMatch(r, *m, rp + "/match", rule.match);
        e.reasons.push_back(rule);
    }
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
                                        "training", "baseline", "explain", "comment"});
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
