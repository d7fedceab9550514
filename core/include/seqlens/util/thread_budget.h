// SPDX-License-Identifier: GPL-3.0-or-later
// Threads that a caller running several jobs lends to whichever training run is still going:
// compare's workers lend their thread when they run out of jobs, and a run claims what is free
// at the start of each epoch, on top of its own threads, until it ends. Training gives the same
// numbers on any thread count (its micro-batches depend on the batch alone), so lending changes
// only the speed.
#pragma once

#include <atomic>
#include <cstdint>

namespace seqlens {

class ThreadBudget {
public:
    void lend(int64_t threads) { m_free.fetch_add(threads); }
    int64_t claim() { return m_free.exchange(0); } // every free thread, now
    void giveBack(int64_t threads) { m_free.fetch_add(threads); }

private:
    std::atomic<int64_t> m_free{0};
};

} // namespace seqlens
