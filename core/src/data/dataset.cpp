// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/dataset.h"

#include "event_sources.h"

#include "seqlens/data/csv_reader.h"
#include "seqlens/util/error.h"
#include "seqlens/util/text_util.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>
#include <unordered_map>

namespace seqlens {

const char *toString(Split s)
{
    switch (s) {
    case Split::Train: return "train";
    case Split::Valid: return "valid";
    case Split::Test: return "test";
    case Split::Unassigned: break;
    }
    return "unassigned";
}

std::string RawDataset::valueText(size_t field, int64_t event) const
{
    const RawField &f = fields[field];
    if (f.config.type == FieldType::Categorical) {
        int32_t c = f.codes[size_t(event)];
        return c < 0 ? std::string() : f.pool[size_t(c)];
    }
    float v = f.values[size_t(event)];
    return std::isnan(v) ? std::string() : formatNumber(v);
}

namespace {

using data_detail::EntityMap;
using data_detail::readEventSources;
using data_detail::where;

int parseLabel(const LabelConfig &lc, std::string_view v, const CsvReader &r)
{
    for (const auto &p : lc.positive)
        if (v == p)
            return 1;
    if (lc.negative.empty())
        return 0;
    for (const auto &n : lc.negative)
        if (v == n)
            return 0;
    throwData(
        where(r) + ": column \"" + lc.target + "\": value \"" + std::string(v) +
        "\" is neither a positive nor a negative label (see labels.positive / labels.negative)");
}

Split parseSplit(std::string_view v, const CsvReader &r, const std::string &col)
{
    std::string s = lowerAscii(v);
    if (s == "train" || s == "training")
        return Split::Train;
    if (s == "valid" || s == "validation" || s == "val")
        return Split::Valid;
    if (s == "test" || s == "oot")
        return Split::Test;
    if (s.empty())
        return Split::Unassigned;
    throwData(where(r) + ": column \"" + col + "\": expected train, valid or test, got \"" +
              std::string(v) + "\"");
}

// A label-table cell as text: "" when the column is absent (-1) or the value is missing.
std::string textOrMissing(const std::vector<std::string_view> &f, int col)
{
    const std::string_view v = col >= 0 ? f[size_t(col)] : std::string_view();
    return std::string(isMissingToken(v) ? std::string_view() : trimView(v));
}

void readLabels(const Config &cfg, const LoadOptions &opt, RawDataset &d, EntityMap &index)
{
    const LabelConfig &lc = cfg.labels;
    std::string path = opt.labelsPath.empty() ? cfg.resolve(lc.path) : opt.labelsPath;
    CsvReader r(path, CsvOptions{lc.delimiter});
    d.report.labelsPath = path;
    const int ent = r.requireColumn(lc.entity);
    const int tgt = opt.requireTarget ? r.requireColumn(lc.target) : r.columnIndex(lc.target);
    const int cut = lc.cutoff ? r.requireColumn(*lc.cutoff) : -1;
    // The split column is read whenever configured (the inspector needs the run's own split);
    // only training requires it to be there.
    const int spl = !lc.split           ? -1
                    : opt.requireTarget ? r.requireColumn(*lc.split)
                                        : r.columnIndex(*lc.split);
    std::vector<int> featureCols, segmentCols;
    for (const auto &f : lc.features)
        featureCols.push_back(opt.requireTarget ? r.requireColumn(f.name) : r.columnIndex(f.name));
    for (const auto &name : cfg.monitoring.segments)
        segmentCols.push_back(opt.requireTarget ? r.requireColumn(name) : r.columnIndex(name));
    const auto timeSplit = timeSplitDays(lc);
    const auto cutoffValue = cutoffValueDays(lc);
    TimeParser cutoffParser(lc.cutoffFormat);
    std::unordered_map<std::string, int64_t> firstLine;
    while (r.next()) {
        const auto &f = r.fields();
        if ((++d.report.labelRows & 0xFFFF) == 0)
            throwIfCancelled(opt.cancel);
        std::string_view id = trimView(f[size_t(ent)]);
        if (id.empty())
            throwData(where(r) + ": column \"" + lc.entity + "\": empty entity key");
        if (!opt.onlyEntity.empty() && id != opt.onlyEntity)
            continue;
        Applicant a;
        a.id = std::string(id);
        if (tgt >= 0) {
            std::string_view v = trimView(f[size_t(tgt)]);
            if (v.empty()) {
                ++d.report.labelMissing;
                if (opt.requireTarget)
                    continue; // documented, counted skip: applicant without a label
            } else {
                a.label = parseLabel(lc, v, r);
            }
        }
        if (cut >= 0) {
            std::string_view v = trimView(f[size_t(cut)]);
            auto t = cutoffParser.parse(v);
            if (!t)
                throwData(where(r) + ": column \"" + *lc.cutoff + "\": expected " +
                          cutoffParser.describe() + ", got \"" + std::string(v) + "\"");
            a.cutoff = *t;
        } else if (cutoffValue) {
            a.cutoff = *cutoffValue;
        }
        if (spl >= 0)
            a.givenSplit = parseSplit(trimView(f[size_t(spl)]), r, *lc.split);
        if (timeSplit)
            a.givenSplit = a.cutoff > timeSplit->testAfter    ? Split::Test
                           : a.cutoff > timeSplit->validAfter ? Split::Valid
                                                              : Split::Train;
        for (int col : featureCols)
            a.features.push_back(textOrMissing(f, col));
        for (int col : segmentCols)
            a.segments.push_back(textOrMissing(f, col));
        auto [it, fresh] = index.emplace(a.id, int32_t(d.applicants.size()));
        if (!fresh)
            throwData(where(r) + ": duplicate row for entity \"" + a.id + "\" (first at line " +
                      std::to_string(firstLine[a.id]) +
                      "); the label table needs one row per applicant");
        firstLine[a.id] = r.line();
        d.report.positives += a.label == 1;
        d.report.negatives += a.label == 0;
        d.applicants.push_back(std::move(a));
    }
    d.report.labelsFingerprint = r.fingerprint();
}

} // namespace

RawDataset loadDataset(const Config &cfg, const LoadOptions &opt)
{
    RawDataset d;
    EntityMap index;
    if (opt.useLabels)
        readLabels(cfg, opt, d, index);
    readEventSources(cfg, opt, d, index);
    LoadReport &rep = d.report;
    rep.eventsKept = int64_t(d.times.size());
    rep.applicants = int64_t(d.applicants.size());
    for (size_t a = 0; a < d.applicants.size(); ++a)
        rep.applicantsWithoutEvents += d.eventCount(int64_t(a)) == 0;
    return d;
}

std::vector<Split> assignSplits(const RawDataset &d, double validFraction, double testFraction,
                                uint64_t seed)
{
    std::vector<Split> splits(d.applicants.size());
    for (size_t a = 0; a < d.applicants.size(); ++a)
        splits[a] = d.applicants[a].givenSplit;
    std::mt19937_64 rng(seed);
    for (int cls = 0; cls <= 1; ++cls) {
        std::vector<size_t> idx;
        for (size_t a = 0; a < d.applicants.size(); ++a)
            if (d.applicants[a].label == cls && splits[a] == Split::Unassigned)
                idx.push_back(a);
        std::shuffle(idx.begin(), idx.end(), rng);
        const size_t nTest = size_t(std::llround(testFraction * double(idx.size())));
        const size_t nValid = size_t(std::llround(validFraction * double(idx.size())));
        for (size_t i = 0; i < idx.size(); ++i)
            splits[idx[i]] = i < nTest            ? Split::Test
                             : i < nTest + nValid ? Split::Valid
                                                  : Split::Train;
    }
    return splits;
}

std::vector<int64_t> rowsIn(const RawDataset &d, const std::vector<Split> &splits, Split split)
{
    std::vector<int64_t> out;
    for (size_t a = 0; a < d.applicants.size(); ++a)
        if (splits[a] == split && d.applicants[a].label >= 0)
            out.push_back(int64_t(a));
    return out;
}

std::vector<int64_t> allRows(const RawDataset &d)
{
    return rowRange(int64_t(d.applicants.size()));
}

std::vector<int64_t> rowRange(int64_t n)
{
    std::vector<int64_t> out(size_t(std::max<int64_t>(n, 0)));
    for (size_t a = 0; a < out.size(); ++a)
        out[a] = int64_t(a);
    return out;
}

} // namespace seqlens
