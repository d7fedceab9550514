// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/explain/source_breakdown.h"
#include "seqlens/result_json.h"

#include "seqlens/util/clock.h"
#include "seqlens/util/hex.h"
#include "seqlens/util/text_util.h"
#include "seqlens/util/version.h"

#include <cmath>

namespace seqlens {

using nlohmann::json;

namespace {

json eventsPerApplicantJson(const EventsPerApplicant &e)
{
    if (e.applicants == 0)
        return {{"applicants", 0}};
    json hist = json::array();
    for (const auto &b : e.histogram) {
        json bin = {{"from", b.from}, {"count", b.count}};
        if (b.toExclusive >= 0)
            bin["to_exclusive"] = b.toExclusive;
        hist.push_back(bin);
    }
    return {{"applicants", e.applicants}, {"mean", e.mean}, {"median", e.median},
            {"p90", e.p90},               {"p99", e.p99},   {"max", e.max},
            {"histogram", hist}};
}

json numbersOrNull(const std::vector<double> &v)
{
    json a = json::array();
    for (double x : v)
        a.push_back(std::isnan(x) ? json(nullptr) : json(x));
    return a;
}

json calibrationTableJson(const Calibration &c)
{
    json bins = json::array();
    for (const auto &b : c.bins)
        bins.push_back({{"count", b.count},
                        {"bads", b.bads},
                        {"mean_predicted", b.meanPredicted},
                        {"observed_rate", b.observedRate}});
    return {{"brier", c.brier},
            {"hosmer_lemeshow", c.hosmerLemeshow},
            {"hosmer_lemeshow_df", c.hlDegreesOfFreedom},
            {"hosmer_lemeshow_p_value", c.hlPValue},
            {"bins", bins}};
}

json aggregationJson(ItemAggregation kept, const std::vector<AggregationTrial> &trials)
{
    json t = json::array();
    for (const auto &x : trials)
        t.push_back({{"aggregation", toString(x.aggregation)},
                     {"best_valid_auc", x.bestValidAuc},
                     {"best_epoch", x.bestEpoch},
                     {"epochs_run", x.epochsRun},
                     {"stopped_at_epoch", x.stoppedAt ? json(x.stoppedAt) : json()},
                     {"seconds", x.seconds}});
    return {{"kept", toString(kept)}, {"trials", t}};
}

json splitMetricsJson(const SplitMetrics &s)
{
    if (!s.available)
        return {{"auc", nullptr}, {"ks", nullptr}, {"note", s.note}};
    return {{"auc", s.metrics.auc},
            {"ks", s.metrics.ks},
            {"gini", s.metrics.gini},
            {"n", s.metrics.n},
            {"bads", s.metrics.positives},
            {"ks_threshold", s.metrics.ksThreshold},
            {"calibration",
             {{"before", calibrationTableJson(s.before)},
              {"after", calibrationTableJson(s.after)}}}};
}

json evaluationJson(const ModelEvaluation &e)
{
    json lift = json::array(), cal = json::array();
    for (const auto &r : e.lift)
        lift.push_back({{"group", r.group},
                        {"count", r.count},
                        {"bads", r.bads},
                        {"min_score", r.minScore},
                        {"max_score", r.maxScore},
                        {"bad_rate", r.badRate},
                        {"cum_capture", r.cumCapture},
                        {"lift", r.lift}});
    for (const auto &b : e.calibration.bins)
        cal.push_back({{"count", b.count},
                       {"bads", b.bads},
                       {"mean_predicted", b.meanPredicted},
                       {"observed_rate", b.observedRate}});
    return {{"auc", e.auc.auc},
            {"auc_se", e.auc.se},
            {"auc_ci", {e.auc.lo, e.auc.hi}},
            {"ks", e.ks.value},
            {"ks_ci", {e.ks.lo, e.ks.hi}},
            {"gini", e.gini},
            {"psi_development_test", e.psi},
            {"brier", e.calibration.brier},
            {"hosmer_lemeshow", e.calibration.hosmerLemeshow},
            {"hosmer_lemeshow_df", e.calibration.hlDegreesOfFreedom},
            {"hosmer_lemeshow_p_value", e.calibration.hlPValue},
            {"lift", lift},
            {"calibration", cal}};
}

} // namespace

namespace {

// Per event source: rows, joins, exclusions, coverage and (with a profile) events per applicant
// and the missing share of each field.
json sourcesJson(const LoadReport &r, const DataProfile *profile)
{
    json out = json::array();
    for (size_t s = 0; s < r.sources.size(); ++s) {
        const SourceLoadReport &x = r.sources[s];
        json j = {{"name", x.name},
                  {"path", x.path},
                  {"via", x.viaPaths},
                  {"rows", x.rows},
                  {"kept", x.kept},
                  {"after_cutoff", x.afterCutoff},
                  {"unknown_entity", x.unknownEntity},
                  {"join_misses", x.joinMisses},
                  {"applicants_covered", x.applicantsCovered},
                  {"fingerprint", hex64(x.fingerprint)}};
        if (profile && s < profile->sources.size()) {
            j["events_per_applicant"] =
                eventsPerApplicantJson(profile->sources[s].eventsPerApplicant);
            json missing = json::object();
            for (const auto &[name, share] : profile->sources[s].missingShare)
                missing[name] = share;
            j["missing_share"] = missing;
        }
        out.push_back(j);
    }
    return out;
}

} // namespace

json loadReportJson(const LoadReport &r, const DataProfile *profile)
{
    json j = {{"events_path", r.eventsPath},
              {"labels_path", r.labelsPath},
              {"event_rows", r.eventRows},
              {"events_kept", r.eventsKept},
              {"events_after_cutoff", r.eventsAfterCutoff},
              {"events_unknown_entity", r.eventsUnknownEntity},
              {"label_rows", r.labelRows},
              {"label_missing", r.labelMissing},
              {"applicants", r.applicants},
              {"applicants_without_events", r.applicantsWithoutEvents},
              {"positives", r.positives},
              {"negatives", r.negatives},
              {"events_fingerprint", hex64(r.eventsFingerprint)},
              {"labels_fingerprint", hex64(r.labelsFingerprint)}};
    if (profile) {
        j["events_per_applicant"] = eventsPerApplicantJson(profile->eventsPerApplicant);
        json fields = json::object();
        for (const auto &f : profile->fields)
            fields[f.name] = {{"missing", f.missing},
                              {"non_finite", f.nonFinite},
                              {"invalid_as_missing", f.invalidAsMissing},
                              {"distinct", f.distinct}};
        j["fields"] = fields;
    }
    if (r.sources.size() > 1)
        j["sources"] = sourcesJson(r, profile);
    return j;
}

json encodeReportJson(const EncodeReport &r)
{
    json unseen = json::object(), missing = json::object();
    for (size_t i = 0; i < r.unseen.size() && i < r.categoricalFields.size(); ++i)
        unseen[r.categoricalFields[i]] = r.unseen[i];
    for (size_t i = 0; i < r.missing.size() && i < r.inputs.size(); ++i)
        missing[r.inputs[i]] = r.missing[i];
    return {{"truncated_applicants", r.truncatedApplicants},
            {"truncated_events", r.truncatedEvents},
            {"unseen", unseen},
            {"missing", missing}};
}

json splitsJson(const SplitCounts &s)
{
    static const char *methods[] = {"random", "column", "time"};
    json j = {{"train", s.train},
              {"valid", s.valid},
              {"test", s.test},
              {"method", methods[int(s.method)]},
              {"description", s.description}};
    const char *names[] = {"train", "valid", "test"};
    for (int k = 0; k < 3; ++k)
        j["without_events"][names[k]] = s.withoutEvents[k];
    for (int k = 0; k < 3; ++k)
        if (!std::isnan(s.firstCutoff[k]))
            j["cutoffs"][names[k]] = {{"first", formatDays(s.firstCutoff[k])},
                                      {"last", formatDays(s.lastCutoff[k])}};
    return j;
}

json dataReportJson(const AuditReport &a)
{
    return {{"load", loadReportJson(a.load, &a.profile)},
            {"encode", encodeReportJson(a.encode)},
            {"splits", splitsJson(a.splits)}};
}

json trainingHistoryJson(const std::vector<EpochRecord> &history)
{
    json out = json::array();
    for (const auto &h : history)
        out.push_back({{"epoch", h.epoch},
                       {"train_loss", h.trainLoss},
                       {"valid_loss", h.validLoss},
                       {"valid_auc", h.validAuc},
                       {"seconds", h.seconds}});
    return out;
}

json bundleMetadataJson(uint64_t seed, int64_t threads, int64_t parameters, double trainSeconds,
                        const LoadReport &load, const json &extra)
{
    json meta = {
        {"seqlens_version", seqlensVersion()},
        {"libtorch_version", torchVersion()},
        {"git_revision", gitRevision()},
        {"created", utcNowIso()},
        {"seed", seed},
        {"threads", threads},
        {"train_seconds", trainSeconds},
        {"parameters", parameters},
        {"data_fingerprints",
         {{"events", hex64(load.eventsFingerprint)}, {"labels", hex64(load.labelsFingerprint)}}}};
    meta.update(extra);
    return meta;
}

json trainMetricsJson(const TrainSummary &s)
{
    const double seqPerSec = s.training.seconds > 0
                                 ? double(s.training.sequencesSeen) / s.training.seconds
                                 : 0.0;
    json j = {{"valid", splitMetricsJson(s.valid)},   {"test", splitMetricsJson(s.test)},
              {"best_epoch", s.training.bestEpoch},  {"epochs_run", s.training.epochsRun},
              {"train_seconds", s.training.seconds}, {"train_sequences_per_second", seqPerSec},
              {"calibrator", calibratorJson(s.calibrator)},
              {"item_aggregation", aggregationJson(s.aggregation, s.aggregationTrials)}};
    if (s.segments)
        j["segments"] = segmentChecksJson(*s.segments);
    return j;
}

json compareJson(const CompareSummary &s)
{
    json swap = {{"bands", s.swap.bands},
                 {"rows", "baseline band"},
                 {"columns", "stacking band"},
                 {"counts", s.swap.counts},
                 {"bads", s.swap.bads}};
    json choices = json::array(); // the full model (if any), then each fold model
    for (const ModelChoice &c : s.aggregations)
    {
        json one = aggregationJson(c.kept, c.trials);
        one["model"] = c.model;
        if (!c.chosenOn.empty())
            one["chosen_on"] = c.chosenOn;
        choices.push_back(one);
    }
    json j = {{"n_train", s.nDevelopment},
            {"n_test", s.nTest},
            {"folds", s.folds},
            {"test_scores", s.testScores == TestScoring::Bagged ? "bagged" : "full_model"},
            {"features", s.features},
            {"baseline_model",
             {{"family", s.baselineModel == BaselineModelKind::Logistic ? "logistic" : "xgboost"},
              {"solver", s.baselineFit.solver},
              {"converged", s.baselineFit.converged},
              {"iterations", s.baselineFit.iterations},
              {"stacking_converged", s.stackingFit.converged}}},
            {"test",
             {{"baseline", evaluationJson(s.baseline)},
              {"sequence", evaluationJson(s.sequence)},
              {"stacking", evaluationJson(s.stacking)},
              {"delta_auc",
               {{"value", s.deltaAuc.delta},
                {"p_value", s.deltaAuc.pValue},
                {"se", s.deltaAuc.se},
                {"ci", {s.deltaAuc.lo, s.deltaAuc.hi}}}},
              {"delta_ks",
               {{"value", s.deltaKs.value},
                {"ci", {s.deltaKs.lo, s.deltaKs.hi}},
                {"reps", s.deltaKs.reps}}},
              {"swap_set", swap}}},
            {"item_aggregation", choices},
            {"data", loadReportJson(s.audit.load, &s.audit.profile)},
            {"splits", splitsJson(s.audit.splits)}};
    if (s.segments)
        j["segments"] = segmentChecksJson(*s.segments);
    return j;
}

json compareModelMetricsJson(const CompareSummary &s)
{
    const auto &e = s.sequence;
    return {{"test",
             {{"auc", e.auc.auc},
              {"auc_ci", {e.auc.lo, e.auc.hi}},
              {"ks", e.ks.value},
              {"gini", e.gini},
              {"n", s.nTest}}},
            {"note", "the sequence model of a comparison, trained on all development applicants"}};
}

json curvesJson(const std::vector<RocPoint> &roc, const std::vector<KsPoint> &ks)
{
    json r = json::array(), k = json::array();
    for (const auto &p : roc)
        r.push_back({std::isinf(p.threshold) ? json(nullptr) : json(p.threshold), p.fpr, p.tpr});
    for (const auto &p : ks)
        k.push_back({p.threshold, p.cumGood, p.cumBad});
    return {{"roc", r}, {"ks", k}};
}

json globalAttentionJson(const GlobalAttention &g)
{
    json bySource = json::array();
    for (const auto &s : g.sources)
        bySource.push_back({{"source", s.source},
                            {"events", s.events},
                            {"timeline_share", numbersOrNull({s.timelineShare})[0]},
                            {"inputs", s.inputs},
                            {"mean_field_weight", numbersOrNull(s.meanFieldWeight)}});
    json out = {{"applicants", g.applicants},
            {"inputs", g.inputs},
            {"mean_field_weight", numbersOrNull(g.meanFieldWeight)},
            {"bands", g.bands},
            {"mean_item_weight", numbersOrNull(g.meanItemWeight)},
            {"mean_item_weight_uniform", numbersOrNull(g.meanItemWeightUniform)},
            {"band_events", g.bandEvents}};
    if (!g.sources.empty())
        out["by_source"] = std::move(bySource);
    return out;
}

namespace {

json nanToNull(double v)
{
    return std::isnan(v) ? json(nullptr) : json(v);
}

json numbers(const std::vector<double> &v)
{
    json a = json::array();
    for (double x : v)
        a.push_back(nanToNull(x));
    return a;
}

json interval(const BootstrapInterval &i)
{
    return {{"value", i.value}, {"lo", i.lo}, {"hi", i.hi}};
}

json byInput(const std::vector<std::string> &inputs, const std::vector<double> &v)
{
    json o = json::object();
    for (size_t f = 0; f < inputs.size() && f < v.size(); ++f)
        o[inputs[f]] = v[f];
    return o;
}

} // namespace

json reasonsJson(const std::vector<Reason> &reasons)
{
    json out = json::array();
    for (const auto &r : reasons)
        out.push_back({{"code", r.code},
                       {"text", r.text},
                       {"logit", r.logit},
                       {"probability_points", r.probabilityPoints},
                       {"count", r.count},
                       {"events", r.events}});
    return out;
}

json explanationJson(const ApplicantExplanation &x)
{
    json events = json::array(), attrEvents = json::array(), occEvents = json::array();
    for (const auto &e : x.events) {
        json values = json::object();
        for (size_t f = 0; f < x.fields.size() && f < e.values.size(); ++f)
            values[x.fields[f]] = e.values[f].empty() ? json(nullptr) : json(e.values[f]);
        if (!std::isnan(e.sincePreviousDays))
            values["time_since_previous_days"] = e.sincePreviousDays;
        events.push_back({{"index", e.index},
                          {"time", formatDays(e.timeDays)},
                          {"values", values},
                          {"field_attention", byInput(x.inputs, e.fieldWeights)},
                          {"item_weight", e.itemWeight}});
        if (!e.source.empty())
            events.back()["source"] = e.source;
        if (x.attribution.available)
            attrEvents.push_back({{"index", e.index},
                                  {"total", e.attributionTotal},
                                  {"inputs", byInput(x.inputs, e.attribution)}});
        if (x.occlusion)
            occEvents.push_back({{"index", e.index},
                                 {"delta_logit", e.occlusionDelta},
                                 {"inputs", byInput(x.inputs, e.inputOcclusionDelta)}});
    }
    json out = {{"entity", x.id},
                {"score", x.score},
                {"logit", x.logit},
                {"label", x.label >= 0 ? json(x.label) : json(nullptr)},
                {"cutoff", std::isnan(x.cutoffDays) ? json(nullptr) : json(formatDays(x.cutoffDays))},
                {"events_in_history", x.eventsInHistory},
                {"events_used", int64_t(x.events.size())},
                {"events_after_cutoff_excluded", x.eventsAfterCutoff},
                {"inputs", x.inputs},
                {"mean_field_attention", byInput(x.inputs, x.meanFieldAttention())},
                {"events", events}};
    if (x.attribution.available) {
        const AttributionInfo &a = x.attribution;
        out["reference_logit"] = a.referenceLogit;
        out["attribution"] = {{"method", "integrated_gradients"},
                              {"reference", toString(a.reference)},
                              {"steps", a.steps},
                              {"reference_logit", a.referenceLogit},
                              {"length_term", a.lengthTerm},
                              {"completeness_gap", a.completenessGap},
                              {"inputs", byInput(x.inputs, x.inputAttributionTotals())},
                              {"events", attrEvents}};
        out["reasons"] = reasonsJson(x.reasons);
    }
    if (x.occlusion)
        out["occlusion"] = {{"events", occEvents}};
    json bySource = json::array();
    for (const auto &s : sourceShares(x))
        bySource.push_back({{"source", s.source},
                            {"events", s.events},
                            {"item_weight", s.itemWeight},
                            {"attribution", s.attribution},
                            {"mean_field_attention", byInput(s.inputs, s.meanFieldWeight)}});
    if (!bySource.empty())
        out["by_source"] = bySource;
    return out;
}

json whatIfJson(const WhatIf &w)
{
    json edits = json::array();
    for (const auto &e : w.edits)
        edits.push_back(describe(e));
    return {{"edits", edits},
            {"before", explanationJson(w.before)},
            {"after", explanationJson(w.after)},
            {"change",
             {{"logit", w.after.logit - w.before.logit}, {"score", w.after.score - w.before.score}}}};
}

json faithfulnessJson(const Faithfulness &f)
{
    json methods = json::array();
    for (const auto &m : f.methods)
        methods.push_back({{"method", m.method},
                           {"deletion_curve", m.deletion},
                           {"insertion_curve", m.insertion},
                           {"deletion_area", interval(m.deletionArea)},
                           {"insertion_area", interval(m.insertionArea)},
                           {"insertion_minus_deletion", interval(m.difference)},
                           {"versus_best", interval(m.versusBest)}});
    return {{"applicants", f.applicants},
            {"bootstrap_reps", f.bootstrapReps},
            {"fractions", f.fractions},
            {"curves_in", "logit - logit(empty history)"},
            {"methods", methods},
            {"best", f.best},
            {"sanity_check",
             {{"method", "integrated_gradients"},
              {"mean_spearman_trained_vs_random_weights", f.sanityRankCorrelation},
              {"applicants", f.sanityApplicants},
              {"threshold", kSanityThreshold},
              {"passed", f.sanityPassed}}},
            {"verdict", f.verdict}};
}

json globalAttributionJson(const GlobalAttribution &g)
{
    json values = json::array();
    for (const auto &v : g.values)
        values.push_back({{"field", v.field},
                          {"value", v.value},
                          {"events", v.events},
                          {"mean_signed", v.meanSigned},
                          {"mean_abs", v.meanAbs}});
    return {{"applicants", g.applicants},
            {"inputs", g.inputs},
            {"mean_signed", g.meanSigned},
            {"mean_abs", g.meanAbs},
            {"values", values},
            {"bands", g.bands},
            {"band_mean_signed", numbers(g.bandMeanSigned)},
            {"band_mean_abs", numbers(g.bandMeanAbs)},
            {"band_events", g.bandEvents}};
}

json surrogateJson(const Surrogate &s)
{
    json inputs = json::array();
    for (const auto &c : s.inputs)
        inputs.push_back({{"feature", c.feature}, {"coefficient_norm", c.norm}});
    return {{"method", "linear state-space surrogate (Maree & Omlin 2021)"},
            {"aggregation", s.aggregation},
            {"train_events", s.trainEvents},
            {"held_out_events", s.heldOutEvents},
            {"r2", nanToNull(s.r2)},
            {"r2_per_state", s.r2PerState},
            {"previous_state_norm", s.previousStateNorm},
            {"inputs", inputs}};
}

json explanationAuditJson(const ExplanationAudit &a)
{
    return {{"faithfulness", faithfulnessJson(a.faithfulness)},
            {"global_attribution", globalAttributionJson(a.global)},
            {"surrogate", surrogateJson(a.surrogate)}};
}

} // namespace seqlens
