// SPDX-License-Identifier: GPL-3.0-or-later
#include "step_workers.h"

#include <ATen/Parallel.h>

namespace seqlens::nn {

StepWorkers::StepWorkers(int64_t threads) : m_previousThreads(at::get_num_threads())
{
    if (threads <= 1)
        return;
    at::set_num_threads(1);
    for (int64_t t = 1; t < threads; ++t)
        m_helpers.emplace_back([this] {
            at::set_num_threads(1);
            helperLoop();
        });
}

StepWorkers::~StepWorkers()
{
    if (m_helpers.empty())
        return;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    for (auto &t : m_helpers)
        t.join();
    at::set_num_threads(m_previousThreads);
}

// Takes jobs of the current generation until none is left. Called with m_mutex unlocked.
void StepWorkers::drain()
{
    for (;;) {
        size_t i;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (m_next >= m_n)
                return;
            i = m_next++;
        }
        std::exception_ptr error;
        try {
            (*m_job)(i);
        } catch (...) {
            error = std::current_exception();
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        m_errors[i] = error;
        if (++m_finished == m_n)
            m_done.notify_all();
    }
}

void StepWorkers::helperLoop()
{
    uint64_t seen = 0;
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_generation != seen; });
            if (m_stop)
                return;
            seen = m_generation;
        }
        drain();
    }
}

void StepWorkers::run(size_t n, const std::function<void(size_t)> &job)
{
    if (m_helpers.empty() || n <= 1) {
        for (size_t i = 0; i < n; ++i)
            job(i);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_job = &job;
        m_n = n;
        m_next = 0;
        m_finished = 0;
        m_errors.assign(n, nullptr);
        ++m_generation;
    }
    m_wake.notify_all();
    drain();
    std::unique_lock<std::mutex> lock(m_mutex);
    m_done.wait(lock, [&] { return m_finished == m_n; });
    m_job = nullptr;
    for (auto &e : m_errors)
        if (e)
            std::rethrow_exception(e);
}

} // namespace seqlens::nn
