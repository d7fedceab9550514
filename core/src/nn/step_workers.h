// SPDX-License-Identifier: GPL-3.0-or-later
// Helper threads kept for one training run, so each optimisation step can spread its
// micro-batches over the cores without starting threads. While a pool exists, the calling
// thread and every helper run LibTorch ops on one intra-op thread (the micro-batches are the
// parallelism; on 2 cores two 1-thread passes did 1.7x the work of one 2-thread pass); the
// calling thread's count is restored when the pool ends. Internal to core/src/nn.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace seqlens::nn {

class StepWorkers {
public:
    explicit StepWorkers(int64_t threads); // threads - 1 helpers (none for 1)
    ~StepWorkers();
    StepWorkers(const StepWorkers &) = delete;
    StepWorkers &operator=(const StepWorkers &) = delete;

    int64_t threads() const { return int64_t(m_helpers.size()) + 1; }
    // Runs job(0) .. job(n-1), each exactly once, on the helpers and the calling thread, and
    // returns when all are done; rethrows the exception of the lowest-numbered job that threw.
    void run(size_t n, const std::function<void(size_t)> &job);

private:
    void helperLoop();
    void drain();

    std::vector<std::thread> m_helpers;
    std::mutex m_mutex;
    std::condition_variable m_wake, m_done;
    const std::function<void(size_t)> *m_job = nullptr;
    size_t m_n = 0, m_next = 0, m_finished = 0;
    uint64_t m_generation = 0;
    bool m_stop = false;
    std::vector<std::exception_ptr> m_errors;
    int m_previousThreads = 1;
};

} // namespace seqlens::nn
