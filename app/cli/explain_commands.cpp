// SPDX-License-Identifier: GPL-3.0-or-later
// seqlens-cli explain, faithfulness and surrogate.
#include "commands.h"

#include "args.h"
#include "cli_util.h"

#include "seqlens/data/time_parser.h"
#include "seqlens/explain/explain_workflow.h"
#include "seqlens/explain/explanation_audit.h"
#include "seqlens/result_json.h"
#include "seqlens/score_workflow.h"
#include "seqlens/util/error.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace seqlens::cli {

namespace {

const char *kExplainHelp =
    R"(usage: seqlens-cli explain --model MODEL --events FILE [--labels FILE] --entity ID
         [--method attention|ig|occlusion|all] [--reference missing|empty|mean] [--steps N]
         [--reasons N] [--what-if edits.json] [--out FILE]
Writes JSON for one applicant: score and logit, each event's time and field values, and
  "attribution": Integrated Gradients of the logit over every input of every event, signed,
                 in logit units; they add up to logit - reference_logit (the gap is reported)
  "occlusion":   the exact change of the logit when each event is removed, or one of its
                 inputs is set to missing (re-scoring)
  "reasons":     the parts of the history that raised the score most, in logit and in
                 probability points
  attention:     field_attention and item_weight per event (where the model looked)
--method all (the default) computes everything; attention alone is the cheapest. The reference
and steps default to the config's explain section (missing, 32). --what-if applies a JSON list
of edits one after another ({"remove": i}, {"set": i, "field": F, "value": V},
{"move": i, "time": "YYYY-MM-DD"} or {"move": i, "days_before_cutoff": D}; each index counts in
the history the previous edits left) and writes {"edits", "before", "after", "change"}.)";

const char *kFaithfulnessHelp =
    R"(usage: seqlens-cli faithfulness --model MODEL --events FILE --labels FILE --out F.json
         [--applicants N] [--reference missing|empty|mean] [--steps N] [--threads T]
How faithful each way of ranking an applicant's events is: for attention, Integrated
Gradients, occlusion and a random ranking, the deletion curve (remove the top events, follow
the logit) and the insertion curve (start empty, add them back), their areas averaged over N
test applicants (default 500) with bootstrap intervals, a randomised-weights sanity check, and a
one-paragraph verdict. Exit 4 when the sanity check fails.)";

const char *kSurrogateHelp =
    R"(usage: seqlens-cli surrogate --model MODEL --events FILE [--labels FILE] --out S.json
         [--applicants N] [--threads T]
Fits the linear state-space surrogate (Maree & Omlin 2021) of the model's per-event states:
state_t ~ W inputs_t + U state_(t-1) + c, on half of N applicants (default 500), and reports
its R^2 per state dimension and overall on the other half, and the input features whose
coefficients move the state most.)";

const nlohmann::json &member(const nlohmann::json &o, const char *key, const std::string &where)
{
    if (!o.contains(key))
        throwUsage(where + ": required key \"" + key + "\" is missing");
    return o.at(key);
}

int64_t eventIndex(const nlohmann::json &v, const std::string &where)
{
    if (!v.is_number_integer())
        throwUsage(where + ": expected an event index (an integer), got " + v.dump());
    return v.get<int64_t>();
}

// The new time of a move: "time" (ISO date) or "days_before_cutoff".
double moveTime(const nlohmann::json &e, const std::string &where, double cutoffDays)
{
    if (e.contains("time")) {
        const auto &t = e["time"];
        const auto days = t.is_string() ? parseIso(t.get<std::string>()) : std::nullopt;
        if (!days)
            throwUsage(where + "/time: expected an ISO date such as \"2024-03-01\", got " +
                       t.dump());
        return *days;
    }
    if (!e.contains("days_before_cutoff") || !e["days_before_cutoff"].is_number())
        throwUsage(where + ": expected \"time\" (ISO date) or \"days_before_cutoff\" (a number)");
    if (std::isnan(cutoffDays))
        throwUsage(where + "/days_before_cutoff: the applicant has no cutoff; use \"time\"");
    return cutoffDays - e["days_before_cutoff"].get<double>();
}

