// SPDX-License-Identifier: GPL-3.0-or-later
// seqlens-explain-bench: prints JSON with the latency of explaining one applicant on a project
// of N synthetic applicants (default 100,000): Integrated Gradients (32 steps) and occlusion on
// histories of exactly 64 events (p50/p99), a what-if edit re-scored and re-attributed (p50/p99:
// the CLI's before + after with everything, and the inspector's edited history in its IG and
// occlusion views),
// and the faithfulness audit over 500 test applicants (wall time).
//   seqlens-explain-bench [--applicants N] [--threads T] [--epochs E] [--work DIR]
#include "seqlens/data/synth.h"
#include "seqlens/explain/explanation_audit.h"
#include "seqlens/train_workflow.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>

using namespace seqlens;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

nlohmann::json percentiles(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[size_t(q * double(v.size() - 1))]; };
    return {{"n", v.size()}, {"p50_ms", at(0.5)}, {"p99_ms", at(0.99)}, {"max_ms", v.back()}};
}

} // namespace

int main(int argc, char **argv)
{
    int64_t n = 100000, threads = 2, epochs = 2;
    std::string work = "/tmp/seqlens-explain-bench";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--applicants"))
            n = std::stoll(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--threads"))
            threads = std::stoll(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--epochs"))
            epochs = std::stoll(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--work"))
            work = argv[i + 1];
    }
    std::filesystem::remove_all(work);
    const SynthSummary s = writeSynthDataset({work + "/data", n, 42});
    Config cfg = loadConfig(s.configPath);
    cfg.sequence.maxItems = 64; // histories of 64 events are those with 64 or more
    cfg.training.epochs = epochs;
    cfg.training.threads = threads;
    TrainRequest req;
    req.outDir = work + "/model";
    runTraining(cfg, req);
    const ModelBundle b = loadBundle(req.outDir);
    setTorchThreads(threads);
    const RawDataset raw = loadDataset(cfg);
    const EncodedDataset enc = b.encoder.encode(raw);
    std::vector<int64_t> long64;
    for (int64_t a = 0; a < enc.applicantCount() && long64.size() < 200; ++a)
        if (enc.length(a) == 64)
            long64.push_back(a);
    std::vector<double> ig, occ, occEvents, full, edit, inspectorEdit, inspectorOccEdit;
    ExplainOptions igOnly, occOnly, occEventsOnly, all;
    igOnly.occlusion = false;
    occOnly.integratedGradients = false;
    occEventsOnly.integratedGradients = false;
    occEventsOnly.inputOcclusion = false;
    const std::vector<HistoryEdit> removeTenth = {{HistoryEdit::Kind::Remove, 10, {}, {}, 0}};
    auto timed = [](std::vector<double> &into, const auto &work) {
        const auto t = Clock::now();
        work();
        into.push_back(ms(t));
    };
    for (int64_t a : long64) {
        timed(ig, [&] { explainApplicant(b, raw, enc, a, igOnly); });
        timed(occ, [&] { explainApplicant(b, raw, enc, a, occOnly); });
        timed(occEvents, [&] { explainApplicant(b, raw, enc, a, occEventsOnly); });
        timed(full, [&] { explainApplicant(b, raw, enc, a, all); });
        timed(edit, [&] { whatIf(b, raw, a, removeTenth, all); });
        // What the inspector computes per edit in its IG view, and in its occlusion view.
        timed(inspectorEdit, [&] { explainEdited(b, raw, a, removeTenth, igOnly); });
        timed(inspectorOccEdit, [&] { explainEdited(b, raw, a, removeTenth, all); });
    }
    const auto splits = assignSplits(raw, cfg.training.validFraction, cfg.training.testFraction,
                                     cfg.training.seed);
    AuditOptions ao;
    ao.explain = all;
    auto t = Clock::now();
    const ExplanationAudit audit = auditExplanations(b, raw, enc, rowsIn(raw, splits, Split::Test),
                                                     ao);
    const double auditMs = ms(t);
    nlohmann::json out = {{"applicants", n},
                          {"threads", threads},
                          {"history_length", 64},
                          {"integrated_gradients_32_steps", percentiles(ig)},
                          {"occlusion_events_and_inputs", percentiles(occ)},
                          {"occlusion_events_only", percentiles(occEvents)},
                          {"explain_all_with_reasons", percentiles(full)},
                          {"what_if_remove_one_event_before_and_after", percentiles(edit)},
                          {"what_if_inspector_edit_ig_view", percentiles(inspectorEdit)},
                          {"what_if_inspector_edit_occlusion_view", percentiles(inspectorOccEdit)},
                          {"faithfulness_global_surrogate_seconds", auditMs / 1000.0},
                          {"faithfulness_applicants", audit.faithfulness.applicants},
                          {"faithfulness_best", audit.faithfulness.best},
                          {"sanity_rank_correlation", audit.faithfulness.sanityRankCorrelation},
                          {"surrogate_r2", audit.surrogate.r2}};
    std::cout << out.dump(2) << std::endl;
    return 0;
}
