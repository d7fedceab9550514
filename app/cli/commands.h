// SPDX-License-Identifier: GPL-3.0-or-later
// The seqlens-cli subcommands. Each returns the process exit code.
#pragma once

namespace seqlens::cli {

int runSynth(int argc, char **argv);
int runTrain(int argc, char **argv);
int runScore(int argc, char **argv);
int runExplain(int argc, char **argv);      // explain_commands.cpp
int runFaithfulness(int argc, char **argv); // explain_commands.cpp
int runSurrogate(int argc, char **argv);    // explain_commands.cpp
int runCompare(int argc, char **argv);
int runFeatures(int argc, char **argv);
int runAudit(int argc, char **argv);
int runRuns(int argc, char **argv);   // project_commands.cpp
int runReport(int argc, char **argv); // project_commands.cpp
int runMonitor(int argc, char **argv); // monitor_commands.cpp
void printUsage();

} // namespace seqlens::cli