// One edit of `explain --what-if`; errors name the file and the JSON path.
HistoryEdit readEdit(const nlohmann::json &e, const std::string &where, double cutoffDays)
{
    HistoryEdit h;
    if (e.is_object() && e.contains("remove") && e.size() == 1) {
        h.kind = HistoryEdit::Kind::Remove;
        h.event = eventIndex(e["remove"], where + "/remove");
    } else if (e.is_object() && e.contains("set") && e.size() == 3) {
        h.kind = HistoryEdit::Kind::Set;
        h.event = eventIndex(e["set"], where + "/set");
        const auto &f = member(e, "field", where), &v = member(e, "value", where);
        if (!f.is_string())
            throwUsage(where + "/field: expected a field name, got " + f.dump());
        h.field = f.get<std::string>();
        if (v.is_string())
            h.value = v.get<std::string>();
        else if (v.is_number())
            h.value = v.dump();
        else if (!v.is_null())
            throwUsage(where + "/value: expected a string, a number or null, got " + v.dump());
    } else if (e.is_object() && e.contains("move") && e.size() == 2) {
        h.kind = HistoryEdit::Kind::Move;
        h.event = eventIndex(e["move"], where + "/move");
        h.timeDays = moveTime(e, where, cutoffDays);
    } else
        throwUsage(where + ": expected {\"remove\": i}, {\"set\": i, \"field\": F, \"value\": "
                           "V} or {\"move\": i, \"time\": T}, got " +
                   e.dump());
    return h;
}

// Parses the `explain --what-if` edits file.
std::vector<HistoryEdit> readEdits(const std::string &path, double cutoffDays)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throwUsage(path + ": cannot open the edits file");
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(ss.str());
    } catch (const nlohmann::json::exception &e) {
        throwUsage(path + ": invalid JSON (" + std::string(e.what()) + ")");
    }
    if (!j.is_array())
        throwUsage(path + ": /: expected a list of edits, got " + std::string(j.type_name()));
    std::vector<HistoryEdit> edits;
    for (size_t i = 0; i < j.size(); ++i)
        edits.push_back(readEdit(j[i], path + ": /" + std::to_string(i), cutoffDays));
    return edits;
}

ExplainOptions optionsFrom(const Args &a, const ModelBundle &b)
{
    ExplainOptions o = explainOptions(b.config);
    if (a.has("reference"))
        o.reference = parseAttributionReference(a.get("reference"));
    o.steps = a.integer("steps", limits::igSteps).value_or(o.steps);
    o.reasons = a.integer("reasons", 0, 20).value_or(o.reasons);
    const std::string method = a.get("method", "all");
    if (method == "attention" || method == "ig" || method == "occlusion" || method == "all") {
        o.integratedGradients = method == "ig" || method == "all";
        o.occlusion = o.inputOcclusion = method == "occlusion" || method == "all";
    } else
        throwUsage("--method: expected attention, ig, occlusion or all, got \"" + method + "\"");
    if (o.reference == AttributionReference::Mean && b.referenceEmbedding.empty() &&
        o.integratedGradients)
        throwUsage("--reference mean: this model bundle holds no population mean embedding "
                   "(written by an older SeqLens); use missing or empty");
    return o;
}

// Loads the applicants of --events/--labels with the bundle's config.
RawDataset loadForBundle(const ModelBundle &b, const Args &a)
{
    LoadOptions opt = scoringLoadOptions(eventFilesOf(a), a.get("labels"));
    opt.cancel = &g_cancel;
    return loadDataset(b.config, opt);
}

// The test applicants of the bundle's split when the file has labels, else all applicants;
// at most `max`, evenly spaced.
std::vector<int64_t> sampleRows(const ModelBundle &b, const RawDataset &raw, int64_t max)
{
    const TrainingConfig &t = b.config.training;
    auto rows = rowsIn(raw, assignSplits(raw, t.validFraction, t.testFraction, t.seed), Split::Test);
    if (rows.empty()) {
        log("no labeled test applicants: using every applicant of the file");
        rows = allRows(raw);
    }
    return evenSample(rows, max);
}

} // namespace

