// SPDX-License-Identifier: GPL-3.0-or-later
// The SeqLens configuration: one JSON file describes the data, the sequence encoding,
// the model and the training. Every key is documented in docs/config.md. Parsing
// reports all problems at once, each with its JSON path; unknown keys are errors.
#pragma once

#include "seqlens/data/time_parser.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace seqlens {

enum class FieldType { Categorical, Numeric };
enum class NumericTransform { None, Log1p, SignedLog };
// Auto: train the Transformer and the GRU, keep the better on validation (nn/model_fit.h).
enum class ItemAggregation { Transformer, Gru, Lstm, None, Auto };
// How the event states become one vector: attention pooling only, or attention pooling
// together with a max over events and learned soft counts (log1p of summed gates), or that plus
// soft counts taken from each event's input embeddings before aggregation (all_inputs).
enum class Pooling { Attention, All, AllInputs };
// The head on the pooled vector: one ReLU layer, or a normalised GELU layer plus a linear skip
// from the normalised input to the logit (does not saturate into a floor of equal scores).
enum class Head { Mlp, Skip };
enum class LrSchedule { Constant, WarmupCosine };
// How a standardised numeric value becomes a vector: value times a learned direction, or that
// plus learned periodic features (sin and cos of k learned frequencies, mapped per field).
enum class NumericEmbedding { Linear, Periodic };
// How the time before the cutoff becomes a vector: its bucket's embedding alone, or that plus a
// learned map of the exact time (log and linear), so the model can tell times within a bucket
// apart and compare the times of two events.
enum class TimeEncoding { Buckets, Continuous };
// How the sequence score becomes a probability (compare/calibrator.h).
enum class CalibrationMethod { None, Platt, Isotonic };

struct FieldConfig {
    std::string name; // column name in the event table
    FieldType type = FieldType::Categorical;
    int64_t minCount =
        1; // categorical: values seen fewer times in train map to "rare/unseen"; >= 1
    int64_t maxVocab = 1000; // categorical: keep at most this many most frequent values; >= 1
    NumericTransform transform = NumericTransform::None; // numeric: applied before standardizing
    bool invalidAsMissing =
        false; // numeric: text that is not a number counts as missing instead of an error
};

// One hop of events[i].via: a parent table that maps the key a row refers to onto the next key
// (the next hop's, or the applicant's). Each key appears at most once in the parent table.
struct ViaHop {
    std::string path;   // parent CSV (relative to the config file); .gz allowed
    std::string key;    // its column holding the key the rows below refer to
    std::string entity; // its column holding the applicant key (or the next hop's key)
    char delimiter = 0; // 0 = auto-detect
    std::vector<FieldConfig> fields; // parent columns carried onto every joined row
};

struct EventSourceConfig {
    std::string name;      // names the source in feature names, plots and reports
    std::string path;      // event CSV (absolute, or relative to the config file); .gz allowed
    std::string entity;    // column with the applicant/entity key (or the first via hop's key)
    std::string time;      // column with the event time
    TimeFormat timeFormat; // see time_parser.h
    bool timeFromCutoff = false; // time_origin "cutoff": times count from each applicant's cutoff
    char delimiter = 0;    // 0 = auto-detect
    int64_t maxItems = 0;  // keep at most the latest N events of this source; 0 = no own bound
    std::vector<FieldConfig> fields; // at least one
    std::vector<ViaHop> via;         // rows reach the applicant through these tables, in order
};

// An event field as the model, the features and the reports name it: the column name with one
// event source, "<source>.<column>" with several; parent columns of `via` hops included.
struct QualifiedField {
    std::string name;   // the qualified name
    size_t source = 0;  // index into Config::events
    int hop = -1;       // -1: a column of the source table, else the via hop it comes from
    FieldConfig field;  // as configured (field.name is the column)
};
struct Config;
// Every event field of every source, in source order: own fields, then via fields hop by hop.
std::vector<QualifiedField> eventFields(const Config &config);
// The default source name of a one-source config that names none.
constexpr const char *kDefaultSourceName = "events";

