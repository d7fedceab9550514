// SPDX-License-Identifier: GPL-3.0-or-later
// Several event sources: loading (joins through via tables, clocks counted from the cutoff,
// exclusions and join misses per source), the merged timeline, encoding (other sources' fields
// padded, per-source bounds and gaps), the model (field attention over the event's own source),
// window features per source, bad input, and Berka's card -> disposition -> account join checked
// against counts computed here from the files.
#include "seqlens/compare/window_features.h"
#include "seqlens/data/config.h"
#include "seqlens/data/dataset.h"
#include "seqlens/data/encoder.h"
#include "seqlens/data/multi_synth.h"
#include "seqlens/explain/global_attention.h"
#include "seqlens/explain/source_breakdown.h"
#include "seqlens/nn/sequence_model.h"
#include "seqlens/util/error.h"
#include "test_util.h"

#include <QTemporaryDir>
#include <QtTest>

#include <numeric>

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace seqlens;

namespace {

const char *kLabels = "id,bad,cutoff\nA,1,2024-03-01\nB,0,2024-03-01\nC,0,2024-03-01\n";
// A: two events before the cutoff, one after; Z has no label row.
const char *kApp = "id,t,kind\nA,2024-01-01,login\nA,2024-02-01,apply\nB,2024-02-10,login\n"
                   "A,2024-03-05,late\nZ,2024-01-01,login\n";
const char *kBureau = "credit_id,id,credit_type\nc1,A,car\nc2,B,card\nc3,Z,car\nc4,A,mortgage\n";
// Months before the cutoff. c3 belongs to Z (no label), c9 is in no bureau row (a join miss),
// c4's month 0 is at the cutoff (excluded).
const char *kBalance = "credit_id,months,status\nc1,-1,0\nc1,-2,1\nc2,-1,X\nc3,-1,0\nc9,-1,0\n"
                       "c4,0,0\n";

std::string configText(const std::string &balanceExtra = "")
{
    return R"({"schema_version": 1,
      "events": [{"name": "app", "path": "app.csv", "entity": "id", "time": "t",
                  "fields": [{"name": "kind", "type": "categorical"}]},
                 {"name": "bal", "path": "balance.csv", "entity": "credit_id", "time": "months",
                  "time_unit": "months", "time_origin": "cutoff", )" +
           balanceExtra + R"(
                  "fields": [{"name": "status", "type": "categorical"}],
                  "via": {"path": "bureau.csv", "key": "credit_id", "entity": "id",
                          "fields": [{"name": "credit_type", "type": "categorical"}]}}],
      "labels": {"path": "labels.csv", "entity": "id", "target": "bad", "positive": ["1"],
                 "cutoff": "cutoff"},
      "sequence": {"max_items": 16},
      "model": {"item_aggregation": "transformer"}})";
}

size_t fieldIndex(const RawDataset &d, const std::string &name)
{
    for (size_t f = 0; f < d.fields.size(); ++f)
        if (d.fields[f].config.name == name)
            return f;
    return size_t(-1);
}

} // namespace

