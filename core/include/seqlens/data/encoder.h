// SPDX-License-Identifier: GPL-3.0-or-later
// The preprocessing module: fits vocabularies, numeric statistics and time buckets on the
// training split, and turns raw applicant histories into model inputs. The fitted encoder
// is saved in the model bundle, and scoring uses exactly it (train/serve parity).
#pragma once

#include "seqlens/data/dataset.h"

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace seqlens {

// Reserved codes of every categorical input (event fields and time buckets).
constexpr int32_t kCodePad = 0;
constexpr int32_t kCodeMissing = 1; // value missing; for "time since previous": first event
constexpr int32_t kCodeUnseen = 2;  // categorical value not in the vocabulary (rare or new)
constexpr int32_t kFirstVocabCode = 3;
constexpr int32_t kFirstBucketCode = 2;

// State of a numeric input.
constexpr uint8_t kNumPad = 0;
constexpr uint8_t kNumMissing = 1;
constexpr uint8_t kNumPresent = 2;

// The bucket of a gap of `days` between ascending `edges`: bucket i holds gaps in
// (edges[i-1], edges[i]], bucket 0 gaps <= edges[0], bucket edges.size() gaps beyond the last
// edge. One rule for the encoder and for every summary by time band.
size_t bucketIndex(const std::vector<double> &edges, double days);

struct CategoricalEncoding {
    std::string name;
    std::vector<std::string> vocabulary; // code kFirstVocabCode + i
    int32_t source = 0;                  // index into Encoder::sources()
    int64_t cardinality() const { return kFirstVocabCode + int64_t(vocabulary.size()); }
};

struct NumericEncoding {
    std::string name;
    NumericTransform transform = NumericTransform::None;
    double mean = 0.0, stddev = 1.0; // of the transformed training values
    int32_t source = 0;              // index into Encoder::sources()
    // sequence.time_since_same: the categorical field whose previous event with the same value
    // this input measures the days since ("" = a numeric field of the event table).
    std::string sameAs;
    // sequence.change_since_same (with sameAs): the numeric field whose change since that
    // previous event (with the field present) this input is, as a difference of the field's
    // transformed values; `transform` is then none.
    std::string changeOf;
    bool isTimeSinceSame() const { return !sameAs.empty() && changeOf.empty(); }
};

// An event source as the encoder knows it: its name and its own bound on events.
struct SourceEncoding {
    std::string name;
    int64_t maxItems = 0; // 0 = only the merged timeline's bound
};

// Per-event inputs of all applicants after encoding and truncation.
struct EncodedDataset {
    int64_t numCat = 0;            // categorical inputs per event (fields + time buckets)
    int64_t numNum = 0;            // numeric inputs per event
    std::vector<int64_t> offsets;  // applicant a: events [offsets[a], offsets[a+1])
    std::vector<int32_t> cat;      // [events, numCat] codes
    std::vector<float> num;        // [events, numNum] standardized values (0 unless present)
    std::vector<uint8_t> numState; // [events, numNum] kNumMissing / kNumPresent
    std::vector<int64_t> rawEvent; // per kept event: its index in RawDataset::times
    std::vector<float> days;       // per kept event: days before the cutoff (or last event)
    std::vector<uint8_t> source;   // per kept event: its source (empty with one source)
    std::vector<float> labels;     // per applicant: 1, 0, or -1 unknown

    int64_t applicantCount() const { return int64_t(labels.size()); }
    int64_t length(int64_t a) const { return offsets[size_t(a) + 1] - offsets[size_t(a)]; }
};

struct EncodeReport {
    std::vector<std::string> categoricalFields; // names of the categorical event fields (unseen)
    std::vector<std::string> inputs;            // Encoder::inputNames() (missing)
    int64_t truncatedApplicants = 0; // histories longer than max_items (or a source's own)
    int64_t truncatedEvents = 0;     // older events dropped by truncation
    std::vector<int64_t> unseen;     // per categorical event field: values mapped to "unseen"
    std::vector<int64_t> missing;    // per input field (categorical then numeric): missing values
};

class Encoder {
public:
    // Fits vocabularies and numeric statistics on the applicants `rows` (the training split):
    // nothing else influences the encoder.
    static Encoder fit(const RawDataset &data, const Config &config,
                       const std::vector<int64_t> &rows);

    // Every applicant of `data`, on up to `threads` threads (0 = one per hardware thread); the
    // result does not depend on the thread count.
    EncodedDataset encode(const RawDataset &data, EncodeReport *report = nullptr,
                          int64_t threads = 1) const;

    // Names of the model inputs, categorical first, then numeric: the field-attention axis.
    std::vector<std::string> inputNames() const;
    std::vector<int64_t> cardinalities() const; // per categorical input
    // Per input (inputNames() order): the source whose events have it, -1 for time inputs.
    std::vector<int32_t> inputSources() const;
    const std::vector<SourceEncoding> &sources() const { return m_sources; }
    int64_t numCategorical() const { return int64_t(m_categorical.size()) + timeInputs(); }
    int64_t numNumeric() const { return int64_t(m_numeric.size()); }
    int64_t maxItems() const { return m_maxItems; }
    const std::vector<double> &timeBucketsDays() const { return m_bucketEdges; }

    std::string toJson() const;
    static Encoder fromJson(const std::string &json, const std::string &source);

    const std::vector<CategoricalEncoding> &categorical() const { return m_categorical; }
    const std::vector<NumericEncoding> &numeric() const { return m_numeric; }

    // The raw events of applicant `a` that encode() keeps, ascending: the latest of each source
    // within its own max_items, then the latest sequence.max_items of those.
    std::vector<int64_t> keptEvents(const RawDataset &data, size_t a) const;

    // Bucket code of a non-negative gap in days.
    int32_t bucketCode(double days) const;

private:
    bool timeInSource() const { return m_timeSincePrevious && m_sources.size() > 1; }
    int64_t timeInputs() const
    {
        return int64_t(m_timeSincePrevious) + int64_t(timeInSource()) + int64_t(m_timeBeforeCutoff);
    }
    double transformValue(size_t numericIndex, double x) const;
    // The raw events of applicant a that the encoding keeps, ascending: the latest of each
    // source within its own bound, then the latest max_items of those.
    std::vector<int64_t> keptEvents(const RawDataset &data, size_t a,
                                    const std::vector<int32_t> &sourceOfData) const;
    // encode()'s parts (encoder.cpp): where the fields are in the data, and the rows it writes.
    struct Lookup;
    Lookup lookupIn(const RawDataset &data) const;
    void writeApplicant(const RawDataset &data, size_t a, std::span<const int64_t> kept,
                        const Lookup &lookup, EncodedDataset &out, EncodeReport &report) const;
    int32_t *writeCategorical(const RawDataset &data, size_t event, int32_t source,
                              const Lookup &lookup, int32_t *row, EncodeReport &report) const;
    // `same`: per numeric input, the applicant's time_since_same or change_since_same values by
    // event (empty for a field of the event table); `pos`: the event's position in the history.
    void writeNumeric(const RawDataset &data, size_t event, int32_t source, const Lookup &lookup,
                      const std::vector<std::vector<float>> &same, size_t pos,
                      EncodedDataset &out, size_t row, EncodeReport &report) const;

    std::vector<CategoricalEncoding> m_categorical;
    std::vector<NumericEncoding> m_numeric;
    std::vector<SourceEncoding> m_sources = {{kDefaultSourceName, 0}};
    std::vector<double> m_bucketEdges;
    bool m_timeSincePrevious = true;
    bool m_timeBeforeCutoff = true;
    int64_t m_maxItems = 128;
};

} // namespace seqlens