int runExplain(int argc, char **argv)
{
    if (wantsHelp(argc, argv)) {
        std::cout << kExplainHelp << std::endl;
        return 0;
    }
    Args a(argc, argv, 2,
           {"model", "events", "labels", "entity", "out", "threads", "method", "reference",
            "steps", "reasons", "what-if"},
           {});
    ModelBundle b = loadBundleForScoring(a);
    const ExplainOptions o = optionsFrom(a, b);
    warnWithoutLabels(b, a.get("labels"));
    const std::string entity = a.required("entity");
    if (!a.has("what-if")) {
        const ApplicantExplanation ex =
            explainWithBundle(b, eventFilesOf(a), a.get("labels"), entity, o);
        writeFileOrStdout(a.get("out"), explanationJson(ex).dump(2));
        return 0;
    }
    LoadOptions opt = scoringLoadOptions(eventFilesOf(a), a.get("labels"));
    opt.onlyEntity = entity;
    const RawDataset raw = loadDataset(b.config, opt);
    if (raw.applicants.empty())
        throwData("entity \"" + entity + "\" not found in " +
                  (a.get("labels").empty() ? eventFilesOf(a).describe() : a.get("labels")));
    const auto edits = readEdits(a.get("what-if"), raw.applicants[0].cutoff);
    const WhatIf w = whatIf(b, raw, 0, edits, o);
    writeFileOrStdout(a.get("out"), whatIfJson(w).dump(2));
    log("what-if: score " + std::to_string(w.before.score) + " -> " +
        std::to_string(w.after.score) + " after " + std::to_string(edits.size()) + " edits");
    return 0;
}

int runFaithfulness(int argc, char **argv)
{
    if (wantsHelp(argc, argv)) {
        std::cout << kFaithfulnessHelp << std::endl;
        return 0;
    }
    Args a(argc, argv, 2,
           {"model", "events", "labels", "out", "applicants", "reference", "steps", "threads"}, {});
    ModelBundle b = loadBundleForScoring(a);
    const std::string out = a.required("out");
    a.required("labels");
    installSigint();
    const RawDataset raw = loadForBundle(b, a);
    const EncodedDataset data = b.encoder.encode(raw);
    AuditOptions o;
    o.applicants = a.integer("applicants", 1, 1000000).value_or(500);
    o.explain = optionsFrom(a, b);
    o.seed = b.config.training.seed;
    o.cancel = &g_cancel;
    const auto rows = sampleRows(b, raw, o.applicants);
    const Faithfulness f =
        measureFaithfulness(b, raw, data, explainSample(b, raw, data, rows, o), rows, o);
    writeFileOrStdout(out, faithfulnessJson(f).dump(2));
    for (const auto &m : f.methods)
        log(m.method + ": deletion area " + std::to_string(m.deletionArea.value) +
            ", insertion area " + std::to_string(m.insertionArea.value) +
            ", insertion - deletion " + std::to_string(m.difference.value) + " [" +
            std::to_string(m.difference.lo) + ", " + std::to_string(m.difference.hi) + "]");
    log(f.verdict);
    if (!f.sanityPassed) {
        log("error: the randomised-weights sanity check failed (mean rank correlation " +
            std::to_string(f.sanityRankCorrelation) + "); figures written to " + out);
        return 4;
    }
    return 0;
}

int runSurrogate(int argc, char **argv)
{
    if (wantsHelp(argc, argv)) {
        std::cout << kSurrogateHelp << std::endl;
        return 0;
    }
    Args a(argc, argv, 2, {"model", "events", "labels", "out", "applicants", "threads"}, {});
    ModelBundle b = loadBundleForScoring(a);
    const std::string out = a.required("out");
    installSigint();
    const RawDataset raw = loadForBundle(b, a);
    const EncodedDataset data = b.encoder.encode(raw);
    const auto rows = evenSample(allRows(raw), a.integer("applicants", 2, 1000000).value_or(500));
    const Surrogate s = fitSurrogate(b, data, rows);
    if (s.trainEvents == 0 || s.heldOutEvents == 0)
        throwData(eventFilesOf(a).describe() + ": too few events to fit the surrogate (" +
                  std::to_string(s.trainEvents) + " events to fit on, " +
                  std::to_string(s.heldOutEvents) + " held out, among " +
                  std::to_string(rows.size()) + " applicants); give more applicants");
    writeFileOrStdout(out, surrogateJson(s).dump(2));
    log("surrogate of the " + s.aggregation + " states: held-out R^2 " + std::to_string(s.r2) +
        " over " + std::to_string(s.heldOutEvents) + " events");
    return 0;
}

} // namespace seqlens::cli
