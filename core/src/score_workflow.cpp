// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/score_workflow.h"

#include "seqlens/util/error.h"
#include "seqlens/util/text_util.h"

#include <fstream>
#include <numeric>

namespace seqlens {

LoadOptions scoringLoadOptions(const EventFiles &events, const std::string &labelsPath)
{
    LoadOptions opt;
    opt.eventFiles = events;
    opt.labelsPath = labelsPath;
    opt.useLabels = !labelsPath.empty();
    opt.requireTarget = false;
    return opt;
}

std::vector<ScoredApplicant> scoreWithBundle(const ModelBundle &b, const EventFiles &events,
                                             const std::string &labelsPath, LoadReport *report,
                                             int64_t reasons, const CancelToken *cancel)
{
    LoadOptions opt = scoringLoadOptions(events, labelsPath);
    opt.cancel = cancel;
    const RawDataset raw = loadDataset(b.config, opt);
    const EncodedDataset enc = b.encoder.encode(raw, nullptr, b.config.training.threads);
    const std::vector<int64_t> idx = allRows(raw);
    const auto scores = b.predict(raw, enc, idx);
    std::vector<ScoredApplicant> out;
    out.reserve(idx.size());
    for (size_t i = 0; i < idx.size(); ++i)
        out.push_back({raw.applicants[i].id, scores[i], raw.applicants[i].label, {}});
    ExplainOptions eo = explainOptions(b.config);
    eo.occlusion = false;
    eo.reasons = reasons;
    for (size_t i = 0; reasons > 0 && i < idx.size(); ++i) {
        throwIfCancelled(cancel);
        out[i].reasons = explainApplicant(b, raw, enc, idx[i], eo).reasons;
    }
    if (report)
        *report = raw.report;
    return out;
}

void writeScoresCsv(const std::string &path, const std::vector<ScoredApplicant> &scores,
                    int64_t reasons)
{
    bool withLabel = false;
    for (const auto &s : scores)
        withLabel = withLabel || s.label >= 0;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throwData(path + ": cannot write scores");
    out << (withLabel ? "entity,score,label" : "entity,score");
    for (int64_t k = 1; k <= reasons; ++k)
        out << ",reason_" << k << "_code,reason_" << k << "_text";
    out << "\n";
    out.precision(9);
    for (const auto &s : scores) {
        out << csvEscape(s.id) << "," << s.score;
        if (withLabel)
            out << "," << (s.label >= 0 ? std::to_string(s.label) : std::string());
        for (int64_t k = 0; k < reasons; ++k) {
            const bool has = k < int64_t(s.reasons.size());
            out << "," << (has ? csvEscape(s.reasons[size_t(k)].code) : std::string()) << ","
                << (has ? csvEscape(s.reasons[size_t(k)].text) : std::string());
        }
        out << "\n";
    }
    if (!out)
        throwData(path + ": write failed");
}

} // namespace seqlens
