// SPDX-License-Identifier: GPL-3.0-or-later
// Attributions, occlusion, reasons, what-if and faithfulness: completeness for every item
// aggregation and reference, occlusion equal to scoring an edited file, the planted pattern
// found by the attributions, faithfulness above random, reasons from known attributions, and
// one-line errors for bad edits and bad reason dictionaries.
#include "seqlens/data/synth.h"
#include "seqlens/explain/explanation_audit.h"
#include "seqlens/explain/reasons.h"
#include "seqlens/score_workflow.h"
#include "seqlens/train_workflow.h"
#include "seqlens/util/error.h"
#include "test_util.h"

#include <QFile>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

using namespace seqlens;

namespace {

constexpr double kPlantedShare =
    0.6;                            // bad applicants with the planted pair whose top event is in it
constexpr double kOverRandom = 0.3; // insertion - deletion area above random, logit units

double sigmoid(double x)
{
    return 1.0 / (1.0 + std::exp(-x));
}

struct Data {
    QTemporaryDir dir;
    SynthSummary synth;
    Config cfg;
    RawDataset raw;
};

std::unique_ptr<Data> synthData(int64_t applicants, uint64_t seed)
{
    auto d = std::make_unique<Data>();
    d->synth = writeSynthDataset({d->dir.path().toStdString(), applicants, seed});
    d->cfg = loadConfig(d->synth.configPath);
    d->cfg.training.threads = 2;
    d->raw = loadDataset(d->cfg);
    return d;
}

// An untrained bundle of the given aggregation, encoder fitted on everything.
ModelBundle untrained(const Data &d, ItemAggregation agg, TimeEncoding time = TimeEncoding::Buckets,
                      Pooling pooling = Pooling::All)
{
    ModelBundle b;
    b.config = d.cfg;
    b.config.model.itemAggregation = agg;
    b.config.model.timeEncoding = time;
    b.config.model.pooling = pooling;
    b.encoder = Encoder::fit(d.raw, b.config, allRows(d.raw));
    b.model = std::make_unique<SequenceModel>(b.config.model, layoutOf(b.encoder), 3);
    b.referenceEmbedding = b.model->meanInputEmbedding(b.encoder.encode(d.raw), allRows(d.raw));
    return b;
}

double sumCells(const ApplicantExplanation &x)
{
    double s = x.attribution.lengthTerm;
    for (const auto &e : x.events)
        s += e.attributionTotal;
    return s;
}

// events.csv without the row of `entity` at time `time` (ISO text as written by synth).
std::string withoutRow(const std::string &eventsPath, const std::string &entity,
                       const std::string &time, const std::string &outPath)
{
    std::ifstream in(eventsPath);
    std::ofstream out(outPath);
    std::string line;
    int removed = 0;
    while (std::getline(in, line)) {
        if (removed == 0 && line.rfind(entity + "," + time + ",", 0) == 0) {
            ++removed;
            continue;
        }
        out << line << "\n";
    }
    return removed == 1 ? outPath : std::string();
}

} // namespace

