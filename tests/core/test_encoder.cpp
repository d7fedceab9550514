// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixture.h"
#include "seqlens/data/encoder.h"

using namespace seqlens;
using namespace testutil;

namespace {
const char *kSplitLabels =
    "id,app,bad,part\na,2020-02-01,1,train\nb,2020-03-01,0,train\nc,2020-03-01,1,test\n";

RawDataset load(Fixture &fx, const std::string &labels = kSplitLabels)
{
    fx.labelsExtra = R"(, "split": "part")";
    return loadDataset(fx.config(kEvents, labels));
}

// Fitted on the applicants the split column puts in train.
Encoder fitOnTrain(const RawDataset &d, const Config &cfg)
{
    return Encoder::fit(d, cfg, rowsIn(d, assignSplits(d, 0.0, 0.0, 1), Split::Train));
}
} // namespace

class TestEncoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void vocabularyCodesAndTimeBuckets()
    {
        Fixture fx;
        RawDataset d = load(fx);
        Encoder enc = fitOnTrain(d, fx.config(kEvents, kSplitLabels));
        QCOMPARE(enc.categorical()[0].vocabulary,
                 (std::vector<std::string>{"pay", "late"})); // by count: pay 3, late 2
        QCOMPARE(enc.cardinalities(), (std::vector<int64_t>{5, 6, 6}));
        QCOMPARE(enc.inputNames(), (std::vector<std::string>{"kind", "time_since_previous",
                                                             "time_before_cutoff", "amount"}));
        EncodedDataset e = enc.encode(d);
        QCOMPARE(e.numCat, int64_t(3));
        QCOMPARE(e.length(0), int64_t(3));
        QCOMPARE(e.length(2), int64_t(0));
        // a: pay 01-01, pay 01-20, late 01-30; cutoff 02-01; edges 1,7,30 days.
        std::vector<int32_t> expected = {3, kCodeMissing,
                                         5, // first event; 31 days before cutoff: beyond 30
                                         3, 4,
                                         4, // 19 days after previous; 12 days before cutoff
                                         4, 4,
                                         3}; // 10 days after previous; 2 days before cutoff
        QCOMPARE(std::vector<int32_t>(e.cat.begin(), e.cat.begin() + 9), expected);
    }
    void numericStandardizedWithTrainStatistics()
    {
        Fixture fx;
        RawDataset d = load(fx);
        Encoder enc = fitOnTrain(d, fx.config(kEvents, kSplitLabels));
        // Present train amounts: 100, 10, 1000 (a) and 5 (b); b's other amount is missing.
        const double mean = 1115.0 / 4,
                     sd = std::sqrt((100.0 * 100 + 100 + 1e6 + 25) / 4 - mean * mean);
        QVERIFY(std::fabs(enc.numeric()[0].mean - mean) < 1e-9);
        QVERIFY(std::fabs(enc.numeric()[0].stddev - sd) < 1e-9);
        EncodedDataset e = enc.encode(d);
        QVERIFY(std::fabs(e.num[0] - (100 - mean) / sd) < 1e-6);
        QCOMPARE(e.numState[0], kNumPresent);
        QCOMPARE(e.numState[3], kNumMissing); // b's first event (02-10) has no amount
        QCOMPARE(e.num[3], 0.0f);
    }
    void fitUsesOnlyTheTrainSplit()
    {
        Fixture fx;
        const char *labels = "id,app,bad,part\na,2020-02-01,1,train\nb,2020-03-01,0,test\n";
        RawDataset d = load(fx, labels);
        Encoder enc = fitOnTrain(d, fx.config(kEvents, labels));
        QVERIFY(std::fabs(enc.numeric()[0].mean - 370.0) < 1e-9); // a's amounts only
        // The rows passed are the only ones used: b alone has one present amount, 5.
        const Encoder onB = Encoder::fit(d, fx.config(kEvents, labels), {1});
        QVERIFY(std::fabs(onB.numeric()[0].mean - 5.0) < 1e-9);
        QCOMPARE(onB.numeric()[0].stddev, 1.0); // one value: no spread, the documented 1
    }
    void rareValuesMapToUnseen()
    {
        Fixture fx;
        RawDataset d = load(fx);
        Config cfg = fx.config(
            kEvents, kSplitLabels,
            R"([{"name": "kind", "type": "categorical", "min_count": 3}, {"name": "amount", "type": "numeric"}])");
        Encoder enc = fitOnTrain(d, cfg);
        QCOMPARE(enc.categorical()[0].vocabulary, std::vector<std::string>{"pay"});
        EncodeReport rep;
        EncodedDataset e = enc.encode(d, &rep);
        QCOMPARE(e.cat[6], kCodeUnseen); // a's "late"
        QCOMPARE(rep.unseen[0], int64_t(2));
    }
    void truncationKeepsLatestAndCounts()
    {
        Fixture fx;
        fx.sequenceJson = R"({"max_items": 2, "time_buckets_days": [1, 7, 30]})";
        RawDataset d = load(fx);
        Encoder enc = fitOnTrain(d, fx.config(kEvents, kSplitLabels));
        EncodeReport rep;
        EncodedDataset e = enc.encode(d, &rep);
        QCOMPARE(e.length(0), int64_t(2));
        QCOMPARE(rep.truncatedApplicants, int64_t(1));
        QCOMPARE(rep.truncatedEvents, int64_t(1));
        QCOMPARE(e.rawEvent[0], int64_t(1)); // a's 01-20 event; 01-01 dropped
        QCOMPARE(e.cat[1], int32_t(4)); // its gap to the dropped event is still known (19 days)
    }
    void zeroEdgeGivesSameDayGapsTheirOwnBucket()
    {
        Fixture fx;
        fx.sequenceJson = R"({"time_buckets_days": [0, 1, 7]})";
        RawDataset d = load(fx);
        Encoder enc = fitOnTrain(d, fx.config(kEvents, kSplitLabels));
        QCOMPARE(enc.bucketCode(0.0), kFirstBucketCode);     // same day: gap <= 0
        QCOMPARE(enc.bucketCode(0.5), kFirstBucketCode + 1); // (0, 1]
        QCOMPARE(enc.bucketCode(1.0), kFirstBucketCode + 1);
        QCOMPARE(enc.bucketCode(1.5), kFirstBucketCode + 2); // (1, 7]
        QCOMPARE(enc.bucketCode(8.0), kFirstBucketCode + 3); // beyond the last edge
    }
    void timeSinceSameIsTheGapToThePreviousEventOfTheSameValue()
    {
        Fixture fx;
        fx.labelsExtra = R"(, "split": "part")";
        fx.sequenceJson = R"({"max_items": 10, "time_buckets_days": [1, 7, 30],
                              "time_since_same": ["kind"]})";
        const char *events = "id,t,kind,amount\n"
                             "a,2020-01-01,pay,1\n"
                             "a,2020-01-03,late,1\n"
                             "a,2020-01-11,pay,1\n"  // 10 days after a's pay of 01-01
                             "a,2020-01-15,pay,1\n"  // 4
                             "a,2020-01-20,late,1\n" // 17 after a's late of 01-03
                             "a,2020-01-21,,1\n"     // kind missing: no gap
                             "a,2020-01-25,pay,1\n"  // 10
                             "b,2020-02-01,pay,1\n"  // b's own first pay: no gap
                             "b,2020-02-03,pay,1\n"; // 2
        const char *labels = "id,app,bad,part\na,2020-02-01,1,train\nb,2020-03-01,0,train\n";
        Config cfg = fx.config(events, labels);
        RawDataset d = loadDataset(cfg);
        Encoder enc = fitOnTrain(d, cfg);
        QCOMPARE(enc.inputNames().back(), std::string("time_since_same_kind"));
        QCOMPARE(enc.numNumeric(), int64_t(2));
        // Standardized with the log1p of the training gaps: 10, 4, 17, 10, 2.
        const double g[] = {10, 4, 17, 10, 2};
        double mean = 0, sq = 0;
        for (double x : g)
            mean += std::log1p(x) / 5;
        for (double x : g)
            sq += (std::log1p(x) - mean) * (std::log1p(x) - mean) / 5;
        const NumericEncoding &ne = enc.numeric()[1];
        QCOMPARE(ne.sameAs, std::string("kind"));
        QVERIFY(std::fabs(ne.mean - mean) < 1e-9);
        QVERIFY(std::fabs(ne.stddev - std::sqrt(sq)) < 1e-9);
        const EncodedDataset e = enc.encode(d);
        const double expected[] = {NAN, NAN, 10, 4, 17, NAN, 10, NAN, 2};
        for (int64_t row = 0; row < 9; ++row) {
            const size_t at = size_t(row * 2 + 1);
            const bool present = !std::isnan(expected[row]);
            QCOMPARE(e.numState[at], present ? kNumPresent : kNumMissing);
            const double want = present ? (std::log1p(expected[row]) - mean) / std::sqrt(sq) : 0;
            QVERIFY2(std::fabs(e.num[at] - want) < 1e-6, std::to_string(row).c_str());
        }
        // Truncation keeps the gap to an event it drops: a's last pay is still 10 days after
        // the pay of 01-15; and the fit uses only the rows passed (b alone: one gap, sd 1).
        fx.sequenceJson = R"({"max_items": 2, "time_buckets_days": [1, 7, 30],
                              "time_since_same": ["kind"]})";
        Config short2 = fx.config(events, labels);
        const Encoder cut = Encoder::fit(d, short2, {1});
        QVERIFY(std::fabs(cut.numeric()[1].mean - std::log1p(2.0)) < 1e-9);
        QCOMPARE(cut.numeric()[1].stddev, 1.0);
        const EncodedDataset t = cut.encode(d);
        QCOMPARE(t.length(0), int64_t(2));
        QVERIFY(std::fabs(t.num[3] - (std::log1p(10.0) - std::log1p(2.0))) < 1e-6);
        const Encoder back = Encoder::fromJson(enc.toJson(), "test");
        QCOMPARE(back.toJson(), enc.toJson());
        QCOMPARE(back.encode(d).num, e.num);
    }
    void changeSinceSameIsTheChangeSinceThePreviousEventOfTheSameValue()
    {
        Fixture fx;
        fx.labelsExtra = R"(, "split": "part")";
        fx.sequenceJson = R"({"max_items": 10, "change_since_same": ["kind"]})";
        const std::string fields = R"([{"name": "kind", "type": "categorical"},
                                       {"name": "amount", "type": "numeric", "transform": "log1p"}])";
        const char *events = "id,t,kind,amount\n"
                             "a,2020-01-01,pay,9\n"  // a's first pay: no change
                             "a,2020-01-03,late,4\n" // first late
                             "a,2020-01-11,pay,99\n" // log 100 - log 10 = ln 10
                             "a,2020-01-15,pay,\n"   // amount missing: none, and not a reference
                             "a,2020-01-20,late,0\n" // log 1 - log 5 = -ln 5
                             "a,2020-01-21,,5\n"     // kind missing: none
                             "a,2020-01-25,pay,9\n"  // since the pay of 01-11: -ln 10
                             "b,2020-02-01,pay,3\n"  // b's own first pay
                             "b,2020-02-03,pay,15\n"; // log 16 - log 4 = ln 4
        const char *labels = "id,app,bad,part\na,2020-02-01,1,train\nb,2020-03-01,0,train\n";
        Config cfg = fx.config(events, labels, fields);
        RawDataset d = loadDataset(cfg);
        Encoder enc = fitOnTrain(d, cfg);
        QCOMPARE(enc.inputNames().back(), std::string("amount_change_since_same_kind"));
        QCOMPARE(enc.numNumeric(), int64_t(2));
        const NumericEncoding &ne = enc.numeric()[1];
        QCOMPARE(ne.sameAs, std::string("kind"));
        QCOMPARE(ne.changeOf, std::string("amount"));
        QVERIFY(!ne.isTimeSinceSame());
        QVERIFY(ne.transform == NumericTransform::None); // a difference of log1p values
        const double c[] = {std::log(10.0), -std::log(5.0), -std::log(10.0), std::log(4.0)};
        double mean = 0, sq = 0;
        for (double x : c)
            mean += x / 4;
        for (double x : c)
            sq += (x - mean) * (x - mean) / 4;
        QVERIFY(std::fabs(ne.mean - mean) < 1e-6); // the changes are floats
        QVERIFY(std::fabs(ne.stddev - std::sqrt(sq)) < 1e-6);
        const EncodedDataset e = enc.encode(d);
        const double expected[] = {NAN, NAN, c[0], NAN, c[1], NAN, c[2], NAN, c[3]};
        for (int64_t row = 0; row < 9; ++row) {
            const size_t at = size_t(row * 2 + 1);
            const bool present = !std::isnan(expected[row]);
            QCOMPARE(e.numState[at], present ? kNumPresent : kNumMissing);
            const double want = present ? (expected[row] - mean) / std::sqrt(sq) : 0;
            QVERIFY2(std::fabs(e.num[at] - want) < 1e-6, std::to_string(row).c_str());
        }
        // With time_since_same as well: file numerics, then the gaps, then the changes.
        fx.sequenceJson = R"({"max_items": 2, "time_since_same": ["kind"],
                              "change_since_same": ["kind"]})";
        Config both = fx.config(events, labels, fields);
        const std::vector<std::string> names = {"kind", "time_since_previous",
                                                "time_before_cutoff", "amount",
                                                "time_since_same_kind",
                                                "amount_change_since_same_kind"};
        // Truncation keeps the change to an event it drops; the fit uses only the rows passed
        // (b alone: one change, sd 1).
        const Encoder cut = Encoder::fit(d, both, {1});
        QCOMPARE(cut.inputNames(), names);
        QVERIFY(std::fabs(cut.numeric()[2].mean - std::log(4.0)) < 1e-6);
        QCOMPARE(cut.numeric()[2].stddev, 1.0);
        const EncodedDataset t = cut.encode(d);
        QCOMPARE(t.length(0), int64_t(2));
        QCOMPARE(t.numState[5], kNumPresent); // a's last pay, row 1, third numeric input
        QVERIFY(std::fabs(t.num[5] - (-std::log(10.0) - std::log(4.0))) < 1e-6);
        const Encoder back = Encoder::fromJson(cut.toJson(), "test");
        QCOMPARE(back.toJson(), cut.toJson());
        QCOMPARE(back.numeric()[2].changeOf, std::string("amount"));
        QCOMPARE(back.encode(d).num, t.num);
    }
    void jsonRoundTripEncodesIdentically()
    {
        Fixture fx;
        RawDataset d = load(fx);
        Encoder enc = fitOnTrain(d, fx.config(kEvents, kSplitLabels));
        Encoder back = Encoder::fromJson(enc.toJson(), "test");
        EncodedDataset a = enc.encode(d), b = back.encode(d);
        QCOMPARE(a.cat, b.cat);
        QCOMPARE(a.num, b.num);
        QCOMPARE(a.numState, b.numState);
        QCOMPARE(back.toJson(), enc.toJson());
    }
    void corruptEncoderJsonIsAnError()
    {
        EXPECT_ERROR(Encoder::fromJson("{\"categorical\": 3}", "bundle.json"), ErrorKind::Data,
                     "bundle.json: encoder is unreadable");
    }
};

QTEST_GUILESS_MAIN(TestEncoder)
#include "test_encoder.moc"
