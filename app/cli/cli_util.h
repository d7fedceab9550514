// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the seqlens-cli subcommands.
#pragma once

#include "seqlens/nn/trainer.h"

#include <string>

namespace seqlens::cli {

// Cancelled by Ctrl+C once installSigint() ran.
extern CancelToken g_cancel;
void installSigint();

bool wantsHelp(int argc, char **argv);
void log(const std::string &line); // one line on stderr

// Throttled progress lines on stderr: at most one per second, plus one per epoch.
ProgressFn progressPrinter();

} // namespace seqlens::cli
