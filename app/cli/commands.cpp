// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

#include "args.h"
#include "cli_util.h"

#include "seqlens/data/multi_synth.h"
#include "seqlens/compare/compare_workflow.h"
#include "seqlens/compare/window_features.h"
#include "seqlens/data/audit.h"
#include "seqlens/data/synth.h"
#include "seqlens/data/time_parser.h"
#include "seqlens/explain/explain_workflow.h"
#include "seqlens/result_json.h"
#include "seqlens/run_recording.h"
#include "seqlens/score_workflow.h"
#include "seqlens/train_workflow.h"
#include "seqlens/util/error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace seqlens::cli {

namespace {

const char *kSynthHelp = R"(usage: seqlens-cli synth --out DIR [--applicants N] [--seed S] [--from DATE]
                         [--span-days D] [--drift KIND]
Writes a synthetic credit-bureau-style demo dataset: DIR/events.csv, DIR/labels.csv and a
ready DIR/config.json. The label depends partly on event order (a late payment followed
within days by a new inquiry). Application dates fall in the D days (default 730) from DATE
(default 2023-01-01). For monitoring, --drift makes a later population with one change:
none, type_mix (more card use, fewer payments), new_type (a type never seen before),
longer_gaps (the same events over a longer span) or label_relation (the order pattern no
longer matters; inputs unchanged).)";

const char *kTrainHelp =
    R"(usage: seqlens-cli train --config FILE --out MODEL [--epochs N] [--seed S] [--threads T] [--project FILE]
Trains a sequence model as the config describes and writes the bundle directory MODEL,
including MODEL/metrics.json. Progress goes to stderr; Ctrl+C cancels. With --project the
run (config, data fingerprints, epochs, metrics, curves, scores) is recorded in that project
file, created when missing.)";

const char *kScoreHelp =
    R"(usage: seqlens-cli score --model MODEL --events FILE|NAME=FILE... [--labels FILE] --out scores.csv [--reasons N] [--threads T] [--project FILE]
Scores every applicant with the bundle's own encoder and model. Columns: entity,score
(and label when the labels file has one); with --reasons N also reason_1_code,
reason_1_text, ... reason_N_text: the N reasons that raised each score most (Integrated
Gradients, one pass per model: milliseconds per applicant for a Transformer, tens for a GRU,
K times that for a compare run's bag of K fold models). With several event sources give each
as --events NAME=FILE (repeated). The labels file supplies cutoffs when the
config uses them; without it, applicants are the entities of the event file. With --project
the scoring is written to that project's audit log.)";

const char *kCompareHelp =
    R"(usage: seqlens-cli compare --config FILE --out DIR [--epochs N] [--folds K] [--seed S] [--threads T] [--project FILE]
Baseline (window features) vs sequence-only vs stacking (window features + out-of-fold
sequence score), all judged on the same untouched test split. Writes DIR/compare.json,
DIR/test_scores.csv (entity,label,baseline,sequence,stacking) and CSV files for every curve
and table: roc_*, ks_*, lift_*, calibration_* and swap_set.csv, and DIR/model, the bundle of
the sequence model that scored the test split: by default the bag of the K fold models (mean
logit), or with baseline.test_scores "full_model" one more model trained on all of
development; score, explain and the inspector use either. Progress per fold and epoch on stderr; Ctrl+C
cancels. With --project the run is recorded in that project file.)";

const char *kAuditHelp = R"(usage: seqlens-cli audit --config FILE [--out audit.json]
Loads the data the config describes, assigns the splits, fits the encoder on the train split
and encodes, without training: rows read and kept, events excluded by the cutoff, events of
unlabeled entities, events per applicant (summary and histogram), per-field missing and
distinct counts, truncated histories, unseen categories, and applicants per split; with several
event sources also per source (rows, kept, join misses, applicants covered, events per
applicant, missing shares). Writes JSON (stdout unless --out) and a summary on stderr; Ctrl+C
cancels.)";

const char *kFeaturesHelp = R"(usage: seqlens-cli features --config FILE --out features.csv
Exports the hand-made window features (entity, split, label, then one column per feature)
for use in other tools. Named categorical values are chosen without the test split.)";

// Runs `plain`, or with --project `recorded` on the project's store, saying which run it became.
template <typename Plain, typename Recorded>
auto runMaybeRecorded(const std::string &project, Plain plain, Recorded recorded)
{
    if (project.empty())
        return plain();
    ProjectStore store(project);
    int64_t run = 0;
    auto summary = recorded(store, &run);
    log("recorded as run " + std::to_string(run) + " (" + toString(store.run(run).status) +
        ") in " + project);
    return summary;
}

// The config of --config with --epochs, --seed, --threads (and --folds when allowed) applied.
Config resolvedConfig(const Args &a, bool withFolds)
{
    Overrides o;
    o.epochs = a.integer("epochs", limits::epochs);
    if (auto s = a.integer("seed", limits::seed))
        o.seed = uint64_t(*s);
    o.threads = a.integer("threads", limits::threads);
    if (withFolds)
        o.folds = a.integer("folds", limits::folds);
    return applyOverrides(loadConfig(a.required("config")), o);
}

} // namespace

