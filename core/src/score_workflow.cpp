// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/score_workflow.h"

#include "seqlens/util/error.h"
#include "seqlens/util/text_util.h"

#include <fstream>
#include <numeric>

namespace seqlens {

LoadOptions scoringLoadOptions(const std::string &eventsPath, const std::string &labelsPath)
{
    LoadOptions opt;
    opt.eventsPath = eventsPath;
    opt.labelsPath = labelsPath;
    opt.useLabels = !labelsPath.empty();
    opt.requireTarget = false;
    return opt;
}

std::vector<ScoredApplicant> scoreWithBundle(const ModelBundle &b, const std::string &eventsPath,
                                             const std::string &labelsPath, LoadReport *report)
{
    const RawDataset raw = loadDataset(b.config, scoringLoadOptions(eventsPath, labelsPath));
    const EncodedDataset enc = b.encoder.encode(raw);
    const std::vector<int64_t> idx = allRows(raw);
    const auto scores = b.model->predict(enc, idx);
    std::vector<ScoredApplicant> out;
    out.reserve(idx.size());
    for (size_t i = 0; i < idx.size(); ++i)
        out.push_back({raw.applicants[i].id, scores[i], raw.applicants[i].label});
    if (report)
        *report = raw.report;
    return out;
}

void writeScoresCsv(const std::string &path, const std::vector<ScoredApplicant> &scores)
{
    bool withLabel = false;
    for (const auto &s : scores)
        withLabel = withLabel || s.label >= 0;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throwData(path + ": cannot write scores");
    out << (withLabel ? "entity,score,label\n" : "entity,score\n");
    out.precision(9);
    for (const auto &s : scores) {
        out << csvEscape(s.id) << "," << s.score;
        if (withLabel)
            out << "," << (s.label >= 0 ? std::to_string(s.label) : std::string());
        out << "\n";
    }
    if (!out)
        throwData(path + ": write failed");
}

} // namespace seqlens
