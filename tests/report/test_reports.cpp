// SPDX-License-Identifier: GPL-3.0-or-later
// The reports for a demo project: every section present in the PDF text (pdftotext), the
// numbers in the PDF equal those in compare.json, the HTML is self-contained, exports are
// audited, and unfinished runs or unknown applicants give clear errors.
#include "test_util.h"

#include "report/reports.h"
#include "seqlens/run_recording.h"
#include "seqlens/data/synth.h"
#include "seqlens/monitor/monitor_project.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>

#include <nlohmann/json.hpp>

using namespace seqlens;
using nlohmann::json;

namespace {

QString pdfText(const QString &pdf)
{
    QProcess p;
    p.start("pdftotext",
            {pdf, "-"}); // reading order; table cells wrap, so callers compare simplified text
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return "<pdftotext failed: " + QString::fromUtf8(p.readAllStandardError()) + ">";
    return QString::fromUtf8(p.readAllStandardOutput()).simplified();
}

// The PDF's text page by page (pdftotext separates pages with form feeds), lines kept.
QStringList pdfPages(const QString &pdf)
{
    QProcess p;
    p.start("pdftotext", {"-layout", pdf, "-"});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput()).split('\f', Qt::SkipEmptyParts);
}

QString f4(double v)
{
    return QString::number(v, 'f', 4);
}

} // namespace

class TestReports : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_project;
    int64_t m_compareRun = 0, m_trainRun = 0;
    json m_compare;

