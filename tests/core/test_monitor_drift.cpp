// SPDX-License-Identifier: GPL-3.0-or-later
// Monitoring end to end: a run trained on one synthetic population, then later months of the
// same generator, each with one drift (event-type mix, a new event type, longer gaps, a changed
// label relationship) and one without. Each drift must light its own check, the undrifted
// month none of the stability checks; bad input is refused in one line with nothing recorded.
#include "test_util.h"

#include "seqlens/data/synth.h"
#include "seqlens/monitor/monitor_project.h"
#include "seqlens/run_recording.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

using namespace seqlens;

namespace {

const Stability &input(const MonitorResult &r, const std::string &name)
{
    for (const auto &s : r.characteristics)
        if (s.name == name)
            return s;
    throw std::runtime_error("no characteristic " + name);
}

const MonitorCheck &check(const MonitorResult &r, const std::string &name)
{
    for (const auto &c : r.checks)
        if (c.name == name)
            return c;
    throw std::runtime_error("no check " + name);
}

// Highest PSI among the characteristics of one kind group.
double maxPsi(const MonitorResult &r, bool sequence)
{
    double m = 0;
    for (const auto &s : r.characteristics)
        if ((s.kind == "sequence") == sequence && std::isfinite(s.psi))
            m = std::max(m, s.psi);
    return m;
}

} // namespace

