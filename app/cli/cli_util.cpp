// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli_util.h"

#include "args.h"
#include "seqlens/util/error.h"

#include <fstream>
#include <iostream>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>

namespace seqlens::cli {

CancelToken g_cancel;

namespace {
extern "C" void onSigint(int)
{
    g_cancel.cancel();
}
} // namespace

void installSigint()
{
    std::signal(SIGINT, onSigint);
}

bool wantsHelp(int argc, char **argv)
{
    for (int i = 2; i < argc; ++i)
        if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h")
            return true;
    return false;
}

void log(const std::string &line)
{
    std::cerr << line << std::endl;
}

ProgressFn progressPrinter()
{
    auto last = std::make_shared<std::chrono::steady_clock::time_point>();
    return [last](const TrainProgress &p) {
        auto now = std::chrono::steady_clock::now();
        if (!p.epochEnd && now - *last < std::chrono::seconds(1))
            return;
        *last = now;
        char buf[200];
        if (p.epochEnd)
            std::snprintf(buf, sizeof buf, "epoch %lld/%lld  loss %.4f  valid AUC %.4f  ETA %.0fs",
                          (long long)p.epoch, (long long)p.epochs, p.loss, p.validAuc,
                          p.etaSeconds);
        else
            std::snprintf(buf, sizeof buf, "epoch %lld/%lld  batch %lld/%lld  loss %.4f  ETA %.0fs",
                          (long long)p.epoch, (long long)p.epochs, (long long)p.batch,
                          (long long)p.batches, p.loss, p.etaSeconds);
        std::cerr << (p.task.empty() ? "" : p.task + ": ") << buf << std::endl;
    };
}

void writeFileOrStdout(const std::string &path, const std::string &text)
{
    if (path.empty()) {
        std::cout << text << std::endl;
        return;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text << "\n";
    if (!out)
        throwData(path + ": cannot write");
}


void warnWithoutLabels(const ModelBundle &b, const std::string &labels)
{
    if (labels.empty() && b.config.labels.cutoff)
        log("warning: the model's config uses cutoff column \"" + *b.config.labels.cutoff +
            "\"; without --labels no events are excluded by cutoff");
}

void logSources(const LoadReport &l)
{
    if (l.sources.size() < 2)
        return;
    for (const auto &s : l.sources)
        log("  source " + s.name + ": " + std::to_string(s.kept) + " of " +
            std::to_string(s.rows) + " rows kept, " + std::to_string(s.afterCutoff) +
            " excluded by the cutoff, " + std::to_string(s.unknownEntity) +
            " of unlabeled entities, " + std::to_string(s.joinMisses) + " join misses; " +
            std::to_string(s.applicantsCovered) + " of " + std::to_string(l.applicants) +
            " applicants covered");
}

EventFiles eventFilesOf(const Args &args)
{
    args.required("events");
    return EventFiles::parse(args.all("events"));
}

ModelBundle loadBundleForScoring(const Args &a)
{
    ModelBundle b = loadBundle(a.required("model"));
    setTorchThreads(a.integer("threads", limits::threads).value_or(b.config.training.threads));
    return b;
}


} // namespace seqlens::cli
