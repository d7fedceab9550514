// SPDX-License-Identifier: GPL-3.0-or-later
#include "monitor_inputs.h"

#include "seqlens/compare/window_features.h"

#include <cmath>

namespace seqlens::monitor {

namespace {

using Owner = std::shared_ptr<const std::vector<int32_t>>;

BinnedInput numericInput(const std::string &name, const char *kind,
                         const std::vector<double> &reference, const std::vector<double> &batch,
                         Owner owner, int bins)
{
    const NumericBins b = NumericBins::fit(reference, bins);
    BinnedInput in{
        name, kind, b.labels(), kNoBin, b.missingBin(), b.count(reference), {}, std::move(owner)};
    in.batchBin.reserve(batch.size());
    for (double x : batch)
        in.batchBin.push_back(uint16_t(b.binOf(x)));
    return in;
}

// Whether event e carries field rf: with several sources, only the events of its own source.
bool carries(const RawDataset &d, const RawField &rf, int64_t e)
{
    return d.sourceNames.size() < 2 || d.eventSource[size_t(e)] == rf.source;
}

BinnedInput categoricalInput(const RawField &rf, const RawDataset &ref,
                             const std::vector<int64_t> &devRows, const RawField &bf,
                             const RawDataset &batch, Owner owner)
{
    std::vector<int64_t> perCode(rf.pool.size(), 0);
    int64_t missing = 0;
    for (int64_t a : devRows)
        for (int64_t e = ref.offsets[size_t(a)]; e < ref.offsets[size_t(a) + 1]; ++e) {
            if (!carries(ref, rf, e))
                continue;
            const int32_t code = rf.codes[size_t(e)];
            ++(code < 0 ? missing : perCode[size_t(code)]);
        }
    std::vector<std::pair<std::string, int64_t>> counts;
    for (size_t c = 0; c < perCode.size(); ++c)
        counts.emplace_back(rf.pool[c], perCode[c]);
    const CategoricalBins b = CategoricalBins::fitCounts(counts);
    BinnedInput in{rf.config.name,
                   "model input",
                   b.labels(),
                   b.newBin(),
                   b.missingBin(),
                   std::vector<int64_t>(b.binCount(), 0),
                   {},
                   std::move(owner)};
    for (size_t c = 0; c < perCode.size(); ++c)
        in.reference[b.binOf(rf.pool[c])] += perCode[c];
    in.reference[b.missingBin()] += missing;
    std::vector<uint16_t> poolBin;
    for (const auto &v : bf.pool)
        poolBin.push_back(uint16_t(b.binOf(v)));
    in.batchBin.reserve(bf.codes.size());
    for (size_t e = 0; e < bf.codes.size(); ++e) // every batch event, in applicant order
        if (carries(batch, bf, int64_t(e)))
            in.batchBin.push_back(bf.codes[e] < 0 ? uint16_t(b.missingBin())
                                                  : poolBin[size_t(bf.codes[e])]);
    return in;
}

std::vector<double> eventValues(const RawField &f, const RawDataset &d,
                                const std::vector<int64_t> &rows)
{
    std::vector<double> v;
    for (int64_t a : rows)
        for (int64_t e = d.offsets[size_t(a)]; e < d.offsets[size_t(a) + 1]; ++e)
            if (carries(d, f, e))
                v.push_back(f.values[size_t(e)]);
    return v;
}

// The owners of the batch events that carry field f (all of them with one source).
Owner ownerOf(const RawField &f, const RawDataset &batch, const Owner &all)
{
    if (batch.sourceNames.size() < 2)
        return all;
    auto own = std::make_shared<std::vector<int32_t>>();
    for (size_t e = 0; e < all->size(); ++e)
        if (batch.eventSource[e] == f.source)
            own->push_back((*all)[e]);
    return own;
}

std::vector<double> eventCounts(const RawDataset &d, const std::vector<int64_t> &rows)
{
    std::vector<double> v;
    for (int64_t a : rows)
        v.push_back(double(d.eventCount(a)));
    return v;
}

void addWindowFeatures(std::vector<BinnedInput> &out, const Config &config, const RawDataset &ref,
                       const std::vector<int64_t> &devRows, const RawDataset &batch, int bins)
{
    const auto builder = WindowFeatureBuilder::fit(ref, config, devRows);
    const FeatureMatrix xr = builder.build(ref), xb = builder.build(batch);
    std::vector<double> r(devRows.size()), b(size_t(xb.rows));
    for (size_t c = 0; c < xr.columns(); ++c) {
        for (size_t i = 0; i < devRows.size(); ++i)
            r[i] = xr.at(devRows[i], c);
        for (int64_t a = 0; a < xb.rows; ++a)
            b[size_t(a)] = xb.at(a, c);
        out.push_back(numericInput(xr.names[c], "window feature", r, b, nullptr, bins));
    }
}

} // namespace

std::vector<std::vector<int64_t>> BinnedInput::countsByCohort(const std::vector<int32_t> &cohortOf,
                                                              size_t cohorts) const
{
    std::vector<std::vector<int64_t>> counts(cohorts, std::vector<int64_t>(bins.size(), 0));
    for (size_t i = 0; i < batchBin.size(); ++i) {
        const int32_t a = owner ? (*owner)[i] : int32_t(i);
        ++counts[size_t(cohortOf[size_t(a)])][batchBin[i]];
    }
    return counts;
}

Stability BinnedInput::stability(std::vector<int64_t> counts) const
{
    int64_t nb = 0, nr = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        nb += counts[i];
        nr += reference[i];
    }
    if (nb == 0 || nr == 0) {
        Stability s{name, kind, bins, reference, std::move(counts)};
        s.psi = std::nan("");
        return s;
    }
    return stabilityOf(name, kind, bins, reference, std::move(counts), newBin, missingBin);
}

