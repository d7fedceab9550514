// SPDX-License-Identifier: GPL-3.0-or-later
// Semantic checks of a Config, whatever built it (a JSON file, the Train form, "Generate config",
// command-line overrides): ranges from config_limits.h and the rules between values.
#include "config_checker.h"
#include "seqlens/util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <sstream>
#include <tuple>

namespace seqlens {

using namespace config_detail;

namespace {

void checkLabels(Checker &c, const LabelConfig &l)
{
    c.nonEmpty("/labels/path", l.path);
    c.nonEmpty("/labels/entity", l.entity);
    c.nonEmpty("/labels/target", l.target);
    if (l.positive.empty())
        c.problem("/labels/positive", "expected a non-empty array of strings, got []");
    for (const auto &n : l.negative)
        for (const auto &q : l.positive)
            if (n == q)
                c.problem("/labels/negative",
                          "value \"" + n + "\" is listed as both positive and negative");
    c.timeFormat("/labels/cutoff_format", l.cutoffFormat);
    checkTimeSplit(c, l);
    for (size_t k = 0; k < l.features.size(); ++k)
        c.nonEmpty("/labels/features/" + std::to_string(k) + "/name", l.features[k].name);
}

void checkModelAndTraining(Checker &c, const Config &cfg)
{
    const SequenceConfig &s = cfg.sequence;
    c.integer("/sequence/max_items", s.maxItems, limits::maxItems);
    c.ascendingDays("/sequence/time_buckets_days", s.timeBucketsDays, limits::maxTimeBuckets,
                    /*allowZero=*/true);
    const ModelConfig &m = cfg.model;
    c.integer("/model/emb_dim", m.embDim, limits::embDim);
    c.integer("/model/heads", m.heads, limits::heads);
    c.integer("/model/layers", m.layers, limits::layers);
    c.integer("/model/ff_dim", m.ffDim, limits::ffDim);
    c.number("/model/dropout", m.dropout, limits::dropout);
    if ((m.itemAggregation == ItemAggregation::Transformer ||
         m.itemAggregation == ItemAggregation::Auto) &&
        limits::heads.contains(m.heads) && m.embDim % m.heads != 0)
        c.problem("/model/heads", "expected a divisor of emb_dim (" + std::to_string(m.embDim) +
                                      "), got " + std::to_string(m.heads));
    const TrainingConfig &t = cfg.training;
    c.integer("/training/epochs", t.epochs, limits::epochs);
    c.integer("/training/batch_size", t.batchSize, limits::batchSize);
    c.number("/training/learning_rate", t.learningRate, limits::learningRate);
    c.number("/training/weight_decay", t.weightDecay, limits::weightDecay);
    c.number("/training/embedding_lr_scale", t.embeddingLrScale, limits::embeddingLrScale);
    if (t.derivedLrScale)
        c.number("/training/derived_lr_scale", *t.derivedLrScale, limits::derivedLrScale);
    c.number("/training/pos_weight", t.posWeight, limits::posWeight);
    c.number("/training/grad_clip", t.gradClip, limits::gradClip);
    c.integer("/training/patience", t.patience, limits::patience);
    c.integer("/training/min_epochs", t.minEpochs, limits::minEpochs);
    c.number("/training/warmup_epochs", t.warmupEpochs, limits::warmupEpochs);
    c.number("/training/valid_fraction", t.validFraction, limits::validFraction);
    c.number("/training/test_fraction", t.testFraction, limits::testFraction);
    c.integer("/training/threads", t.threads, limits::threads);
    if (t.validFraction + t.testFraction >= limits::maxHeldOutShare)
        c.problem("/training/test_fraction",
                  "valid_fraction + test_fraction must be below 0.95 to leave training data");
}

void checkBaseline(Checker &c, const BaselineConfig &b)
{
    c.ascendingDays("/baseline/windows_days", b.windowsDays, limits::maxWindows,
                    /*allowZero=*/false);
    c.integer("/baseline/top_values", b.topValues, limits::topValues);
    c.number("/baseline/l2", b.l2, limits::l2);
    c.integer("/baseline/folds", b.folds, limits::folds);
    c.integer("/baseline/bootstrap_reps", b.bootstrapReps, limits::bootstrapReps);
    const XGBoostConfig &x = b.xgboost;
    c.integer("/baseline/xgboost/rounds", x.rounds, limits::rounds);
    c.integer("/baseline/xgboost/max_depth", x.maxDepth, limits::maxDepth);
    c.number("/baseline/xgboost/eta", x.eta, limits::eta);
    c.number("/baseline/xgboost/subsample", x.subsample, limits::subsample);
    c.number("/baseline/xgboost/colsample_bytree", x.colsampleByTree, limits::colsampleByTree);
    c.number("/baseline/xgboost/min_child_weight", x.minChildWeight, limits::minChildWeight);
}

// The categorical event fields, and every model input name (fields, then time inputs).
std::vector<std::string> eventFieldNames(const Config &cfg, bool categoricalOnly)
{
    std::vector<std::string> names;
    for (const auto &f : eventFields(cfg))
        if (!categoricalOnly || f.field.type == FieldType::Categorical)
            names.push_back(f.name);
    return names;
}

bool contains(const std::vector<std::string> &v, const std::string &x)
{
    return std::find(v.begin(), v.end(), x) != v.end();
}

std::string quotedList(const std::vector<std::string> &v)
{
    std::string s;
    for (const auto &x : v)
        s += (s.empty() ? "" : ", ") + ("\"" + x + "\"");
    return s.empty() ? "none" : s;
}

// The change_since_same inputs of categorical field `name`: one per numeric field of its source,
// in the encoder's order (none for an unknown field).
std::vector<std::string> changeInputs(const std::vector<QualifiedField> &fields,
                                      const std::string &name)
{
    std::vector<std::string> out;
    const auto f = std::find_if(fields.begin(), fields.end(),
                                [&](const QualifiedField &q) { return q.name == name; });
    for (const auto &q : fields)
        if (f != fields.end() && q.source == f->source && q.field.type == FieldType::Numeric)
            out.push_back(changeSinceSameInput(name, q.name));
    return out;
}

// sequence.time_since_same or change_since_same (`key`): categorical event fields, each once;
// for a change, of a source with a numeric field.
void checkSameValueFields(Checker &c, const Config &cfg, const std::string &key,
                          const std::vector<std::string> &same)
{
    const auto fields = eventFields(cfg);
    const auto categorical = eventFieldNames(cfg, true);
    for (size_t k = 0; k < same.size(); ++k) {
        const std::string path = "/sequence/" + key + "/" + std::to_string(k);
        const bool numericBeside = !changeInputs(fields, same[k]).empty();
        if (!contains(categorical, same[k]))
            c.problem(path, "expected a categorical event field (" + quotedList(categorical) +
                                "), got \"" + same[k] + "\"");
        else if (std::find(same.begin(), same.begin() + long(k), same[k]) != same.begin() + long(k))
            c.problem(path, "expected each field once, got \"" + same[k] + "\" again");
        else if (key == "change_since_same" && !numericBeside)
            c.problem(path, "expected a categorical field of a table with a numeric field, got \"" +
                                same[k] + "\" (its table has no numeric field)");
    }
}

// Placeholders in a reason's code or text must be known ones.
void checkPlaceholders(Checker &c, const std::string &path, const std::string &text)
{
    static const std::set<std::string> known = {"count",      "field", "value",
                                                "then_value", "input", "days"};
    for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
        const size_t close = text.find('}', open);
        const std::string name = close == std::string::npos
                                     ? text.substr(open)
                                     : text.substr(open + 1, close - open - 1);
        if (close == std::string::npos || !known.count(name))
            c.problem(path, "unknown placeholder {" + name +
                                "} (expected {count}, {field}, {value}, {then_value}, {input} or "
                                "{days})");
    }
}

// A categorical field and one of its values ("*" = each), at `path`/field and `path`/value.
void checkFieldValue(Checker &c, const std::string &path, const std::string &field,
                     const std::string &value, const std::vector<std::string> &categorical)
{
    if (!contains(categorical, field))
        c.problem(path + "/field", "expected a categorical event field (" +
                                       quotedList(categorical) + "), got \"" + field + "\"");
    if (value.empty())
        c.problem(path + "/value", "expected a value of the field, or \"*\" for each value");
}

void checkReasonMatch(Checker &c, const Config &cfg, const std::string &p, const ReasonMatch &m)
{
    const auto categorical = eventFieldNames(cfg, true);
    std::vector<std::string> inputs = eventFieldNames(cfg, false);
    if (cfg.sequence.timeSincePrevious)
        inputs.push_back("time_since_previous");
    if (cfg.sequence.timeSincePrevious && cfg.events.size() > 1)
        inputs.push_back("time_since_previous_in_source");
    if (cfg.sequence.timeBeforeCutoff)
        inputs.push_back("time_before_cutoff");
    for (const auto &f : cfg.sequence.timeSinceSame)
        inputs.push_back(timeSinceSameInput(f));
    const auto fields = eventFields(cfg);
    for (const auto &f : cfg.sequence.changeSinceSame)
        for (const auto &name : changeInputs(fields, f))
            inputs.push_back(name);
    c.number(p + "/within_days", m.withinDays, limits::reasonDays);
    if (!m.input.empty()) {
        if (!m.field.empty() || !m.thenField.empty())
            c.problem(p, "expected either \"input\" or \"field\", got both");
        else if (!contains(inputs, m.input))
            c.problem(p + "/input", "expected a model input (" + quotedList(inputs) + "), got \"" +
                                        m.input + "\"");
        return;
    }
    if (m.field.empty()) {
        if (!m.value.empty() || !m.thenField.empty())
            c.problem(p + "/field", "required key is missing");
        else if (m.withinDays <= 0)
            c.problem(p, "expected \"field\" and \"value\", \"input\", or \"within_days\" "
                         "above 0, got none");
        return;
    }
    checkFieldValue(c, p, m.field, m.value, categorical);
    if (m.thenField.empty())
        return;
    checkFieldValue(c, p + "/then", m.thenField, m.thenValue, categorical);
    if (m.withinDays <= 0)
        c.problem(p + "/within_days",
                  "expected the largest gap in days between the two events (above 0)");
}

void checkExplain(Checker &c, const Config &cfg)
{
    const ExplainConfig &e = cfg.explain;
    if (e.reference != "missing" && e.reference != "empty" && e.reference != "mean")
        c.problem("/explain/reference",
                  "expected one of \"missing\", \"empty\", \"mean\", got \"" + e.reference + "\"");
    c.integer("/explain/steps", e.steps, limits::igSteps);
    std::set<std::string> codes;
    for (size_t i = 0; i < e.reasons.size(); ++i) {
        const ReasonRule &r = e.reasons[i];
        const std::string p = "/explain/reasons/" + std::to_string(i);
        c.nonEmpty(p + "/code", r.code);
        c.nonEmpty(p + "/text", r.text);
        if (!r.code.empty() && !codes.insert(r.code).second)
            c.problem(p + "/code", "duplicate reason code \"" + r.code + "\"");
        checkPlaceholders(c, p + "/code", r.code);
        checkPlaceholders(c, p + "/text", r.text);
        checkReasonMatch(c, cfg, p + "/match", r.match);
    }
}

} // namespace

std::vector<ConfigProblem> validate(const Config &config)
{
    std::vector<ConfigProblem> out;
    Checker c(out);
    checkEvents(c, config);
    checkLabels(c, config.labels);
    checkModelAndTraining(c, config);
    checkSameValueFields(c, config, "time_since_same", config.sequence.timeSinceSame);
    checkSameValueFields(c, config, "change_since_same", config.sequence.changeSinceSame);
    checkBaseline(c, config.baseline);
    checkExplain(c, config);
    checkMonitoring(c, config);
    if (config.training.seed > uint64_t(limits::seed.hi))
        c.problem("/training/seed", "expected an integer in [0, " +
                                        std::to_string(limits::seed.hi) + "], got " +
                                        std::to_string(config.training.seed));
    return out;
}

void throwIfInvalid(const Config &config, const std::string &sourceName)
{
    std::vector<std::string> lines;
    for (const auto &p : validate(config))
        lines.push_back(sourceName + ": " + p.path + ": " + p.message);
    if (!lines.empty())
        throw ConfigError(lines);
}

} // namespace seqlens
