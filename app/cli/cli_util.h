// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the seqlens-cli subcommands.
#pragma once

#include "seqlens/bundle.h"
#include "seqlens/nn/trainer.h"

#include <string>

namespace seqlens::cli {

// Cancelled by Ctrl+C once installSigint() ran.
extern CancelToken g_cancel;
void installSigint();

bool wantsHelp(int argc, char **argv);
void log(const std::string &line); // one line on stderr

class Args;

// Writes `text` to `path`, or to stdout when `path` is empty.
void writeFileOrStdout(const std::string &path, const std::string &text);
// Warns when the model uses a cutoff column and no label file gives it.
void warnWithoutLabels(const ModelBundle &bundle, const std::string &labels);
// With several event sources, one line per source: rows, kept, excluded, join misses, coverage.
void logSources(const LoadReport &load);
// The --events files: "--events FILE" for one source, "--events name=FILE" once per source.
// Throws a Usage error when none is given.
EventFiles eventFilesOf(const Args &args);
// Loads --model and sets LibTorch's threads from --threads, else from the bundle's config.
ModelBundle loadBundleForScoring(const Args &args);

// Throttled progress lines on stderr: at most one per second, plus one per epoch.
ProgressFn progressPrinter();

} // namespace seqlens::cli
