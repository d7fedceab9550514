// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/monitor/monitor_workflow.h"

#include "monitor_cohorts.h"
#include "monitor_inputs.h"

#include "seqlens/score_workflow.h"
#include "seqlens/util/error.h"
#include "seqlens/util/hex.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace seqlens {

namespace {

using monitor::BinnedInput;
using monitor::Cohorts;

void checkThresholds(const MonitorThresholds &t)
{
    if (t.bins < 2 || t.bins > 100)
        throwUsage("monitoring bins must be 2..100, got " + std::to_string(t.bins));
    if (!(t.psiAmber > 0 && t.psiAmber < t.psiRed))
        throwUsage("monitoring PSI thresholds need 0 < amber < red");
    if (!(t.alphaRed > 0 && t.alphaRed <= t.alphaAmber && t.alphaAmber < 1))
        throwUsage("monitoring test levels need 0 < red <= amber < 1");
    if (!(t.adverseImpact >= 0 && t.adverseImpact <= 1))
        throwUsage("the adverse-impact threshold must be in [0, 1]");
}

void progress(const MonitorRequest &req, const char *stage)
{
    throwIfCancelled(req.cancel);
    if (req.progress)
        req.progress(stage);
}

// The run's development data, checked against the fingerprint its bundle recorded.
RawDataset loadReference(const ModelBundle &b, const CancelToken *cancel)
{
    LoadOptions opt;
    opt.cancel = cancel;
    RawDataset ref;
    try {
        ref = loadDataset(b.config, opt);
    } catch (const Error &e) {
        if (e.kind() != ErrorKind::Data)
            throw;
        throwData(std::string("the run's development data (the reference): ") + e.what());
    }
    const auto fp = b.metadata.value("data_fingerprints", nlohmann::json::object());
    const std::string recorded = fp.value("events", ""), now = hex64(ref.report.eventsFingerprint);
    if (!recorded.empty() && recorded != now)
        throwData(ref.report.eventsPath +
                  ": the run's development events changed since the run "
                  "(fingerprint " +
                  now + ", recorded " + recorded +
                  "); the reference would "
                  "not be the run's");
    return ref;
}

std::vector<int64_t> developmentRows(const RawDataset &ref, const Config &cfg)
{
    const auto splits = assignSplits(ref, cfg.training.validFraction, cfg.training.testFraction,
                                     cfg.training.seed);
    std::vector<int64_t> rows;
    for (size_t a = 0; a < ref.applicants.size(); ++a)
        if (ref.applicants[a].label >= 0 && splits[a] != Split::Test)
            rows.push_back(int64_t(a));
    if (rows.empty())
        throwData("the run's development data has no labelled development applicants");
    return rows;
}

std::vector<int64_t> rowsOf(const Cohorts &c, int32_t cohort)
{
    std::vector<int64_t> rows;
    for (size_t a = 0; a < c.of.size(); ++a)
        if (c.of[a] == cohort)
            rows.push_back(int64_t(a));
    return rows;
}

template <typename T>
std::vector<T> pick(const std::vector<T> &v, const std::vector<int64_t> &rows)
{
    std::vector<T> out;
    for (int64_t r : rows)
        out.push_back(v[size_t(r)]);
    return out;
}

// One cohort's PSI of input `in`: its light and, when the highest so far, its worst input.
void noteCohortInput(CohortResult &r, const BinnedInput &in, double psi, const MonitorThresholds &t)
{
    if (std::isnan(psi))
        return;
    Light &light = in.kind == "sequence" ? r.shapeLight : r.inputLight;
    light = worst(light, lightOfPsi(psi, t.psiAmber, t.psiRed));
    if (r.worstInput.empty() || psi > r.worstInputPsi) {
        r.worstInput = in.name;
        r.worstInputPsi = psi;
    }
}

// Every input's stability over the whole batch, highest PSI first, and per cohort (one pass over
// the batch per input): each cohort's lights and worst input.
std::vector<Stability> inputStabilities(const std::vector<BinnedInput> &inputs, const Cohorts &c,
                                        const MonitorThresholds &t,
                                        std::vector<CohortResult> &cohorts)
{
    std::vector<Stability> out;
    for (const auto &in : inputs) {
        const auto counts = in.countsByCohort(c.of, c.names.size());
        std::vector<int64_t> total(in.bins.size(), 0);
        for (size_t k = 0; k < counts.size(); ++k) {
            for (size_t i = 0; i < total.size(); ++i)
                total[i] += counts[k][i];
            noteCohortInput(cohorts[k], in, in.stability(counts[k]).psi, t);
        }
        out.push_back(in.stability(std::move(total)));
    }
    std::stable_sort(out.begin(), out.end(), [](const Stability &a, const Stability &b) {
        const double x = std::isnan(a.psi) ? -1 : a.psi, y = std::isnan(b.psi) ? -1 : b.psi;
        return x > y;
    });
    return out;
}

std::string fixed(double v, int digits = 3)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

MonitorCheck psiCheck(const char *name, const std::vector<Stability> &all, bool sequence,
                      const MonitorThresholds &t)
{
    MonitorCheck c{name, Light::Green, "no characteristic"};
    for (const auto &s : all) // highest PSI first
        if ((s.kind == "sequence") == sequence && !std::isnan(s.psi)) {
            c.light = lightOfPsi(s.psi, t.psiAmber, t.psiRed);
            c.detail = "highest PSI: " + s.name + " " + fixed(s.psi);
            if (s.newShare > 0)
                c.detail += ", new values " + fixed(100 * s.newShare, 1) + " %";
            break;
        }
    return c;
}

MonitorCheck segmentCheck(const SegmentChecks &s)
{
    MonitorCheck c{"segments", s.light, "no segment large enough to judge"};
    const SegmentTable *low = nullptr;
    for (const auto &t : s.tables)
        if (!std::isnan(t.lowestImpact) && (!low || t.lowestImpact < low->lowestImpact))
            low = &t;
    if (low)
        c.detail = "lowest adverse-impact ratio " + fixed(low->lowestImpact) + " (" +
                   low->column + " = " + low->lowest + ") at the " +
                   fixed(100 * s.approvalRate, 0) + " % approval cut-off";
    return c;
}

void addChecks(MonitorResult &r)
{
    const auto &t = r.thresholds;
    r.checks.push_back({"score stability", lightOfPsi(r.score.psi, t.psiAmber, t.psiRed),
                        "PSI " + fixed(r.score.psi) + " against the run's test scores"});
    r.checks.push_back(psiCheck("characteristic stability", r.characteristics, false, t));
    r.checks.push_back(psiCheck("sequence shape", r.characteristics, true, t));
    const Performance &p = r.performance;
    MonitorCheck auc{"performance", p.aucLight, "not assessed: no labels of both classes yet"};
    if (p.aucAvailable)
        auc.detail = "AUC " + fixed(p.auc.auc) + " vs " + fixed(r.referenceAuc.auc) +
                     " at development, drop p " + fixed(p.drop.pValue, 4);
    MonitorCheck cal{"calibration", p.calibrationLight, "not assessed: no labels yet"};
    if (p.calibrationAvailable)
        cal.detail = "bad rate " + fixed(100 * p.calibration.observedRate, 2) + " % vs predicted " +
                     fixed(100 * p.calibration.predictedRate, 2) + " %, Jeffreys p " +
                     fixed(p.calibration.pTwoSided, 4);
    r.checks.push_back(auc);
    r.checks.push_back(cal);
    if (r.segments)
        r.checks.push_back(segmentCheck(*r.segments));
    for (const auto &c : r.checks)
        r.status = worst(r.status, c.light);
}

struct Loaded {
    RawDataset batch, dev;
    std::vector<int64_t> devRows;
    Cohorts cohorts;
};

Loaded loadBoth(const ModelBundle &b, const MonitorRequest &req)
{
    progress(req, "loading the batch");
    LoadOptions opt = scoringLoadOptions(req.events, req.labelsPath);
    opt.cancel = req.cancel;
    Loaded l;
    l.batch = loadDataset(b.config, opt);
    if (l.batch.applicants.empty())
        throwData(req.events.describe() + ": the batch has no applicants");
    l.cohorts = monitor::assignCohorts(l.batch, req.by, b.config, req.labelsPath);
    progress(req, "loading the development data");
    l.dev = loadReference(b, req.cancel);
    l.devRows = developmentRows(l.dev, b.config);
    return l;
}

void addCohorts(MonitorResult &r, const Loaded &l, const std::vector<double> &scores,
                const std::vector<int> &labels, const NumericBins &bins, int64_t maxItems)
{
    const auto &t = r.thresholds;
    for (int32_t k = 0; k < int32_t(l.cohorts.names.size()); ++k) {
        const auto rows = rowsOf(l.cohorts, k);
        CohortResult c;
        c.cohort = l.cohorts.names[size_t(k)];
        c.applicants = int64_t(rows.size());
        const auto s = pick(scores, rows);
        c.score = stabilityOf("score", "score", bins.labels(), r.score.reference, bins.count(s),
                              kNoBin, bins.missingBin());
        c.scoreLight = lightOfPsi(c.score.psi, t.psiAmber, t.psiRed);
        c.shape = monitor::sequenceShape(l.batch, rows, maxItems);
        c.performance = monitor::performanceOf(s, pick(labels, rows), r.referenceAuc, t);
        r.cohorts.push_back(std::move(c));
    }
}

MonitorResult runMonitor(const ModelBundle &b, const ReferenceScores &ref,
                         const MonitorRequest &req)
{
    const MonitorThresholds t = applyOverrides(b.config.monitoring.thresholds, req.thresholds);
    checkThresholds(t);
    if (ref.scores.empty() || ref.scores.size() != ref.labels.size())
        throwData("the run has no recorded test scores to compare the batch's scores with");
    const Loaded l = loadBoth(b, req);
    progress(req, "scoring the batch");
    setTorchThreads(req.threads >= 0 ? req.threads : b.config.training.threads);
    const auto all = allRows(l.batch);
    const auto scores = b.predict(l.batch, b.encoder.encode(l.batch), all);
    progress(req, "binning the inputs");
    const auto inputs = monitor::binInputs(b.config, l.dev, l.devRows, l.batch, int(t.bins), req.cancel);

    MonitorResult r;
    r.name = !req.name.empty()     ? req.name
             : req.events.empty() ? std::string("batch")
                                  : std::filesystem::path(req.events.files[0].second).filename().string();
    r.cohortBy = l.cohorts.by;
    r.thresholds = t;
    r.batchLoad = l.batch.report;
    r.referenceApplicants = int64_t(l.devRows.size());
    r.batchApplicants = int64_t(all.size());
    const NumericBins scoreBins = NumericBins::fit(ref.scores, int(t.bins));
    r.score = stabilityOf("score", "score", scoreBins.labels(), scoreBins.count(ref.scores),
                          scoreBins.count(scores), kNoBin, scoreBins.missingBin());
    const int64_t maxItems = b.config.sequence.maxItems;
    r.referenceShape = monitor::sequenceShape(l.dev, l.devRows, maxItems);
    r.batchShape = monitor::sequenceShape(l.batch, all, maxItems);
    r.referenceAuc = delongAuc(ref.scores, ref.labels);
    std::vector<int> labels;
    for (const auto &a : l.batch.applicants)
        labels.push_back(a.label);
    r.performance = monitor::performanceOf(scores, labels, r.referenceAuc, t);
    progress(req, "cohorts");
    addCohorts(r, l, scores, labels, scoreBins, maxItems);
    if (!req.labelsPath.empty())
        r.segments = segmentChecksOf(l.batch, all, scores, b.config, &ref.scores);
    r.characteristics = inputStabilities(inputs, l.cohorts, t, r.cohorts);
    addChecks(r);
    return r;
}

} // namespace

MonitorThresholds applyOverrides(MonitorThresholds t, const ThresholdOverrides &o)
{
    t.bins = o.bins.value_or(t.bins);
    t.psiAmber = o.psiAmber.value_or(t.psiAmber);
    t.psiRed = o.psiRed.value_or(t.psiRed);
    t.alphaRed = o.alphaRed.value_or(t.alphaRed);
    t.alphaAmber = o.alphaAmber.value_or(t.alphaAmber);
    t.adverseImpact = o.adverseImpact.value_or(t.adverseImpact);
    return t;
}

MonitorResult monitorBatch(const ModelBundle &bundle, const ReferenceScores &reference,
                           const MonitorRequest &request)
{
    return cancelledAsResult<MonitorResult>([&] { return runMonitor(bundle, reference, request); });
}

} // namespace seqlens
