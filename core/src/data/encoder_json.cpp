// SPDX-License-Identifier: GPL-3.0-or-later
// The fitted encoder as JSON, as the model bundle stores it.
#include "seqlens/data/encoder.h"

#include "seqlens/util/error.h"

#include <nlohmann/json.hpp>

namespace seqlens {

using nlohmann::json;

std::string Encoder::toJson() const
{
    json cats = json::array(), nums = json::array();
    for (const auto &c : m_categorical)
        cats.push_back({{"name", c.name}, {"vocabulary", c.vocabulary}, {"source", c.source}});
    for (const auto &n : m_numeric) {
        nums.push_back({{"name", n.name},
                        {"transform", toString(n.transform)},
                        {"mean", n.mean},
                        {"stddev", n.stddev},
                        {"source", n.source}});
        if (!n.sameAs.empty())
            nums.back()["same_as"] = n.sameAs;
        if (!n.changeOf.empty())
            nums.back()["change_of"] = n.changeOf;
    }
    json sources = json::array();
    for (const auto &s : m_sources)
        sources.push_back({{"name", s.name}, {"max_items", s.maxItems}});
    json j = {{"categorical", cats},
              {"numeric", nums},
              {"time_buckets_days", m_bucketEdges},
              {"time_since_previous", m_timeSincePrevious},
              {"time_before_cutoff", m_timeBeforeCutoff},
              {"max_items", m_maxItems},
              {"sources", sources}};
    return j.dump();
}

Encoder Encoder::fromJson(const std::string &text, const std::string &source)
{
    try {
        json j = json::parse(text);
        Encoder enc;
        for (const auto &c : j.at("categorical"))
            enc.m_categorical.push_back({c.at("name").get<std::string>(),
                                         c.at("vocabulary").get<std::vector<std::string>>(),
                                         c.value("source", 0)});
        for (const auto &n : j.at("numeric")) {
            NumericEncoding ne;
            ne.name = n.at("name").get<std::string>();
            std::string t = n.at("transform").get<std::string>();
            ne.transform = t == "log1p"        ? NumericTransform::Log1p
                           : t == "signed_log" ? NumericTransform::SignedLog
                                               : NumericTransform::None;
            ne.mean = n.at("mean").get<double>();
            ne.stddev = n.at("stddev").get<double>();
            ne.source = n.value("source", 0);
            ne.sameAs = n.value("same_as", std::string());
            ne.changeOf = n.value("change_of", std::string());
            enc.m_numeric.push_back(ne);
        }
        enc.m_bucketEdges = j.at("time_buckets_days").get<std::vector<double>>();
        enc.m_timeSincePrevious = j.at("time_since_previous").get<bool>();
        enc.m_timeBeforeCutoff = j.at("time_before_cutoff").get<bool>();
        enc.m_maxItems = j.at("max_items").get<int64_t>();
        if (j.contains("sources")) { // bundles before several sources have one
            enc.m_sources.clear();
            for (const auto &s : j.at("sources"))
                enc.m_sources.push_back(
                    {s.at("name").get<std::string>(), s.at("max_items").get<int64_t>()});
        }
        const auto count = int32_t(enc.m_sources.size());
        for (const auto &c : enc.m_categorical)
            if (c.source < 0 || c.source >= count)
                throw std::out_of_range("categorical \"" + c.name + "\": unknown source");
        for (const auto &n : enc.m_numeric)
            if (n.source < 0 || n.source >= count)
                throw std::out_of_range("numeric \"" + n.name + "\": unknown source");
        return enc;
    } catch (const std::exception &e) {
        throwData(source + ": encoder is unreadable (" + std::string(e.what()) +
                  "); the bundle is corrupted");
    }
}

} // namespace seqlens
