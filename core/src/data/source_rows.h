// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to loading event sources: the parent tables of `via` hops, and the column-wise sink
// of one field's values.
#pragma once

#include "event_sources.h"
#include "seqlens/util/error.h"

#include <cmath>

#include <string>
#include <unordered_map>
#include <vector>

namespace seqlens::data_detail {

using KeyMap = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;

// A parent table of a via hop: each key once, mapped to the next key and the carried values.
struct HopTable {
    std::string path, keyColumn;
    KeyMap rowOfKey;
    std::vector<std::string> next;                // per row: the next hop's key or the applicant
    std::vector<std::vector<std::string>> values; // per row: the hop's carried fields
};

// Reads one hop's table; throws a Data error for a missing column or a duplicate key.
HopTable readHop(const Config &cfg, const ViaHop &hop, const CancelToken *cancel);

// Appends one field's value per event; interned categorical values, parsed numbers.
class FieldSink {
public:
    explicit FieldSink(RawField &field) : m_f(field) {}

    void absent()
    {
        if (m_f.config.type == FieldType::Categorical)
            m_f.codes.push_back(-1);
        else
            m_f.values.push_back(std::nanf(""));
    }
    void push(std::string_view v, const CsvReader &r, const std::string &column)
    {
        if (isMissingToken(v)) {
            ++m_f.missing;
            absent();
            return;
        }
        v = trimView(v);
        if (m_f.config.type == FieldType::Categorical) {
            auto hit = m_interned.find(v);
            if (hit == m_interned.end()) {
                hit = m_interned.emplace(std::string(v), int32_t(m_f.pool.size())).first;
                m_f.pool.emplace_back(v);
            }
            m_f.codes.push_back(hit->second);
            return;
        }
        double x;
        if (!parseDouble(v, x)) {
            if (!m_f.config.invalidAsMissing)
                throwData(where(r) + ": column \"" + column + "\": \"" + std::string(v) +
                          "\" is not a number (use \".\" as decimal point, or set \"invalid\": "
                          "\"missing\" for this field)");
            ++m_f.invalid;
            absent();
            return;
        }
        if (!std::isfinite(x)) {
            ++m_f.nonFinite;
            absent();
            return;
        }
        m_f.values.push_back(static_cast<float>(x));
    }

private:
    RawField &m_f;
    KeyMap m_interned;
};

} // namespace seqlens::data_detail
