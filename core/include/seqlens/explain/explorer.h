// SPDX-License-Identifier: GPL-3.0-or-later
// Interactive explanation of many applicants: the model, its encoder and the encoded data stay
// in memory, so explaining one more applicant is one forward pass (well under a millisecond
// for the demo model) instead of reloading the files as explainWithBundle does; both explain
// through explainApplicant.
#pragma once

#include "seqlens/bundle.h"
#include "seqlens/data/dataset.h"
#include "seqlens/data/encoder.h"
#include "seqlens/explain/explain_workflow.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace seqlens {

class ApplicantExplorer {
public:
    // Loads the bundle and the data files named in its config (or the given paths), with the
    // run's own split (the label table's split column, else the seeded random split). Slow: run
    // it on a worker thread. Throws Data errors naming the file.
    // `cancel` stops it between rows or batches with a Cancelled error.
    static std::unique_ptr<ApplicantExplorer> open(const std::string &bundleDir,
                                                   const EventFiles &events = {},
                                                   const std::string &labelsPath = {},
                                                   const CancelToken *cancel = nullptr);

    int64_t count() const;
    const std::string &id(int64_t applicant) const;
    int64_t find(const std::string &id) const; // -1 when unknown
    double score(int64_t applicant) const;     // cached at open
    int label(int64_t applicant) const;
    Split split(int64_t applicant) const;
    const std::vector<std::string> &fields() const { return m_fields; } // event field names
    const std::vector<std::string> &fieldTypes() const
    {
        return m_types;
    } // "categorical" / "numeric"
    const std::vector<std::string> &inputs() const
    {
        return m_inputs;
    } // model inputs (attention columns)
    // Event sources (several sources only; empty with one): their names, the source of each
    // event field (index into sources()) and of each input (-1: a time input every event has).
    const std::vector<std::string> &sources() const { return m_sources; }
    const std::vector<int> &fieldSources() const { return m_fieldSources; }
    const std::vector<int> &inputSources() const { return m_inputSources; }
    ApplicantExplanation explain(int64_t applicant, const ExplainOptions &options) const;
    ApplicantExplanation explain(int64_t applicant) const
    {
        return explain(applicant, defaultOptions());
    }
    // The applicant's explanation after the edits (each edit counts event indices in the
    // history the previous edits left).
    ApplicantExplanation explainEdited(int64_t applicant, const std::vector<HistoryEdit> &edits,
                                       const ExplainOptions &options) const;
    // The explain options of the bundle's config.
    ExplainOptions defaultOptions() const { return explainOptions(m_bundle.config); }

private:
    ModelBundle m_bundle;
    RawDataset m_raw;
    EncodedDataset m_data;
    std::vector<Split> m_splits;
    std::vector<double> m_scores;
    std::vector<std::string> m_fields, m_types, m_inputs, m_sources;
    std::vector<int> m_fieldSources, m_inputSources;
    std::unordered_map<std::string, int64_t> m_index;
};

} // namespace seqlens
