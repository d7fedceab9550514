// SPDX-License-Identifier: GPL-3.0-or-later
// Timing and memory helpers shared by the benchmark programs.
#pragma once

#include <sys/resource.h>

#include <chrono>

namespace seqlens::bench {

using Clock = std::chrono::steady_clock;

inline double since(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// Peak resident memory of this process so far, MiB.
inline double peakRssMiB()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_maxrss) / 1024.0;
}

} // namespace seqlens::bench