void printUsage()
{
    std::cout << "usage: seqlens-cli <command> [options]\n\n"
                 "commands:\n"
                 "  synth     write a synthetic demo dataset and config\n"
                 "  train     train a sequence model and write a model bundle\n"
                 "  score     score applicants with a model bundle\n"
                 "  explain   why one applicant got its score: attributions, occlusion,\n"
                 "            reasons, attention; --what-if edits\n"
                 "  faithfulness  how faithful each explanation method is (deletion/insertion)\n"
                 "  surrogate the linear state-space surrogate of the model's memory\n"
                 "  compare   baseline vs sequence vs stacking with validation statistics\n"
                 "  audit     what loading and encoding does to the data, without training\n"
                 "  features  export the window features as CSV\n"
                 "  runs      list (or delete) the runs recorded in a project file\n"
                 "  report    model-validation or applicant report (PDF or HTML) from a project\n"
                 "  monitor   a new batch against a recorded run: stability, shape, performance\n\n"
                 "Run 'seqlens-cli <command> --help' for its options.\n"
                 "Exit codes: 0 ok, 2 bad usage or config, 3 bad data, 1 internal error, 130 "
                 "cancelled.\n";
}

// synth --kind multi: four event tables with a cross-table pattern (data/multi_synth.h).
int runMultiSynth(const Args &a)
{
    MultiSynthOptions opt;
    opt.outDir = a.required("out");
    opt.applicants = a.integer("applicants", limits::applicants).value_or(opt.applicants);
    opt.seed = uint64_t(a.integer("seed", limits::seed).value_or(int64_t(opt.seed)));
    const MultiSynthSummary s = writeMultiSourceSynth(opt);
    log("wrote " + std::to_string(s.applicants) + " applicants (" + std::to_string(s.bads) +
        " bad, " + std::to_string(s.withPattern) + " with the cross-table pattern), " +
        std::to_string(s.rows) + " event rows in four tables: " + s.configPath);
    return 0;
}

int runSynth(int argc, char **argv)
{
    if (wantsHelp(argc, argv)) {
        std::cout << kSynthHelp << std::endl;
        return 0;
    }
    Args a(argc, argv, 2, {"out", "applicants", "seed", "from", "span-days", "drift", "kind"}, {});
    if (a.get("kind", "single") == "multi")
        return runMultiSynth(a);
    if (a.get("kind", "single") != "single")
        throwUsage("--kind: expected single or multi, got \"" + a.get("kind") + "\"");
    SynthOptions opt;
    opt.outDir = a.required("out");
    opt.applicants = a.integer("applicants", limits::applicants).value_or(opt.applicants);
    opt.seed = uint64_t(a.integer("seed", limits::seed).value_or(int64_t(opt.seed)));
    opt.spanDays = a.integer("span-days", 1, 36500).value_or(opt.spanDays);
    if (a.has("from")) {
        const auto day = parseIso(a.get("from"));
        if (!day)
            throwUsage("--from: expected a date like 2025-01-01, got \"" + a.get("from") + "\"");
        opt.startDays = int64_t(std::floor(*day));
    }
    if (a.has("drift") && !parseSynthDrift(a.get("drift"), opt.drift))
        throwUsage("--drift: expected none, type_mix, new_type, longer_gaps or label_relation, "
                   "got \"" + a.get("drift") + "\"");
    SynthSummary s = writeSynthDataset(opt);
    log("wrote " + std::to_string(s.applicants) + " applicants (" + std::to_string(s.bads) +
        " bad), " + std::to_string(s.events) + " events: " + s.configPath);
    return 0;
}

int runTrain(int argc, char **argv)
{
    if (wantsHelp(argc, argv)) {
        std::cout << kTrainHelp << std::endl;
        return 0;
    }
    Args a(argc, argv, 2, {"config", "out", "epochs", "seed", "threads", "project"}, {});
    const Config cfg = resolvedConfig(a, false);
    TrainRequest req;
    req.outDir = a.required("out");
    req.progress = progressPrinter();
    req.cancel = &g_cancel;
    req.log = log;
    installSigint();
    const TrainSummary s = runMaybeRecorded(
        a.get("project"), [&] { return runTraining(cfg, req); },
        [&](ProjectStore &store, int64_t *run) {
            return runTrainingInProject(store, cfg, req, run);
        });
    if (s.cancelled) {
        log("cancelled: no bundle written");
        return 130;
    }
    log("wrote " + req.outDir);
    std::cout << trainMetricsJson(s).dump(2) << std::endl;
    return 0;
}