struct StaticFeatureConfig {
    std::string name; // column of the label table
    FieldType type = FieldType::Numeric;
};

// labels.split as an object: an out-of-time split on the cutoff column. Applicants whose cutoff is
// after `testAfter` are the test split, after `validAfter` the validation split, the rest train.
// Both are times in the cutoff column's format (labels.cutoff_format/unit/origin).
struct TimeSplit {
    std::string validAfter, testAfter;
};

struct TimeSplitDays {
    double validAfter, testAfter; // days since epoch
};
struct LabelConfig;
// labels.split's times in days: each parsed in the cutoff column's format, or as an ISO date;
// std::nullopt when there is no time split or a time does not parse (validate() reports it).
std::optional<TimeSplitDays> timeSplitDays(const LabelConfig &labels);
// labels.cutoff_value in days (cutoff format or ISO); std::nullopt when unset or unparseable.
std::optional<double> cutoffValueDays(const LabelConfig &labels);

struct LabelConfig {
    std::string path;                  // label CSV, one row per applicant
    std::string entity;                // key column (same keys as events[].entity)
    std::string target;                // label column
    std::vector<std::string> positive; // target values that count as bad (1)
    std::vector<std::string>
        negative; // if non-empty, the only values that count as good; others are errors
    std::optional<std::string>
        cutoff;              // column with the application time; events at or after it are excluded
    TimeFormat cutoffFormat; // format of the cutoff column
    std::optional<std::string>
        split; // column with train/valid/test; otherwise a stratified random split
    std::optional<TimeSplit> timeSplit; // labels.split {"by": "cutoff", ...}: out of time
    std::optional<std::string>
        cutoffValue; // without a cutoff column: one cutoff time for every applicant
    char delimiter = 0; // 0 = auto-detect
    std::vector<StaticFeatureConfig>
        features; // static per-applicant columns (used by the baseline)
};

struct SequenceConfig {
    int64_t maxItems = 128; // keep the latest N events of each applicant (all sources); 1..4096
    std::vector<double> timeBucketsDays = {1,  3,  7,   14,  30,
                                           60, 90, 180, 365, 730}; // strictly ascending bucket
                                                                   // edges in days, >= 0 (a gap
                                                                   // <= edge falls in its bucket)
    bool timeSincePrevious = true; // embed the bucketized gap to the previous event
    bool timeBeforeCutoff = true;  // embed the bucketized time before the cutoff (or last event)
    // Categorical event fields whose "time since the previous event with the same value" is a
    // numeric input (log1p of days, standardized; missing on the first event of each value):
    // the gap between two payments, two inquiries, whatever lies between them.
    std::vector<std::string> timeSinceSame;
    // Categorical event fields whose "change since the previous event with the same value" of
    // each numeric field of the same source is a numeric input (transformed value minus the
    // transformed value of that earlier event with the value present, standardized): a payment
    // larger than the previous payment, a balance that fell since the last statement.
    std::vector<std::string> changeSinceSame;
};

// The model input of sequence.time_since_same for one field.
inline std::string timeSinceSameInput(const std::string &field)
{
    return "time_since_same_" + field;
}

// The model input of sequence.change_since_same for one categorical and one numeric field.
inline std::string changeSinceSameInput(const std::string &field, const std::string &numeric)
{
    return numeric + "_change_since_same_" + field;
}

struct ModelConfig {
    int64_t embDim = 8; // embedding width of every field and of the item encoder; 2..256
    int64_t heads = 2;  // transformer attention heads; must divide emb_dim
    int64_t layers = 1; // transformer / RNN layers; 1..8
    int64_t ffDim = 0;  // transformer feed-forward width; 0 = 4 * emb_dim
    ItemAggregation itemAggregation = ItemAggregation::Auto; // resolved before a model is built
    bool positions =
        true; // transformer: learned embedding of the position counted from the latest event
    double dropout = 0.1; // 0 <= dropout < 1
    bool timeBias = false; // transformer: learned attention bias per head from the signed time
                           // gap between two events, bucketed by sequence.time_buckets_days
    NumericEmbedding numericEncoding = NumericEmbedding::Linear;
    TimeEncoding timeEncoding = TimeEncoding::Buckets;
    bool localOrder = false; // add a learned map of the previous event's vector to each event's
                             // before item aggregation (a causal width-2 convolution)
    Pooling pooling = Pooling::All;
    Head head = Head::Skip;
    CalibrationMethod calibration = CalibrationMethod::Platt; // fitted on the validation split
};

