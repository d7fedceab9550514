// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/explain/explain_workflow.h"

#include "seqlens/score_workflow.h"
#include "seqlens/util/error.h"

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

ApplicantExplanation explainApplicant(const SequenceModel &model, const Encoder &encoder,
                                      const RawDataset &raw, const EncodedDataset &data,
                                      int64_t a)
{
    if (a < 0 || a >= data.applicantCount())
        throwUsage("applicant index " + std::to_string(a) + " out of range [0, " +
                   std::to_string(data.applicantCount()) + ")");
    const Applicant &ap = raw.applicants[size_t(a)];
    const Explanation ex = model.explain(data, a);
    ApplicantExplanation out;
    out.id = ap.id;
    out.label = ap.label;
    out.cutoffDays = ap.cutoff;
    out.score = ex.score;
    out.logit = ex.logit;
    out.eventsInHistory = raw.eventCount(a);
    out.eventsAfterCutoff = ap.eventsAfterCutoff;
    for (const auto &f : raw.fields)
        out.fields.push_back(f.config.name);
    out.inputs = encoder.inputNames();
    for (int64_t t = 0; t < data.length(a); ++t) {
        const int64_t ev = data.rawEvent[size_t(data.offsets[size_t(a)] + t)];
        ExplainedEvent e;
        e.index = t;
        e.timeDays = raw.times[size_t(ev)];
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

ApplicantExplanation explainWithBundle(const ModelBundle &b, const std::string &eventsPath,
                                       const std::string &labelsPath, const std::string &entity)
{
    LoadOptions opt = scoringLoadOptions(eventsPath, labelsPath);
    opt.onlyEntity = entity;
    const RawDataset raw = loadDataset(b.config, opt);
    if (raw.applicants.empty())
        throwData("entity \"" + entity + "\" not found in " +
                  (labelsPath.empty() ? eventsPath : labelsPath));
    const EncodedDataset enc = b.encoder.encode(raw);
    return explainApplicant(*b.model, b.encoder, raw, enc, 0);
}

} // namespace seqlens
