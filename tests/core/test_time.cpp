// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/time_parser.h"
#include "test_util.h"

using namespace seqlens;

namespace {
double parse(const std::string &fmt, const std::string &text, const std::string &unit = "days",
             const std::string &origin = "1970-01-01")
{
    TimeParser p(TimeFormat{fmt, unit, origin});
    auto v = p.parse(text);
    if (!v)
        throw std::runtime_error("no parse: " + text);
    return *v;
}
bool fails(const std::string &fmt, const std::string &text)
{
    TimeParser p(TimeFormat{fmt});
    return !p.parse(text).has_value();
}
} // namespace

class TestTime : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void civilDays()
    {
        QCOMPARE(daysFromCivil(1970, 1, 1), int64_t(0));
        QCOMPARE(daysFromCivil(2000, 3, 1), int64_t(11017));
        QCOMPARE(daysFromCivil(1969, 12, 31), int64_t(-1));
        QCOMPARE(formatDays(11017.0), std::string("2000-03-01"));
        QCOMPARE(formatDays(11017.5), std::string("2000-03-01T12:00:00"));
    }
    void iso()
    {
        QCOMPARE(parse("iso", "2000-03-01"), 11017.0);
        QCOMPARE(parse("iso", "2000-03-01T06:00"), 11017.25);
        QCOMPARE(parse("iso", "2000-03-01 12:00:00"), 11017.5);
        QCOMPARE(parse("iso", "2000-03-01T12:00:00Z"), 11017.5);
        QCOMPARE(parse("iso", "2000-03-01T14:00:00+02:00"), 11017.5);
        QVERIFY(std::fabs(parse("iso", "2000-03-01T00:00:00.5") - (11017.0 + 0.5 / 86400)) < 1e-12);
        QVERIFY(fails("iso", "2000-02-30"));
        QVERIFY(fails("iso", "2000-13-01"));
        QVERIFY(fails("iso", "01/03/2000"));
        QVERIFY(fails("iso", "2000-03-01x"));
    }
    void berkaPattern()
    {
        // 930705 = 1993-07-05; %y pivots 69..99 to 19xx and 00..68 to 20xx.
        QCOMPARE(parse("%y%m%d", "930705"), double(daysFromCivil(1993, 7, 5)));
        QCOMPARE(parse("%y%m%d", "050101"), double(daysFromCivil(2005, 1, 1)));
        QCOMPARE(parse("%d.%m.%Y %H:%M", "05.07.1993 18:00"),
                 double(daysFromCivil(1993, 7, 5)) + 0.75);
        QCOMPARE(parse("%d-%b-%Y", "05-Jul-1993"), double(daysFromCivil(1993, 7, 5)));
        QVERIFY(fails("%y%m%d", "931305"));
        QVERIFY(fails("%y%m%d", "9307051"));
    }
    void epochs()
    {
        QCOMPARE(parse("epoch_s", "86400"), 1.0);
        QCOMPARE(parse("epoch_ms", "43200000"), 0.5);
        QCOMPARE(parse("auto", "1000000000"), 1e9 / 86400.0);
        QCOMPARE(parse("auto", "1000000000000"), 1e12 / 86400000.0);
    }
    void relativeNumbers()
    {
        // "days before application" stored as negative integers relative to an origin.
        QCOMPARE(parse("number", "-30", "days", "2020-01-31"), double(daysFromCivil(2020, 1, 1)));
        QCOMPARE(parse("number", "2", "weeks", "1970-01-01"), 14.0);
        QCOMPARE(parse("number", "36", "hours"), 1.5);
        QCOMPARE(parse("number", "12", "months"), 365.2425);
    }
    void autoSettlesOnFirstValue()
    {
        TimeParser p(TimeFormat{"auto"});
        QVERIFY(p.parse("2020-01-01").has_value());
        QVERIFY(!p.parse("1577836800").has_value()); // auto chose ISO; epoch no longer matches
        TimeParser q(TimeFormat{"auto"});
        QVERIFY(!q.parse("01/02/2020").has_value());
    }
    void badSettings()
    {
        QVERIFY(!TimeParser::validate(TimeFormat{"%Q"}).empty());
        QVERIFY(!TimeParser::validate(TimeFormat{"yyyy-mm-dd"}).empty());
        QVERIFY(!TimeParser::validate(TimeFormat{"number", "fortnights"}).empty());
        QVERIFY(!TimeParser::validate(TimeFormat{"number", "days", "yesterday"}).empty());
        QVERIFY(TimeParser::validate(TimeFormat{"%y%m%d"}).empty());
    }
};

QTEST_GUILESS_MAIN(TestTime)
#include "test_time.moc"
