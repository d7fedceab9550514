// SPDX-License-Identifier: GPL-3.0-or-later
// Cancellation of long jobs: shared between a job and whoever may cancel it (another thread).
#pragma once

#include "seqlens/util/error.h"

#include <atomic>

namespace seqlens {

class CancelToken {
public:
    void cancel() { m_flag.store(true); }
    bool cancelled() const { return m_flag.load(); }

private:
    std::atomic<bool> m_flag{false};
};

// Throws an Error of kind Cancelled ("cancelled by the user") when `token` is set.
void throwIfCancelled(const CancelToken *token);

// The convention of the workflow entry points: steps throw a Cancelled error, the entry point
// returns a Result with `cancelled = true` instead. Other errors pass through.
template <typename Result, typename Work>
Result cancelledAsResult(Work work)
{
    try {
        return work();
    } catch (const Error &e) {
        if (e.kind() != ErrorKind::Cancelled)
            throw;
        Result r;
        r.cancelled = true;
        return r;
    }
}

} // namespace seqlens
