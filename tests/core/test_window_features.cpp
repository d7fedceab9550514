// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixture.h"
#include "seqlens/compare/window_features.h"

using namespace seqlens;
using namespace testutil;

namespace {
const char *kLabelsWithStatic = "id,app,bad,part,income,region\n"
                                "a,2020-02-01,1,train,1000,N\n"
                                "b,2020-03-01,0,train,abc,S\n"
                                "c,2020-03-01,1,test,,N\n";

// The development rows (train and valid) of the split column.
std::vector<int64_t> devRows(const RawDataset &d, const std::vector<Split> &splits)
{
    std::vector<int64_t> rows;
    for (size_t a = 0; a < splits.size(); ++a)
        if (splits[a] == Split::Train || splits[a] == Split::Valid)
            rows.push_back(int64_t(a));
    return rows;
}

struct Built {
    RawDataset raw;
    std::vector<Split> splits;
    FeatureMatrix x;
    int64_t invalid = 0;
    double at(int64_t row, const std::string &name) const
    {
        for (size_t c = 0; c < x.columns(); ++c)
            if (x.names[c] == name)
                return x.at(row, c);
        throw std::runtime_error("no feature " + name);
    }
};

Built build(Fixture &fx)
{
    fx.labelsExtra =
        R"(, "split": "part", "features": [{"name": "income", "type": "numeric"}, {"name": "region", "type": "categorical"}])";
    fx.extraTop = R"(, "baseline": {"windows_days": [7, 30], "top_values": 1})";
    Config cfg = fx.config(kEvents, kLabelsWithStatic);
    Built b;
    b.raw = loadDataset(cfg);
    b.splits = assignSplits(b.raw, 0.0, 0.0, 1);
    WindowFeatureBuilder builder = WindowFeatureBuilder::fit(b.raw, cfg, devRows(b.raw, b.splits));
    b.x = builder.build(b.raw);
    b.invalid = builder.lastInvalidStatic();
    return b;
}
} // namespace

class TestWindowFeatures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void namesAreReadable()
    {
        Fixture fx;
        Built b = build(fx);
        // Per window: count, kind=pay (the single top value), kind=other, sum/mean/max amount.
        const std::vector<std::string> expected = {
            "cnt_7d",          "cnt_7d_kind=pay",  "cnt_7d_kind=other",
            "sum_7d_amount",   "mean_7d_amount",   "max_7d_amount",
            "cnt_30d",         "cnt_30d_kind=pay", "cnt_30d_kind=other",
            "sum_30d_amount",  "mean_30d_amount",  "max_30d_amount",
            "days_since_last", "days_since_first", "income",
            "region=N",        "region=other"};
        QCOMPARE(b.x.names, expected);
    }
    void valuesByHand()
    {
        Fixture fx;
        Built b = build(fx);
        // a (cutoff 02-01): pay 01-01 (100), pay 01-20 (10), late 01-30 (1000); the 02-05 event is
        // after the cutoff.
        QCOMPARE(b.at(0, "cnt_7d"), 1.0);            // 01-30 only (2 days before)
        QCOMPARE(b.at(0, "cnt_7d_kind=other"), 1.0); // late
        QCOMPARE(b.at(0, "sum_7d_amount"), 1000.0);
        QCOMPARE(b.at(0, "cnt_30d"), 2.0); // 01-20 (12 days) and 01-30; 01-01 is 31 days before
        QCOMPARE(b.at(0, "cnt_30d_kind=pay"), 1.0);
        QCOMPARE(b.at(0, "sum_30d_amount"), 1010.0);
        QCOMPARE(b.at(0, "mean_30d_amount"), 505.0);
        QCOMPARE(b.at(0, "max_30d_amount"), 1000.0);
        QCOMPARE(b.at(0, "days_since_last"), 2.0);
        QCOMPARE(b.at(0, "days_since_first"), 31.0);
        QCOMPARE(b.at(0, "income"), 1000.0);
        QCOMPARE(b.at(0, "region=N"), 1.0);
        // b (cutoff 03-01): late 02-10 (amount missing), pay 02-28 (5).
        QCOMPARE(b.at(1, "cnt_7d"), 1.0);
        QCOMPARE(b.at(1, "mean_30d_amount"), 5.0); // the missing amount is not averaged in
        QVERIFY(std::isnan(b.at(1, "income")));    // "abc": counted, treated as missing
        QCOMPARE(b.invalid, int64_t(1));
        QCOMPARE(b.at(1, "region=other"), 1.0);
        // c: no events.
        QCOMPARE(b.at(2, "cnt_30d"), 0.0);
        QCOMPARE(b.at(2, "sum_30d_amount"), 0.0);
        QVERIFY(std::isnan(b.at(2, "mean_30d_amount")));
        QVERIFY(std::isnan(b.at(2, "days_since_last")));
    }
    void testSplitDoesNotChooseValues()
    {
        Fixture fx;
        fx.labelsExtra = R"(, "split": "part")";
        fx.extraTop = R"(, "baseline": {"windows_days": [30], "top_values": 1})";
        // Only the test applicant has "rare" events; the named value must come from train rows.
        const char *events =
            "id,t,kind,amount\na,2020-01-20,pay,1\nc,2020-02-20,rare,1\nc,2020-02-21,rare,1\n";
        Config cfg = fx.config(events,
                               "id,app,bad,part\na,2020-02-01,1,train\nc,2020-03-01,0,test\n");
        RawDataset raw = loadDataset(cfg);
        FeatureMatrix x =
            WindowFeatureBuilder::fit(raw, cfg, devRows(raw, assignSplits(raw, 0.0, 0.0, 1)))
                .build(raw);
        QCOMPARE(x.names[1], std::string("cnt_30d_kind=pay"));
    }
    void csvExport()
    {
        Fixture fx;
        Built b = build(fx);
        const std::string path = fx.dir.path().toStdString() + "/features.csv";
        writeFeaturesCsv(path, b.raw, b.splits, b.x);
        std::ifstream in(path);
        std::string header, first;
        std::getline(in, header);
        std::getline(in, first);
        QVERIFY(header.rfind("entity,split,label,cnt_7d,cnt_7d_kind=pay", 0) == 0);
        QVERIFY2(
            first.rfind("a,train,1,1,0,1,1000,1000,1000,2,1,1,1010,505,1000,2,31,1000,1,0", 0) == 0,
            first.c_str());
    }
};

QTEST_GUILESS_MAIN(TestWindowFeatures)
#include "test_window_features.moc"
