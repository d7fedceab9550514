// SPDX-License-Identifier: GPL-3.0-or-later
// A tiny event/label dataset written to a temporary directory, with its config.
#pragma once

#include "seqlens/data/config.h"
#include "test_util.h"

namespace testutil {

struct Fixture {
    QTemporaryDir dir;
    std::string labelsExtra; // extra JSON members for "labels"
    std::string sequenceJson = R"({"max_items": 3, "time_buckets_days": [1, 7, 30]})";
    std::string extraTop; // extra top-level JSON members, e.g. ", \"baseline\": {...}"

    seqlens::Config config(
        const std::string &events, const std::string &labels,
        const std::string &fields =
            R"([{"name": "kind", "type": "categorical"}, {"name": "amount", "type": "numeric"}])")
    {
        writeFile(dir, "events.csv", events);
        writeFile(dir, "labels.csv", labels);
        std::string json = R"({"schema_version": 1,
          "events": [{"path": "events.csv", "entity": "id", "time": "t", "time_format": "iso", "fields": )" +
                           fields + R"(}],
          "labels": {"path": "labels.csv", "entity": "id", "target": "bad", "positive": ["1"], "negative": ["0"],
                     "cutoff": "app", "cutoff_format": "iso")" +
                           labelsExtra + R"(},
          "sequence": )" + sequenceJson +
                           extraTop + "}";
        return seqlens::parseConfig(json, "config.json", dir.path().toStdString());
    }
};

// Labels: a (bad, cutoff 2020-02-01), b (good, cutoff 2020-03-01), c (bad, no events).
inline const char *kLabels = "id,app,bad\na,2020-02-01,1\nb,2020-03-01,0\nc,2020-03-01,1\n";
// Events in file order (not time order); one after a's cutoff, one of unknown entity z.
inline const char *kEvents = "id,t,kind,amount\n"
                             "a,2020-01-20,pay,10\n"
                             "b,2020-02-10,late,\n"
                             "a,2020-01-01,pay,100\n"
                             "z,2020-01-05,pay,1\n"
                             "a,2020-02-05,collect,999\n"
                             "a,2020-01-30,late,1000\n"
                             "b,2020-02-28,pay,5\n";

} // namespace testutil
