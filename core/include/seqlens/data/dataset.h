// SPDX-License-Identifier: GPL-3.0-or-later
// Raw, not yet encoded event data of all applicants: events grouped per applicant and
// sorted by time, categorical values interned per field, numeric values as parsed.
#pragma once

#include "seqlens/util/cancel.h"
#include "seqlens/data/config.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace seqlens {

enum class Split : uint8_t { Unassigned, Train, Valid, Test };
const char *toString(Split s);

struct Applicant {
    std::string id;
    int label = -1;               // 1 bad, 0 good, -1 unknown
    double cutoff = std::nan(""); // days since epoch; NaN = none
    Split givenSplit = Split::Unassigned; // from labels.split (a column or a time split)
    int64_t eventsAfterCutoff = 0;        // events excluded at or after the cutoff
    std::vector<std::string>
        features; // labels.features values as text, in config order ("" = missing)
    std::vector<std::string>
        segments; // monitoring.segments values as text, in config order ("" = missing)
};

// One configured event field, stored column-wise over all kept events (of every source: the
// events of other sources hold -1 / NaN and are not counted as missing).
struct RawField {
    FieldConfig config;            // config.name is the qualified name (eventFields())
    size_t source = 0;             // the event source it belongs to
    std::vector<int32_t> codes;    // categorical: index into `pool`, -1 = missing
    std::vector<std::string> pool; // categorical: distinct raw values
    std::vector<float> values;     // numeric: parsed value, NaN = missing or non-finite
    int64_t missing = 0;           // empty / NA values
    int64_t nonFinite = 0;         // numeric: NaN or +-inf in the file (encoded as missing)
    int64_t invalid = 0;           // numeric: text counted as missing (field "invalid": "missing")
};

// What loading one event source did (its rows, joins and exclusions).
struct SourceLoadReport {
    std::string name, path;
    std::vector<std::string> viaPaths; // the parent tables of `via`, in hop order
    int64_t rows = 0;          // data rows read from the source's table
    int64_t kept = 0;          // events attached to an applicant, before the cutoff
    int64_t afterCutoff = 0;   // excluded: at or after the applicant's cutoff
    int64_t unknownEntity = 0; // ignored: the applicant has no row in the label table
    int64_t joinMisses = 0;    // ignored: a via key not found in its parent table
    int64_t applicantsCovered = 0; // applicants with at least one kept event of this source
    uint64_t fingerprint = 0;  // FNV-1a 64 of the source table
};

struct LoadReport {
    std::string eventsPath, labelsPath; // with several sources: "name=path, ..."
    int64_t eventRows = 0;           // data rows read from the event table
    int64_t eventsKept = 0;          // events attached to an applicant, before the cutoff
    int64_t eventsAfterCutoff = 0;   // excluded: at or after the applicant's cutoff (no leakage)
    int64_t eventsUnknownEntity = 0; // ignored: entity has no row in the label table
    int64_t labelRows = 0;
    int64_t labelMissing = 0; // label rows skipped because the target is empty
    int64_t applicants = 0;
    int64_t applicantsWithoutEvents = 0;
    int64_t positives = 0, negatives = 0;
    uint64_t eventsFingerprint =
        0; // FNV-1a 64 of the event file's (uncompressed) content, hashed while reading
    uint64_t labelsFingerprint = 0;
    std::vector<SourceLoadReport> sources; // one per event source, in config order
};

struct RawDataset {
    std::vector<Applicant> applicants;
    std::vector<int64_t> offsets; // events of applicant a: [offsets[a], offsets[a+1])
    std::vector<double> times;    // per event, days since epoch, ascending within an applicant
    std::vector<RawField> fields; // every source's fields, as eventFields(config)
    std::vector<std::string> sourceNames; // per event source, in config order
    std::vector<uint8_t> eventSource;     // per event, index into sourceNames
    LoadReport report;

    int64_t eventCount(int64_t a) const { return offsets[size_t(a) + 1] - offsets[size_t(a)]; }
    // Raw text of a field value, "" when missing (numeric values in shortest form).
    std::string valueText(size_t field, int64_t event) const;
};

// Event files given instead of the config's paths: one path for a one-source config, or one
// "name=path" per source (all of them).
struct EventFiles {
    std::vector<std::pair<std::string, std::string>> files; // (source name or "", path)

    EventFiles() = default;
    EventFiles(std::string path) // NOLINT: a single path converts implicitly
    {
        if (!path.empty())
            files.emplace_back(std::string(), std::move(path));
    }
    EventFiles(const char *path) : EventFiles(std::string(path)) {} // NOLINT
    bool empty() const { return files.empty(); }
    // "path", or "name=path, name=path".
    std::string describe() const;
    // Command-line values: "path" or "name=path" each (a name is letters, digits, '_', '-').
    static EventFiles parse(const std::vector<std::string> &values);
};

// The file of every source of `config`: the config's own paths when `files` is empty, else
// `files` (a single unnamed path only for one source; named files must cover every source).
// Throws a Usage error naming what is missing or unknown.
std::vector<std::string> resolveEventFiles(const Config &config, const EventFiles &files);

struct LoadOptions {
    EventFiles eventFiles;     // overrides the config's event paths when not empty
    std::string labelsPath;    // overrides labels.path when not empty
    bool useLabels = true;     // false: applicants are the entities of the event table
    bool requireTarget = true; // false: a label table without the target column is fine (scoring)
    std::string onlyEntity;    // when set, keep only this applicant (explain)
    const CancelToken *cancel = nullptr; // checked every 64k rows; throws a Cancelled error
};

// Reads the label and event tables described by `config`. Throws Data errors naming
// file and line. Does not assign splits (see assignSplits).
RawDataset loadDataset(const Config &config, const LoadOptions &options = {});

// The split of every applicant: its given split (labels.split) where there is one, else a
// stratified random one, seeded; applicants with unknown labels stay Unassigned. Fractions as in
// TrainingConfig. Pure: the dataset is not changed.
std::vector<Split> assignSplits(const RawDataset &data, double validFraction, double testFraction,
                                uint64_t seed);

// The labeled applicants of `split`, ascending.
std::vector<int64_t> rowsIn(const RawDataset &data, const std::vector<Split> &splits, Split split);
// Every applicant, ascending.
std::vector<int64_t> allRows(const RawDataset &data);
// 0, 1, ..., n - 1.
std::vector<int64_t> rowRange(int64_t n);

} // namespace seqlens
