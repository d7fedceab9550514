// SPDX-License-Identifier: GPL-3.0-or-later
// Validation of the out-of-time split (labels.split) and of the monitoring section.
#include "config_checker.h"

#include <set>
#include <tuple>

namespace seqlens {

namespace config_detail {

namespace {

std::optional<double> splitTime(const LabelConfig &l, const std::string &text)
{
    if (!TimeParser::validate(l.cutoffFormat).empty())
        return std::nullopt;
    if (auto t = TimeParser(l.cutoffFormat).parse(text))
        return t;
    return parseIso(text);
}

} // namespace

void checkTimeSplit(Checker &c, const LabelConfig &l)
{
    if (!l.timeSplit)
        return;
    const std::string p = "/labels/split";
    if (!l.cutoff)
        c.problem(p, "a time split needs labels.cutoff (the column it splits on), got none");
    const auto valid = splitTime(l, l.timeSplit->validAfter);
    const auto test = splitTime(l, l.timeSplit->testAfter);
    for (auto [key, text, t] : {std::tuple{"valid_after", l.timeSplit->validAfter, valid},
                                std::tuple{"test_after", l.timeSplit->testAfter, test}})
        if (!t)
            c.problem(p + "/" + key, "expected a time in the cutoff column's format or an ISO "
                                     "date, got \"" +
                                         text + "\"");
    if (valid && test && *valid > *test)
        c.problem(p + "/test_after", "expected a time at or after valid_after (\"" +
                                         l.timeSplit->validAfter + "\"), got \"" +
                                         l.timeSplit->testAfter + "\"");
}

void checkMonitoring(Checker &c, const Config &cfg)
{
    const MonitoringConfig &m = cfg.monitoring;
    const std::string p = "/monitoring";
    c.number(p + "/approval_rate", m.approvalRate, limits::approvalRate);
    c.integer(p + "/min_segment", m.minSegment, limits::minSegment);
    std::set<std::string> seen;
    for (size_t k = 0; k < m.segments.size(); ++k) {
        const std::string &s = m.segments[k], sp = p + "/segments/" + std::to_string(k);
        c.nonEmpty(sp, s);
        if (!s.empty() && !seen.insert(s).second)
            c.problem(sp, "duplicate segment column \"" + s + "\"");
        if (s == cfg.labels.entity || s == cfg.labels.target)
            c.problem(sp, "expected a label-table column other than the entity and the target, "
                          "got \"" +
                              s + "\"");
    }
    const MonitorThresholds &t = m.thresholds;
    const std::string tp = p + "/thresholds";
    c.integer(tp + "/bins", t.bins, limits::monitorBins);
    c.number(tp + "/psi_amber", t.psiAmber, limits::psi);
    c.number(tp + "/psi_red", t.psiRed, limits::psi);
    c.number(tp + "/alpha_amber", t.alphaAmber, limits::alpha);
    c.number(tp + "/alpha_red", t.alphaRed, limits::alpha);
    c.number(tp + "/adverse_impact", t.adverseImpact, limits::adverseImpact);
    if (t.psiAmber >= t.psiRed)
        c.problem(tp + "/psi_red", "expected a PSI above psi_amber (" +
                                       nlohmann::json(t.psiAmber).dump() + "), got " +
                                       nlohmann::json(t.psiRed).dump());
    if (t.alphaRed > t.alphaAmber)
        c.problem(tp + "/alpha_red", "expected a p-value at or below alpha_amber (" +
                                         nlohmann::json(t.alphaAmber).dump() + "), got " +
                                         nlohmann::json(t.alphaRed).dump());
}

} // namespace config_detail

std::optional<TimeSplitDays> timeSplitDays(const LabelConfig &labels)
{
    if (!labels.timeSplit)
        return std::nullopt;
    const auto valid = config_detail::splitTime(labels, labels.timeSplit->validAfter);
    const auto test = config_detail::splitTime(labels, labels.timeSplit->testAfter);
    if (!valid || !test)
        return std::nullopt;
    return TimeSplitDays{*valid, *test};
}

} // namespace seqlens
