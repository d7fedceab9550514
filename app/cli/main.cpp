// SPDX-License-Identifier: GPL-3.0-or-later
// seqlens-cli: dispatches to a subcommand; errors stop here as one line on stderr.
#include "commands.h"

#include "seqlens/util/error.h"

#include <cstring>
#include <exception>
#include <iostream>

int main(int argc, char **argv)
{
    using namespace seqlens;
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
        !std::strcmp(argv[1], "help")) {
        cli::printUsage();
        return argc < 2 ? 2 : 0;
    }
    const std::string cmd = argv[1];
    try {
        if (cmd == "synth")
            return cli::runSynth(argc, argv);
        if (cmd == "train")
            return cli::runTrain(argc, argv);
        if (cmd == "score")
            return cli::runScore(argc, argv);
        if (cmd == "explain")
            return cli::runExplain(argc, argv);
        if (cmd == "faithfulness")
            return cli::runFaithfulness(argc, argv);
        if (cmd == "surrogate")
            return cli::runSurrogate(argc, argv);
        if (cmd == "compare")
            return cli::runCompare(argc, argv);
        if (cmd == "audit")
            return cli::runAudit(argc, argv);
        if (cmd == "features")
            return cli::runFeatures(argc, argv);
        if (cmd == "runs")
            return cli::runRuns(argc, argv);
        if (cmd == "report")
            return cli::runReport(argc, argv);
        if (cmd == "monitor")
            return cli::runMonitor(argc, argv);
        std::cerr
            << "seqlens-cli: unknown command \"" << cmd
            << "\" (expected synth, train, score, explain, faithfulness, surrogate, compare, audit, features, runs, report or monitor)\n";
        return 2;
    } catch (const Error &e) {
        std::cerr << "seqlens-cli " << cmd << ": error: " << e.what() << "\n";
        return exitCodeFor(e.kind());
    } catch (const std::exception &e) {
        std::cerr << "seqlens-cli " << cmd << ": internal error: " << e.what() << "\n";
        return 1;
    }
}
