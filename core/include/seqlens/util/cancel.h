// SPDX-License-Identifier: GPL-3.0-or-later
// Cancellation of long jobs: shared between a job and whoever may cancel it (another thread).
#pragma once

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

} // namespace seqlens
