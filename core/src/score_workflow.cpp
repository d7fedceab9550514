// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/workflows.h"

#include "seqlens/util/error.h"
#include "seqlens/util/text_util.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <numeric>

namespace seqlens {

using nlohmann::json;

namespace {

RawDataset loadForScoring(const ModelBundle &b, const std::string &eventsPath,
                          const std::string &labelsPath, const std::string &onlyEntity = {})
{
    LoadOptions opt;
    opt.eventsPath = eventsPath;
    opt.labelsPath = labelsPath;
    opt.useLabels = !labelsPath.empty();
    opt.requireTarget = false;
    opt.onlyEntity = onlyEntity;
    return loadDataset(b.config, opt);
}

} // namespace

std::vector<ScoredApplicant> scoreWithBundle(const ModelBundle &b, const std::string &eventsPath,
                                             const std::string &labelsPath, LoadReport *report)
{
    RawDataset raw = loadForScoring(b, eventsPath, labelsPath);
    EncodedDataset enc = b.encoder.encode(raw);
    std::vector<int64_t> idx(size_t(enc.applicantCount()));
    std::iota(idx.begin(), idx.end(), int64_t(0));
    auto scores = b.model->predict(enc, idx);
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

std::string explainWithBundle(const ModelBundle &b, const std::string &eventsPath,
                              const std::string &labelsPath, const std::string &entity)
{
    RawDataset raw = loadForScoring(b, eventsPath, labelsPath, entity);
    if (raw.applicants.empty())
        throwData("entity \"" + entity + "\" not found in " +
                  (labelsPath.empty() ? eventsPath : labelsPath));
    EncodedDataset enc = b.encoder.encode(raw);
    Explanation ex = b.model->explain(enc, 0);
    const Applicant &ap = raw.applicants[0];
    auto inputs = b.encoder.inputNames();
    json events = json::array();
    std::vector<double> meanField(inputs.size(), 0.0);
    for (int64_t t = 0; t < enc.length(0); ++t) {
        const int64_t ev = enc.rawEvent[size_t(t)];
        json values = json::object();
        for (size_t f = 0; f < raw.fields.size(); ++f) {
            std::string v = raw.valueText(f, ev);
            values[raw.fields[f].config.name] = v.empty() ? json(nullptr) : json(v);
        }
        if (ev > 0 && ev > raw.offsets[0])
            values["time_since_previous_days"] = raw.times[size_t(ev)] - raw.times[size_t(ev - 1)];
        json fa = json::object();
        for (size_t f = 0; f < inputs.size(); ++f) {
            fa[inputs[f]] = ex.fieldWeights[size_t(t)][f];
            meanField[f] += ex.fieldWeights[size_t(t)][f];
        }
        events.push_back({{"index", t},
                          {"time", formatDays(raw.times[size_t(ev)])},
                          {"values", values},
                          {"field_attention", fa},
                          {"item_weight", ex.itemWeights[size_t(t)]}});
    }
    json mean = json::object();
    for (size_t f = 0; f < inputs.size(); ++f)
        mean[inputs[f]] = enc.length(0) > 0 ? meanField[f] / double(enc.length(0)) : 0.0;
    json j = {{"entity", ap.id},
              {"score", ex.score},
              {"logit", ex.logit},
              {"label", ap.label >= 0 ? json(ap.label) : json(nullptr)},
              {"cutoff", std::isnan(ap.cutoff) ? json(nullptr) : json(formatDays(ap.cutoff))},
              {"events_in_history", raw.eventCount(0)},
              {"events_used", enc.length(0)},
              {"events_after_cutoff_excluded", raw.report.eventsAfterCutoff},
              {"inputs", inputs},
              {"mean_field_attention", mean},
              {"events", events}};
    return j.dump(2);
}

} // namespace seqlens
