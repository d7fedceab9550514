// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to config validation: collects the semantic problems of a Config with their JSON
// pointers (config_validate.cpp, config_validate_monitoring.cpp).
#pragma once

#include "seqlens/data/config.h"
#include "seqlens/data/config_limits.h"

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

namespace seqlens::config_detail {

class Checker {
public:
    explicit Checker(std::vector<ConfigProblem> &out) : m_out(out) {}

    void problem(const std::string &path, const std::string &message)
    {
        m_out.push_back({path, message});
    }
    void integer(const std::string &path, int64_t v, IntRange r)
    {
        if (!r.contains(v))
            problem(path, "expected an integer in [" + std::to_string(r.lo) + ", " +
                              std::to_string(r.hi) + "], got " + std::to_string(v));
    }
    void number(const std::string &path, double v, RealRange r)
    {
        if (r.contains(v))
            return;
        std::ostringstream m;
        m << "expected a number in [" << r.lo << ", " << r.hi << (r.hiOpen ? ")" : "]") << ", got "
          << nlohmann::json(v).dump();
        problem(path, m.str());
    }
    void nonEmpty(const std::string &path, const std::string &v)
    {
        if (v.empty())
            problem(path, "expected a non-empty string, got \"\"");
    }
    // 1..maxCount strictly ascending numbers of days, each >= 0 (or > 0 when !allowZero).
    void ascendingDays(const std::string &path, const std::vector<double> &days, size_t maxCount,
                       bool allowZero)
    {
        bool ok = !days.empty() && days.size() <= maxCount;
        for (size_t i = 0; ok && i < days.size(); ++i)
            ok = (allowZero ? days[i] >= 0 : days[i] > 0) && (i == 0 || days[i] > days[i - 1]);
        if (!ok)
            problem(path, "expected 1 to " + std::to_string(maxCount) + " " +
                              (allowZero ? "non-negative" : "positive") +
                              ", strictly ascending numbers of days, got " +
                              nlohmann::json(days).dump());
    }
    void timeFormat(const std::string &path, const TimeFormat &f)
    {
        const std::string p = TimeParser::validate(f);
        if (!p.empty())
            problem(path, p);
    }

private:
    std::vector<ConfigProblem> &m_out;
};

// events: every source, its fields, via hops, names and clocks (config_sources.cpp).
void checkEvents(Checker &c, const Config &config);
// labels.split as a time split: a cutoff column, parseable times, valid_after <= test_after.
void checkTimeSplit(Checker &c, const LabelConfig &labels);
// monitoring: segments, approval rate, thresholds and their order.
void checkMonitoring(Checker &c, const Config &config);

} // namespace seqlens::config_detail
