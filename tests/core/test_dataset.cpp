// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixture.h"
#include "seqlens/data/audit.h"
#include "seqlens/data/dataset.h"
#include "seqlens/data/synth.h"
#include "seqlens/data/time_parser.h"

using namespace seqlens;
using namespace testutil;

class TestDataset : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aCancelledLoadStopsWithACancelledError()
    {
        QTemporaryDir dir;
        const SynthSummary syn = writeSynthDataset(
            {dir.path().toStdString(), 4000, 3}); // > 65,536 event rows
        QVERIFY(syn.events > 70000);
        const Config cfg = loadConfig(syn.configPath);
        CancelToken token;
        LoadOptions opt;
        opt.cancel = &token;
        QCOMPARE(loadDataset(cfg, opt).report.eventRows,
                 syn.events); // not cancelled: loads everything
        token.cancel();
        EXPECT_ERROR(loadDataset(cfg, opt), ErrorKind::Cancelled, "cancelled by the user");
    }

    void loadsGroupsSortsAndCounts()
    {
        Fixture fx;
        RawDataset d = loadDataset(fx.config(kEvents, kLabels));
        const LoadReport &r = d.report;
        QCOMPARE(r.eventRows, int64_t(7));
        QCOMPARE(r.eventsKept, int64_t(5));
        QCOMPARE(r.eventsAfterCutoff, int64_t(1));
        QCOMPARE(r.eventsUnknownEntity, int64_t(1));
        QCOMPARE(r.applicants, int64_t(3));
        QCOMPARE(r.applicantsWithoutEvents, int64_t(1));
        QCOMPARE(r.positives, int64_t(2));
        QCOMPARE(r.negatives, int64_t(1));
        QCOMPARE(d.applicants[0].id, std::string("a"));
        QCOMPARE(d.eventCount(0), int64_t(3));
        QCOMPARE(d.eventCount(2), int64_t(0));
        // a's events in time order: 01-01 (100), 01-20 (10), 01-30 (1000)
        QCOMPARE(d.times[0], double(daysFromCivil(2020, 1, 1)));
        QCOMPARE(d.times[2], double(daysFromCivil(2020, 1, 30)));
        QCOMPARE(d.valueText(1, 0), std::string("100"));
        QCOMPARE(d.valueText(1, 1), std::string("10"));
        QCOMPARE(d.valueText(0, 2), std::string("late"));
        QCOMPARE(d.valueText(1, 3), std::string("")); // b's missing amount
        QCOMPARE(d.fields[1].missing, int64_t(1));
    }
    void eventAtCutoffIsExcluded()
    {
        Fixture fx;
        RawDataset d = loadDataset(
            fx.config("id,t,kind,amount\na,2020-01-31T23:59:59,x,1\na,2020-02-01,x,2\n", kLabels));
        QCOMPARE(d.report.eventsKept, int64_t(1));
        QCOMPARE(d.report.eventsAfterCutoff, int64_t(1));
    }
    void nanAndInfAreMissingAndCounted()
    {
        Fixture fx;
        RawDataset d = loadDataset(fx.config("id,t,kind,amount\na,2020-01-01,x,NaN\na,2020-01-02,x,"
                                             "inf\na,2020-01-03,x,-Infinity\na,2020-01-04,x,NA\n",
                                             kLabels));
        QCOMPARE(d.fields[1].nonFinite, int64_t(3));
        QCOMPARE(d.fields[1].missing, int64_t(1));
        for (int e = 0; e < 4; ++e)
            QVERIFY(std::isnan(d.fields[1].values[size_t(e)]));
    }
    void textInNumericColumnIsAnError()
    {
        Fixture fx;
        auto cfg = fx.config("id,t,kind,amount\na,2020-01-01,x,1\na,2020-01-02,x,\"12,5\"\n",
                             kLabels);
        EXPECT_ERROR(loadDataset(cfg), ErrorKind::Data,
                     "events.csv:3: column \"amount\": \"12,5\" is not a number");
    }
    void textInNumericColumnCanCountAsMissing()
    {
        Fixture fx;
        auto cfg = fx.config(
            "id,t,kind,amount\na,2020-01-01,x,1\na,2020-01-02,x,abc\n", kLabels,
            R"([{"name": "kind", "type": "categorical"}, {"name": "amount", "type": "numeric", "invalid": "missing"}])");
        RawDataset d = loadDataset(cfg);
        QCOMPARE(d.fields[1].invalid, int64_t(1));
    }
    void unparseableTimeIsAnError()
    {
        Fixture fx;
        auto cfg = fx.config("id,t,kind,amount\na,2020-01-01,x,1\na,01/02/2020,x,1\n", kLabels);
        EXPECT_ERROR(loadDataset(cfg), ErrorKind::Data,
                     "events.csv:3: column \"t\": expected an ISO 8601 date or date-time, got "
                     "\"01/02/2020\"");
    }
    void missingColumnIsAnError()
    {
        Fixture fx;
        auto cfg = fx.config("id,t,kind\na,2020-01-01,x\n", kLabels);
        EXPECT_ERROR(loadDataset(cfg), ErrorKind::Data, "events.csv:1: missing column \"amount\"");
    }
    void duplicateLabelRowIsAnError()
    {
        Fixture fx;
        auto cfg = fx.config(kEvents,
                             "id,app,bad\na,2020-02-01,1\nb,2020-02-01,0\na,2020-02-01,0\n");
        EXPECT_ERROR(loadDataset(cfg), ErrorKind::Data,
                     "labels.csv:4: duplicate row for entity \"a\" (first at line 2)");
    }
    void unknownLabelValueIsAnError()
    {
        Fixture fx;
        auto cfg = fx.config(kEvents, "id,app,bad\na,2020-02-01,1\nb,2020-02-01,yes\n");
        EXPECT_ERROR(loadDataset(cfg), ErrorKind::Data,
                     "labels.csv:3: column \"bad\": value \"yes\" is neither a positive nor a "
                     "negative label");
    }
    void emptyTargetIsACountedSkip()
    {
        Fixture fx;
        RawDataset d = loadDataset(
            fx.config(kEvents, "id,app,bad\na,2020-02-01,1\nb,2020-03-01,\n"));
        QCOMPARE(d.report.labelMissing, int64_t(1));
        QCOMPARE(d.report.applicants, int64_t(1));
        QCOMPARE(d.report.eventsUnknownEntity, int64_t(3)); // b's two events and z's
    }
    void emptyEventFileIsAnError()
    {
        Fixture fx;
        auto cfg = fx.config("", kLabels);
        EXPECT_ERROR(loadDataset(cfg), ErrorKind::Data, "events.csv: file is empty");
    }
    void unparseableCutoffIsAnError()
    {
        Fixture fx;
        auto cfg = fx.config(kEvents, "id,app,bad\na,soon,1\n");
        EXPECT_ERROR(loadDataset(cfg), ErrorKind::Data, "labels.csv:2: column \"app\"");
    }
    void splitColumnIsRead()
    {
        Fixture fx;
        fx.labelsExtra = R"(, "split": "part")";
        RawDataset d = loadDataset(fx.config(
            kEvents,
            "id,app,bad,part\na,2020-02-01,1,train\nb,2020-03-01,0,TEST\nc,2020-03-01,1,valid\n"));
        QCOMPARE(int(d.applicants[0].givenSplit), int(Split::Train));
        QCOMPARE(int(d.applicants[1].givenSplit), int(Split::Test));
        QCOMPARE(int(d.applicants[2].givenSplit), int(Split::Valid));
        // Given splits are kept by the assignment, whatever the fractions.
        const auto splits = assignSplits(d, 0.5, 0.4, 3);
        QCOMPARE(int(splits[0]), int(Split::Train));
        QCOMPARE(int(splits[1]), int(Split::Test));
        QCOMPARE(int(splits[2]), int(Split::Valid));
    }
    void timeSplitFollowsTheCutoff()
    {
        // valid_after 2020-02-15, test_after 2020-03-01: a (02-01) train, d (02-20) valid, b and
        // c (03-01, not after) valid, e (03-02) test; fractions and seed play no part.
        Fixture fx;
        fx.labelsExtra = R"(, "split": {"by": "cutoff", "valid_after": "2020-02-15",
                                         "test_after": "2020-03-01"})";
        fx.extraTop = R"(, "monitoring": {"segments": ["region"]})";
        const Config cfg = fx.config(kEvents, "id,app,bad,region\na,2020-02-01,1,N\n"
                                              "b,2020-03-01,0,S\nc,2020-03-01,1,\n"
                                              "d,2020-02-20,0,N\ne,2020-03-02,1,S\n");
        const RawDataset d = loadDataset(cfg);
        const auto splits = assignSplits(d, 0.5, 0.4, 3);
        const std::vector<Split> want = {Split::Train, Split::Valid, Split::Valid, Split::Valid,
                                         Split::Test};
        QVERIFY(splits == want);
        QCOMPARE(d.applicants[2].segments, std::vector<std::string>{""});
        QCOMPARE(d.applicants[4].segments, std::vector<std::string>{"S"});
        const SplitCounts c = countSplits(d, splits, cfg);
        QCOMPARE(c.train, int64_t(1));
        QCOMPARE(c.valid, int64_t(3));
        QCOMPARE(c.test, int64_t(1));
        QCOMPARE(int(c.method), int(SplitMethod::Time));
        QCOMPARE(c.firstCutoff[1], double(daysFromCivil(2020, 2, 20)));
        QCOMPARE(c.lastCutoff[1], double(daysFromCivil(2020, 3, 1)));
        QCOMPARE(c.firstCutoff[2], double(daysFromCivil(2020, 3, 2)));
        QCOMPARE(c.withoutEvents[0], int64_t(0)); // a has events
        QCOMPARE(c.withoutEvents[1], int64_t(2)); // c and d have none, b has one
        QCOMPARE(c.withoutEvents[2], int64_t(1)); // e has none
        QVERIFY(contains(c.description, "out of time on the cutoff column \"app\""));
        // Training needs the segment column; scoring does not.
        EXPECT_ERROR(loadDataset(fx.config(kEvents, kLabels)), ErrorKind::Data,
                     "labels.csv:1: missing column \"region\"");
        LoadOptions scoring;
        scoring.requireTarget = false;
        QCOMPARE(loadDataset(fx.config(kEvents, kLabels), scoring).applicants[0].segments,
                 std::vector<std::string>{""});
    }
    void stratifiedSplitIsSeededAndStratified()
    {
        RawDataset d;
        for (int i = 0; i < 1000; ++i)
            d.applicants.push_back(Applicant{std::to_string(i), i < 200 ? 1 : 0});
        const auto s = assignSplits(d, 0.15, 0.2, 11), t = assignSplits(d, 0.15, 0.2, 11);
        QVERIFY(s == t);
        QVERIFY(s != assignSplits(d, 0.15, 0.2, 12));
        int testBad = 0, testAll = 0, validBad = 0;
        for (size_t i = 0; i < d.applicants.size(); ++i) {
            testAll += s[i] == Split::Test;
            testBad += s[i] == Split::Test && d.applicants[i].label == 1;
            validBad += s[i] == Split::Valid && d.applicants[i].label == 1;
        }
        QCOMPARE(int64_t(rowsIn(d, s, Split::Test).size()), int64_t(testAll));
        QCOMPARE(testAll, 200);
        QCOMPARE(testBad, 40);  // 20% of 200 bads
        QCOMPARE(validBad, 30); // 15% of 200 bads
    }
    void scoringWithoutLabelsUsesEventEntities()
    {
        Fixture fx;
        Config cfg = fx.config(kEvents, kLabels);
        LoadOptions opt;
        opt.useLabels = false;
        RawDataset d = loadDataset(cfg, opt);
        QCOMPARE(d.report.applicants, int64_t(3)); // a, b, z in order of appearance
        QCOMPARE(d.applicants[2].id, std::string("z"));
        QCOMPARE(d.eventCount(0), int64_t(4)); // no cutoff without labels
    }
    void scoringLoadKeepsTheGivenSplit()
    {
        // The inspector loads for scoring (target not required) and must still see the run's
        // own split column, so its "test" applicants are the run's test applicants.
        Fixture fx;
        fx.labelsExtra = R"(, "split": "part")";
        const char *labels = "id,app,bad,part\na,2020-02-01,,test\nb,2020-03-01,0,train\n";
        LoadOptions opt;
        opt.requireTarget = false;
        RawDataset d = loadDataset(fx.config(kEvents, labels), opt);
        QCOMPARE(d.applicants.size(), size_t(2));
        QCOMPARE(int(d.applicants[0].givenSplit), int(Split::Test));
        QCOMPARE(int(d.applicants[1].givenSplit), int(Split::Train));
        // A label table without the split column is still fine for scoring.
        fx.labelsExtra = R"(, "split": "part")";
        RawDataset e = loadDataset(fx.config(kEvents, "id,app\na,2020-02-01\n"), opt);
        QCOMPARE(int(e.applicants[0].givenSplit), int(Split::Unassigned));
    }
};

QTEST_GUILESS_MAIN(TestDataset)
#include "test_dataset.moc"
