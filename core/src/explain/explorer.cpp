// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/explain/explorer.h"

#include "seqlens/score_workflow.h"
#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace seqlens {

std::unique_ptr<ApplicantExplorer> ApplicantExplorer::open(const std::string &bundleDir,
                                                           const EventFiles &events,
                                                           const std::string &labelsPath,
                                                           const CancelToken *cancel)
{
    auto e = std::unique_ptr<ApplicantExplorer>(new ApplicantExplorer());
    e->m_bundle = loadBundle(bundleDir);
    const Config &cfg = e->m_bundle.config;
    LoadOptions opt =
        scoringLoadOptions(events, labelsPath.empty() ? cfg.resolve(cfg.labels.path) : labelsPath);
    opt.cancel = cancel;
    e->m_raw = loadDataset(cfg, opt);
    throwIfCancelled(cancel);
    e->m_splits = assignSplits(e->m_raw, cfg.training.validFraction, cfg.training.testFraction,
                               cfg.training.seed);
    std::vector<EncodedDataset> perMember = e->m_bundle.encodeForMembers(e->m_raw); // a bag: K
    for (int64_t start = 0; start < perMember[0].applicantCount();
         start += 4096) { // in chunks, to stay cancellable
        throwIfCancelled(cancel);
        std::vector<int64_t> chunk(
            size_t(std::min<int64_t>(4096, perMember[0].applicantCount() - start)));
        std::iota(chunk.begin(), chunk.end(), start);
        const auto s = e->m_bundle.calibrator.probabilities(e->m_bundle.logits(perMember, chunk));
        e->m_scores.insert(e->m_scores.end(), s.begin(), s.end());
    }
    e->m_data = std::move(perMember[0]); // fold 1's encoding serves the explanations
    for (const auto &f : e->m_raw.fields) {
        e->m_fields.push_back(f.config.name);
        e->m_types.push_back(f.config.type == FieldType::Categorical ? "categorical" : "numeric");
    }
    e->m_inputs = e->m_bundle.encoder.inputNames();
    if (e->m_raw.sourceNames.size() > 1) {
        e->m_sources = e->m_raw.sourceNames;
        for (const auto &f : e->m_raw.fields)
            e->m_fieldSources.push_back(int(f.source));
        // The encoder counts sources in its own order; the explorer names them by the data's.
        const auto &encoded = e->m_bundle.encoder.sources();
        for (int32_t s : e->m_bundle.encoder.inputSources()) {
            int named = -1;
            for (size_t k = 0; s >= 0 && k < e->m_sources.size(); ++k)
                if (e->m_sources[k] == encoded[size_t(s)].name)
                    named = int(k);
            e->m_inputSources.push_back(named);
        }
    }
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
    return m_splits.at(size_t(a));
}

int64_t ApplicantExplorer::find(const std::string &id) const
{
    auto it = m_index.find(id);
    return it == m_index.end() ? -1 : it->second;
}

ApplicantExplanation ApplicantExplorer::explain(int64_t a, const ExplainOptions &options) const
{
    return explainApplicant(m_bundle, m_raw, m_data, a, options);
}

ApplicantExplanation ApplicantExplorer::explainEdited(int64_t a,
                                                     const std::vector<HistoryEdit> &edits,
                                                     const ExplainOptions &options) const
{
    return seqlens::explainEdited(m_bundle, m_raw, a, edits, options);
}

} // namespace seqlens
