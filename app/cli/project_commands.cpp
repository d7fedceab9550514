// SPDX-License-Identifier: GPL-3.0-or-later
// seqlens-cli runs / report: the project file from the command line.
#include "args.h"
#include "cli_util.h"
#include "commands.h"

#include "report/reports.h"
#include "seqlens/util/error.h"
#include "seqlens/store/project_store.h"

#include <QApplication>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace seqlens::cli {

namespace {

const char *kRunsHelp = R"(usage: seqlens-cli runs --project FILE [--delete ID]
Lists the runs recorded in a project file, newest first: id, kind, status, start time,
seed, and the key test metrics (AUC and KS of the sequence model; for compare runs also
the baseline and stacking AUC and the delta AUC with its DeLong p-value). --delete removes
a run and everything recorded for it (the deletion is audited).)";

const char *kReportHelp =
    R"(usage: seqlens-cli report --project FILE --run ID --out FILE.pdf|FILE.html [--applicant ID]
       seqlens-cli report --project FILE --monitoring ID --out FILE.pdf|FILE.html
Writes the model-validation report of a finished run, with --applicant the report of one
applicant (score, percentile, reasons, timeline and events), or with --monitoring the report
of a monitored batch (seqlens-cli monitor --list shows the ids). PDF or self-contained HTML by
the extension. Each export is recorded in the project's audit log.)";

std::string metricText(const ProjectStore &s, int64_t run, const char *model, const char *name)
{
    auto m = s.metric(run, "test", model, name);
    if (!m || std::isnan(m->value))
        return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", m->value);
    return buf;
}

} // namespace

int runRuns(int argc, char **argv)
{
    if (wantsHelp(argc, argv)) {
        std::cout << kRunsHelp << std::endl;
        return 0;
    }
    Args a(argc, argv, 2, {"project", "delete"}, {});
    ProjectStore store(a.required("project"));
    if (auto id = a.integer("delete", 1, INT64_MAX)) {
        store.deleteRun(*id);
        log("deleted run " + std::to_string(*id));
        return 0;
    }
    if (store.interruptedOnOpen())
        log(std::to_string(store.interruptedOnOpen()) + " run(s) found interrupted and marked so");
    std::printf("%-4s %-8s %-12s %-21s %-6s %-9s %-9s %-9s %-9s %-9s %s\n", "id", "kind", "status",
                "started (UTC)", "seed", "seq_auc", "seq_ks", "base_auc", "stack_auc", "delta_auc",
                "p_value");
    for (const auto &r : store.runs()) {
        auto p = store.metric(r.id, "test", "stacking-baseline", "delta_auc_p_value");
        char pv[32] = "-";
        if (p)
            std::snprintf(pv, sizeof pv, "%.3g", p->value);
        std::printf("%-4lld %-8s %-12s %-21s %-6llu %-9s %-9s %-9s %-9s %-9s %s\n", (long long)r.id,
                    r.kind.c_str(), toString(r.status), r.startedAt.c_str(),
                    (unsigned long long)r.seed, metricText(store, r.id, "sequence", "auc").c_str(),
                    metricText(store, r.id, "sequence", "ks").c_str(),
                    metricText(store, r.id, "baseline", "auc").c_str(),
                    metricText(store, r.id, "stacking", "auc").c_str(),
                    metricText(store, r.id, "stacking-baseline", "delta_auc").c_str(), pv);
    }
    return 0;
}

int runReport(int argc, char **argv)
{
    if (wantsHelp(argc, argv)) {
        std::cout << kReportHelp << std::endl;
        return 0;
    }
    Args a(argc, argv, 2, {"project", "run", "out", "applicant", "monitoring"}, {});
    const std::string project = a.required("project"), out = a.required("out"),
                      applicant = a.get("applicant");
    const auto runId = a.integer("run", 1, INT64_MAX);
    const auto monitoring = a.integer("monitoring", 1, INT64_MAX);
    if (monitoring && (runId || !applicant.empty()))
        throwUsage("--monitoring ID names its run itself: give it without --run or --applicant");
    if (!runId && !monitoring)
        throwUsage("option --run ID is required (seqlens-cli runs --project FILE lists the runs)");
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // headless: no display needed
    int qtArgc = 1;
    QApplication app(qtArgc, argv);
    ProjectStore store(project);
    if (monitoring)
        report::writeMonitoringReport(store, *monitoring, out);
    else if (applicant.empty())
        report::writeValidationReport(store, *runId, out);
    else
        report::writeApplicantReport(store, *runId, applicant, out);
    log("wrote " + out);
    return 0;
}

} // namespace seqlens::cli
