// SPDX-License-Identifier: GPL-3.0-or-later
// Monitoring results as JSON (monitoring.json, the project's record) and CSV tables.
#include "seqlens/monitor/monitor_workflow.h"

#include "seqlens/util/error.h"
#include "seqlens/util/text_util.h"

#include <cmath>
#include <filesystem>
#include <fstream>

namespace seqlens {

namespace {

using nlohmann::json;

json num(double v)
{
    return std::isfinite(v) ? json(v) : json(nullptr);
}

json stabilityJson(const Stability &s, bool withBins)
{
    json j = {{"name", s.name},
              {"kind", s.kind},
              {"psi", num(s.psi)},
              {"new_share", s.newShare},
              {"missing_share_reference", s.missingShareRef},
              {"missing_share_batch", s.missingShareBatch}};
    if (withBins)
        j["bins"] = {{"labels", s.bins}, {"reference", s.reference}, {"batch", s.batch}};
    return j;
}

json shapeJson(const SequenceShape &s)
{
    return {{"applicants", s.applicants},           {"mean_events", s.meanEvents},
            {"median_events", num(s.medianEvents)}, {"empty_share", s.emptyShare},
            {"truncated_share", s.truncatedShare},  {"median_gap_days", num(s.medianGapDays)}};
}

json performanceJson(const Performance &p)
{
    json j = {{"labelled", p.labelled}, {"bads", p.bads}};
    if (p.aucAvailable)
        j["auc"] = {{"value", p.auc.auc},
                    {"lo", p.auc.lo},
                    {"hi", p.auc.hi},
                    {"se", p.auc.se},
                    {"ks", p.ks},
                    {"gini", 2 * p.auc.auc - 1},
                    {"drop", p.drop.drop},
                    {"drop_z", num(p.drop.z)},
                    {"drop_p", p.drop.pValue},
                    {"light", toString(p.aucLight)}};
    if (p.calibrationAvailable)
        j["calibration"] = {{"observed_rate", p.calibration.observedRate},
                            {"predicted_rate", p.calibration.predictedRate},
                            {"jeffreys_lo", p.calibration.lo},
                            {"jeffreys_hi", p.calibration.hi},
                            {"p_underestimated", p.calibration.pUnderestimated},
                            {"p_two_sided", p.calibration.pTwoSided},
                            {"light", toString(p.calibrationLight)}};
    return j;
}

json cohortJson(const CohortResult &c)
{
    return {{"cohort", c.cohort},
            {"applicants", c.applicants},
            {"score", stabilityJson(c.score, true)},
            {"score_light", toString(c.scoreLight)},
            {"shape", shapeJson(c.shape)},
            {"worst_input", c.worstInput},
            {"worst_input_psi", num(c.worstInputPsi)},
            {"input_light", toString(c.inputLight)},
            {"shape_light", toString(c.shapeLight)},
            {"performance", performanceJson(c.performance)}};
}

std::string cell(double v)
{
    return std::isfinite(v) ? json(v).dump() : "";
}

void writeCharacteristicsCsv(const std::string &path, const MonitorResult &r)
{
    std::ofstream out(path);
    out << "rank,name,kind,psi,light,new_share,missing_share_reference,missing_share_batch\n";
    int rank = 0;
    for (const auto &s : r.characteristics)
        out << ++rank << ',' << csvEscape(s.name) << ',' << s.kind << ',' << cell(s.psi) << ','
            << (std::isnan(s.psi)
                    ? ""
                    : toString(lightOfPsi(s.psi, r.thresholds.psiAmber, r.thresholds.psiRed)))
            << ',' << s.newShare << ',' << s.missingShareRef << ',' << s.missingShareBatch << '\n';
    if (!out)
        throwData(path + ": cannot write");
}

void writeCohortsCsv(const std::string &path, const MonitorResult &r)
{
    std::ofstream out(path);
    out << "cohort,applicants,score_psi,score_light,worst_input,worst_input_psi,input_light,"
           "shape_light,mean_events,empty_share,truncated_share,median_gap_days,labelled,bads,"
           "auc,auc_lo,auc_hi,ks,auc_drop_p,observed_rate,predicted_rate,jeffreys_p\n";
    for (const auto &c : r.cohorts) {
        const Performance &p = c.performance;
        out << csvEscape(c.cohort) << ',' << c.applicants << ',' << cell(c.score.psi) << ','
            << toString(c.scoreLight) << ',' << csvEscape(c.worstInput) << ','
            << cell(c.worstInputPsi) << ',' << toString(c.inputLight) << ','
            << toString(c.shapeLight) << ',' << cell(c.shape.meanEvents) << ','
            << cell(c.shape.emptyShare) << ',' << cell(c.shape.truncatedShare) << ','
            << cell(c.shape.medianGapDays) << ',' << p.labelled << ',' << p.bads << ',';
        if (p.aucAvailable)
            out << cell(p.auc.auc) << ',' << cell(p.auc.lo) << ',' << cell(p.auc.hi) << ','
                << cell(p.ks) << ',' << cell(p.drop.pValue);
        else
            out << ",,,,";
        out << ',';
        if (p.calibrationAvailable)
            out << cell(p.calibration.observedRate) << ',' << cell(p.calibration.predictedRate)
                << ',' << cell(p.calibration.pTwoSided);
        else
            out << ",,";
        out << '\n';
    }
    if (!out)
        throwData(path + ": cannot write");
}

} // namespace

json monitorResultJson(const MonitorResult &r)
{
    json checks = json::array(), inputs = json::array(), cohorts = json::array();
    for (const auto &c : r.checks)
        checks.push_back({{"check", c.name}, {"light", toString(c.light)}, {"detail", c.detail}});
    for (const auto &s : r.characteristics)
        inputs.push_back(stabilityJson(s, true));
    for (const auto &c : r.cohorts)
        cohorts.push_back(cohortJson(c));
    const auto &t = r.thresholds;
    int64_t scoreApplicants = 0;
    for (int64_t n : r.score.reference)
        scoreApplicants += n;
    json j = {{"name", r.name},
            {"status", toString(r.status)},
            {"checks", checks},
            {"cohort_by", r.cohortBy},
            {"thresholds",
             {{"bins", t.bins},
              {"psi_amber", t.psiAmber},
              {"psi_red", t.psiRed},
              {"alpha_red", t.alphaRed},
              {"alpha_amber", t.alphaAmber},
              {"adverse_impact", t.adverseImpact}}},
            {"batch",
             {{"events", r.batchLoad.eventsPath},
              {"labels", r.batchLoad.labelsPath},
              {"event_rows", r.batchLoad.eventRows},
              {"events_kept", r.batchLoad.eventsKept},
              {"events_after_cutoff", r.batchLoad.eventsAfterCutoff},
              {"applicants", r.batchApplicants}}},
            {"reference",
             {{"development_applicants", r.referenceApplicants},
              {"score_applicants", scoreApplicants},
              {"test_auc",
               {{"value", r.referenceAuc.auc},
                {"lo", r.referenceAuc.lo},
                {"hi", r.referenceAuc.hi},
                {"se", r.referenceAuc.se}}},
              {"shape", shapeJson(r.referenceShape)}}},
            {"score", stabilityJson(r.score, true)},
            {"shape", shapeJson(r.batchShape)},
            {"performance", performanceJson(r.performance)},
            {"characteristics", inputs},
            {"cohorts", cohorts}};
    if (r.segments)
        j["segments"] = segmentChecksJson(*r.segments);
    return j;
}

void writeMonitorOutputs(const std::string &dir, const MonitorResult &r)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throwData(dir + ": cannot create the output directory: " + ec.message());
    std::ofstream out(dir + "/monitoring.json");
    out << monitorResultJson(r).dump(2) << '\n';
    if (!out)
        throwData(dir + "/monitoring.json: cannot write");
    writeCharacteristicsCsv(dir + "/characteristics.csv", r);
    writeCohortsCsv(dir + "/cohorts.csv", r);
}

} // namespace seqlens
