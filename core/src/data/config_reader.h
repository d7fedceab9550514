// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the config parser: walks the JSON of a config, records every problem with its JSON
// pointer and flags unknown keys. Ranges are checked later by validate() (config_validate.cpp).
#pragma once

#include "seqlens/data/config.h"
#include "seqlens/data/config_limits.h"
#include "seqlens/data/csv_reader.h"

#include <nlohmann/json.hpp>

#include <set>
#include <sstream>
#include <string>
#include <optional>
#include <vector>

namespace seqlens::config_detail {

using nlohmann::json;

inline const char *typeName(const json &v)
{
    if (v.is_null())
        return "null";
    if (v.is_boolean())
        return "a boolean";
    if (v.is_number_integer() || v.is_number_unsigned())
        return "an integer";
    if (v.is_number())
        return "a number";
    if (v.is_string())
        return "a string";
    if (v.is_array())
        return "an array";
    return "an object";
}

inline std::string shown(const json &v)
{
    std::string s = v.dump();
    return s.size() > 40 ? s.substr(0, 40) + "..." : s;
}

// Walks one JSON object, records problems with their JSON pointers, and flags unknown keys.
class Reader {
public:
    Reader(std::vector<std::string> &problems, std::string source)
        : m_problems(problems), m_source(std::move(source))
    {}

    void problem(const std::string &path, const std::string &msg)
    {
        m_problems.push_back(m_source + ": " + path + ": " + msg);
        m_paths.insert(path);
    }
    // Whether `path` or one of its parents already has a problem.
    bool covered(const std::string &path) const
    {
        for (const auto &p : m_paths)
            if (path == p || path.rfind(p + "/", 0) == 0)
                return true;
        return false;
    }

    // Checks that `v` is an object and that it has only `allowed` keys.
    bool object(const json &v, const std::string &path, std::initializer_list<const char *> allowed)
    {
        if (!v.is_object()) {
            problem(path.empty() ? "/" : path,
                    std::string("expected an object, got ") + typeName(v));
            return false;
        }
        std::set<std::string> ok(allowed.begin(), allowed.end());
        for (auto it = v.begin(); it != v.end(); ++it)
            if (!ok.count(it.key())) {
                std::string list;
                for (auto *k : allowed)
                    list += std::string(list.empty() ? "" : ", ") + k;
                problem(path + "/" + it.key(), "unknown key (expected one of: " + list + ")");
            }
        return true;
    }

    const json *member(const json &obj, const char *key, const std::string &path, bool required)
    {
        if (!obj.is_object())
            return nullptr;
        auto it = obj.find(key);
        if (it == obj.end()) {
            if (required)
                problem(path + "/" + key, "required key is missing");
            return nullptr;
        }
        return &*it;
    }

    void str(const json &obj, const char *key, const std::string &path, std::string &out,
             bool required = false)
    {
        const json *v = member(obj, key, path, required);
        if (!v)
            return;
        if (!v->is_string())
            problem(path + "/" + key, std::string("expected a non-empty string, got ") + shown(*v));
        else
            out = v->get<std::string>();
    }

    void optStr(const json &obj, const char *key, const std::string &path,
                std::optional<std::string> &out)
    {
        const json *v = member(obj, key, path, false);
        if (!v || v->is_null())
            return;
        if (!v->is_string() || v->get<std::string>().empty())
            problem(path + "/" + key,
                    std::string("expected a column name or null, got ") + shown(*v));
        else
            out = v->get<std::string>();
    }

