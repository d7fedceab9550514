// SPDX-License-Identifier: GPL-3.0-or-later
// The resolved config as JSON, paths, overrides and enum names.
#include "seqlens/data/config.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace seqlens {

using nlohmann::json;

std::string Config::resolve(const std::string &path) const
{
    namespace fs = std::filesystem;
    fs::path p(path);
    if (p.is_absolute() || baseDir.empty())
        return p.lexically_normal().string();
    return (fs::path(baseDir) / p).lexically_normal().string();
}

Config applyOverrides(Config c, const Overrides &o)
{
    if (o.epochs)
        c.training.epochs = *o.epochs;
    if (o.seed)
        c.training.seed = *o.seed;
    if (o.threads)
        c.training.threads = *o.threads;
    if (o.folds)
        c.baseline.folds = *o.folds;
    return c;
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
    case ItemAggregation::Auto: return "auto";
    }
    return "transformer";
}

const char *toString(Pooling p)
{
    return p == Pooling::AllInputs ? "all_inputs" : p == Pooling::All ? "all" : "attention";
}

const char *toString(NumericEmbedding e)
{
    return e == NumericEmbedding::Periodic ? "periodic" : "linear";
}

const char *toString(TimeEncoding e)
{
    return e == TimeEncoding::Continuous ? "continuous" : "buckets";
}

const char *toString(Head h)
{
    return h == Head::Skip ? "skip" : "mlp";
}

const char *toString(LrSchedule s)
{
    return s == LrSchedule::WarmupCosine ? "warmup_cosine" : "constant";
}

const char *toString(CalibrationMethod m)
{
    switch (m) {
    case CalibrationMethod::None: return "none";
    case CalibrationMethod::Platt: return "platt";
    case CalibrationMethod::Isotonic: return "isotonic";
    }
    return "none";
}

namespace {
const char *delimiterName(char d)
{
    return d == 0 ? "auto" : d == '\t' ? "\t" : d == ';' ? ";" : ",";
}
json fieldsJson(const std::vector<FieldConfig> &fields)
{
    json out = json::array();
    for (const auto &f : fields) {
        json jf = {{"name", f.name}, {"type", toString(f.type)}};
        if (f.type == FieldType::Categorical) {
            jf["min_count"] = f.minCount;
            jf["max_vocab"] = f.maxVocab;
        } else {
            jf["transform"] = toString(f.transform);
            jf["invalid"] = f.invalidAsMissing ? "missing" : "error";
        }
        out.push_back(jf);
    }
    return out;
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
        json via = json::array();
        for (const auto &h : s.via)
            via.push_back({{"path", c.resolve(h.path)},
                           {"key", h.key},
                           {"entity", h.entity},
                           {"delimiter", delimiterName(h.delimiter)},
                           {"fields", fieldsJson(h.fields)}});
        json js = {{"name", s.name.empty() ? kDefaultSourceName : s.name},
                   {"path", c.resolve(s.path)},
                   {"entity", s.entity},
                   {"time", s.time},
                   {"time_format", s.timeFormat.format},
                   {"time_unit", s.timeFormat.unit},
                   {"time_origin", s.timeFromCutoff ? "cutoff" : s.timeFormat.origin},
                   {"delimiter", delimiterName(s.delimiter)},
                   {"max_items", s.maxItems},
                   {"fields", fieldsJson(s.fields)}};
        if (!via.empty())
            js["via"] = via;
        events.push_back(js);
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
                      {"cutoff_value", optional(l.cutoffValue)},
                      {"split", l.timeSplit ? json{{"by", "cutoff"},
                                                   {"valid_after", l.timeSplit->validAfter},
                                                   {"test_after", l.timeSplit->testAfter}}
                                            : optional(l.split)},
                      {"delimiter", delimiterName(l.delimiter)},
                      {"features", feats}};
    root["sequence"] = {{"max_items", c.sequence.maxItems},
                        {"time_buckets_days", c.sequence.timeBucketsDays},
                        {"time_since_previous", c.sequence.timeSincePrevious},
                        {"time_before_cutoff", c.sequence.timeBeforeCutoff},
                        {"time_since_same", c.sequence.timeSinceSame},
                        {"change_since_same", c.sequence.changeSinceSame}};
    root["model"] = {{"emb_dim", c.model.embDim},
                     {"heads", c.model.heads},
                     {"layers", c.model.layers},
                     {"ff_dim", c.model.ffDim},
                     {"item_aggregation", toString(c.model.itemAggregation)},
                     {"positions", c.model.positions},
                     {"dropout", c.model.dropout},
                     {"time_bias", c.model.timeBias},
                     {"local_order", c.model.localOrder},
                     {"numeric_encoding", toString(c.model.numericEncoding)},
                     {"time_encoding", toString(c.model.timeEncoding)},
                     {"pooling", toString(c.model.pooling)},
                     {"head", toString(c.model.head)},
                     {"calibration", toString(c.model.calibration)}};
    const TrainingConfig &t = c.training;
    root["training"] = {{"epochs", t.epochs},
                        {"batch_size", t.batchSize},
                        {"learning_rate", t.learningRate},
                        {"weight_decay", t.weightDecay},
                        {"embedding_lr_scale", t.embeddingLrScale},
                        {"derived_lr_scale", t.derivedLrScale ? json(*t.derivedLrScale)
                                                              : json(nullptr)},
                        {"pos_weight", t.posWeight},
                        {"grad_clip", t.gradClip},
                        {"patience", t.patience},
                        {"min_epochs", t.minEpochs},
                        {"lr_schedule", toString(t.lrSchedule)},
                        {"warmup_epochs", t.warmupEpochs},
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
                        {"test_scores",
                         b.testScores == TestScoring::Bagged ? "bagged" : "full_model"},
                        {"xgboost",
                         {{"rounds", b.xgboost.rounds},
                          {"max_depth", b.xgboost.maxDepth},
                          {"eta", b.xgboost.eta},
                          {"subsample", b.xgboost.subsample},
                          {"colsample_bytree", b.xgboost.colsampleByTree},
                          {"min_child_weight", b.xgboost.minChildWeight}}}};
    json reasons = json::array();
    for (const ReasonRule &rule : c.explain.reasons) {
        const ReasonMatch &m = rule.match;
        json match = json::object();
        if (!m.field.empty())
            match["field"] = m.field;
        if (!m.value.empty())
            match["value"] = m.value;
        if (!m.thenField.empty())
            match["then"] = {{"field", m.thenField}, {"value", m.thenValue}};
        if (!m.input.empty())
            match["input"] = m.input;
        if (m.withinDays > 0)
            match["within_days"] = m.withinDays;
        reasons.push_back({{"code", rule.code}, {"text", rule.text}, {"match", match}});
    }
    root["explain"] = {{"reasons", reasons},
                       {"default_reasons", c.explain.defaultReasons},
                       {"reference", c.explain.reference},
                       {"steps", c.explain.steps}};
    const MonitoringConfig &m = c.monitoring;
    const MonitorThresholds &th = m.thresholds;
    root["monitoring"] = {{"segments", m.segments},
                          {"approval_rate", m.approvalRate},
                          {"min_segment", m.minSegment},
                          {"thresholds",
                           {{"bins", th.bins},
                            {"psi_amber", th.psiAmber},
                            {"psi_red", th.psiRed},
                            {"alpha_amber", th.alphaAmber},
                            {"alpha_red", th.alphaRed},
                            {"adverse_impact", th.adverseImpact}}}};
    return root.dump(2);
}

} // namespace seqlens