class TestSources : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_config;
    const double m_month = 365.2425 / 12.0;
    const double m_cutoff = double(daysFromCivil(2024, 3, 1));

    Config config(const std::string &extra = "") const
    {
        return parseConfig(configText(extra), "sources.json", m_dir.path().toStdString());
    }

    // The three applicants loaded, the encoder fitted on all of them, and their tensors.
    struct Encoded {
        Config cfg;
        RawDataset d;
        Encoder enc;
        EncodedDataset e;
    };
    Encoded encoded() const
    {
        Encoded x{config(), {}, {}, {}};
        x.d = loadDataset(x.cfg);
        x.enc = Encoder::fit(x.d, x.cfg, {0, 1, 2});
        x.e = x.enc.encode(x.d);
        return x;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        testutil::writeFile(m_dir, "labels.csv", kLabels);
        testutil::writeFile(m_dir, "app.csv", kApp);
        testutil::writeFile(m_dir, "bureau.csv", kBureau);
        testutil::writeFile(m_dir, "balance.csv", kBalance);
    }

    void loadsJoinsAndCountsPerSource()
    {
        const RawDataset d = loadDataset(config());
        QCOMPARE(d.sourceNames, (std::vector<std::string>{"app", "bal"}));
        const SourceLoadReport &app = d.report.sources[0], &bal = d.report.sources[1];
        QCOMPARE(app.rows, int64_t(5));
        QCOMPARE(app.kept, int64_t(3));
        QCOMPARE(app.afterCutoff, int64_t(1));
        QCOMPARE(app.unknownEntity, int64_t(1));
        QCOMPARE(app.joinMisses, int64_t(0));
        QCOMPARE(app.applicantsCovered, int64_t(2));
        QCOMPARE(bal.rows, int64_t(6));
        QCOMPARE(bal.kept, int64_t(3));
        QCOMPARE(bal.afterCutoff, int64_t(1));
        QCOMPARE(bal.unknownEntity, int64_t(1));
        QCOMPARE(bal.joinMisses, int64_t(1));
        QCOMPARE(bal.viaPaths.size(), size_t(1));
        QCOMPARE(d.report.eventRows, int64_t(11));
        QCOMPARE(d.report.eventsKept, int64_t(6));
        QCOMPARE(d.applicants[0].eventsAfterCutoff, int64_t(2)); // A: app late, bal c4 month 0

        // A's merged timeline: bal -2 months, app 01-01, bal -1 month, app 02-01.
        QCOMPARE(d.eventCount(0), int64_t(4));
        const int64_t a0 = d.offsets[0];
        const std::vector<uint8_t> sources(d.eventSource.begin() + a0,
                                           d.eventSource.begin() + a0 + 4);
        QCOMPARE(sources, (std::vector<uint8_t>{1, 0, 1, 0}));
        QCOMPARE(d.times[size_t(a0)], m_cutoff - 2 * m_month);
        QCOMPARE(d.times[size_t(a0 + 1)], double(daysFromCivil(2024, 1, 1)));
        QCOMPARE(d.times[size_t(a0 + 2)], m_cutoff - m_month);
        // The parent's credit type rides on every balance row; app events hold none and do
        // not count as missing.
        const size_t type = fieldIndex(d, "bal.credit_type"), kind = fieldIndex(d, "app.kind");
        QVERIFY(type != size_t(-1) && kind != size_t(-1));
        QCOMPARE(d.valueText(type, a0), std::string("car"));
        QCOMPARE(d.valueText(type, a0 + 1), std::string());
        QCOMPARE(d.valueText(kind, a0 + 1), std::string("login"));
        QCOMPARE(d.fields[type].missing, int64_t(0));
        QCOMPARE(d.fields[kind].missing, int64_t(0));
        QCOMPARE(d.eventCount(2), int64_t(0)); // C: no events of either source
    }

    // The sources are read at once on several threads: the same dataset, bit for bit, as one
    // after the other.
    void readingOnSeveralThreadsGivesTheSameData()
    {
        Config one = config(), many = config();
        one.training.threads = 1;
        many.training.threads = 4;
        const RawDataset a = loadDataset(one), b = loadDataset(many);
        QCOMPARE(a.offsets, b.offsets);
        QCOMPARE(a.eventSource, b.eventSource);
        QVERIFY(a.times == b.times);
        QCOMPARE(a.fields.size(), b.fields.size());
        for (size_t f = 0; f < a.fields.size(); ++f) {
            QCOMPARE(a.fields[f].codes, b.fields[f].codes);
            QCOMPARE(a.fields[f].pool, b.fields[f].pool);
            QCOMPARE(a.fields[f].missing, b.fields[f].missing);
            QCOMPARE(a.fields[f].values.size(), b.fields[f].values.size());
            for (size_t i = 0; i < a.fields[f].values.size(); ++i)
                QVERIFY(std::memcmp(&a.fields[f].values[i], &b.fields[f].values[i],
                                    sizeof(float)) == 0); // NaN == NaN here
        }
        for (size_t i = 0; i < a.applicants.size(); ++i)
            QCOMPARE(a.applicants[i].eventsAfterCutoff, b.applicants[i].eventsAfterCutoff);
        for (size_t s = 0; s < a.report.sources.size(); ++s) {
            QCOMPARE(a.report.sources[s].kept, b.report.sources[s].kept);
            QCOMPARE(a.report.sources[s].joinMisses, b.report.sources[s].joinMisses);
            QCOMPARE(a.report.sources[s].fingerprint, b.report.sources[s].fingerprint);
        }
        QCOMPARE(a.report.eventsFingerprint, b.report.eventsFingerprint);
    }

    // Encoding runs in jobs of a few thousand applicants on several threads: the same tensors
    // and report as on one thread, and the report's counts are those of the tensors.
    void encodingOnSeveralThreadsGivesTheSameTensors()
    {
        QTemporaryDir dir;
        MultiSynthOptions o;
        o.outDir = dir.path().toStdString();
        o.applicants = 9000; // three jobs
        o.seed = 5;
        Config cfg = loadConfig(writeMultiSourceSynth(o).configPath);
        cfg.sequence.maxItems = 24; // some histories truncated
        RawDataset d = loadDataset(cfg);
        for (auto &f : d.fields) // the generator writes no missing values: blank some
            for (size_t ev = 0; ev < f.codes.size(); ev += 7)
                f.codes[ev] = -1;
        for (auto &f : d.fields)
            for (size_t ev = 3; ev < f.values.size(); ev += 5)
                f.values[ev] = std::nanf("");
        std::vector<int64_t> train(d.applicants.size() / 2);
        std::iota(train.begin(), train.end(), int64_t(0));
        const Encoder enc = Encoder::fit(d, cfg, train);
        EncodeReport r1, r3;
        const EncodedDataset a = enc.encode(d, &r1, 1), b = enc.encode(d, &r3, 3);
        QCOMPARE(a.offsets, b.offsets);
        QCOMPARE(a.cat, b.cat);
        QCOMPARE(a.numState, b.numState);
        QVERIFY(std::memcmp(a.num.data(), b.num.data(), a.num.size() * sizeof(float)) == 0);
        QCOMPARE(a.rawEvent, b.rawEvent);
        QCOMPARE(a.days, b.days);
        QCOMPARE(a.source, b.source);
        QCOMPARE(a.labels, b.labels);
        QCOMPARE(r1.truncatedApplicants, r3.truncatedApplicants);
        QCOMPARE(r1.truncatedEvents, r3.truncatedEvents);
        QCOMPARE(r1.unseen, r3.unseen);
        QCOMPARE(r1.missing, r3.missing);
        // The report counted from the tensors.
        int64_t truncated = 0, dropped = 0;
        for (size_t i = 0; i < d.applicants.size(); ++i) {
            const int64_t lost = d.eventCount(i) - a.length(int64_t(i));
            truncated += lost > 0;
            dropped += lost;
        }
        QVERIFY(truncated > 0);
        QCOMPARE(r1.truncatedApplicants, truncated);
        QCOMPARE(r1.truncatedEvents, dropped);
        const size_t fields = r1.categoricalFields.size(), rows = a.rawEvent.size();
        for (size_t c = 0; c < fields; ++c) {
            int64_t missing = 0;
            for (size_t ev = 0; ev < rows; ++ev)
                missing += a.cat[ev * size_t(a.numCat) + c] == kCodeMissing;
            QCOMPARE(r1.missing[c], missing);
            QVERIFY(missing > 0);
        }
        for (size_t k = 0; k < size_t(a.numNum); ++k) {
            int64_t missing = 0;
            for (size_t ev = 0; ev < rows; ++ev)
                missing += a.numState[ev * size_t(a.numNum) + k] == kNumMissing;
            QCOMPARE(r1.missing[size_t(a.numCat) + k], missing);
            QVERIFY(missing > 0);
        }
    }

    void encodesOtherSourcesAsPaddingAndBoundsEachSource()
    {
        const Config cfg = config();
        const RawDataset d = loadDataset(cfg);
        const Encoder enc = Encoder::fit(d, cfg, {0, 1, 2});
        const auto names = enc.inputNames();
        QCOMPARE(names, (std::vector<std::string>{
                            "app.kind", "bal.status", "bal.credit_type", "time_since_previous",
                            "time_since_previous_in_source", "time_before_cutoff"}));
        QCOMPARE(enc.inputSources(), (std::vector<int32_t>{0, 1, 1, -1, -1, -1}));
        const EncodedDataset e = enc.encode(d);
        QCOMPARE(e.source, (std::vector<uint8_t>{1, 0, 1, 0, 1, 0})); // A, then B: bal, app
        const auto cat = [&](int64_t ev, int f) { return e.cat[size_t(ev * e.numCat + f)]; };
        QCOMPARE(cat(0, 0), kCodePad); // a balance event has no app.kind
        QVERIFY(cat(0, 1) >= kFirstVocabCode);
        QCOMPARE(cat(1, 1), kCodePad); // an app event has no bal.status
        QCOMPARE(cat(1, 2), kCodePad);
        QVERIFY(cat(1, 0) >= kFirstVocabCode);
        QCOMPARE(cat(0, 4), kCodeMissing); // first balance event: no gap within its source
        QCOMPARE(cat(2, 4), enc.bucketCode(m_month)); // -1 month after -2 months
        QCOMPARE(cat(2, 3), enc.bucketCode(m_cutoff - m_month - daysFromCivil(2024, 1, 1)));
        QCOMPARE(cat(1, 4), kCodeMissing); // first app event
        // Round trip through the bundle's JSON keeps sources and their inputs.
        const Encoder back = Encoder::fromJson(enc.toJson(), "enc.json");
        QCOMPARE(back.inputSources(), enc.inputSources());
        QCOMPARE(back.toJson(), enc.toJson());

        // bal.max_items 1 keeps only A's latest balance event.
        const Config bounded = config(R"("max_items": 1,)");
        const RawDataset db = loadDataset(bounded);
        const EncodedDataset eb = Encoder::fit(db, bounded, {0, 1, 2}).encode(db);
        QCOMPARE(eb.length(0), int64_t(3));
        QCOMPARE(eb.source[0], uint8_t(0)); // app 01-01; bal -2 months dropped
        QCOMPARE(eb.source[1], uint8_t(1));
    }

    void timeSinceSameStaysWithinTheFieldsSource()
    {
        std::string text = configText();
        const std::string plain = R"("sequence": {"max_items": 16})";
        text.replace(text.find(plain), plain.size(),
                     R"("sequence": {"max_items": 16,
                                     "time_since_same": ["bal.credit_type", "app.kind"]})");
        const Config cfg = parseConfig(text, "sources.json", m_dir.path().toStdString());
        const RawDataset d = loadDataset(cfg);
        const Encoder enc = Encoder::fit(d, cfg, {0, 1, 2});
        const auto names = enc.inputNames();
        QCOMPARE(std::vector<std::string>(names.end() - 2, names.end()),
                 (std::vector<std::string>{"time_since_same_bal.credit_type",
                                           "time_since_same_app.kind"}));
        const auto sources = enc.inputSources();
        QCOMPARE(std::vector<int32_t>(sources.end() - 2, sources.end()),
                 (std::vector<int32_t>{1, 0}));
        const EncodedDataset e = enc.encode(d);
        const auto state = [&](int64_t ev, int k) { return e.numState[size_t(ev * 2 + k)]; };
        // A: bal c1 car (-2 months), app login, bal c1 car (-1 month), app apply; B: bal, app.
        const uint8_t expected[6][2] = {{kNumMissing, kNumPad}, {kNumPad, kNumMissing},
                                        {kNumPresent, kNumPad}, {kNumPad, kNumMissing},
                                        {kNumMissing, kNumPad}, {kNumPad, kNumMissing}};
        for (int64_t ev = 0; ev < 6; ++ev)
            for (int k = 0; k < 2; ++k)
                QCOMPARE(state(ev, k), expected[ev][k]);
        // The one gap, a month between A's two car balances (the login between them is another
        // source's), is the only fitted value: its mean, so it encodes as 0.
        QVERIFY(std::fabs(enc.numeric()[0].mean - std::log1p(m_month)) < 1e-6);
        QCOMPARE(e.num[4], 0.0f);
    }

    void changeSinceSameStaysWithinTheFieldsSource()
    {
        // Two tables with a numeric field each; the change is taken of the named field's table
        // only, and the other table's events in between are not a reference.
        testutil::writeFile(m_dir, "pay.csv",
                            "id,t,kind,amount\nA,2024-01-01,pay,10\nA,2024-01-20,pay,15\n"
                            "A,2024-02-01,pay,12\nB,2024-01-05,pay,7\n");
        testutil::writeFile(m_dir, "bal2.csv",
                            "id,t,status,balance\nA,2024-01-10,ok,100\nA,2024-01-25,ok,90\n"
                            "B,2024-01-06,ok,5\n");
        const std::string text = R"({"schema_version": 1,
          "events": [{"name": "pay", "path": "pay.csv", "entity": "id", "time": "t",
                      "fields": [{"name": "kind", "type": "categorical"},
                                 {"name": "amount", "type": "numeric"}]},
                     {"name": "bal", "path": "bal2.csv", "entity": "id", "time": "t",
                      "fields": [{"name": "status", "type": "categorical"},
                                 {"name": "balance", "type": "numeric"}]}],
          "labels": {"path": "labels.csv", "entity": "id", "target": "bad", "positive": ["1"],
                     "cutoff": "cutoff"},
          "sequence": {"max_items": 16, "change_since_same": ["pay.kind"]}})";
        const Config cfg = parseConfig(text, "sources.json", m_dir.path().toStdString());
        const RawDataset d = loadDataset(cfg);
        const Encoder enc = Encoder::fit(d, cfg, {0, 1, 2});
        QCOMPARE(enc.numNumeric(), int64_t(3)); // pay.amount, bal.balance, the change
        QCOMPARE(enc.inputNames().back(), std::string("pay.amount_change_since_same_pay.kind"));
        QCOMPARE(enc.inputSources().back(), int32_t(0));
        const EncodedDataset e = enc.encode(d);
        // A: pay 10, bal 100, pay 15, bal 90, pay 12; B: pay 7, bal 5 (ascending times).
        const double change[] = {NAN, NAN, 5, NAN, -3, NAN, NAN};
        const bool pad[] = {false, true, false, true, false, false, true};
        QCOMPARE(e.offsets.back(), int64_t(7));
        // Fitted on the two changes, +5 and -3: mean 1, sd 4.
        QVERIFY(std::fabs(enc.numeric()[2].mean - 1.0) < 1e-9);
        QVERIFY(std::fabs(enc.numeric()[2].stddev - 4.0) < 1e-9);
        for (int64_t ev = 0; ev < 7; ++ev) {
            const size_t at = size_t(ev * 3 + 2);
            const uint8_t want = pad[ev] ? kNumPad
                                 : std::isnan(change[ev]) ? kNumMissing
                                                          : kNumPresent;
            QCOMPARE(e.numState[at], want);
            if (want == kNumPresent)
                QVERIFY(std::fabs(e.num[at] - (change[ev] - 1.0) / 4.0) < 1e-6);
        }
        // A table without a numeric field cannot be named (its own error, at its JSON path).
        std::string noNumbers = configText();
        const std::string plain = R"("sequence": {"max_items": 16})";
        noNumbers.replace(noNumbers.find(plain), plain.size(),
                          R"("sequence": {"max_items": 16, "change_since_same": ["app.kind"]})");
        try {
            parseConfig(noNumbers, "sources.json", m_dir.path().toStdString());
            QFAIL("a table without numeric fields was accepted");
        } catch (const ConfigError &err) {
            QVERIFY(std::string(err.what()).find("/sequence/change_since_same/0: expected a "
                                                 "categorical field of a table with a numeric "
                                                 "field") != std::string::npos);
        }
    }

    void fieldAttentionStaysWithinTheEventsSource_data()
    {
        QTest::addColumn<int>("pooling");
        QTest::newRow("pooling all") << int(Pooling::All);
        QTest::newRow("pooling all_inputs") << int(Pooling::AllInputs);
    }
    void fieldAttentionStaysWithinTheEventsSource()
    {
        QFETCH(int, pooling);
        const auto [cfg, d, enc, e] = encoded();
        ModelConfig mc = cfg.model;
        mc.pooling = Pooling(pooling);
        SequenceModel model(mc, layoutOf(enc), 7);
        const Explanation x = model.explain(e, 0);
        QCOMPARE(x.fieldWeights.size(), size_t(4));
        const auto sources = enc.inputSources();
        for (size_t t = 0; t < x.fieldWeights.size(); ++t) {
            double sum = 0;
            for (size_t f = 0; f < sources.size(); ++f) {
                sum += x.fieldWeights[t][f];
                if (sources[f] >= 0 && sources[f] != e.source[t])
                    QCOMPARE(x.fieldWeights[t][f], 0.0f);
                else
                    QVERIFY(x.fieldWeights[t][f] > 0.0f);
            }
            QVERIFY(std::fabs(sum - 1.0) < 1e-5);
        }
        const InputAttribution ig = model.integratedGradients(e, 0, AttributionReference::Missing,
                                                              64);
        QVERIFY2(std::fabs(ig.completenessGap()) < 1e-3,
                 std::to_string(ig.completenessGap()).c_str());
        for (size_t t = 0; t < ig.cells.size(); ++t)
            for (size_t f = 0; f < sources.size(); ++f)
                if (sources[f] >= 0 && sources[f] != e.source[t])
                    QCOMPARE(ig.cells[t][f], 0.0);
    }

    // The validation report's global attention by source, recomputed from each applicant's
    // explanation: events counted per source, timeline shares summing to 1, and each source's
    // field attention averaged over its own events (summing to 1 over its inputs).
    void globalAttentionBreaksDownBySource()
    {
        const auto [cfg, d, enc, e] = encoded();
        SequenceModel model(cfg.model, layoutOf(enc), 7);
        std::vector<int64_t> rows(size_t(e.applicantCount()));
        std::iota(rows.begin(), rows.end(), 0);
        const GlobalAttention g = globalAttention(model, enc, d, e, rows, {30, 365});
        QCOMPARE(g.sources.size(), enc.sources().size());
        const auto owners = enc.inputSources();
        const auto names = enc.inputNames();
        std::vector<int64_t> events(g.sources.size(), 0);
        std::vector<double> share(g.sources.size(), 0.0);
        std::vector<std::vector<double>> field(g.sources.size(),
                                               std::vector<double>(owners.size(), 0.0));
        int64_t explained = 0;
        for (int64_t a : rows) {
            if (e.length(a) == 0)
                continue;
            ++explained;
            const Explanation x = model.explain(e, a);
            for (int64_t t = 0; t < e.length(a); ++t) {
                const size_t src = e.source[size_t(e.offsets[size_t(a)] + t)];
                ++events[src];
                share[src] += x.itemWeights[size_t(t)];
                for (size_t f = 0; f < owners.size(); ++f)
                    field[src][f] += x.fieldWeights[size_t(t)][f];
            }
        }
        double shares = 0;
        for (size_t s = 0; s < g.sources.size(); ++s) {
            const SourceAttention &sa = g.sources[s];
            QCOMPARE(sa.source, enc.sources()[s].name);
            QCOMPARE(sa.events, events[s]);
            QVERIFY(std::fabs(sa.timelineShare - share[s] / double(explained)) < 1e-9);
            shares += sa.timelineShare;
            double sum = 0;
            for (size_t k = 0; k < sa.inputs.size(); ++k) {
                const size_t f = size_t(std::find(names.begin(), names.end(), sa.inputs[k]) -
                                        names.begin());
                QVERIFY(owners[f] < 0 || owners[f] == int32_t(s)); // own or a time input
                QVERIFY(std::fabs(sa.meanFieldWeight[k] - field[s][f] / double(events[s])) < 1e-6);
                sum += sa.meanFieldWeight[k];
            }
            QVERIFY(std::fabs(sum - 1.0) < 1e-5);
        }
        QVERIFY(std::fabs(shares - 1.0) < 1e-6);
    }

    void explanationsBreakDownBySource()
    {
        ApplicantExplanation x;
        x.inputs = {"app.kind", "bal.status", "bal.credit_type", "time_since_previous"};
        auto event = [](const char *source, double item, double attr, std::vector<double> w) {
            ExplainedEvent e;
            e.source = source;
            e.itemWeight = item;
            e.attributionTotal = attr;
            e.fieldWeights = std::move(w);
            return e;
        };
        x.events = {event("bal", 0.2, 0.5, {0, 0.6, 0.2, 0.2}),
                    event("app", 0.3, -0.25, {0.7, 0, 0, 0.3}),
                    event("bal", 0.5, 1.0, {0, 0.2, 0.4, 0.4})};
        const auto shares = sourceShares(x);
        QCOMPARE(shares.size(), size_t(2));
        QCOMPARE(shares[0].source, std::string("bal"));
        QCOMPARE(shares[0].events, int64_t(2));
        QCOMPARE(shares[0].itemWeight, 0.7);
        QCOMPARE(shares[0].attribution, 1.5);
        QCOMPARE(shares[0].inputs, (std::vector<std::string>{"bal.status", "bal.credit_type"}));
        QCOMPARE(shares[0].meanFieldWeight[0], 0.4);
        QCOMPARE(shares[0].meanFieldWeight[1], 0.3);
        QCOMPARE(shares[1].source, std::string("app"));
        QCOMPARE(shares[1].attribution, -0.25);
        QCOMPARE(shares[1].meanFieldWeight, std::vector<double>{0.7});
        x.events[0].source = x.events[1].source = x.events[2].source = "";
        QVERIFY(sourceShares(x).empty()); // one source: no breakdown
    }

    void windowFeaturesPerSource()
    {
        Config cfg = config();
        cfg.baseline.windowsDays = {45, 365};
        const RawDataset d = loadDataset(cfg);
        const auto b = WindowFeatureBuilder::fit(d, cfg, {0, 1, 2});
        const FeatureMatrix m = b.build(d);
        auto col = [&](const std::string &name) {
            auto it = std::find(m.names.begin(), m.names.end(), name);
            return it == m.names.end() ? size_t(-1) : size_t(it - m.names.begin());
        };
        QVERIFY(col("cnt_45d_bal") != size_t(-1));
        QCOMPARE(m.at(0, col("cnt_365d")), 4.0);
        QCOMPARE(m.at(0, col("cnt_365d_app")), 2.0);
        QCOMPARE(m.at(0, col("cnt_365d_bal")), 2.0);
        QCOMPARE(m.at(0, col("cnt_45d_bal")), 1.0); // -1 month only
        QCOMPARE(m.at(0, col("cnt_45d_app")), 1.0); // 02-01 only
        QCOMPARE(m.at(0, col("cnt_365d_bal.credit_type=car")), 2.0);
        QCOMPARE(m.at(0, col("days_since_last_bal")), m_month);
        QVERIFY(std::isnan(m.at(2, col("days_since_last_app"))));
    }

    void badJoinsAndFilesAreClearErrors()
    {
        QTemporaryDir dir;
        for (const char *f : {"labels.csv", "app.csv", "balance.csv"})
            QFile::copy(m_dir.path() + "/" + f, dir.path() + "/" + f);
        testutil::writeFile(dir, "bureau.csv", "credit_id,id,credit_type\nc1,A,car\nc1,B,card\n");
        Config cfg = parseConfig(configText(), "sources.json", dir.path().toStdString());
        const std::string dup = testutil::errorOf([&] { loadDataset(cfg); }, ErrorKind::Data);
        QVERIFY2(testutil::contains(dup, "bureau.csv:3: column \"credit_id\": duplicate key "
                                         "\"c1\" (first at line 2)"),
                 dup.c_str());
        testutil::writeFile(dir, "bureau.csv", "credit_id,id,credit_type\nx1,A,car\n");
        const std::string none = testutil::errorOf([&] { loadDataset(cfg); }, ErrorKind::Data);
        QVERIFY2(testutil::contains(none, "balance.csv: none of its 6 rows joins"), none.c_str());
        testutil::writeFile(dir, "bureau.csv", "credit_id,customer,credit_type\nc1,A,car\n");
        const std::string col = testutil::errorOf([&] { loadDataset(cfg); }, ErrorKind::Data);
        QVERIFY2(testutil::contains(col, "bureau.csv") && testutil::contains(col, "\"id\""),
                 col.c_str());
        LoadOptions one;
        one.eventFiles = EventFiles(dir.path().toStdString() + "/app.csv");
        const std::string usage = testutil::errorOf([&] { loadDataset(config(), one); },
                                                    ErrorKind::Usage);
        QVERIFY2(testutil::contains(usage, "2 event sources (app, bal): give each as --events "
                                           "name=path"),
                 usage.c_str());
        LoadOptions named;
        named.eventFiles = EventFiles::parse(
            {"bal=" + m_dir.path().toStdString() + "/balance.csv"});
        const std::string missing = testutil::errorOf([&] { loadDataset(config(), named); },
                                                      ErrorKind::Usage);
        QVERIFY2(testutil::contains(missing, "no file for event source \"app\""), missing.c_str());
        named.eventFiles = EventFiles::parse(
            {"app=" + m_dir.path().toStdString() + "/app.csv",
             "bal=" + m_dir.path().toStdString() + "/balance.csv"});
        QCOMPARE(loadDataset(config(), named).report.eventsKept, int64_t(6));
    }

    // Berka: cards reach the loan's account through the disposition table. The counts are
    // computed here from the files, independently of the loader.
    void berkaCardsJoinThroughDispositions()
    {
        const std::string dir = SEQLENS_SOURCE_DIR "/../shared/datasets/berka/";
        const Config cfg = loadConfig(SEQLENS_SOURCE_DIR "/configs/berka_multi.json");
        const RawDataset d = loadDataset(cfg);
        auto rows = [](const std::string &path) {
            std::ifstream in(path);
            std::vector<std::vector<std::string>> out;
            std::string line;
            std::getline(in, line);
            while (std::getline(in, line)) {
                std::vector<std::string> cells;
                std::stringstream ss(line);
                for (std::string c; std::getline(ss, c, ';');)
                    cells.push_back(c.size() > 1 && c.front() == '"' ? c.substr(1, c.size() - 2)
                                                                     : c);
                out.push_back(cells);
            }
            return out;
        };
        std::map<std::string, std::string> accountOfDisp, loanDate; // yymmdd
        for (const auto &r : rows(dir + "disp.asc"))
            accountOfDisp[r[0]] = r[2];
        for (const auto &r : rows(dir + "loan.asc"))
            loanDate[r[1]] = r[2];
        int64_t kept = 0, after = 0, unknown = 0, misses = 0, total = 0;
        std::set<std::string> covered;
        for (const auto &r : rows(dir + "card.asc")) { // card_id;disp_id;type;issued
            ++total;
            auto acc = accountOfDisp.find(r[1]);
            if (acc == accountOfDisp.end()) {
                ++misses;
                continue;
            }
            auto loan = loanDate.find(acc->second);
            if (loan == loanDate.end()) {
                ++unknown;
                continue;
            }
            if (r[3].substr(0, 6) >= loan->second) { // yymmdd, all 199x: text order is time
                ++after;
                continue;
            }
            ++kept;
            covered.insert(acc->second);
        }
        const SourceLoadReport &card = d.report.sources.at(1);
        QCOMPARE(card.name, std::string("card"));
        QCOMPARE(card.rows, total);
        QCOMPARE(card.joinMisses, misses);
        QCOMPARE(card.unknownEntity, unknown);
        QCOMPARE(card.afterCutoff, after);
        QCOMPARE(card.kept, kept);
        QCOMPARE(card.applicantsCovered, int64_t(covered.size()));
        QVERIFY(kept > 0);
    }
};

QTEST_GUILESS_MAIN(TestSources)
#include "test_sources.moc"
