// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/explain/explorer.h"

#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace seqlens {

std::unique_ptr<ApplicantExplorer> ApplicantExplorer::open(const std::string &bundleDir,
                                                           const std::string &eventsPath,
                                                           const std::string &labelsPath,
                                                           const CancelToken *cancel)
{
    auto e = std::unique_ptr<ApplicantExplorer>(new ApplicantExplorer());
    e->m_bundle = loadBundle(bundleDir);
    const Config &cfg = e->m_bundle.config;
    LoadOptions opt;
    opt.eventsPath = eventsPath.empty() ? cfg.resolve(cfg.events.at(0).path) : eventsPath;
    opt.labelsPath = labelsPath.empty() ? cfg.resolve(cfg.labels.path) : labelsPath;
    opt.useLabels = true;
    opt.requireTarget = false;
    opt.cancel = cancel;
    e->m_raw = loadDataset(cfg, opt);
    throwIfCancelled(cancel);
    assignSplits(e->m_raw, cfg.training.validFraction, cfg.training.testFraction,
                 cfg.training.seed);
    e->m_data = e->m_bundle.encoder.encode(e->m_raw);
    for (int64_t start = 0; start < e->m_data.applicantCount();
         start += 4096) { // in chunks, to stay cancellable
        throwIfCancelled(cancel);
        std::vector<int64_t> chunk(
            size_t(std::min<int64_t>(4096, e->m_data.applicantCount() - start)));
        std::iota(chunk.begin(), chunk.end(), start);
        const auto s = e->m_bundle.model->predict(e->m_data, chunk);
        e->m_scores.insert(e->m_scores.end(), s.begin(), s.end());
    }
    for (const auto &f : e->m_raw.fields) {
        e->m_fields.push_back(f.config.name);
        e->m_types.push_back(f.config.type == FieldType::Categorical ? "categorical" : "numeric");
    }
    e->m_inputs = e->m_bundle.encoder.inputNames();
    for (int64_t a = 0; a < e->count(); ++a)
        e->m_index.emplace(e->m_raw.applicants[size_t(a)].id, a);
    return e;
}

int64_t ApplicantExplorer::count() const
{
    return int64_t(m_raw.applicants.size());
}
const std::string &ApplicantExplorer::id(int64_t a) const
{
    return m_raw.applicants.at(size_t(a)).id;
}
double ApplicantExplorer::score(int64_t a) const
{
    return m_scores.at(size_t(a));
}
int ApplicantExplorer::label(int64_t a) const
{
    return m_raw.applicants.at(size_t(a)).label;
}
Split ApplicantExplorer::split(int64_t a) const
{
    return m_raw.applicants.at(size_t(a)).split;
}

int64_t ApplicantExplorer::find(const std::string &id) const
{
    auto it = m_index.find(id);
    return it == m_index.end() ? -1 : it->second;
}

ApplicantView ApplicantExplorer::explain(int64_t a) const
{
    if (a < 0 || a >= count())
        throwUsage("applicant index " + std::to_string(a) + " out of range [0, " +
                   std::to_string(count()) + ")");
    const Applicant &ap = m_raw.applicants[size_t(a)];
    const Explanation ex = m_bundle.model->explain(m_data, a);
    ApplicantView v;
    v.id = ap.id;
    v.label = ap.label;
    v.cutoffDays = ap.cutoff;
    v.score = ex.score;
    v.eventsInHistory = m_raw.eventCount(a);
    for (int64_t t = 0; t < m_data.length(a); ++t) {
        const int64_t ev = m_data.rawEvent[size_t(m_data.offsets[size_t(a)] + t)];
        ExplainedEvent e;
        e.index = t;
        e.timeDays = m_raw.times[size_t(ev)];
        for (size_t f = 0; f < m_raw.fields.size(); ++f)
            e.values.push_back(m_raw.valueText(f, ev));
        e.itemWeight = ex.itemWeights[size_t(t)];
        e.fieldWeights.assign(ex.fieldWeights[size_t(t)].begin(), ex.fieldWeights[size_t(t)].end());
        v.events.push_back(std::move(e));
    }
    return v;
}

} // namespace seqlens
