// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/explain/reasons.h"

#include "seqlens/util/text_util.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace seqlens {

namespace {

std::string upper(std::string s)
{
    for (char &c : s)
        c = (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
    return s;
}

std::string days(double d)
{
    return formatNumber(d);
}

std::string fill(std::string t, const std::map<std::string, std::string> &values)
{
    for (const auto &[key, value] : values) {
        const std::string token = "{" + key + "}";
        for (size_t p = t.find(token); p != std::string::npos; p = t.find(token, p + value.size()))
            t.replace(p, token.size(), value);
    }
    return t;
}

// One candidate: the events (or one input) a rule matched in this history.
struct Candidate {
    const ReasonRule *rule = nullptr;
    std::string value, thenValue;
    std::vector<int64_t> events;
    int64_t count = 0;
    double logit = 0;
};

size_t fieldIndex(const ApplicantExplanation &x, const std::string &name)
{
    auto it = std::find(x.fields.begin(), x.fields.end(), name);
    return it == x.fields.end() ? size_t(-1) : size_t(it - x.fields.begin());
}

bool recent(const ApplicantExplanation &x, const ExplainedEvent &e, double withinDays)
{
    return withinDays <= 0 || x.referenceTime() - e.timeDays <= withinDays;
}

void matchInput(const ApplicantExplanation &x, const ReasonRule &r, std::vector<Candidate> &out)
{
    auto it = std::find(x.inputs.begin(), x.inputs.end(), r.match.input);
    if (it == x.inputs.end() || x.events.empty())
        return;
    const size_t f = size_t(it - x.inputs.begin());
    Candidate c{&r, "", "", {}, 0, 0};
    for (const auto &e : x.events)
        if (recent(x, e, r.match.withinDays)) {
            c.logit += e.attribution[f];
            c.events.push_back(e.index);
        }
    c.count = int64_t(c.events.size());
    if (c.count > 0)
        out.push_back(c);
}

void matchValues(const ApplicantExplanation &x, const ReasonRule &r, std::vector<Candidate> &out)
{
    const ReasonMatch &m = r.match;
    const size_t f = m.field.empty() ? size_t(-1) : fieldIndex(x, m.field);
    if (!m.field.empty() && f == size_t(-1))
        return;
    std::map<std::string, Candidate> byValue;
    for (const auto &e : x.events) {
        if (!recent(x, e, m.withinDays))
            continue;
        std::string v;
        if (f != size_t(-1)) {
            v = e.values[f];
            if (v.empty() || (m.value != "*" && v != m.value))
                continue;
        }
        Candidate &c = byValue.try_emplace(v, Candidate{&r, v, "", {}, 0, 0}).first->second;
        c.events.push_back(e.index);
        c.logit += e.attributionTotal;
        ++c.count;
    }
    for (auto &[v, c] : byValue)
        out.push_back(c);
}

void matchPairs(const ApplicantExplanation &x, const ReasonRule &r, std::vector<Candidate> &out)
{
    const ReasonMatch &m = r.match;
    const size_t f = fieldIndex(x, m.field), g = fieldIndex(x, m.thenField);
    if (f == size_t(-1) || g == size_t(-1))
        return;
    std::map<std::pair<std::string, std::string>, Candidate> byPair;
    std::map<std::pair<std::string, std::string>, std::set<int64_t>> covered;
    for (size_t i = 1; i < x.events.size(); ++i) {
        const ExplainedEvent &a = x.events[i - 1], &b = x.events[i];
        const std::string &va = a.values[f], &vb = b.values[g];
        if (va.empty() || vb.empty() || (m.value != "*" && va != m.value) ||
            (m.thenValue != "*" && vb != m.thenValue) || b.timeDays - a.timeDays > m.withinDays)
            continue;
        auto key = std::make_pair(va, vb);
        Candidate &c = byPair.try_emplace(key, Candidate{&r, va, vb, {}, 0, 0}).first->second;
        ++c.count;
        for (const ExplainedEvent *e : {&a, &b})
            if (covered[key].insert(e->index).second) { // an event in two pairs counts once
                c.events.push_back(e->index);
                c.logit += e->attributionTotal;
            }
    }
    for (auto &[k, c] : byPair)
        out.push_back(c);
}

Reason toReason(const ApplicantExplanation &x, const Candidate &c)
{
    const ReasonMatch &m = c.rule->match;
    const std::map<std::string, std::string> values = {
        {"count", std::to_string(c.count)},
        {"field", m.field},
        {"value", c.value},
        {"then_value", c.thenValue},
        {"input", m.input},
        {"days", days(m.withinDays)}};
    Reason r;
    r.code = fill(c.rule->code, values);
    r.text = fill(c.rule->text, values);
    r.logit = c.logit;
    r.probabilityPoints = 100.0 * (1.0 / (1.0 + std::exp(-x.logit)) -
                                   1.0 / (1.0 + std::exp(-(x.logit - c.logit))));
    r.count = c.count;
    r.events = c.events;
    return r;
}

} // namespace

std::vector<ReasonRule> reasonRules(const Config &cfg, const std::vector<std::string> &inputs)
{
    std::vector<ReasonRule> rules = cfg.explain.reasons;
    if (!cfg.explain.defaultReasons || cfg.events.empty())
        return rules;
    const auto &windows = cfg.baseline.windowsDays;
    const auto fields = eventFields(cfg); // qualified names: the explanation's field names
    for (const auto &q : fields) {
        if (q.field.type != FieldType::Categorical)
            continue;
        const FieldConfig f{q.name};
        const std::string F = upper(f.name);
        rules.push_back({F + "_{value}", "{count} events with {field} = {value}",
                         {f.name, "*", "", "", "", 0}});
        for (size_t w = 0; w < std::min<size_t>(2, windows.size()); ++w)
            rules.push_back({F + "_{value}_{days}D",
                             "{count} events with {field} = {value} in the {days} days before "
                             "the cutoff",
                             {f.name, "*", "", "", "", windows[w]}});
        rules.push_back({F + "_{value}_THEN_{then_value}",
                         "{field} = {value} followed by {field} = {then_value} within {days} days",
                         {f.name, "*", f.name, "*", "", 7}});
    }
    // Inputs that no value reason covers: the numeric fields and the time inputs.
    for (const auto &in : inputs) {
        const bool categorical =
            std::any_of(fields.begin(), fields.end(), [&](const QualifiedField &f) {
                return f.name == in && f.field.type == FieldType::Categorical;
            });
        if (categorical)
            continue;
        const std::string text = in == "time_since_previous"
                                     ? "the gaps between consecutive events ({count} events)"
                                 : in == "time_since_previous_in_source"
                                     ? "the gaps between events of one source ({count} events)"
                                 : in == "time_before_cutoff"
                                     ? "how recent the events are ({count} events)"
                                     : "the {input} values of {count} events";
        rules.push_back({upper(in), text, {"", "", "", "", in, 0}});
    }
    if (!windows.empty())
        rules.push_back({"EVENTS_{days}D", "{count} events in the {days} days before the cutoff",
                         {"", "", "", "", "", windows[0]}});
    return rules;
}

std::vector<Reason> topReasons(const ApplicantExplanation &x, const std::vector<ReasonRule> &rules,
                               int64_t count)
{
    if (!x.attribution.available || count <= 0)
        return {};
    std::vector<Candidate> cands;
    for (const ReasonRule &r : rules) {
        if (!r.match.input.empty())
            matchInput(x, r, cands);
        else if (!r.match.thenField.empty())
            matchPairs(x, r, cands);
        else
            matchValues(x, r, cands);
    }
    // Largest first; ties keep the rules' order (config rules before generated ones).
    std::stable_sort(cands.begin(), cands.end(),
                     [](const Candidate &a, const Candidate &b) { return a.logit > b.logit; });
    std::vector<Reason> out;
    std::set<std::string> codes, inputsUsed;
    std::vector<std::set<int64_t>> chosen;
    for (const Candidate &c : cands) {
        if (int64_t(out.size()) >= count || c.logit <= 0)
            break;
        Reason r = toReason(x, c);
        if (codes.count(r.code))
            continue;
        if (!c.rule->match.input.empty()) {
            if (!inputsUsed.insert(c.rule->match.input).second)
                continue;
        } else {
            const std::set<int64_t> evs(c.events.begin(), c.events.end());
            const bool coveredAlready = std::any_of(chosen.begin(), chosen.end(), [&](auto &s) {
                return std::includes(s.begin(), s.end(), evs.begin(), evs.end());
            });
            if (coveredAlready)
                continue;
            chosen.push_back(evs);
        }
        codes.insert(r.code);
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace seqlens
