// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to core: run independent jobs 0..n-1 on up to `threads` threads (0 = one per
// hardware thread). Each job writes only its own output, so the result does not depend on the
// thread count or on which thread ran which job. Jobs are taken in order from a shared counter;
// the exception of the lowest-numbered job that threw is rethrown after every thread ended.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace seqlens::util {

inline size_t resolveThreads(int64_t threads)
{
    return threads > 0 ? size_t(threads)
                       : size_t(std::max(1u, std::thread::hardware_concurrency()));
}

template <typename Job>
void parallelFor(size_t n, int64_t threads, const Job &job)
{
    const size_t workers = std::min(n, resolveThreads(threads));
    if (workers <= 1) {
        for (size_t i = 0; i < n; ++i)
            job(i);
        return;
    }
    std::atomic<size_t> next{0};
    std::vector<std::exception_ptr> errors(n);
    auto work = [&] {
        for (size_t i = next++; i < n; i = next++) {
            try {
                job(i);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < workers; ++t)
        pool.emplace_back(work);
    work();
    for (auto &t : pool)
        t.join();
    for (auto &e : errors)
        if (e)
            std::rethrow_exception(e);
}

} // namespace seqlens::util
