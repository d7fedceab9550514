// SPDX-License-Identifier: GPL-3.0-or-later
// seqlens-cli monitor: a new batch against a recorded run; the record goes into the project.
#include "args.h"
#include "cli_util.h"
#include "commands.h"

#include "seqlens/monitor/monitor_project.h"
#include "seqlens/util/error.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace seqlens::cli {

namespace {

const char *kMonitorHelp =
    R"(usage: seqlens-cli monitor --project FILE --run ID --events FILE [--labels FILE] --out DIR
                           [--by month|quarter|all|COLUMN] [--name NAME] [--bins N]
                           [--psi-amber X] [--psi-red X] [--alpha-red P] [--alpha-amber P]
                           [--adverse-impact R]
                           [--threads T]
       seqlens-cli monitor --project FILE --list [--run ID]
Scores a new batch with a finished run's own model and encoder and compares it with the run's
development population: PSI of the score (bins on the run's out-of-sample test scores) overall
and per cohort; PSI of every window feature and model input, ranked (categorical inputs with
the share of values never seen in development); the shape of the sequences (events per
applicant, gaps, days before the cutoff, empty and truncated histories); with labels, AUC, KS
and Gini per cohort with DeLong intervals, a test of the AUC drop against the run's test AUC,
and calibration in the large (Jeffreys test). Cohorts are the months of the cutoffs by default.
Lights (the run's config, monitoring.thresholds; the options change them for this batch):
PSI green below 0.10, red from 0.25; tests red below p 0.05, amber below 0.10; segments amber
when their approval rate is below 0.8 times the highest (adverse impact).
The result is stored in the project as a monitoring record of the run (batches accumulate)
and written to DIR: monitoring.json, characteristics.csv and cohorts.csv. Nothing is written
when the input is refused. --list shows the records (of one run with --run).)";

std::optional<double> real(const Args &a, const char *name)
{
    if (!a.has(name))
        return std::nullopt;
    const std::string text = a.get(name);
    char *end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end || !std::isfinite(v))
        throwUsage(std::string("--") + name + ": expected a number, got \"" + text + "\"");
    return v;
}

ThresholdOverrides thresholds(const Args &a)
{
    ThresholdOverrides t;
    t.bins = a.integer("bins", 2, 100);
    t.psiAmber = real(a, "psi-amber");
    t.psiRed = real(a, "psi-red");
    t.alphaRed = real(a, "alpha-red");
    t.alphaAmber = real(a, "alpha-amber");
    t.adverseImpact = real(a, "adverse-impact");
    return t;
}

int listRecords(const ProjectStore &store, const Args &a)
{
    std::vector<RunInfo> runs;
    if (auto id = a.integer("run", 1, INT64_MAX))
        runs.push_back(store.run(*id));
    else
        runs = store.runs();
    std::printf("%-5s %-5s %-20s %-10s %-7s %-9s %s\n", "id", "run", "created", "applicants",
                "status", "cohorts", "name");
    for (const auto &run : runs)
        for (const auto &m : store.monitorings(run.id))
            std::printf("%-5lld %-5lld %-20s %-10lld %-7s %-9s %s\n", (long long)m.id,
                        (long long)m.run, m.createdAt.c_str(), (long long)m.applicants,
                        m.status.c_str(), m.cohortBy.c_str(), m.name.c_str());
    return 0;
}

void printSummary(const MonitorResult &r, int64_t record)
{
    std::printf("monitoring record %lld: %s, %lld applicants, cohorts by %s: %s\n",
                (long long)record, r.name.c_str(), (long long)r.batchApplicants, r.cohortBy.c_str(),
                toString(r.status));
    for (const auto &c : r.checks)
        std::printf("  %-26s %-6s %s\n", c.name.c_str(), toString(c.light), c.detail.c_str());
}

} // namespace

int runMonitor(int argc, char **argv)
{
    if (wantsHelp(argc, argv)) {
        std::cout << kMonitorHelp << std::endl;
        return 0;
    }
    Args a(argc, argv, 2,
           {"project", "run", "events", "labels", "out", "by", "name", "bins", "psi-amber",
            "psi-red", "alpha-red", "alpha-amber", "adverse-impact", "threads"},
           {"list"});
    ProjectStore store(a.required("project"));
    if (a.has("list"))
        return listRecords(store, a);
    const auto run = a.integer("run", 1, INT64_MAX);
    if (!run)
        throwUsage("--run ID is required (seqlens-cli runs --project FILE lists the runs)");
    MonitorRequest req;
    req.events = eventFilesOf(a);
    req.labelsPath = a.get("labels");
    const std::string out = a.required("out");
    req.by = a.get("by");
    req.name = a.get("name");
    req.thresholds = thresholds(a);
    req.threads = a.integer("threads", 0, 1024).value_or(-1);
    req.progress = [](const std::string &stage) { log(stage); };
    req.cancel = &g_cancel;
    installSigint();
    int64_t record = 0;
    const MonitorResult r = monitorRunInProject(store, *run, req, out, &record);
    if (r.cancelled) {
        log("cancelled: nothing recorded");
        return 130;
    }
    printSummary(r, record);
    log("wrote " + out + "/monitoring.json, characteristics.csv, cohorts.csv");
    return 0;
}

} // namespace seqlens::cli