struct TrainingConfig {
    int64_t epochs = 30;         // maximum epochs; >= 1
    int64_t batchSize = 64;      // applicants per batch; >= 1
    double learningRate = 0.003; // Adam step size; > 0
    double weightDecay = 0.0;    // Adam L2 penalty; >= 0
    double embeddingLrScale = 10.0; // step-size multiplier of the input embeddings; > 0
    // Step-size multiplier of the inputs computed from an earlier event (time_since_same,
    // change_since_same); unset: embeddingLrScale. > 0
    std::optional<double> derivedLrScale;
    double posWeight = 1.0;      // weight of the positive class in the loss; > 0
    double gradClip = 1.0;       // max gradient norm; 0 = no clipping
    int64_t patience = 5;        // epochs without validation-AUC gain before stopping; >= 1
    int64_t minEpochs = 10;      // no early stop before this epoch (initial plateaus); >= 1
    LrSchedule lrSchedule = LrSchedule::Constant; // warmup_cosine: linear warm-up, cosine decay
    double warmupEpochs = 1.0;   // warmup_cosine: epochs of linear warm-up; >= 0
    uint64_t seed = 7;           // seeds the split, the initialisation, dropout and the batch order
    double validFraction = 0.15; // share of labeled applicants held out for early stopping
    double testFraction = 0.2;   // share held out for the final test
    int64_t threads = 0; // LibTorch intra-op threads, event sources read at once; 0 = all cores
};

enum class BaselineModelKind { Logistic, XGBoost };
// How compare scores the test split with the sequence model: the mean logit of the K fold
// models (a bag, no extra training), or one more model trained on all of development.
enum class TestScoring { Bagged, FullModel };

struct XGBoostConfig {
    int64_t rounds = 200;         // boosting rounds (fixed; no early stopping); 1..100000
    int64_t maxDepth = 4;         // tree depth; 1..16
    double eta = 0.1;             // learning rate; (0, 1]
    double subsample = 0.8;       // row share per tree; (0, 1]
    double colsampleByTree = 0.8; // feature share per tree; (0, 1]
    double minChildWeight = 1.0;  // minimum hessian sum in a leaf; >= 0
};

struct BaselineConfig {
    BaselineModelKind model =
        BaselineModelKind::Logistic; // family used for the baseline AND the stacking model
    std::vector<double> windowsDays = {30, 90, 180, 365,
                                       730}; // windows before the cutoff, days, ascending
    int64_t topValues = 5; // per categorical field: most frequent values counted by name, the rest
                           // as "other"; 1..100
    double l2 = 1.0;       // logistic: L2 penalty on the standardized coefficients; >= 0
    int64_t folds = 5;     // out-of-fold sequence scores for the stacking training rows; 2..20
    int64_t bootstrapReps = 1000; // bootstrap replicates for the KS intervals; 2..100000
    TestScoring testScores = TestScoring::Bagged;
    XGBoostConfig xgboost;
};

// What a reason code names in a history (docs/config.md, "explain"). Exactly one shape:
//   field + value [+ within_days]          events whose categorical field has that value ("*": one
//                                          reason per value found), optionally only recent ones
//   field + value + then + within_days     an event like that directly followed, within the days,
//                                          by an event matching `then` (a two-event pattern)
//   input                                  one model input over all events (a field or a time input)
//   within_days alone                      every event in the days before the cutoff
struct ReasonMatch {
    std::string field, value;         // categorical event field and value ("*" = any)
    std::string thenField, thenValue; // pattern: the next event's field and value
    std::string input;                // a model input name
    double withinDays = 0;            // 0 = any time; pattern: the largest gap between the two
};