private Q_SLOTS:
    void initTestCase()
    {
        setTorchThreads(2);
        SynthSummary syn = writeSynthDataset({m_dir.path().toStdString() + "/data", 1500, 12});
        m_project = m_dir.path().toStdString() + "/demo.seqlens";
        ProjectStore store(m_project);
        CompareRequest creq;
        creq.outDir = m_dir.path().toStdString() + "/compare";
        Config compareConfig = applyOverrides(loadConfig(syn.configPath), {4, {}, 2, {}});
        compareConfig.monitoring.segments = {"region"};
        runCompareInProject(store, compareConfig, creq, &m_compareRun);
        std::ifstream in(creq.outDir + "/compare.json");
        m_compare = json::parse(in);
        TrainRequest treq;
        treq.outDir = m_dir.path().toStdString() + "/model";
        runTrainingInProject(store, applyOverrides(loadConfig(syn.configPath), {3, {}, {}, {}}),
                             treq, &m_trainRun);
    }

    void validationPdfHasEverySectionAndTheComparisonNumbers()
    {
        ProjectStore store(m_project);
        const QString pdf = m_dir.path() + "/validation.pdf";
        report::writeValidationReport(store, m_compareRun, pdf.toStdString());
        const QString text = pdfText(pdf);
        for (const char *section :
             {"1. Model card", "Reproducibility manifest", "2. Data audit", "3. Discrimination",
              "4. Benchmark against the baseline", "5. Lift table", "6. Calibration",
              "7. Stability (PSI)", "8. Global field attention", "9. Explanation faithfulness",
              "Randomised-weights check", "Verdict.", "10. Segments", "11. Limitations",
              "Split: stratified random (validation 15 %, test 20 %, seed 7)"})
            QVERIFY2(text.contains(section), section);
        // The segment table of compare.json: each region's AUC and adverse-impact ratio.
        const json &rows = m_compare["segments"]["tables"][0]["rows"];
        QVERIFY(rows.size() >= 3);
        for (const auto &row : rows) {
            QVERIFY2(text.contains(QString::number(row["auc"].get<double>(), 'f', 3)),
                     row["value"].get<std::string>().c_str());
            QVERIFY(text.contains(QString::number(row["adverse_impact"].get<double>(), 'f', 2)));
        }
        const json &t = m_compare["test"];
        for (const char *m : {"baseline", "sequence", "stacking"}) {
            QVERIFY2(text.contains(f4(t[m]["auc"].get<double>())), m);
            QVERIFY2(text.contains(f4(t[m]["ks"].get<double>())), m);
            QVERIFY2(text.contains(f4(t[m]["gini"].get<double>())), m);
            QVERIFY2(text.contains(f4(t[m]["psi_development_test"].get<double>())), m);
            QVERIFY2(text.contains(f4(t[m]["brier"].get<double>())), m);
        }
        const auto ci = t["stacking"]["auc_ci"];
        QVERIFY(
            text.contains("[" + f4(ci[0].get<double>()) + ", " + f4(ci[1].get<double>()) + "]"));
        QVERIFY(text.contains(f4(t["delta_auc"]["value"].get<double>())));
        QVERIFY(text.contains(QString::number(t["delta_auc"]["p_value"].get<double>(), 'g', 3)));
        QVERIFY(text.contains(f4(t["delta_ks"]["value"].get<double>())));
        // The top lift decile's bad count, and the data fingerprint of the manifest.
        QVERIFY(text.contains(
            QString::fromStdString(m_compare["data"]["events_fingerprint"].get<std::string>())));
        QCOMPARE(store.auditLog().back().action, std::string("exported"));
        // The model card names the step of the input embeddings (the config's default, 10).
        QVERIFY(text.contains("step of the input embeddings") &&
                text.contains("x 10.0 the learning rate"));
        QVERIFY(!text.contains("derived from an earlier event")); // derived_lr_scale unset
        // Every figure has a numbered caption that names it, in order.
        QVERIFY(text.contains("Figure 1. Training history"));
        QVERIFY(text.contains("ROC curves of the models on the test split"));
        QVERIFY(text.contains("KS curve of the stacking model"));
        QVERIFY(text.contains("Calibration on the test split"));
        int figures = 0;
        for (auto it = QRegularExpression("Figure (\\d+)\\.").globalMatch(text); it.hasNext();)
            QCOMPARE(it.next().captured(1).toInt(), ++figures);
        QVERIFY2(figures >= 8, std::to_string(figures).c_str());
        // The resolved config is an appendix after the last section, not in the model card.
        const auto appendix = text.indexOf("Appendix A. Resolved config");
        QVERIFY(appendix > text.indexOf("9. Limitations"));
        QVERIFY(text.indexOf("\"schema_version\"") > appendix);
        QVERIFY(text.indexOf("Appendix A", text.indexOf("Reproducibility manifest")) <
                text.indexOf("2. Data audit"));
    }

    void noPageEndsWithASectionHeading()
    {
        ProjectStore store(m_project);
        const QString pdf = m_dir.path() + "/headings.pdf";
        report::writeValidationReport(store, m_compareRun, pdf.toStdString());
        const QStringList pages = pdfPages(pdf);
        QVERIFY(pages.size() >= 4);
        const QRegularExpression heading("^(\\d+\\. [A-Z]|Appendix [A-Z]\\.|Purpose$|Run$|"
                                         "Architecture and training$|Reproducibility manifest$)");
        for (int i = 0; i + 1 < pages.size(); ++i) {
            QStringList lines = pages[i].split('\n', Qt::SkipEmptyParts);
            while (!lines.isEmpty() && lines.back().trimmed().isEmpty())
                lines.removeLast();
            QVERIFY(!lines.isEmpty());
            const QString last = lines.back().trimmed();
            QVERIFY2(!heading.match(last).hasMatch(),
                     qPrintable(QString("page %1 ends with heading \"%2\"").arg(i + 1).arg(last)));
        }
    }

    void validationHtmlIsSelfContained()
    {
        ProjectStore store(m_project);
        const QString html = m_dir.path() + "/validation.html";
        report::writeValidationReport(store, m_compareRun, html.toStdString());
        QFile f(html);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY(text.contains("11. Limitations") && text.contains("9. Explanation faithfulness"));
        QRegularExpression src("src=\"([^\"]*)\"");
        int images = 0;
        for (auto it = src.globalMatch(text); it.hasNext();) {
            const QString s = it.next().captured(1);
            QVERIFY2(s.startsWith("data:image/png;base64,"), qPrintable(s.left(60)));
            QImage img;
            QVERIFY(img.loadFromData(QByteArray::fromBase64(s.mid(22).toLatin1()), "PNG"));
            QVERIFY(img.width() > 100 && img.height() > 100);
            ++images;
        }
        QVERIFY2(images >= 8, qPrintable(QString::number(images)));
        QVERIFY(!text.contains("href=\"http") && !text.contains("src=\"http"));
    }

    void trainRunReportSaysThereIsNoBaseline()
    {
        ProjectStore store(m_project);
        const QString pdf = m_dir.path() + "/train.pdf";
        report::writeValidationReport(store, m_trainRun, pdf.toStdString());
        const QString text = pdfText(pdf).simplified();
        QVERIFY(text.contains("it has no baseline comparison"));
        QVERIFY(text.contains(f4(store.metric(m_trainRun, "test", "sequence", "auc")->value)));
    }

    void applicantReportExplainsOneApplicant()
    {
        ProjectStore store(m_project);
        const auto test = store.scores(m_compareRun, "sequence", "test");
        const ScoreRow &top = test.front(); // the riskiest test applicant
        const QString pdf = m_dir.path() + "/applicant.pdf";
        report::writeApplicantReport(store, m_compareRun, top.entity, pdf.toStdString());
        const QString text = pdfText(pdf);
        for (const char *section : {"Main reasons", "Timeline", "Events"})
            QVERIFY2(text.contains(section), section);
        QVERIFY(text.contains(QString::fromStdString(top.entity)));
        QVERIFY2(text.contains(f4(top.score)),
                 qPrintable(f4(top.score))); // re-explained score equals the stored one
        QVERIFY(text.contains("100.0 %"));   // the top score's percentile
        QVERIFY(text.contains(top.label == 1 ? "bad" : "good"));
        QCOMPARE(store.auditLog().back().object, "applicant " + top.entity);
        // Event times stay on one line in the events table: date and time together (checked on
        // applicants from the middle of the list; the riskiest may have an empty history).
        const QRegularExpression fullTime("\\b\\d{4}-\\d{2}-\\d{2}(\\s|\u00a0)\\d{2}:\\d{2}\\b");
        int oneLine = 0;
        for (size_t i = test.size() / 2; i < test.size() && oneLine < 3; ++i) {
            const QString other = m_dir.path() + "/applicant_mid.pdf";
            report::writeApplicantReport(store, m_compareRun, test[i].entity, other.toStdString());
            const QString layout = pdfPages(other).join("\n");
            oneLine = 0;
            for (auto it = fullTime.globalMatch(layout); it.hasNext(); it.next())
                ++oneLine;
        }
        QVERIFY(oneLine >= 3);
        QVERIFY(text.contains("Figure 1. Timeline"));

        const QString html = m_dir.path() + "/applicant.html";
        report::writeApplicantReport(store, m_trainRun, test.back().entity, html.toStdString());
        QVERIFY(QFile(html).size() > 10000);
    }

    void monitoringReportOfABag()
    {
        // A later month with a new event type, monitored with the compare run's bag of fold
        // models, then reported.
        SynthOptions o{m_dir.path().toStdString() + "/later", 800, 31};
        o.startDays = 20148; // 2025-03-01
        o.spanDays = 61;
        o.drift = SynthDrift::NewType;
        const SynthSummary later = writeSynthDataset(o);
        ProjectStore store(m_project);
        MonitorRequest req;
        req.events = later.eventsPath;
        req.labelsPath = later.labelsPath;
        int64_t record = 0;
        const MonitorResult r = monitorRunInProject(store, m_compareRun, req, "", &record);
        QCOMPARE(r.cohorts.size(), size_t(2));
        // The run's segments, with the approval cut-off fixed on the run's test scores.
        QVERIFY(r.segments.has_value());
        QCOMPARE(r.segments->tables.at(0).column, std::string("region"));
        int64_t inSegments = 0;
        for (const auto &row : r.segments->tables[0].rows)
            inSegments += row.applicants;
        QCOMPARE(inSegments, r.batchApplicants);
        QCOMPARE(r.checks.back().name, std::string("segments"));
        const QString pdf = m_dir.path() + "/monitoring.pdf";
        report::writeMonitoringReport(store, record, pdf.toStdString());
        const QString text = pdfText(pdf);
        for (const char *section :
             {"1. Summary", "2. Score stability", "3. Characteristic stability",
              "4. Sequence shape", "5. Performance and calibration", "6. Segments",
              "7. Method", "Lowest adverse-impact ratio"})
            QVERIFY2(text.contains(section), section);
        QVERIFY(text.contains("Monitoring report — events.csv against run " +
                              QString::number(m_compareRun)));
        QVERIFY2(text.contains("PSI " + f4(r.score.psi)), qPrintable(text.left(3000)));
        QVERIFY(text.contains("2025-03") && text.contains("2025-04"));
        QVERIFY(text.contains("event_type"));
        QVERIFY(text.contains(f4(r.referenceAuc.auc)));
        QCOMPARE(store.auditLog().back().object, "monitoring " + std::to_string(record));
        const QString html = m_dir.path() + "/monitoring.html";
        report::writeMonitoringReport(store, record, html.toStdString());
        QFile f(html);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString h = QString::fromUtf8(f.readAll());
        QVERIFY(h.count("src=\"data:image/png;base64,") >= 5);
        EXPECT_ERROR(report::writeMonitoringReport(store, record + 50, pdf.toStdString()),
                     ErrorKind::Data, "no monitoring record");
    }

    void badRequestsGiveClearErrors()
    {
        ProjectStore store(m_project);
        EXPECT_ERROR(report::writeApplicantReport(store, m_compareRun, "no-such-applicant",
                                                  (m_dir.path() + "/x.pdf").toStdString()),
                     ErrorKind::Data, "entity \"no-such-applicant\" not found");
        EXPECT_ERROR(
            report::writeValidationReport(store, 999, (m_dir.path() + "/x.pdf").toStdString()),
            ErrorKind::Data, "no run 999");
        EXPECT_ERROR(report::writeValidationReport(store, m_compareRun,
                                                   (m_dir.path() + "/x.docx").toStdString()),
                     ErrorKind::Usage, "as .pdf or .html");
        RunInfo running;
        running.kind = "train";
        running.configJson = "{}";
        const int64_t id = store.beginRun(running);
        EXPECT_ERROR(
            report::writeValidationReport(store, id, (m_dir.path() + "/x.pdf").toStdString()),
            ErrorKind::Data, "is running; reports are made from finished runs");
        EXPECT_ERROR(report::writeValidationReport(store, m_compareRun, "/nonexistent/dir/x.pdf"),
                     ErrorKind::Data, "the folder does not exist");
    }
};

QTEST_MAIN(TestReports)
#include "test_reports.moc"
