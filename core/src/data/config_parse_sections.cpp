// SPDX-License-Identifier: GPL-3.0-or-later
// The config sections after training: baseline, explain, monitoring; and labels.split.
#include "config_reader.h"

namespace seqlens::config_detail {

void readBaseline(Reader &r, const json &root, BaselineConfig &b)
{
    const json *j = r.member(root, "baseline", "", false);
    const std::string p = "/baseline";
    if (!j || !r.object(*j, p,
                        {"model", "windows_days", "top_values", "l2", "folds", "bootstrap_reps",
                         "test_scores", "xgboost"}))
        return;
    r.choice(*j, "model", p, b.model,
             {{"logistic", BaselineModelKind::Logistic}, {"xgboost", BaselineModelKind::XGBoost}});
    r.days(*j, "windows_days", p, b.windowsDays);
    r.integer(*j, "top_values", p, b.topValues, limits::topValues);
    r.number(*j, "l2", p, b.l2, limits::l2);
    r.integer(*j, "folds", p, b.folds, limits::folds);
    r.integer(*j, "bootstrap_reps", p, b.bootstrapReps, limits::bootstrapReps);
    r.choice(*j, "test_scores", p, b.testScores,
             {{"bagged", TestScoring::Bagged}, {"full_model", TestScoring::FullModel}});
    const json *x = r.member(*j, "xgboost", p, false);
    const std::string xp = p + "/xgboost";
    if (!x || !r.object(*x, xp,
                        {"rounds", "max_depth", "eta", "subsample", "colsample_bytree",
                         "min_child_weight"}))
        return;
    r.integer(*x, "rounds", xp, b.xgboost.rounds, limits::rounds);
    r.integer(*x, "max_depth", xp, b.xgboost.maxDepth, limits::maxDepth);
    r.number(*x, "eta", xp, b.xgboost.eta, limits::eta);
    r.number(*x, "subsample", xp, b.xgboost.subsample, limits::subsample);
    r.number(*x, "colsample_bytree", xp, b.xgboost.colsampleByTree, limits::colsampleByTree);
    r.number(*x, "min_child_weight", xp, b.xgboost.minChildWeight, limits::minChildWeight);
}

namespace {

void readReasonMatch(Reader &r, const json &j, const std::string &p, ReasonMatch &m)
{
    if (!r.object(j, p, {"field", "value", "then", "input", "within_days"}))
        return;
    r.str(j, "field", p, m.field);
    r.str(j, "value", p, m.value);
    r.str(j, "input", p, m.input);
    r.number(j, "within_days", p, m.withinDays, limits::reasonDays);
    const json *then = r.member(j, "then", p, false);
    if (!then || !r.object(*then, p + "/then", {"field", "value"}))
        return;
    r.str(*then, "field", p + "/then", m.thenField, true);
    r.str(*then, "value", p + "/then", m.thenValue, true);
}

} // namespace

void readExplain(Reader &r, const json &root, ExplainConfig &e)
{
    const json *j = r.member(root, "explain", "", false);
    const std::string p = "/explain";
    if (!j || !r.object(*j, p, {"reasons", "default_reasons", "reference", "steps"}))
        return;
    r.boolean(*j, "default_reasons", p, e.defaultReasons);
    r.str(*j, "reference", p, e.reference);
    r.integer(*j, "steps", p, e.steps, limits::igSteps);
    const json *list = r.member(*j, "reasons", p, false);
    if (!list)
        return;
    if (!list->is_array()) {
        r.problem(p + "/reasons", std::string("expected an array of reasons, got ") + shown(*list));
        return;
    }
    for (size_t i = 0; i < list->size(); ++i) {
        const std::string rp = p + "/reasons/" + std::to_string(i);
        const json &item = (*list)[i];
        ReasonRule rule;
        if (!r.object(item, rp, {"code", "text", "match"}))
            continue;
        r.str(item, "code", rp, rule.code, true);
        r.str(item, "text", rp, rule.text, true);
        if (const json *m = r.member(item, "match", rp, true))
            readReasonMatch(r, *m, rp + "/match", rule.match);
        e.reasons.push_back(rule);
    }
}

void readSplit(Reader &r, const json &labels, const std::string &path, LabelConfig &l)
{
    const json *v = r.member(labels, "split", path, false);
    const std::string p = path + "/split";
    if (!v || v->is_null())
        return;
    if (v->is_string()) {
        r.optStr(labels, "split", path, l.split);
        return;
    }
    if (!v->is_object()) {
        r.problem(p, "expected a column name or {\"by\": \"cutoff\", \"valid_after\": ..., "
                     "\"test_after\": ...}, got " +
                         shown(*v));
        return;
    }
    if (!r.object(*v, p, {"by", "valid_after", "test_after"}))
        return;
    std::string by;
    r.str(*v, "by", p, by, true);
    if (v->contains("by") && by != "cutoff")
        r.problem(p + "/by", "expected \"cutoff\" (the only time split), got " + shown((*v)["by"]));
    TimeSplit t;
    r.str(*v, "valid_after", p, t.validAfter, true);
    r.str(*v, "test_after", p, t.testAfter, true);
    l.timeSplit = t;
}

void readMonitoring(Reader &r, const json &root, MonitoringConfig &m)
{
    const json *j = r.member(root, "monitoring", "", false);
    const std::string p = "/monitoring";
    if (!j || !r.object(*j, p, {"segments", "approval_rate", "min_segment", "thresholds"}))
        return;
    r.strings(*j, "segments", p, m.segments, false);
    r.number(*j, "approval_rate", p, m.approvalRate, limits::approvalRate);
    r.integer(*j, "min_segment", p, m.minSegment, limits::minSegment);
    const json *t = r.member(*j, "thresholds", p, false);
    const std::string tp = p + "/thresholds";
    if (!t ||
        !r.object(*t, tp,
                  {"bins", "psi_amber", "psi_red", "alpha_amber", "alpha_red", "adverse_impact"}))
        return;
    MonitorThresholds &th = m.thresholds;
    r.integer(*t, "bins", tp, th.bins, limits::monitorBins);
    r.number(*t, "psi_amber", tp, th.psiAmber, limits::psi);
    r.number(*t, "psi_red", tp, th.psiRed, limits::psi);
    r.number(*t, "alpha_amber", tp, th.alphaAmber, limits::alpha);
    r.number(*t, "alpha_red", tp, th.alphaRed, limits::alpha);
    r.number(*t, "adverse_impact", tp, th.adverseImpact, limits::adverseImpact);
}

} // namespace seqlens::config_detail
