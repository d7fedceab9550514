// SPDX-License-Identifier: GPL-3.0-or-later
#include "explanation_mean.h"

#include "seqlens/util/error.h"

namespace seqlens {

namespace {

template <typename T> void addTo(std::vector<T> &sum, const std::vector<T> &x)
{
    for (size_t i = 0; i < sum.size() && i < x.size(); ++i)
        sum[i] += x[i];
}

template <typename T> void scale(std::vector<T> &v, double s)
{
    for (T &x : v)
        x = T(x * s);
}

} // namespace

ExplanationMean::ExplanationMean(ApplicantExplanation first) : m_sum(std::move(first)) {}

void ExplanationMean::add(const ApplicantExplanation &x)
{
    if (x.events.size() != m_sum.events.size() || x.inputs != m_sum.inputs)
        throwInternal("bag explanation: fold models saw different histories (" +
                      std::to_string(x.events.size()) + " vs " +
                      std::to_string(m_sum.events.size()) + " events)");
    m_sum.logit += x.logit;
    m_sum.attribution.referenceLogit += x.attribution.referenceLogit;
    m_sum.attribution.lengthTerm += x.attribution.lengthTerm;
    m_sum.attribution.completenessGap += x.attribution.completenessGap;
    for (size_t t = 0; t < x.events.size(); ++t) {
        ExplainedEvent &s = m_sum.events[t];
        const ExplainedEvent &e = x.events[t];
        s.itemWeight += e.itemWeight;
        addTo(s.fieldWeights, e.fieldWeights);
        addTo(s.attribution, e.attribution);
        s.attributionTotal += e.attributionTotal;
        s.occlusionDelta += e.occlusionDelta;
        addTo(s.inputOcclusionDelta, e.inputOcclusionDelta);
    }
    ++m_count;
}

ApplicantExplanation ExplanationMean::result() const
{
    ApplicantExplanation x = m_sum;
    const double s = 1.0 / double(m_count);
    x.logit *= s;
    x.attribution.referenceLogit *= s;
    x.attribution.lengthTerm *= s;
    x.attribution.completenessGap *= s;
    for (ExplainedEvent &e : x.events) {
        e.itemWeight *= s;
        scale(e.fieldWeights, s);
        scale(e.attribution, s);
        e.attributionTotal *= s;
        e.occlusionDelta *= s;
        scale(e.inputOcclusionDelta, s);
    }
    return x;
}

} // namespace seqlens
