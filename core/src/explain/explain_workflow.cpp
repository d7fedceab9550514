// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/explain/explain_workflow.h"

#include "explanation_mean.h"

#include "seqlens/explain/reasons.h"
#include "seqlens/score_workflow.h"
#include "seqlens/util/error.h"

#include <numeric>

namespace seqlens {

std::vector<double> ApplicantExplanation::meanFieldAttention() const
{
    std::vector<double> mean(inputs.size(), 0.0);
    for (const auto &e : events)
        for (size_t f = 0; f < mean.size() && f < e.fieldWeights.size(); ++f)
            mean[f] += e.fieldWeights[f];
    for (double &m : mean)
        m = events.empty() ? 0.0 : m / double(events.size());
    return mean;
}

std::vector<double> ApplicantExplanation::inputAttributionTotals() const
{
    std::vector<double> total(inputs.size(), 0.0);
    for (const auto &e : events)
        for (size_t f = 0; f < total.size() && f < e.attribution.size(); ++f)
            total[f] += e.attribution[f];
    return total;
}

double ApplicantExplanation::referenceTime() const
{
    if (!std::isnan(cutoffDays))
        return cutoffDays;
    return events.empty() ? 0.0 : events.back().timeDays;
}

ExplainOptions explainOptions(const Config &config)
{
    ExplainOptions o;
    o.reference = parseAttributionReference(config.explain.reference);
    o.steps = config.explain.steps;
    return o;
}

namespace {

// Attention and the events as the model saw them.
ApplicantExplanation attentionView(const MemberView &m, const RawDataset &raw,
                                   const EncodedDataset &data, int64_t a)
{
    const Applicant &ap = raw.applicants[size_t(a)];
    const Explanation ex = m.model.explain(data, a);
    ApplicantExplanation out;
    out.id = ap.id;
    out.label = ap.label;
    out.cutoffDays = ap.cutoff;
    out.logit = ex.logit;
    out.eventsInHistory = raw.eventCount(a);
    out.eventsAfterCutoff = ap.eventsAfterCutoff;
    for (const auto &f : raw.fields) {
        out.fields.push_back(f.config.name);
        out.fieldTypes.push_back(f.config.type == FieldType::Categorical ? "categorical"
                                                                         : "numeric");
    }
    out.inputs = m.encoder.inputNames();
    for (int64_t t = 0; t < data.length(a); ++t) {
        const int64_t ev = data.rawEvent[size_t(data.offsets[size_t(a)] + t)];
        ExplainedEvent e;
        e.index = t;
        e.timeDays = raw.times[size_t(ev)];
        if (raw.sourceNames.size() > 1)
            e.source = raw.sourceNames[raw.eventSource[size_t(ev)]];
        if (ev > raw.offsets[size_t(a)])
            e.sincePreviousDays = raw.times[size_t(ev)] - raw.times[size_t(ev - 1)];
        for (size_t f = 0; f < raw.fields.size(); ++f)
            e.values.push_back(raw.valueText(f, ev));
        e.itemWeight = ex.itemWeights[size_t(t)];
        e.fieldWeights.assign(ex.fieldWeights[size_t(t)].begin(), ex.fieldWeights[size_t(t)].end());
        out.events.push_back(std::move(e));
    }
    return out;
}

void addIntegratedGradients(const MemberView &m, const EncodedDataset &data, int64_t a,
                            const ExplainOptions &o, ApplicantExplanation &x)
{
    const InputAttribution ig =
        m.model.integratedGradients(data, a, o.reference, o.steps, m.referenceEmbedding);
    x.attribution.available = true;
    x.attribution.reference = o.reference;
    x.attribution.steps = o.steps;
    x.attribution.referenceLogit = ig.referenceLogit;
    x.attribution.lengthTerm = ig.lengthTerm;
    x.attribution.completenessGap = ig.completenessGap();
    for (size_t t = 0; t < x.events.size(); ++t) {
        x.events[t].attribution = ig.cells[t];
        x.events[t].attributionTotal =
            std::accumulate(ig.cells[t].begin(), ig.cells[t].end(), 0.0);
    }
}

// Every (event, input) cell set to missing in turn, as one encoded dataset.
EncodedDataset inputMissingVariants(const EncodedDataset &d, int64_t a)
{
    EncodedDataset out;
    out.numCat = d.numCat;
    out.numNum = d.numNum;
    out.offsets = {0};
    const int64_t n = d.length(a), begin = d.offsets[size_t(a)], F = d.numCat + d.numNum;
    for (int64_t t = 0; t < n; ++t)
        for (int64_t f = 0; f < F; ++f) {
            for (int64_t s = 0; s < n; ++s) {
                const int64_t ev = begin + s;
                for (int64_t c = 0; c < d.numCat; ++c)
                    out.cat.push_back(s == t && c == f ? kCodeMissing
                                                       : d.cat[size_t(ev * d.numCat + c)]);
                for (int64_t k = 0; k < d.numNum; ++k) {
                    const bool hit = s == t && d.numCat + k == f;
                    out.num.push_back(hit ? 0.0f : d.num[size_t(ev * d.numNum + k)]);
                    out.numState.push_back(hit ? kNumMissing
                                               : d.numState[size_t(ev * d.numNum + k)]);
                }
                out.rawEvent.push_back(d.rawEvent[size_t(ev)]);
                out.days.push_back(d.days[size_t(ev)]);
            }
            out.offsets.push_back(int64_t(out.rawEvent.size()));
            out.labels.push_back(d.labels[size_t(a)]);
        }
    return out;
}

void addOcclusion(const MemberView &m, const RawDataset &raw, const EncodedDataset &data,
                  int64_t a, bool inputs, ApplicantExplanation &x)
{
    const int64_t n = int64_t(x.events.size());
    x.occlusion = true;
    if (n == 0)
        return;
    std::vector<std::vector<HistoryEdit>> variants;
    for (int64_t t = 0; t < n; ++t)
        variants.push_back({HistoryEdit{HistoryEdit::Kind::Remove, t, {}, {}, 0}});
    const EncodedDataset removed =
        m.encoder.encode(historyVariants(raw, a, m.encoder, variants));
    const auto without = m.model.predictLogits(removed, rowRange(n));
    for (int64_t t = 0; t < n; ++t)
        x.events[size_t(t)].occlusionDelta = without[size_t(t)] - x.logit;
    if (!inputs)
        return;
    const EncodedDataset missing = inputMissingVariants(data, a);
    const auto withMissing = m.model.predictLogits(missing, rowRange(missing.applicantCount()));
    const size_t F = x.inputs.size();
    for (int64_t t = 0; t < n; ++t) {
        ExplainedEvent &e = x.events[size_t(t)];
        e.inputOcclusionDelta.resize(F);
        for (size_t f = 0; f < F; ++f)
            e.inputOcclusionDelta[f] = withMissing[size_t(t) * F + f] - x.logit;
    }
}

// One model's explanation, in logit units (no score, no reasons).
ApplicantExplanation explainMember(const MemberView &m, const RawDataset &raw,
                                   const EncodedDataset &data, int64_t a, const ExplainOptions &o)
{
    ApplicantExplanation x = attentionView(m, raw, data, a);
    if (o.integratedGradients)
        addIntegratedGradients(m, data, a, o, x);
    if (o.occlusion)
        addOcclusion(m, raw, data, a, o.inputOcclusion, x);
    return x;
}

// A bag's explanation: the mean of its fold models' explanations. Every part is linear in the
// logits or a mean of weights, so it is the explanation of the mean logit: attributions still
// add up to logit - reference logit, attention rows still sum to 1.
ApplicantExplanation explainBag(const ModelBundle &b, const RawDataset &raw,
                                const EncodedDataset &data, int64_t a, const ExplainOptions &o)
{
    const auto members = b.members();
    ExplanationMean mean(explainMember(members[0], raw, data, a, o));
    const RawDataset one = historyVariants(raw, a, b.encoder, {{}});
    for (size_t k = 1; k < members.size(); ++k)
        mean.add(explainMember(members[k], one, members[k].encoder.encode(one), 0, o));
    return mean.result();
}

} // namespace

ApplicantExplanation explainApplicant(const ModelBundle &b, const RawDataset &raw,
                                      const EncodedDataset &data, int64_t a,
                                      const ExplainOptions &o)
{
    if (a < 0 || a >= data.applicantCount())
        throwUsage("applicant index " + std::to_string(a) + " out of range [0, " +
                   std::to_string(data.applicantCount()) + ")");
    ApplicantExplanation x = b.isBag() ? explainBag(b, raw, data, a, o)
                                       : explainMember(b.members()[0], raw, data, a, o);
    x.score = b.calibrator.probability(x.logit); // calibrated, as scoring reports it
    if (o.integratedGradients)
        x.reasons = topReasons(x, reasonRules(b.config, x.inputs), o.reasons);
    return x;
}

ApplicantExplanation explainWithBundle(const ModelBundle &b, const EventFiles &events,
                                       const std::string &labelsPath, const std::string &entity,
                                       const ExplainOptions &options)
{
    LoadOptions opt = scoringLoadOptions(events, labelsPath);
    opt.onlyEntity = entity;
    const RawDataset raw = loadDataset(b.config, opt);
    if (raw.applicants.empty())
        throwData("entity \"" + entity + "\" not found in " +
                  (labelsPath.empty() ? events.describe() : labelsPath));
    const EncodedDataset enc = b.encoder.encode(raw);
    return explainApplicant(b, raw, enc, 0, options);
}

RawDataset editedHistory(const RawDataset &raw, int64_t a, const Encoder &encoder,
                         const std::vector<HistoryEdit> &edits)
{
    RawDataset current = historyVariants(raw, a, encoder, {{}});
    for (size_t i = 0; i < edits.size(); ++i) {
        try {
            current = historyVariants(current, 0, encoder, {{edits[i]}});
        } catch (const Error &e) {
            throwUsage("edit " + std::to_string(i + 1) + " of " + std::to_string(edits.size()) +
                       ": " + e.what());
        }
    }
    return current;
}

ApplicantExplanation explainEdited(const ModelBundle &b, const RawDataset &raw, int64_t a,
                                   const std::vector<HistoryEdit> &edits,
                                   const ExplainOptions &options)
{
    const RawDataset after = editedHistory(raw, a, b.encoder, edits);
    return explainApplicant(b, after, b.encoder.encode(after), 0, options);
}

WhatIf whatIf(const ModelBundle &b, const RawDataset &raw, int64_t a,
              const std::vector<HistoryEdit> &edits, const ExplainOptions &options)
{
    WhatIf w;
    w.edits = edits;
    w.before = explainEdited(b, raw, a, {}, options);
    w.after = explainEdited(b, raw, a, edits, options);
    return w;
}

} // namespace seqlens