struct ReasonRule {
    std::string code; // short and stable; may hold {value} / {then_value} / {input} / {days}
    std::string text; // the phrase; placeholders {count} {field} {value} {then_value} {input} {days}
    ReasonMatch match;
};

struct ExplainConfig {
    std::vector<ReasonRule> reasons;  // checked first, in this order
    bool defaultReasons = true;       // then the reasons generated from the field names
    std::string reference = "missing"; // attribution reference: missing, empty or mean
    int64_t steps = 32;               // Integrated Gradients steps; 1..1024
};

// Green/amber/red limits of monitoring (monitor/monitor_workflow.h) and of segment checks.
struct MonitorThresholds {
    int64_t bins = 10;        // numeric and score bins (reference quantiles); 2..100
    double psiAmber = 0.10;   // PSI at or above: amber
    double psiRed = 0.25;     // PSI at or above: red
    double alphaRed = 0.05;   // AUC drop / calibration test p-value below: red
    double alphaAmber = 0.10; // below: amber
    double adverseImpact = 0.8; // a segment's approval rate over the highest one below: amber
};

// monitoring: segment checks (validation and monitoring reports) and the monitoring thresholds.
struct MonitoringConfig {
    std::vector<std::string> segments; // label-table columns (age band, region, product, ...)
    double approvalRate = 0.8; // share approved at the cut-off: the applicants with the lowest
                               // scores on the reference (the run's test split); (0, 1)
    int64_t minSegment = 30;   // smaller segments are listed but not judged (no light)
    MonitorThresholds thresholds;
};

struct Config {
    int schemaVersion = 1;
    std::string baseDir; // directory of the config file; relative paths resolve against it
    std::vector<EventSourceConfig> events;
    LabelConfig labels;
    SequenceConfig sequence;
    ModelConfig model;
    TrainingConfig training;
    BaselineConfig baseline;
    ExplainConfig explain;
    MonitoringConfig monitoring;

    // Absolute path of a config-relative path.
    std::string resolve(const std::string &path) const;
};

// Command-line / form overrides of a loaded config (unset = keep the config's value).
struct Overrides {
    std::optional<int64_t> epochs, threads, folds;
    std::optional<uint64_t> seed;
};
// The config with the overrides applied: what a workflow runs and a project records.
Config applyOverrides(Config config, const Overrides &overrides);

// One problem of a config: the JSON pointer of the value and what was expected vs found.
struct ConfigProblem {
    std::string path;
    std::string message;
};

// Every semantic problem of a config, however it was built (file, form, overrides): ranges from
// config_limits.h and the rules between values (heads divide emb_dim for the transformer,
// valid + test fractions, duplicate fields, time formats, ...). Empty when valid.
std::vector<ConfigProblem> validate(const Config &config);
// Throws ConfigError with validate()'s problems as "<sourceName>: <path>: <message>".
void throwIfInvalid(const Config &config, const std::string &sourceName);

// Loads a config file: parses the JSON (shape, types, unknown keys) and validates. Throws
// ConfigError listing every problem as "<file>: <json-path>: <expected vs got>", or a Config
// error when the file is unreadable.
Config loadConfig(const std::string &path);
// Parses and validates config JSON text; `sourceName` names it in messages; `baseDir` resolves
// relative paths.
Config parseConfig(const std::string &jsonText, const std::string &sourceName,
                   const std::string &baseDir);
// The resolved config as JSON text (all defaults written out, paths absolute).
std::string configToJson(const Config &config);

const char *toString(FieldType t);
const char *toString(ItemAggregation a);
const char *toString(Pooling p);
const char *toString(Head h);
const char *toString(LrSchedule s);
const char *toString(NumericEmbedding e);
const char *toString(TimeEncoding e);
const char *toString(CalibrationMethod m);
const char *toString(NumericTransform t);

} // namespace seqlens