class TestMonitorDrift : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<ProjectStore> m_store;
    int64_t m_run = 0;

    std::string path(const std::string &name) const
    {
        return m_dir.path().toStdString() + "/" + name;
    }

    MonitorResult monitorDrift(SynthDrift drift, const std::string &name)
    {
        SynthOptions o{path(name), 2000, 11};
        o.startDays = 20089; // 2025-01-01
        o.spanDays = 90;
        o.drift = drift;
        const SynthSummary s = writeSynthDataset(o);
        MonitorRequest req;
        req.events = s.eventsPath;
        req.labelsPath = s.labelsPath;
        req.threads = 2;
        return monitorRunInProject(*m_store, m_run, req, path(name + "_out"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const SynthSummary dev = writeSynthDataset({path("dev"), 3000, 5});
        Config cfg = loadConfig(dev.configPath);
        cfg.model.itemAggregation = ItemAggregation::Gru;
        cfg.training.epochs = testutil::kSanitized ? 3 : 8;
        cfg.training.threads = 2;
        m_store = std::make_unique<ProjectStore>(path("p.seqlens"));
        TrainRequest req;
        req.outDir = path("model");
        runTrainingInProject(*m_store, cfg, req, &m_run);
        QCOMPARE(m_store->run(m_run).status, RunStatus::Finished);
    }

    void undriftedMonthStaysGreen()
    {
        const MonitorResult r = monitorDrift(SynthDrift::None, "none");
        QCOMPARE(r.batchApplicants, int64_t(2000));
        QCOMPARE(r.cohortBy, std::string("month"));
        // Applications over 90 days from 2025-01-01: January to March (April 1 at most).
        QVERIFY(r.cohorts.size() >= 3 && r.cohorts.size() <= 4);
        QCOMPARE(r.cohorts.front().cohort, std::string("2025-01"));
        int64_t total = 0;
        for (const auto &c : r.cohorts)
            total += c.applicants;
        QCOMPARE(total, r.batchApplicants);
        QVERIFY2(r.score.psi < 0.05, std::to_string(r.score.psi).c_str());
        QVERIFY2(maxPsi(r, false) < 0.05, check(r, "characteristic stability").detail.c_str());
        QVERIFY2(maxPsi(r, true) < 0.05, check(r, "sequence shape").detail.c_str());
        QCOMPARE(check(r, "score stability").light, Light::Green);
        QCOMPARE(check(r, "characteristic stability").light, Light::Green);
        QCOMPARE(check(r, "sequence shape").light, Light::Green);
        QVERIFY(r.performance.aucAvailable);
        QVERIFY2(r.performance.drop.pValue > 0.05, check(r, "performance").detail.c_str());
        QVERIFY(input(r, "event_type").newShare == 0);
    }

    void eventTypeMixShiftIsCharacteristicDrift()
    {
        const MonitorResult r = monitorDrift(SynthDrift::TypeMix, "mix");
        QVERIFY2(input(r, "event_type").psi > 0.25,
                 std::to_string(input(r, "event_type").psi).c_str());
        QCOMPARE(input(r, "event_type").newShare, 0.0);
        QCOMPARE(check(r, "characteristic stability").light, Light::Red);
        QVERIFY2(maxPsi(r, true) < 0.10, check(r, "sequence shape").detail.c_str());
        QCOMPARE(r.status, Light::Red);
    }

    void newEventTypeShowsAsNewShare()
    {
        const MonitorResult r = monitorDrift(SynthDrift::NewType, "new");
        const Stability &t = input(r, "event_type");
        // Half the background card use (30 % of background events) renamed: about 14 %.
        QVERIFY2(t.newShare > 0.10 && t.newShare < 0.20, std::to_string(t.newShare).c_str());
        QCOMPARE(t.bins[t.bins.size() - 2], std::string("new"));
        QVERIFY(t.psi > 0.25);
        QVERIFY(testutil::contains(check(r, "characteristic stability").detail, "new values") ||
                check(r, "characteristic stability").light == Light::Red);
        QVERIFY2(maxPsi(r, true) < 0.10, check(r, "sequence shape").detail.c_str());
    }

    void longerGapsAreSequenceShapeDrift()
    {
        const MonitorResult r = monitorDrift(SynthDrift::LongerGaps, "gaps");
        QVERIFY2(input(r, "days between events").psi > 0.25,
                 std::to_string(input(r, "days between events").psi).c_str());
        QCOMPARE(check(r, "sequence shape").light, Light::Red);
        QVERIFY(r.batchShape.medianGapDays > 1.5 * r.referenceShape.medianGapDays);
    }

    void changedLabelRelationIsPerformanceDrop()
    {
        const MonitorResult r = monitorDrift(SynthDrift::LabelRelation, "labels");
        // Inputs as before ...
        QVERIFY2(maxPsi(r, false) < 0.05, check(r, "characteristic stability").detail.c_str());
        QVERIFY2(maxPsi(r, true) < 0.05, check(r, "sequence shape").detail.c_str());
        QVERIFY(r.score.psi < 0.05);
        // ... but the ranking is gone: a significant drop, by a wide margin. (The sanitized
        // build trains 3 epochs instead of 8: development AUC about 0.62 instead of 0.76, so
        // the drop it can show is smaller.)
        const double minDrop = testutil::kSanitized ? 0.05 : 0.10;
        const double maxP = testutil::kSanitized ? 0.01 : 0.001;
        QVERIFY2(r.performance.drop.drop > minDrop, check(r, "performance").detail.c_str());
        QVERIFY2(r.performance.drop.pValue < maxP, check(r, "performance").detail.c_str());
        QCOMPARE(check(r, "performance").light, Light::Red);
        for (const auto &c : r.cohorts)
            QVERIFY(c.performance.aucAvailable && c.performance.auc.auc < r.referenceAuc.auc);
    }

    void batchesAccumulateInTheProject()
    {
        const auto records = m_store->monitorings(m_run);
        QCOMPARE(records.size(), size_t(5));
        const auto json = nlohmann::json::parse(records.back().json);
        QCOMPARE(json["status"].get<std::string>(), records.back().status);
        QCOMPARE(json["cohorts"].size(), json["cohorts"].size());
        QCOMPARE(m_store->monitoring(records.front().id).name, std::string("events.csv"));
        QCOMPARE(m_store->auditLog().back().action, std::string("monitored"));
        std::ifstream csv(path("labels_out/characteristics.csv"));
        std::string header;
        std::getline(csv, header);
        QVERIFY(testutil::contains(header, "rank,name,kind,psi,light"));
    }

    void badInputIsRefusedAndNothingRecorded()
    {
        const size_t before = m_store->monitorings(m_run).size();
        MonitorRequest req;
        req.events = testutil::writeFile(m_dir, "nocol.csv",
                                             "applicant_id,event_time,event_type,amount\n"
                                             "A1,2025-01-02,payment,10\n");
        EXPECT_ERROR(monitorRunInProject(*m_store, m_run, req), ErrorKind::Data, "nocol.csv");
        req.events = testutil::writeFile(m_dir, "empty.csv",
                                             "applicant_id,event_time,event_type,channel,amount\n");
        EXPECT_ERROR(monitorRunInProject(*m_store, m_run, req), ErrorKind::Data, "no applicants");
        req.events = path("none/events.csv");
        req.labelsPath = path("none/labels.csv");
        req.by = "segment";
        EXPECT_ERROR(monitorRunInProject(*m_store, m_run, req), ErrorKind::Data, "segment");
        req.by = "";
        EXPECT_ERROR(monitorRunInProject(*m_store, m_run + 100, req), ErrorKind::Data, "no run");
        RunInfo bare;
        bare.kind = "train";
        bare.configJson = m_store->run(m_run).configJson;
        const int64_t noModel = m_store->beginRun(bare);
        m_store->finishRun(noModel, RunStatus::Finished);
        EXPECT_ERROR(monitorRunInProject(*m_store, noModel, req), ErrorKind::Data, "has no model");
        req.thresholds.psiAmber = 0.3;
        EXPECT_ERROR(monitorRunInProject(*m_store, m_run, req), ErrorKind::Usage, "amber < red");
        QCOMPARE(m_store->monitorings(m_run).size(), before);
        QVERIFY(m_store->monitorings(noModel).empty());
    }
};

QTEST_APPLESS_MAIN(TestMonitorDrift)
#include "test_monitor_drift.moc"