EventTimes eventTimes(const RawDataset &d, const std::vector<int64_t> &rows)
{
    EventTimes t;
    for (int64_t a : rows) {
        const int64_t begin = d.offsets[size_t(a)], end = d.offsets[size_t(a) + 1];
        if (begin == end)
            continue;
        const double cutoff = d.applicants[size_t(a)].cutoff;
        const double origin = std::isnan(cutoff) ? d.times[size_t(end - 1)] : cutoff;
        for (int64_t e = begin; e < end; ++e) {
            t.beforeCutoff.push_back(origin - d.times[size_t(e)]);
            t.eventOwner.push_back(int32_t(a));
            if (e > begin) {
                t.gaps.push_back(d.times[size_t(e)] - d.times[size_t(e - 1)]);
                t.gapOwner.push_back(int32_t(a));
            }
        }
    }
    return t;
}

std::vector<BinnedInput> binInputs(const Config &config, const RawDataset &ref,
                                   const std::vector<int64_t> &devRows, const RawDataset &batch,
                                   int bins, const CancelToken *cancel)
{
    std::vector<BinnedInput> out;
    addWindowFeatures(out, config, ref, devRows, batch, bins);
    throwIfCancelled(cancel);
    const auto all = allRows(batch);
    EventTimes rt = eventTimes(ref, devRows), bt = eventTimes(batch, all);
    auto eventOwner = std::make_shared<const std::vector<int32_t>>(std::move(bt.eventOwner));
    auto gapOwner = std::make_shared<const std::vector<int32_t>>(std::move(bt.gapOwner));
    for (size_t f = 0; f < ref.fields.size(); ++f) {
        const RawField &rf = ref.fields[f], &bf = batch.fields[f];
        const Owner owner = ownerOf(bf, batch, eventOwner);
        if (rf.config.type == FieldType::Categorical)
            out.push_back(categoricalInput(rf, ref, devRows, bf, batch, owner));
        else
            out.push_back(numericInput(rf.config.name, "model input", eventValues(rf, ref, devRows),
                                       eventValues(bf, batch, all), owner, bins));
        throwIfCancelled(cancel);
    }
    out.push_back(numericInput("events per applicant", "sequence", eventCounts(ref, devRows),
                               eventCounts(batch, all), nullptr, bins));
    out.push_back(
        numericInput("days between events", "sequence", rt.gaps, bt.gaps, gapOwner, bins));
    out.push_back(numericInput("days before cutoff", "sequence", rt.beforeCutoff, bt.beforeCutoff,
                               eventOwner, bins));
    return out;
}

} // namespace seqlens::monitor
