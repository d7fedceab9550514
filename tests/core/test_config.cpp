// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/config.h"
#include "seqlens/data/synth.h"
#include "test_util.h"

#include <QDir>

using namespace seqlens;

namespace {
const char *kMinimal = R"({"schema_version": 1,
  "events": [{"path": "e.csv", "entity": "id", "time": "t", "fields": [{"name": "kind", "type": "categorical"}]}],
  "labels": {"path": "l.csv", "entity": "id", "target": "bad", "positive": ["1"]}})";

std::vector<std::string> problemsOf(const std::string &json)
{
    try {
        parseConfig(json, "cfg.json", "/base");
    } catch (const ConfigError &e) {
        return e.problems();
    }
    return {};
}

bool anyContains(const std::vector<std::string> &v, const std::string &needle)
{
    for (const auto &s : v)
        if (testutil::contains(s, needle))
            return true;
    return false;
}
} // namespace

class TestConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void minimalGetsDefaults()
    {
        Config c = parseConfig(kMinimal, "cfg.json", "/base");
        QCOMPARE(c.model.embDim, int64_t(8));
        QCOMPARE(c.model.heads, int64_t(2));
        QCOMPARE(c.sequence.maxItems, int64_t(128));
        QCOMPARE(c.training.seed, uint64_t(7));
        QCOMPARE(c.resolve(c.events[0].path), std::string("/base/e.csv"));
        QVERIFY(!c.labels.cutoff.has_value());
    }
    void resolvedJsonRoundTrips()
    {
        Config c = parseConfig(kMinimal, "cfg.json", "/base");
        QVERIFY(!c.training.derivedLrScale.has_value()); // null: follows embedding_lr_scale
        Config d = parseConfig(configToJson(c), "resolved", "");
        QCOMPARE(configToJson(d), configToJson(c));
        QVERIFY(!d.training.derivedLrScale.has_value());
        c.training.derivedLrScale = 0.5;
        d = parseConfig(configToJson(c), "resolved", "");
        QCOMPARE(d.training.derivedLrScale.value_or(-1.0), 0.5);
        QCOMPARE(configToJson(d), configToJson(c));
    }
    void timeSplitAndMonitoringParseAndRoundTrip()
    {
        std::string j = kMinimal;
        j.replace(j.find(R"("positive": ["1"]})"), 18,
                  R"("positive": ["1"], "cutoff": "app", "split": {"by": "cutoff",
                     "valid_after": "2024-03-31", "test_after": "2024-06-30"}},
                     "monitoring": {"segments": ["region", "band"], "approval_rate": 0.7,
                     "min_segment": 50, "thresholds": {"psi_red": 0.3, "adverse_impact": 0.75}})");
        const Config c = parseConfig(j, "cfg.json", "/base");
        QVERIFY(c.labels.timeSplit.has_value());
        QVERIFY(!c.labels.split.has_value());
        QCOMPARE(c.labels.timeSplit->testAfter, std::string("2024-06-30"));
        const auto days = timeSplitDays(c.labels);
        QVERIFY(days.has_value());
        QCOMPARE(days->validAfter, double(daysFromCivil(2024, 3, 31)));
        QCOMPARE(days->testAfter, double(daysFromCivil(2024, 6, 30)));
        QCOMPARE(c.monitoring.segments, (std::vector<std::string>{"region", "band"}));
        QCOMPARE(c.monitoring.approvalRate, 0.7);
        QCOMPARE(c.monitoring.minSegment, int64_t(50));
        QCOMPARE(c.monitoring.thresholds.psiRed, 0.3);
        QCOMPARE(c.monitoring.thresholds.psiAmber, 0.10); // default kept
        QCOMPARE(c.monitoring.thresholds.adverseImpact, 0.75);
        const Config d = parseConfig(configToJson(c), "resolved", "");
        QCOMPARE(configToJson(d), configToJson(c));
        QCOMPARE(d.labels.timeSplit->validAfter, std::string("2024-03-31"));
    }
    void badTimeSplitAndMonitoringAreNamedByPath()
    {
        std::string j = kMinimal;
        j.replace(j.find(R"("positive": ["1"]})"), 18,
                  R"("positive": ["1"], "split": {"by": "month", "valid_after": "2024-13-45",
                     "test_after": "2024-01-01"}},
                     "monitoring": {"segments": ["bad", "r", "r"], "approval_rate": 1.5,
                     "thresholds": {"psi_amber": 0.3, "psi_red": 0.2, "alpha_red": 0.2,
                     "alpha_amber": 0.1, "colour": 1}})");
        const auto p = problemsOf(j);
        QVERIFY(anyContains(p, "cfg.json: /labels/split/by: expected \"cutoff\""));
        QVERIFY(anyContains(p, "cfg.json: /labels/split: a time split needs labels.cutoff"));
        QVERIFY(anyContains(p, "cfg.json: /labels/split/valid_after: expected a time in the "
                               "cutoff column's format or an ISO date, got \"2024-13-45\""));
        QVERIFY(anyContains(p, "cfg.json: /monitoring/segments/0: expected a label-table column "
                               "other than the entity and the target, got \"bad\""));
        QVERIFY(anyContains(p, "cfg.json: /monitoring/segments/2: duplicate segment column"));
        QVERIFY(anyContains(p, "cfg.json: /monitoring/approval_rate: expected a number in"));
        QVERIFY(anyContains(p, "cfg.json: /monitoring/thresholds/psi_red: expected a PSI above "
                               "psi_amber (0.3), got 0.2"));
        QVERIFY(anyContains(p, "cfg.json: /monitoring/thresholds/alpha_red: expected a p-value"));
        QVERIFY(anyContains(p, "cfg.json: /monitoring/thresholds/colour: unknown key"));
        std::string k = kMinimal;
        k.replace(k.find(R"("positive": ["1"]})"), 18,
                  R"("positive": ["1"], "cutoff": "app", "split": {"by": "cutoff",
                     "valid_after": "2024-06-30", "test_after": "2024-03-31"}})");
        QVERIFY(anyContains(problemsOf(k), "cfg.json: /labels/split/test_after: expected a time at "
                                           "or after valid_after (\"2024-06-30\")"));
        std::string l = kMinimal;
        l.replace(l.find(R"("positive": ["1"]})"), 18, R"("positive": ["1"], "split": 3})");
        QVERIFY(anyContains(problemsOf(l), "cfg.json: /labels/split: expected a column name or "
                                           "{\"by\": \"cutoff\""));
    }
    void allProblemsAtOnceWithPaths()
    {
        auto p = problemsOf(R"({"schema_version": 2,
          "events": [{"path": "e.csv", "entity": "id", "time": "t", "time_format": "dd/mm",
                      "fields": [{"name": "kind", "type": "categorcal"}, {"name": "amt", "type": "numeric", "transfrom": "log1p"}]}],
          "labels": {"path": "l.csv", "entity": "id", "target": "bad", "positive": []},
          "model": {"emb_dim": 8, "heads": 3, "dropout": 1.5},
          "training": {"epochs": 0, "learning_rate": "fast", "embedding_lr_scale": 0,
                       "derived_lr_scale": "slow"},
          "extra": 1})");
        QVERIFY2(p.size() >= 9, std::to_string(p.size()).c_str());
        QVERIFY(anyContains(p, "cfg.json: /schema_version: expected 1"));
        QVERIFY(anyContains(p, "/events/0/time_format: expected \"auto\""));
        QVERIFY(anyContains(p, "/events/0/fields/0/type: expected one of \"categorical\", "
                               "\"numeric\", got \"categorcal\""));
        QVERIFY(anyContains(p, "/events/0/fields/1/transfrom: unknown key"));
        QVERIFY(anyContains(p, "/labels/positive: expected a non-empty array"));
        QVERIFY(anyContains(p, "/model/heads: expected a divisor of emb_dim (8), got 3"));
        QVERIFY(anyContains(p, "/model/dropout: expected a number in [0, 1)"));
        QVERIFY(anyContains(p, "/training/epochs: expected an integer in [1, 100000], got 0"));
        QVERIFY(anyContains(p, "/training/learning_rate: expected a number"));
        QVERIFY(anyContains(p, "/training/embedding_lr_scale: expected a number in [1e-06, 1000], "
                               "got 0"));
        QVERIFY(anyContains(p, "/training/derived_lr_scale: expected a number in [1e-06, 1000], "
                               "got \"slow\""));
        QVERIFY(anyContains(p, "/extra: unknown key"));
    }
    void severalEventSourcesAreCheckedByPath()
    {
        auto p = problemsOf(R"({"schema_version": 1,
          "events": [{"path": "a.csv", "entity": "id", "time": "t", "fields": [{"name": "k", "type": "categorical"}]},
                     {"name": "b", "path": "b.csv", "entity": "id", "time": "t", "time_origin": "cutoff",
                      "max_items": 5000, "fields": [{"name": "k", "type": "categorical"}],
                      "via": {"path": "p.csv", "key": "pk", "entity": "pk",
                              "fields": [{"name": "k", "type": "categorical"}]}},
                     {"name": "b", "path": "c.csv", "entity": "id", "time": "t", "time_format": "iso",
                      "time_origin": "cutoff", "fields": [{"name": "x", "type": "numeric"}],
                      "via": [{"path": "q.csv", "key": "a"}]},
                     {"name": "bad name", "path": "d.csv", "entity": "id", "time": "t", "fields": [{"name": "k", "type": "categorical"}]}],
          "labels": {"path": "l.csv", "entity": "id", "target": "bad", "positive": ["1"],
                     "cutoff_value": "2024-13-40"}})");
        QVERIFY(anyContains(p, "/events/0/name: required with several event sources"));
        QVERIFY(anyContains(p, "/events/1/max_items: expected an integer in [0, 4096], got 5000"));
        QVERIFY(anyContains(p, "/events/1/via/entity: expected a column other than key"));
        QVERIFY(anyContains(p, "/events/1/via/fields/0/name: duplicate field \"k\""));
        QVERIFY(anyContains(p, "/events/2/name: duplicate source name \"b\""));
        QVERIFY(anyContains(p, "/events/2/time_format: time_origin \"cutoff\" counts plain "
                               "numbers"));
        QVERIFY(anyContains(p, "/events/2/via/0/entity: required key is missing"));
        QVERIFY(anyContains(p, "/events/3/name: expected letters, digits"));
        QVERIFY(anyContains(p, "/labels/cutoff_value: expected a time in labels.cutoff_format"));
        auto q = problemsOf(R"({"schema_version": 1,
          "events": [{"path": "a.csv", "entity": "id", "time": "t", "time_origin": "cutoff",
                      "fields": [{"name": "k", "type": "categorical"}]}],
          "labels": {"path": "l.csv", "entity": "id", "target": "bad", "positive": ["1"]}})");
        QVERIFY(anyContains(q, "/events/0/time_origin: time_origin \"cutoff\" needs "
                               "labels.cutoff"));
    }
    void severalEventSourcesRoundTrip()
    {
        const std::string text = R"({"schema_version": 1,
          "events": [{"name": "app", "path": "a.csv", "entity": "id", "time": "t", "fields": [{"name": "k", "type": "categorical"}]},
                     {"name": "bal", "path": "b.csv", "entity": "cid", "time": "m", "time_unit": "months",
                      "time_origin": "cutoff", "max_items": 24, "fields": [{"name": "status", "type": "categorical"}],
                      "via": {"path": "p.csv", "key": "cid", "entity": "id",
                              "fields": [{"name": "kind", "type": "categorical"}]}}],
          "labels": {"path": "l.csv", "entity": "id", "target": "bad", "positive": ["1"],
                     "cutoff_value": "2024-06-30"}})";
        const Config c = parseConfig(text, "cfg.json", "/base");
        QCOMPARE(c.events.size(), size_t(2));
        QVERIFY(c.events[1].timeFromCutoff);
        QCOMPARE(c.events[1].timeFormat.format, std::string("number"));
        QCOMPARE(c.events[1].maxItems, int64_t(24));
        QCOMPARE(c.events[1].via.size(), size_t(1));
        QCOMPARE(c.events[1].via[0].entity, std::string("id"));
        const auto fields = eventFields(c);
        QCOMPARE(fields.size(), size_t(3));
        QCOMPARE(fields[1].name, std::string("bal.status"));
        QCOMPARE(fields[2].name, std::string("bal.kind"));
        QCOMPARE(fields[2].hop, 0);
        QCOMPARE(*cutoffValueDays(c.labels), double(daysFromCivil(2024, 6, 30)));
        const Config again = parseConfig(configToJson(c), "resolved.json", "/base");
        QCOMPARE(configToJson(again), configToJson(c));
        QVERIFY(again.events[1].timeFromCutoff);
        QCOMPARE(again.events[1].via[0].fields.size(), size_t(1));
        // One source keeps its plain field names and gets the default name.
        const Config one = parseConfig(R"({"schema_version": 1,
          "events": [{"path": "a.csv", "entity": "id", "time": "t", "fields": [{"name": "k", "type": "categorical"}]}],
          "labels": {"path": "l.csv", "entity": "id", "target": "bad", "positive": ["1"]}})",
                                       "one.json", "/base");
        QCOMPARE(one.events[0].name, std::string("events"));
        QCOMPARE(eventFields(one)[0].name, std::string("k"));
    }
    void missingRequiredKeys()
    {
        auto p = problemsOf(
            R"({"schema_version": 1, "events": [{"path": "a.csv", "fields": []}]})");
        QVERIFY(anyContains(p, "/events/0/entity: required key is missing"));
        QVERIFY(anyContains(p, "/events/0/fields: expected a non-empty array"));
        QVERIFY(anyContains(p, "/labels: required key is missing"));
    }
    void timeSinceSameNamesCategoricalFieldsOnce()
    {
        const std::string head = R"({"schema_version": 1,
          "events": [{"path": "e.csv", "entity": "id", "time": "t",
                      "fields": [{"name": "kind", "type": "categorical"}, {"name": "amount", "type": "numeric"}]}],
          "labels": {"path": "l.csv", "entity": "id", "target": "bad", "positive": ["1"]},
          "sequence": {"time_since_same": )";
        Config c = parseConfig(head + R"(["kind"]}})", "cfg.json", "/base");
        QCOMPARE(c.sequence.timeSinceSame, std::vector<std::string>{"kind"});
        QCOMPARE(parseConfig(configToJson(c), "back", "/base").sequence.timeSinceSame,
                 std::vector<std::string>{"kind"});
        QVERIFY(parseConfig(kMinimal, "cfg.json", "/base").sequence.timeSinceSame.empty());
        auto p = problemsOf(head + R"(["amount", "kind", "kind"]}})");
        QCOMPARE(p.size(), size_t(2));
        QCOMPARE(p[0], std::string("cfg.json: /sequence/time_since_same/0: expected a categorical "
                                   "event field (\"kind\"), got \"amount\""));
        QCOMPARE(p[1], std::string("cfg.json: /sequence/time_since_same/2: expected each field "
                                   "once, got \"kind\" again"));
        QVERIFY(anyContains(problemsOf(head + R"("kind"}})"),
                            "/sequence/time_since_same: expected an array of strings, got \"kind\""));
    }
    void changeSinceSameNamesCategoricalFieldsOfTablesWithNumbers()
    {
        const std::string head = R"({"schema_version": 1,
          "events": [{"path": "e.csv", "entity": "id", "time": "t",
                      "fields": [{"name": "kind", "type": "categorical"}, {"name": "amount", "type": "numeric"}]}],
          "labels": {"path": "l.csv", "entity": "id", "target": "bad", "positive": ["1"]},
          "sequence": {"change_since_same": )";
        Config c = parseConfig(head + R"(["kind"]}})", "cfg.json", "/base");
        QCOMPARE(c.sequence.changeSinceSame, std::vector<std::string>{"kind"});
        QCOMPARE(parseConfig(configToJson(c), "back", "/base").sequence.changeSinceSame,
                 std::vector<std::string>{"kind"});
        QVERIFY(parseConfig(kMinimal, "cfg.json", "/base").sequence.changeSinceSame.empty());
        auto p = problemsOf(head + R"(["amount", "kind", "kind"]}})");
        QCOMPARE(p.size(), size_t(2));
        QCOMPARE(p[0], std::string("cfg.json: /sequence/change_since_same/0: expected a "
                                   "categorical event field (\"kind\"), got \"amount\""));
        QCOMPARE(p[1], std::string("cfg.json: /sequence/change_since_same/2: expected each field "
                                   "once, got \"kind\" again"));
        // A table without a numeric field has nothing to take the change of.
        const std::string noNumbers = R"({"schema_version": 1,
          "events": [{"path": "e.csv", "entity": "id", "time": "t",
                      "fields": [{"name": "kind", "type": "categorical"}]}],
          "labels": {"path": "l.csv", "entity": "id", "target": "bad", "positive": ["1"]},
          "sequence": {"change_since_same": ["kind"]}})";
        p = problemsOf(noNumbers);
        QCOMPARE(p.size(), size_t(1));
        QCOMPARE(p[0], std::string("cfg.json: /sequence/change_since_same/0: expected a "
                                   "categorical field of a table with a numeric field, got "
                                   "\"kind\" (its table has no numeric field)"));
        // Its inputs are model inputs a reason can match.
        const std::string reason = R"(},
          "explain": {"reasons": [{"code": "R", "text": "t", "match": {"input": )";
        QVERIFY(problemsOf(head + R"(["kind"])" + reason + R"("amount_change_since_same_kind"}}]}})")
                    .empty());
        QVERIFY(anyContains(problemsOf(head + R"([])" + reason +
                                       R"("amount_change_since_same_kind"}}]}})"),
                            "/explain/reasons/0/match/input: expected a model input"));
    }
    void validateChecksAConfigHoweverItWasBuilt()
    {
        Config c = parseConfig(kMinimal, "cfg.json", "/base");
        QVERIFY(validate(c).empty());
        c.model.heads = 3; // 8 % 3 != 0: only the transformer splits emb_dim across heads
        auto p = validate(c);
        QCOMPARE(p.size(), size_t(1));
        QCOMPARE(p[0].path, std::string("/model/heads"));
        QCOMPARE(p[0].message, std::string("expected a divisor of emb_dim (8), got 3"));
        c.model.itemAggregation = ItemAggregation::Gru;
        QVERIFY(validate(c).empty());
        c.training.derivedLrScale = -1.0;
        p = validate(c);
        QCOMPARE(p.size(), size_t(1));
        QCOMPARE(p[0].path, std::string("/training/derived_lr_scale"));
        QCOMPARE(p[0].message, std::string("expected a number in [1e-06, 1000], got -1.0"));
        c.training.derivedLrScale.reset();
        c.training.epochs = 0;
        c.training.validFraction = 0.5;
        c.training.testFraction = 0.5;
        c.events[0].fields.push_back(c.events[0].fields[0]);
        p = validate(c);
        QCOMPARE(p.size(), size_t(3));
        QCOMPARE(p[0].path, std::string("/events/0/fields/1/name"));
        QCOMPARE(p[0].message, std::string("duplicate field \"kind\""));
        QCOMPARE(p[1].message, std::string("expected an integer in [1, 100000], got 0"));
        QCOMPARE(p[2].path, std::string("/training/test_fraction"));
        try {
            throwIfInvalid(c, "form");
            QFAIL("no error");
        } catch (const ConfigError &e) {
            QCOMPARE(e.problems().size(), size_t(3));
            QCOMPARE(e.problems()[1],
                     std::string("form: /training/epochs: expected an integer in [1, 100000], got 0"));
        }
    }
    void overridesApplyAndAreValidatedLikeTheFile()
    {
        Config c = parseConfig(kMinimal, "cfg.json", "/base");
        Overrides o;
        o.epochs = 3;
        o.seed = 99;
        o.folds = 4;
        const Config d = applyOverrides(c, o);
        QCOMPARE(d.training.epochs, int64_t(3));
        QCOMPARE(d.training.seed, uint64_t(99));
        QCOMPARE(d.baseline.folds, int64_t(4));
        QCOMPARE(d.training.threads, c.training.threads); // unset: kept
        o.folds = 1;
        QCOMPARE(validate(applyOverrides(c, o)).at(0).path, std::string("/baseline/folds"));
    }
    void numberOverflowingADoubleNamesItsPath()
    {
        auto p = problemsOf(R"({"schema_version": 1,
          "events": [{"path": "e.csv", "entity": "id", "time": "t", "fields": [{"name": "kind", "type": "categorical"}]}],
          "labels": {"path": "l.csv", "entity": "id", "target": "bad", "positive": ["1"]},
          "training": {"epochs": 3, "learning_rate": 1e309}})");
        QCOMPARE(p.size(), size_t(1));
        QCOMPARE(p[0], std::string("cfg.json: /training/learning_rate: expected a number, got "
                                   "1e309, which is out of the range of a double"));
        p = problemsOf(R"({"sequence": {"time_buckets_days": [1, 2, -1e400]}})");
        QCOMPARE(p.size(), size_t(1));
        QVERIFY2(anyContains(p, "cfg.json: /sequence/time_buckets_days/2: expected a number"),
                 p[0].c_str());
    }
    void zeroDayBucketEdgeIsAllowed()
    {
        std::string json = kMinimal;
        json.insert(json.size() - 1, R"(, "sequence": {"time_buckets_days": [0, 1, 7]})");
        Config c = parseConfig(json, "cfg.json", "/base");
        QCOMPARE(c.sequence.timeBucketsDays, (std::vector<double>{0, 1, 7}));
        json = kMinimal;
        json.insert(json.size() - 1, R"(, "sequence": {"time_buckets_days": [0, 0, 7]})");
        QVERIFY(anyContains(problemsOf(json), "/sequence/time_buckets_days: expected 1 to 64 "
                                              "non-negative, strictly ascending numbers"));
        json = kMinimal;
        json.insert(json.size() - 1, R"(, "sequence": {"time_buckets_days": [-1, 7]})");
        QVERIFY(anyContains(problemsOf(json), "/sequence/time_buckets_days: expected"));
    }
    void invalidJsonGivesLineAndColumn()
    {
        try {
            parseConfig("{\n  \"schema_version\": 1,\n  \"events\": [,]\n}", "broken.json", "");
            QFAIL("no error");
        } catch (const ConfigError &e) {
            QVERIFY2(testutil::contains(e.what(), "broken.json:3:"), e.what());
            QVERIFY2(testutil::contains(e.what(), "invalid JSON"), e.what());
        }
    }
    void everyShippedConfigLoads()
    {
        QDir dir(QStringLiteral(SEQLENS_SOURCE_DIR "/configs"));
        const auto files = dir.entryList({"*.json"}, QDir::Files);
        QVERIFY(files.size() >= 2);
        for (const QString &f : files) {
            Config c = loadConfig(dir.filePath(f).toStdString());
            QVERIFY(!c.events.empty());
        }
    }
    void synthConfigLoads()
    {
        QTemporaryDir dir;
        auto s = writeSynthDataset({dir.path().toStdString(), 10, 1});
        Config c = loadConfig(s.configPath);
        QCOMPARE(c.resolve(c.events[0].path), s.eventsPath);
        QCOMPARE(*c.labels.cutoff, std::string("application_time"));
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "test_config.moc"
