// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/csv_reader.h"
#include "test_util.h"

using namespace seqlens;
using testutil::writeFile;

namespace {
std::vector<std::vector<std::string>> readAll(const std::string &path, CsvOptions opt = {})
{
    CsvReader r(path, opt);
    std::vector<std::vector<std::string>> rows;
    rows.emplace_back(r.header());
    while (r.next())
        rows.emplace_back(r.fields().begin(), r.fields().end());
    return rows;
}
} // namespace

class TestCsv : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
private Q_SLOTS:
    void quotingAndEscapes()
    {
        auto p = writeFile(m_dir, "q.csv",
                           "a,b,c\n\"x,1\",\"say \"\"hi\"\"\",plain\n\"multi\nline\",,\"\"\n");
        auto rows = readAll(p);
        QCOMPARE(rows.size(), size_t(3));
        QCOMPARE(rows[1][0], std::string("x,1"));
        QCOMPARE(rows[1][1], std::string("say \"hi\""));
        QCOMPARE(rows[2][0], std::string("multi\nline"));
        QCOMPARE(rows[2][1], std::string(""));
        QCOMPARE(rows[2][2], std::string(""));
    }
    void lineNumbersCountEmbeddedNewlines()
    {
        auto p = writeFile(m_dir, "ln.csv", "a,b\n\"1\n2\",x\n3,y\n");
        CsvReader r(p);
        QVERIFY(r.next());
        QCOMPARE(r.line(), int64_t(2));
        QVERIFY(r.next());
        QCOMPARE(r.line(), int64_t(4));
        QVERIFY(!r.next());
    }
    void delimitersAutoDetected_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<int>("delimiter");
        QTest::newRow("comma") << "id,t,v\n1,2,3\n" << int(',');
        QTest::newRow("semicolon crlf") << "\"id\";\"t\";\"v\"\r\n1;2;3\r\n" << int(';');
        QTest::newRow("tab") << "id\tt\tv\n1\t2\t3\n" << int('\t');
        QTest::newRow("commas inside quotes ignored") << "\"a,b\";\"c,d\";e\n1;2;3\n" << int(';');
    }
    void delimitersAutoDetected()
    {
        QFETCH(QString, content);
        QFETCH(int, delimiter);
        auto p = writeFile(m_dir, "d.csv", content.toStdString());
        CsvReader r(p);
        QCOMPARE(int(r.delimiter()), delimiter);
        QVERIFY(r.next());
        QCOMPARE(r.fields().size(), size_t(3));
        QCOMPARE(std::string(r.fields()[2]), std::string("3"));
        QVERIFY(!r.next());
    }
    void bomCrlfAndBlankLines()
    {
        auto p = writeFile(m_dir, "bom.csv", "\xEF\xBB\xBFid,v\r\n\r\n1,a\r\n2,b");
        auto rows = readAll(p);
        QCOMPARE(rows[0][0], std::string("id"));
        QCOMPARE(rows.size(), size_t(3));
        QCOMPARE(rows[2][1], std::string("b"));
    }
    void gzipTransparent()
    {
        std::string content = "id,v\n";
        for (int i = 0; i < 50000; ++i)
            content += std::to_string(i) + ",\"v" + std::to_string(i) + "\"\n";
        auto p = testutil::writeGz(m_dir, "big.csv.gz", content);
        auto rows = readAll(p);
        QCOMPARE(rows.size(), size_t(50001));
        QCOMPARE(rows[50000][1], std::string("v49999"));
    }
    void unterminatedQuoteIsAnError()
    {
        auto p = writeFile(m_dir, "uq.csv", "a,b\n1,2\n3,\"open\n4,5\n");
        EXPECT_ERROR(readAll(p), ErrorKind::Data, "uq.csv:3: unterminated quoted field");
    }
    void raggedRowIsAnError()
    {
        auto p = writeFile(m_dir, "rag.csv", "a,b,c\n1,2,3\n4,5\n");
        EXPECT_ERROR(readAll(p), ErrorKind::Data,
                     "rag.csv:3: expected 3 fields (as in the header), found 2");
    }
    void textAfterClosingQuote()
    {
        auto p = writeFile(m_dir, "tq.csv", "a,b\n\"x\"y,2\n");
        EXPECT_ERROR(readAll(p), ErrorKind::Data,
                     "tq.csv:2: field 1: unexpected character 'y' after closing quote");
    }
    void emptyFileIsAnError()
    {
        auto p = writeFile(m_dir, "empty.csv", "");
        EXPECT_ERROR(CsvReader r(p), ErrorKind::Data, "empty.csv: file is empty");
        // The same for a compressed file: the constructor throws after zlib set up its inflate
        // state, which its owner frees (LeakSanitizer checks this under test_sanitized.sh).
        auto gz = testutil::writeGz(m_dir, "empty.csv.gz", "");
        EXPECT_ERROR(CsvReader r(gz), ErrorKind::Data, "empty.csv.gz: file is empty");
    }
    void missingFileIsAnError()
    {
        EXPECT_ERROR(CsvReader r("/nonexistent/x.csv"), ErrorKind::Data,
                     "/nonexistent/x.csv: cannot open file");
    }
    void missingColumnNamesFound()
    {
        auto p = writeFile(m_dir, "mc.csv", "id,when\n1,2\n");
        CsvReader r(p);
        EXPECT_ERROR(r.requireColumn("amount"), ErrorKind::Data,
                     "mc.csv:1: missing column \"amount\" (found columns: id, when)");
    }
    void explicitDelimiterOverridesDetection()
    {
        auto p = writeFile(m_dir, "ex.csv", "a;b,c\n1;2,3\n");
        CsvReader r(p, CsvOptions{';'});
        QCOMPARE(r.header().size(), size_t(2));
        QCOMPARE(r.header()[1], std::string("b,c"));
    }
};

QTEST_GUILESS_MAIN(TestCsv)
#include "test_csv.moc"