int runScore(int argc, char **argv)
{
    if (wantsHelp(argc, argv)) {
        std::cout << kScoreHelp << std::endl;
        return 0;
    }
    Args a(argc, argv, 2, {"model", "events", "labels", "out", "reasons", "threads", "project"},
           {});
    const EventFiles events = eventFilesOf(a);
    const std::string out = a.required("out");
    const std::string labels = a.get("labels");
    const int64_t reasons = a.integer("reasons", 0, 20).value_or(0);
    ModelBundle b = loadBundleForScoring(a);
    warnWithoutLabels(b, labels);
    LoadReport rep;
    installSigint();
    auto scores = scoreWithBundle(b, events, labels, &rep, reasons, &g_cancel);
    writeScoresCsv(out, scores, reasons);
    if (const std::string project = a.get("project"); !project.empty())
        ProjectStore(project).audit("scored", "model " + a.required("model"),
                                    std::to_string(scores.size()) + " applicants of " + events.describe() +
                                        " -> " + out);
    log("scored " + std::to_string(scores.size()) + " applicants (" +
        std::to_string(rep.eventsKept) + " events, " + std::to_string(rep.eventsAfterCutoff) +
        " excluded by cutoff): " + out);
    return 0;
}

int runCompare(int argc, char **argv)
{
    if (wantsHelp(argc, argv)) {
        std::cout << kCompareHelp << std::endl;
        return 0;
    }
    Args a(argc, argv, 2, {"config", "out", "epochs", "folds", "seed", "threads", "project"}, {});
    const Config cfg = resolvedConfig(a, true);
    CompareRequest req;
    req.outDir = a.required("out");
    req.progress = progressPrinter();
    req.stepProgress = [](int64_t step, int64_t steps, const std::string &what) {
        log("step " + std::to_string(step) + "/" + std::to_string(steps) + ": " + what);
    };
    req.cancel = &g_cancel;
    req.log = log;
    installSigint();
    const CompareSummary s = runMaybeRecorded(
        a.get("project"), [&] { return runCompare(cfg, req); },
        [&](ProjectStore &store, int64_t *run) {
            return runCompareInProject(store, cfg, req, run);
        });
    if (s.cancelled) {
        log("cancelled: nothing written");
        return 130;
    }
    char buf[300];
    std::snprintf(buf, sizeof buf,
                  "test AUC: baseline %.4f, sequence %.4f, stacking %.4f; delta AUC %+.4f (DeLong "
                  "p = %.3g); delta KS %+.4f",
                  s.baseline.auc.auc, s.sequence.auc.auc, s.stacking.auc.auc, s.deltaAuc.delta,
                  s.deltaAuc.pValue, s.deltaKs.value);
    log(buf);
    log("wrote " + req.outDir + "/compare.json");
    return 0;
}

int runAudit(int argc, char **argv)
{
    if (wantsHelp(argc, argv)) {
        std::cout << kAuditHelp << std::endl;
        return 0;
    }
    Args a(argc, argv, 2, {"config", "out"}, {});
    const Config cfg = loadConfig(a.required("config"));
    installSigint();
    const AuditReport r = auditData(cfg, &g_cancel);
    if (r.cancelled) {
        log("cancelled: nothing written");
        return 130;
    }
    const LoadReport &l = r.load;
    log("audit: " + std::to_string(l.applicants) + " applicants (" + std::to_string(l.positives) +
        " bad, " + std::to_string(l.negatives) + " good, " +
        std::to_string(l.applicantsWithoutEvents) + " without events); " +
        std::to_string(l.eventsKept) + " of " + std::to_string(l.eventRows) +
        " event rows kept, " + std::to_string(l.eventsAfterCutoff) + " excluded by the cutoff, " +
        std::to_string(l.eventsUnknownEntity) + " of unlabeled entities; " +
        std::to_string(r.encode.truncatedApplicants) + " histories truncated; splits " +
        std::to_string(r.splits.train) + " train / " + std::to_string(r.splits.valid) +
        " valid / " + std::to_string(r.splits.test) + " test");
    logSources(l);
    writeFileOrStdout(a.get("out"), dataReportJson(r).dump(2));
    return 0;
}

int runFeatures(int argc, char **argv)
{
    if (wantsHelp(argc, argv)) {
        std::cout << kFeaturesHelp << std::endl;
        return 0;
    }
    Args a(argc, argv, 2, {"config", "out"}, {});
    Config cfg = loadConfig(a.required("config"));
    LoadOptions opt;
    opt.cancel = &g_cancel;
    installSigint();
    const RawDataset raw = loadDataset(cfg, opt);
    const auto splits =
        assignSplits(raw, cfg.training.validFraction, cfg.training.testFraction, cfg.training.seed);
    auto dev = rowsIn(raw, splits, Split::Train);
    const auto valid = rowsIn(raw, splits, Split::Valid);
    dev.insert(dev.end(), valid.begin(), valid.end());
    std::sort(dev.begin(), dev.end());
    WindowFeatureBuilder builder = WindowFeatureBuilder::fit(raw, cfg, dev);
    FeatureMatrix x = builder.build(raw);
    writeFeaturesCsv(a.required("out"), raw, splits, x);
    log("wrote " + std::to_string(x.rows) + " applicants x " + std::to_string(x.columns()) +
        " features: " + a.required("out") +
        (builder.lastInvalidStatic() ? " (" + std::to_string(builder.lastInvalidStatic()) +
                                           " non-numeric static values as missing)"
                                     : ""));
    return 0;
}

} // namespace seqlens::cli