    // Reads an integer; its range is checked by validate() (the range names it in messages).
    void integer(const json &obj, const char *key, const std::string &path, int64_t &out,
                 IntRange range)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        const bool tooLarge = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX);
        if ((!v->is_number_integer() && !v->is_number_unsigned()) || tooLarge) {
            problem(path + "/" + key, "expected an integer in [" + std::to_string(range.lo) + ", " +
                                          std::to_string(range.hi) + "], got " + shown(*v));
            return;
        }
        out = v->get<int64_t>();
    }

    // Reads a number; its range is checked by validate().
    void number(const json &obj, const char *key, const std::string &path, double &out,
                RealRange range)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        if (!v->is_number()) {
            std::ostringstream m;
            m << "expected a number in [" << range.lo << ", " << range.hi
              << (range.hiOpen ? ")" : "]") << ", got " << shown(*v);
            problem(path + "/" + key, m.str());
            return;
        }
        out = v->get<double>();
    }

    // A number or null (absent or null: `out` is left unset); its range is checked by validate().
    void optNumber(const json &obj, const char *key, const std::string &path,
                   std::optional<double> &out, RealRange range)
    {
        const json *v = member(obj, key, path, false);
        if (!v || v->is_null())
            return;
        double value = 0.0;
        number(obj, key, path, value, range);
        if (v->is_number())
            out = value;
    }

    void boolean(const json &obj, const char *key, const std::string &path, bool &out)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        if (!v->is_boolean())
            problem(path + "/" + key, std::string("expected true or false, got ") + shown(*v));
        else
            out = v->get<bool>();
    }

    template <typename E>
    void choice(const json &obj, const char *key, const std::string &path, E &out,
                std::initializer_list<std::pair<const char *, E>> options)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        std::string list;
        for (auto &o : options) {
            list += std::string(list.empty() ? "" : ", ") + "\"" + o.first + "\"";
            if (v->is_string() && v->get<std::string>() == o.first) {
                out = o.second;
                return;
            }
        }
        problem(path + "/" + key, "expected one of " + list + ", got " + shown(*v));
    }

    void strings(const json &obj, const char *key, const std::string &path,
                 std::vector<std::string> &out, bool required)
    {
        const json *v = member(obj, key, path, required);
        if (!v)
            return;
        if (!v->is_array() || (required && v->empty())) {
            problem(path + "/" + key, std::string("expected ") + (required ? "a non-empty " : "an ") +
                                          "array of strings, got " + shown(*v));
            return;
        }
        out.clear();
        for (size_t i = 0; i < v->size(); ++i) {
            const json &e = (*v)[i];
            if (e.is_string())
                out.push_back(e.get<std::string>());
            else if (e.is_number_integer())
                out.push_back(std::to_string(e.get<int64_t>()));
            else
                problem(path + "/" + key + "/" + std::to_string(i),
                        std::string("expected a string, got ") + shown(e));
        }
    }

    // An array of numbers of days; its ordering and bounds are checked by validate().
    void days(const json &obj, const char *key, const std::string &path, std::vector<double> &out)
    {
        const json *v = member(obj, key, path, false);
        if (!v)
            return;
        bool ok = v->is_array();
        for (size_t i = 0; ok && i < v->size(); ++i)
            ok = (*v)[i].is_number();
        if (!ok) {
            problem(path + "/" + key, "expected an array of numbers of days, got " + shown(*v));
            return;
        }
        out = v->get<std::vector<double>>();
    }

    void delimiter(const json &obj, const std::string &path, char &out)
    {
        std::string d = "auto";
        const json *v = member(obj, "delimiter", path, false);
        if (!v)
            return;
        if (!v->is_string() || !parseDelimiterSetting(v->get<std::string>(), out))
            problem(path + "/delimiter",
                    "expected \"auto\", \",\", \";\" or \"\\t\", got " + shown(*v));
    }

    void timeFormat(const json &obj, const std::string &path, const char *fmtKey,
                    const char *unitKey, const char *originKey, TimeFormat &out)
    {
        str(obj, fmtKey, path, out.format);
        str(obj, unitKey, path, out.unit);
        str(obj, originKey, path, out.origin);
    }

private:
    std::vector<std::string> &m_problems;
    std::set<std::string> m_paths;
    std::string m_source;
};

// Section readers of config_parse_sections.cpp and config_sources.cpp.
void readEvents(Reader &r, const json &root, Config &c);
void readBaseline(Reader &r, const json &root, BaselineConfig &b);
void readExplain(Reader &r, const json &root, ExplainConfig &e);
void readMonitoring(Reader &r, const json &root, MonitoringConfig &m);
void readSplit(Reader &r, const json &labels, const std::string &path, LabelConfig &l);

} // namespace seqlens::config_detail