class TestExplain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void integratedGradientsAreCompleteForEveryAggregationAndReference()
    {
        auto d = synthData(300, 5);
        // The GRU three times: with the time before the cutoff as buckets, as continuous time,
        // and with pooling "all_inputs" (window statistics straight from the input embeddings).
        const std::tuple<ItemAggregation, TimeEncoding, Pooling> models[] = {
            {ItemAggregation::Transformer, TimeEncoding::Buckets, Pooling::All},
            {ItemAggregation::Gru, TimeEncoding::Buckets, Pooling::All},
            {ItemAggregation::Gru, TimeEncoding::Continuous, Pooling::All},
            {ItemAggregation::Gru, TimeEncoding::Buckets, Pooling::AllInputs},
            {ItemAggregation::Lstm, TimeEncoding::Buckets, Pooling::All},
            {ItemAggregation::None, TimeEncoding::Buckets, Pooling::All}};
        for (const auto &[agg, time, pooling] : models) {
            const ModelBundle b = untrained(*d, agg, time, pooling);
            const EncodedDataset enc = b.encoder.encode(d->raw);
            for (auto ref : {AttributionReference::Missing, AttributionReference::Empty,
                             AttributionReference::Mean}) {
                ExplainOptions o;
                o.reference = ref;
                o.occlusion = false;
                for (int64_t a : {0, 1, 2, 7}) {
                    o.steps = 256;
                    const auto x = explainApplicant(b, d->raw, enc, a, o);
                    const double target = x.logit - x.attribution.referenceLogit;
                    QVERIFY2(std::fabs(sumCells(x) - target) < 2e-3 + 1e-3 * std::fabs(target),
                             (std::string(toString(agg)) + " " + toString(ref) + " gap " +
                              std::to_string(sumCells(x) - target))
                                 .c_str());
                    QVERIFY(std::fabs(x.attribution.completenessGap - (sumCells(x) - target)) <
                            1e-6);
                    // The logit is the model's score of this applicant.
                    QVERIFY(std::fabs(x.logit - b.model->predictLogits(enc, {a})[0]) < 1e-5);
                }
            }
        }
    }

    void emptyHistoryHasNoCellsAndNoGap()
    {
        Data d;
        testutil::writeFile(d.dir, "events.csv", "id,t,kind\na,2020-01-01,x\n");
        testutil::writeFile(d.dir, "labels.csv", "id,app,bad\na,2020-02-01,1\nb,2020-02-01,0\n");
        d.cfg = parseConfig(
            R"({"schema_version": 1, "events": [{"path": "events.csv", "entity": "id", "time": "t",
                "time_format": "iso", "fields": [{"name": "kind", "type": "categorical"}]}],
                "labels": {"path": "labels.csv", "entity": "id", "target": "bad", "positive": ["1"],
                "cutoff": "app", "cutoff_format": "iso"}})",
            "config.json", d.dir.path().toStdString());
        d.raw = loadDataset(d.cfg);
        for (auto agg : {ItemAggregation::Transformer, ItemAggregation::Gru}) {
            const ModelBundle b = untrained(d, agg);
            const EncodedDataset enc = b.encoder.encode(d.raw);
            ExplainOptions o;
            o.reference = AttributionReference::Empty;
            const auto x = explainApplicant(b, d.raw, enc, 1, o);
            QCOMPARE(int(x.events.size()), 0);
            QCOMPARE(x.attribution.lengthTerm, 0.0);
            QVERIFY(std::fabs(x.attribution.completenessGap) < 1e-6);
            QVERIFY(x.reasons.empty());
        }
    }

    void moreStepsShrinkTheGap()
    {
        auto d = synthData(200, 6);
        const ModelBundle b = untrained(*d, ItemAggregation::Transformer);
        const EncodedDataset enc = b.encoder.encode(d->raw);
        double coarse = 0, fine = 0;
        for (int64_t a = 0; a < 20; ++a) {
            coarse += std::fabs(
                b.model->integratedGradients(enc, a, AttributionReference::Missing, 2)
                    .completenessGap());
            fine += std::fabs(
                b.model->integratedGradients(enc, a, AttributionReference::Missing, 128)
                    .completenessGap());
        }
        qInfo("sum |gap| over 20 applicants: 2 steps %.5f, 128 steps %.6f", coarse, fine);
        QVERIFY(fine < coarse);
        QVERIFY(fine < 0.01);
    }

    void occlusionEqualsScoringAnEditedFile()
    {
        auto d = synthData(300, 8);
        const ModelBundle b = untrained(*d, ItemAggregation::Transformer);
        const EncodedDataset enc = b.encoder.encode(d->raw);
        int checked = 0;
        for (int64_t a = 0; a < 40 && checked < 3; ++a) {
            const auto x = explainApplicant(b, d->raw, enc, a);
            if (x.events.size() < 4)
                continue;
            const size_t t = x.events.size() / 2;
            // synth writes times as ISO date-times to the minute, as formatDays prints them
            const std::string edited = withoutRow(d->synth.eventsPath, x.id,
                                                  formatDays(x.events[t].timeDays),
                                                  (d->dir.path() + "/edited.csv").toStdString());
            QVERIFY2(!edited.empty(), formatDays(x.events[t].timeDays).c_str());
            for (const auto &s : scoreWithBundle(b, edited, d->synth.labelsPath))
                if (s.id == x.id)
                    QVERIFY2(std::fabs(s.score - sigmoid(x.logit + x.events[t].occlusionDelta)) <
                                 1e-6,
                             (std::to_string(s.score) + " vs " +
                              std::to_string(sigmoid(x.logit + x.events[t].occlusionDelta)))
                                 .c_str());
            // The same edit through what-if.
            const WhatIf w = whatIf(b, d->raw, a,
                                    {{HistoryEdit::Kind::Remove, int64_t(t), {}, {}, 0}});
            QVERIFY(std::fabs(w.after.logit - (x.logit + x.events[t].occlusionDelta)) < 1e-5);
            QCOMPARE(w.after.events.size(), x.events.size() - 1);
            QVERIFY(std::fabs(w.before.logit - x.logit) < 1e-6);
            ++checked;
        }
        QCOMPARE(checked, 3);
    }

    void whatIfSetAndMoveAndBadEdits()
    {
        auto d = synthData(200, 9);
        const ModelBundle b = untrained(*d, ItemAggregation::Gru);
        const EncodedDataset enc = b.encoder.encode(d->raw);
        int64_t a = 0;
        while (d->raw.eventCount(a) < 3)
            ++a;
        const auto x = explainApplicant(b, d->raw, enc, a);
        // Setting a value to what it already is changes nothing.
        const WhatIf same = whatIf(
            b, d->raw, a, {{HistoryEdit::Kind::Set, 1, "event_type", x.events[1].values[0], 0}});
        QVERIFY(std::fabs(same.after.logit - x.logit) < 1e-6);
        // Edits apply one after another: remove 0 twice removes the two oldest events.
        const WhatIf twice = whatIf(
            b, d->raw, a,
            {{HistoryEdit::Kind::Remove, 0, {}, {}, 0}, {HistoryEdit::Kind::Remove, 0, {}, {}, 0}});
        QCOMPARE(twice.after.events.size(), x.events.size() - 2);
        QCOMPARE(twice.after.events[0].timeDays, x.events[2].timeDays);
        // Moving the oldest event between the latest one and the cutoff puts it last.
        const double late = 0.5 * (x.events.back().timeDays + x.cutoffDays);
        const WhatIf moved = whatIf(b, d->raw, a, {{HistoryEdit::Kind::Move, 0, {}, {}, late}});
        QCOMPARE(moved.after.events.back().timeDays, late);
        QCOMPARE(moved.after.events.back().values, x.events[0].values);
        auto message = [&](std::vector<HistoryEdit> edits) {
            try {
                whatIf(b, d->raw, a, edits);
            } catch (const Error &e) {
                return e.kind() == ErrorKind::Usage ? std::string(e.what()) : std::string("kind");
            }
            return std::string("no error");
        };
        const std::string n = std::to_string(x.events.size());
        QVERIFY(message({{HistoryEdit::Kind::Remove, 999, {}, {}, 0}}).find("no such event") !=
                std::string::npos);
        QVERIFY(message({{HistoryEdit::Kind::Set, 0, "nope", "x", 0}})
                    .find("no event field \"nope\"") != std::string::npos);
        QVERIFY(message({{HistoryEdit::Kind::Set, 0, "amount", "abc", 0}}).find("is numeric") !=
                std::string::npos);
        QVERIFY(message({{HistoryEdit::Kind::Move, 0, {}, {}, x.cutoffDays}}).find("cutoff") !=
                std::string::npos);
        QVERIFY(message({{HistoryEdit::Kind::Remove, 0, {}, {}, 0},
                         {HistoryEdit::Kind::Remove, 999, {}, {}, 0}})
                    .rfind("edit 2 of 2", 0) == 0);
    }

    void reasonsFromKnownAttributions()
    {
        ApplicantExplanation x;
        x.logit = 0.5;
        x.cutoffDays = 100;
        x.fields = {"type", "amount"};
        x.fieldTypes = {"categorical", "numeric"};
        x.inputs = {"type", "time_since_previous", "time_before_cutoff", "amount"};
        x.attribution.available = true;
        // events: late (day 10, +0.4), inquiry (day 12, +0.3), pay (day 95, -0.2), late (day 98,
        // +0.1)
        const std::vector<std::tuple<double, std::string, double>> ev = {
            {10, "late", 0.4}, {12, "inquiry", 0.3}, {95, "pay", -0.2}, {98, "late", 0.1}};
        for (size_t i = 0; i < ev.size(); ++i) {
            ExplainedEvent e;
            e.index = int64_t(i);
            e.timeDays = std::get<0>(ev[i]);
            e.values = {std::get<1>(ev[i]), "1"};
            e.attribution = {std::get<2>(ev[i]), 0, 0, 0};
            e.attributionTotal = std::get<2>(ev[i]);
            x.events.push_back(e);
        }
        Config cfg;
        cfg.events.push_back({});
        cfg.events[0].fields = {{"type", FieldType::Categorical}, {"amount", FieldType::Numeric}};
        cfg.explain.reasons = {{"LATE_INQ",
                                "{value} then {then_value} within {days} days",
                                {"type", "late", "type", "inquiry", "", 5}}};
        const auto reasons = topReasons(x, reasonRules(cfg, x.inputs), 3);
        QCOMPARE(int(reasons.size()), 2);
        QCOMPARE(reasons[0].code, std::string("LATE_INQ"));
        QCOMPARE(reasons[0].text, std::string("late then inquiry within 5 days"));
        QVERIFY(std::fabs(reasons[0].logit - 0.7) < 1e-12);
        QVERIFY(std::fabs(reasons[0].probabilityPoints - 100 * (sigmoid(0.5) - sigmoid(-0.2))) <
                1e-9);
        // Both lates (0.5) beat the generated pattern and windows that repeat covered events.
        QCOMPARE(reasons[1].code, std::string("TYPE_late"));
        QCOMPARE(reasons[1].text, std::string("2 events with type = late"));
        QVERIFY(std::fabs(reasons[1].logit - 0.5) < 1e-12);
        // Without the configured rule the pair is found by the generated pattern rule.
        cfg.explain.reasons.clear();
        const auto generated = topReasons(x, reasonRules(cfg, x.inputs), 1);
        QCOMPARE(generated[0].code, std::string("TYPE_late_THEN_inquiry"));
        cfg.explain.defaultReasons = false;
        QVERIFY(topReasons(x, reasonRules(cfg, x.inputs), 3).empty());
    }

    void badReasonDictionariesAreConfigErrors()
    {
        const std::string base =
            R"({"schema_version": 1, "events": [{"path": "e.csv", "entity": "id",
            "time": "t", "fields": [{"name": "type", "type": "categorical"}, {"name": "amount",
            "type": "numeric"}]}], "labels": {"path": "l.csv", "entity": "id", "target": "bad",
            "positive": ["1"]}, "explain": )";
        auto problems = [&](const std::string &explain) {
            try {
                parseConfig(base + explain + "}", "c.json", "/tmp");
            } catch (const ConfigError &e) {
                std::string all;
                for (const auto &p : e.problems())
                    all += p + "\n";
                return all;
            }
            return std::string();
        };
        QVERIFY(problems(
                    R"({"reasons": [{"code": "A", "text": "{cnt}", "match": {"within_days": 9}}]})")
                    .find("c.json: /explain/reasons/0/text: unknown placeholder {cnt}") !=
                std::string::npos);
        QVERIFY(
            problems(
                R"({"reasons": [{"code": "A", "text": "t", "match": {"field": "amount", "value": "x"}}]})")
                .find("/explain/reasons/0/match/field: expected a categorical event field") !=
            std::string::npos);
        QVERIFY(
            problems(
                R"({"reasons": [{"code": "A", "text": "t", "match": {"input": "x"}}, {"code": "A", "text": "t", "match": {"within_days": 3}}]})")
                .find("/explain/reasons/1/code: duplicate reason code \"A\"") != std::string::npos);
        QVERIFY(problems(R"({"reasons": [{"code": "A", "text": "t", "match": {"colour": 1}}]})")
                    .find("/explain/reasons/0/match/colour: unknown key") != std::string::npos);
        QVERIFY(problems(R"({"reference": "zero"})").find("/explain/reference: expected one of") !=
                std::string::npos);
        QVERIFY(
            problems(R"({"steps": 0})").find("/explain/steps: expected an integer in [1, 1024]") !=
            std::string::npos);
        QVERIFY(
            problems(
                R"({"reasons": [{"code": "A", "text": "t", "match": {"field": "type", "value": "x", "then": {"field": "type", "value": "y"}}}]})")
                .find("/explain/reasons/0/match/within_days: expected the largest gap") !=
            std::string::npos);
        QCOMPARE(
            problems(
                R"({"reasons": [{"code": "T_{value}", "text": "{count} x {value}", "match": {"field": "type", "value": "*", "within_days": 30}}]})"),
            std::string());
    }

    void trainedModelFindsThePlantedPatternAndBeatsRandom()
    {
        auto d = synthData(testutil::kSanitized ? 1500 : 5000, 21);
        Config cfg = d->cfg;
        cfg.training.epochs = testutil::kSanitized ? 3 : 12;
        QTemporaryDir out;
        TrainRequest req;
        req.outDir = out.path().toStdString() + "/m";
        const TrainSummary sum = runTraining(cfg, req);
        QVERIFY(!sum.cancelled);
        const ModelBundle b = loadBundle(req.outDir);
        QVERIFY(!b.referenceEmbedding.empty());
        const EncodedDataset enc = b.encoder.encode(d->raw);
        const auto t = assignSplits(d->raw, cfg.training.validFraction, cfg.training.testFraction,
                                    cfg.training.seed);
        const auto test = rowsIn(d->raw, t, Split::Test);
        int withPair = 0, topInPair = 0;
        ExplainOptions o;
        o.occlusion = false;
        for (int64_t a : test) {
            if (d->raw.applicants[size_t(a)].label != 1)
                continue;
            const auto x = explainApplicant(b, d->raw, enc, a, o);
            std::set<int64_t> pair; // events of a late payment followed within 5 days by an inquiry
            for (size_t i = 1; i < x.events.size(); ++i)
                if (x.events[i - 1].values[0] == "late_payment" &&
                    x.events[i].values[0] == "inquiry" &&
                    x.events[i].timeDays - x.events[i - 1].timeDays <= 5)
                    pair.insert({int64_t(i - 1), int64_t(i)});
            if (pair.empty())
                continue;
            ++withPair;
            size_t top = 0;
            for (size_t i = 1; i < x.events.size(); ++i)
                if (x.events[i].attributionTotal > x.events[top].attributionTotal)
                    top = i;
            topInPair += pair.count(int64_t(top));
        }
        const double share = double(topInPair) / std::max(1, withPair);
        qInfo("bad test applicants with the planted pair: %d; top IG event in the pair: %.3f",
              withPair, share);
        AuditOptions ao;
        ao.applicants = testutil::kSanitized ? 60 : 300;
        ao.bootstrapReps = 200;
        const ExplanationAudit audit = auditExplanations(b, d->raw, enc, test, ao);
        const Faithfulness &f = audit.faithfulness;
        auto diff = [&](const std::string &m) {
            for (const auto &x : f.methods)
                if (x.method == m)
                    return x.difference.value;
            return std::nan("");
        };
        qInfo("insertion - deletion: ig %.3f, occlusion %.3f, attention %.3f, random %.3f; sanity "
              "rho %.3f; surrogate R2 %.3f",
              diff("integrated_gradients"), diff("occlusion"), diff("attention"), diff("random"),
              f.sanityRankCorrelation, audit.surrogate.r2);
        QVERIFY(f.sanityPassed);
        QVERIFY(!f.verdict.empty());
        QVERIFY(audit.global.applicants > 0);
        if (testutil::kSanitized)
            return; // the learning claims need the full size
        QVERIFY2(share >= kPlantedShare, std::to_string(share).c_str());
        QVERIFY(diff("integrated_gradients") - diff("random") >= kOverRandom);
        QVERIFY(diff("occlusion") - diff("random") >= kOverRandom);
        // The planted event types raise risk on average across the population.
        double late = std::nan("");
        for (const auto &v : audit.global.values)
            if (v.field == "event_type" && v.value == "late_payment")
                late = v.meanSigned;
        QVERIFY(late > 0);
    }

    void referenceEmbeddingRoundTripsThroughTheBundle()
    {
        auto d = synthData(200, 4);
        ModelBundle b = untrained(*d, ItemAggregation::Transformer);
        QTemporaryDir out;
        saveBundle(out.path().toStdString(), b);
        const ModelBundle back = loadBundle(out.path().toStdString());
        QCOMPARE(back.referenceEmbedding, b.referenceEmbedding);
    }
};

QTEST_GUILESS_MAIN(TestExplain)
#include "test_explain.moc"
