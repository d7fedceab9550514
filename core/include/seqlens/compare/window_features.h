// SPDX-License-Identifier: GPL-3.0-or-later
// Hand-made window features, the traditional scorecard input, generated from the same config
// and the same leak-free event histories as the sequence model. For each window before the
// applicant's cutoff (or last event, without a cutoff): event count; counts of the most
// frequent values of each categorical field and of the rest ("other"); sum, mean and max of
// each numeric field. Plus days since the last and the first event, and the static
// labels.features columns. Names read like cnt_90d_event_type=late_payment. With several event
// sources, also the count and the days since the last and first event per source
// (cnt_90d_bureau, days_since_last_bureau), and fields carry their source (cnt_90d_bureau.STATUS=X).
#pragma once

#include "seqlens/data/dataset.h"

#include <string>
#include <vector>

namespace seqlens {

// Row-major [rows, columns]; NaN = missing (an empty window's mean, a missing static value).
struct FeatureMatrix {
    std::vector<std::string> names;
    int64_t rows = 0;
    std::vector<double> values;
    double at(int64_t r, size_t c) const { return values[size_t(r) * names.size() + c]; }
    size_t columns() const { return names.size(); }
};

class WindowFeatureBuilder {
public:
    // Chooses the named categorical values from the events (and static values) of the
    // development applicants `devRows` only: the test split never influences the features.
    static WindowFeatureBuilder fit(const RawDataset &data, const Config &config,
                                    const std::vector<int64_t> &devRows);
    FeatureMatrix build(const RawDataset &data) const;
    const std::vector<std::string> &names() const { return m_names; }
    // Static numeric values that were not numbers (counted as missing), per build.
    int64_t lastInvalidStatic() const { return m_invalidStatic; }

private:
    std::vector<double> m_windows;
    std::vector<std::string> m_sources; // several event sources: their names (counts per source)
    std::vector<std::vector<std::string>> m_topValues; // per event field (empty for numeric)
    std::vector<std::vector<std::string>>
        m_staticTopValues; // per static feature (empty for numeric)
    std::vector<StaticFeatureConfig> m_static;
    std::vector<std::string> m_names;
    mutable int64_t m_invalidStatic = 0;
};

// Writes entity, split, label and every feature as CSV (`splits` per applicant).
void writeFeaturesCsv(const std::string &path, const RawDataset &data,
                      const std::vector<Split> &splits, const FeatureMatrix &features);

} // namespace seqlens
