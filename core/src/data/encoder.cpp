// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/encoder.h"

#include "encoder_sources.h"

#include "seqlens/util/error.h"
#include "seqlens/util/text_util.h"
#include "util/parallel.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace seqlens {

using nlohmann::json;

namespace {
constexpr double kClampSd = 10.0; // standardized numeric values are clamped to +-10 sd

double applyTransform(NumericTransform t, double x)
{
    switch (t) {
    case NumericTransform::None: return x;
    case NumericTransform::Log1p: return std::log1p(std::max(x, 0.0)); // negative values clip to 0
    case NumericTransform::SignedLog: return std::copysign(std::log1p(std::fabs(x)), x);
    }
    return x;
}

std::vector<std::string> fitVocabulary(const RawField &rf, const FieldConfig &fc,
                                       const RawDataset &d, const std::vector<char> &useApplicant)
{
    std::vector<int64_t> counts(rf.pool.size(), 0);
    for (size_t a = 0; a < d.applicants.size(); ++a) {
        if (!useApplicant[a])
            continue;
        for (int64_t e = d.offsets[a]; e < d.offsets[a + 1]; ++e)
            if (rf.codes[size_t(e)] >= 0)
                ++counts[size_t(rf.codes[size_t(e)])];
    }
    std::vector<size_t> order(rf.pool.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
        return counts[x] != counts[y] ? counts[x] > counts[y] : rf.pool[x] < rf.pool[y];
    });
    std::vector<std::string> vocab;
    for (size_t i : order) {
        if (counts[i] < fc.minCount || int64_t(vocab.size()) >= fc.maxVocab)
            break;
        vocab.push_back(rf.pool[i]);
    }
    return vocab;
}

size_t fieldIndex(const RawDataset &d, const std::string &name)
{
    for (size_t k = 0; k < d.fields.size(); ++k)
        if (d.fields[k].config.name == name)
            return k;
    throwData("event table has no field \"" + name + "\" that the model was trained with");
}

// Per event of applicant a: value(e) minus its value at the applicant's previous event with the
// same value of categorical field `field` and a value (not NaN); NaN on the first such event of
// each value, where the field or the value is missing, and on another source's events. Times
// ascend within an applicant, so one pass suffices.
template <class Value>
std::vector<float> sameValueDifferences(const RawDataset &d, size_t field, size_t a, Value value)
{
    const RawField &rf = d.fields[field];
    const bool multi = d.sourceNames.size() > 1;
    std::unordered_map<int32_t, double> last;
    std::vector<float> out;
    out.reserve(size_t(d.eventCount(int64_t(a))));
    for (int64_t e = d.offsets[a]; e < d.offsets[a + 1]; ++e) {
        const int32_t code = rf.codes[size_t(e)];
        const double x = value(size_t(e));
        if (code < 0 || std::isnan(x) || (multi && d.eventSource[size_t(e)] != rf.source)) {
            out.push_back(NAN);
            continue;
        }
        auto [it, first] = last.try_emplace(code, x);
        out.push_back(first ? NAN : float(x - it->second));
        it->second = x;
    }
    return out;
}

// time_since_same: days since the previous event with the same value of `field`.
std::vector<float> sameValueGaps(const RawDataset &d, size_t field, size_t a)
{
    return sameValueDifferences(d, field, a, [&](size_t e) { return d.times[e]; });
}

// change_since_same: the change of numeric field `numeric` (transformed by `t`) since the
// previous event with the same value of `field` and the numeric value present.
std::vector<float> sameValueChanges(const RawDataset &d, size_t field, size_t numeric,
                                    NumericTransform t, size_t a)
{
    const RawField &nf = d.fields[numeric];
    return sameValueDifferences(d, field, a,
                                [&](size_t e) { return applyTransform(t, nf.values[e]); });
}

// The field's settings as configured (not as loaded: fitting may use another config).
const QualifiedField &configuredField(const std::vector<QualifiedField> &fields,
                                      const std::string &name)
{
    for (const auto &f : fields)
        if (f.name == name)
            return f;
    throwInternal("field \"" + name + "\" is not in the config");
}
} // namespace

namespace {

// Mean and standard deviation from the sums of n transformed values (none: 0 and 1; no spread:
// a standard deviation of 1).
void setMoments(NumericEncoding &ne, double sum, double sumSq, int64_t n)
{
    if (n == 0)
        return;
    ne.mean = sum / double(n);
    const double var = std::max(0.0, sumSq / double(n) - ne.mean * ne.mean);
    ne.stddev = var > 1e-24 ? std::sqrt(var) : 1.0;
}

// Mean and standard deviation of a numeric input over the fitting applicants: `values(a)` are
// applicant a's values by event (NaN: none), transformed by ne.transform.
template <class Values>
void fitMoments(NumericEncoding &ne, size_t applicants, const std::vector<char> &use,
                       Values values)
{
    double sum = 0, sumSq = 0;
    int64_t n = 0;
    for (size_t a = 0; a < applicants; ++a) {
        if (!use[a])
            continue;
        for (float v : values(a)) {
            if (std::isnan(v))
                continue;
            const double x = applyTransform(ne.transform, v);
            sum += x;
            sumSq += x * x;
            ++n;
        }
    }
    setMoments(ne, sum, sumSq, n);
}

// The standardization of a time_since_same input: log1p of the gaps of the fitting applicants.
NumericEncoding fitTimeSinceSame(const RawDataset &d, const QualifiedField &q,
                                 const std::vector<char> &use)
{
    NumericEncoding ne;
    ne.name = timeSinceSameInput(q.name);
    ne.transform = NumericTransform::Log1p;
    ne.source = int32_t(q.source);
    ne.sameAs = q.name;
    const size_t field = fieldIndex(d, q.name);
    fitMoments(ne, d.applicants.size(), use,
                      [&](size_t a) { return sameValueGaps(d, field, a); });
    return ne;
}

// The standardization of a change_since_same input of numeric input `of` (a field of the
// event table in the categorical field's source): the changes of the fitting applicants.
NumericEncoding fitChangeSinceSame(const RawDataset &d, const QualifiedField &q,
                                   const NumericEncoding &of, const std::vector<char> &use)
{
    NumericEncoding ne;
    ne.name = changeSinceSameInput(q.name, of.name);
    ne.source = int32_t(q.source);
    ne.sameAs = q.name;
    ne.changeOf = of.name;
    const size_t field = fieldIndex(d, q.name), numeric = fieldIndex(d, of.name);
    fitMoments(ne, d.applicants.size(), use, [&](size_t a) {
        return sameValueChanges(d, field, numeric, of.transform, a);
    });
    return ne;
}

} // namespace

Encoder Encoder::fit(const RawDataset &d, const Config &cfg, const std::vector<int64_t> &rows)
{
    Encoder enc;
    enc.m_bucketEdges = cfg.sequence.timeBucketsDays;
    enc.m_timeSincePrevious = cfg.sequence.timeSincePrevious;
    enc.m_timeBeforeCutoff = cfg.sequence.timeBeforeCutoff;
    enc.m_maxItems = cfg.sequence.maxItems;
    enc.m_sources.clear();
    for (const auto &s : cfg.events)
        enc.m_sources.push_back({s.name.empty() ? kDefaultSourceName : s.name, s.maxItems});
    std::vector<char> use(d.applicants.size(), 0);
    for (int64_t a : rows)
        use.at(size_t(a)) = 1;
    const auto fields = eventFields(cfg);
    for (size_t k = 0; k < d.fields.size(); ++k) {
        const RawField &rf = d.fields[k];
        const QualifiedField &q = configuredField(fields, rf.config.name);
        const FieldConfig &fc = q.field;
        if (fc.type == FieldType::Categorical) {
            enc.m_categorical.push_back({q.name, fitVocabulary(rf, fc, d, use), int32_t(q.source)});
            continue;
        }
        NumericEncoding ne;
        ne.name = q.name;
        ne.transform = fc.transform;
        ne.source = int32_t(q.source);
        fitMoments(ne, d.applicants.size(), use, [&](size_t a) {
            return std::span<const float>(rf.values.data() + d.offsets[a],
                                          size_t(d.offsets[a + 1] - d.offsets[a]));
        });
        enc.m_numeric.push_back(ne);
    }
    for (const auto &name : cfg.sequence.timeSinceSame)
        enc.m_numeric.push_back(fitTimeSinceSame(d, configuredField(fields, name), use));
    const size_t fileNumerics = enc.m_numeric.size() - cfg.sequence.timeSinceSame.size();
    for (const auto &name : cfg.sequence.changeSinceSame) {
        const QualifiedField &q = configuredField(fields, name);
        for (size_t k = 0; k < fileNumerics; ++k)
            if (enc.m_numeric[k].source == int32_t(q.source))
                enc.m_numeric.push_back(fitChangeSinceSame(d, q, enc.m_numeric[k], use));
    }
    return enc;
}

size_t bucketIndex(const std::vector<double> &edges, double days)
{
    return size_t(std::lower_bound(edges.begin(), edges.end(), days) - edges.begin());
}

int32_t Encoder::bucketCode(double days) const
{
    return kFirstBucketCode + int32_t(bucketIndex(m_bucketEdges, days));
}

std::vector<std::string> Encoder::inputNames() const
{
    std::vector<std::string> names;
    for (const auto &c : m_categorical)
        names.push_back(c.name);
    if (m_timeSincePrevious)
        names.push_back("time_since_previous");
    if (timeInSource())
        names.push_back("time_since_previous_in_source");
    if (m_timeBeforeCutoff)
        names.push_back("time_before_cutoff");
    for (const auto &n : m_numeric)
        names.push_back(n.name);
    return names;
}

std::vector<int64_t> Encoder::cardinalities() const
{
    std::vector<int64_t> out;
    for (const auto &c : m_categorical)
        out.push_back(c.cardinality());
    const int64_t buckets = kFirstBucketCode + int64_t(m_bucketEdges.size()) + 1;
    for (int64_t i = 0; i < timeInputs(); ++i)
        out.push_back(buckets);
    return out;
}

std::vector<int32_t> Encoder::inputSources() const
{
    std::vector<int32_t> out;
    for (const auto &c : m_categorical)
        out.push_back(c.source);
    out.insert(out.end(), size_t(timeInputs()), -1);
    for (const auto &n : m_numeric)
        out.push_back(n.source);
    return out;
}

double Encoder::transformValue(size_t i, double x) const
{
    const NumericEncoding &ne = m_numeric[i];
    double z = (applyTransform(ne.transform, x) - ne.mean) / ne.stddev;
    return std::clamp(z, -kClampSd, kClampSd);
}

using encoder_detail::gapsInSource;
using encoder_detail::sourceMapping;

namespace {

// Applicants per job of the parallel encode: small enough to balance uneven histories, large
// enough that the per-job report is negligible.
constexpr size_t kApplicantsPerJob = 4096;

std::pair<size_t, size_t> jobRange(size_t job, size_t applicants)
{
    return {job * kApplicantsPerJob, std::min(applicants, (job + 1) * kApplicantsPerJob)};
}

void addReport(EncodeReport &to, const EncodeReport &from)
{
    to.truncatedApplicants += from.truncatedApplicants;
    to.truncatedEvents += from.truncatedEvents;
    for (size_t i = 0; i < to.unseen.size(); ++i)
        to.unseen[i] += from.unseen[i];
    for (size_t i = 0; i < to.missing.size(); ++i)
        to.missing[i] += from.missing[i];
}

// Every per-event output sized once for `rows` kept events (offsets already set).
void sizeOutputs(EncodedDataset &out, size_t applicants, bool multi)
{
    const size_t rows = size_t(out.offsets.back());
    out.labels.resize(applicants);
    out.cat.resize(rows * size_t(out.numCat));
    out.num.resize(rows * size_t(out.numNum));
    out.numState.resize(rows * size_t(out.numNum));
    out.rawEvent.resize(rows);
    out.days.resize(rows);
    if (multi)
        out.source.resize(rows);
}

} // namespace

// Where each encoded field lives in a dataset, and its raw values' vocabulary codes.
struct Encoder::Lookup {
    std::vector<int32_t> sourceOf; // encoder source of each of the data's sources
    std::vector<size_t> catIdx, numIdx;
    // per numeric input: for a change_since_same input, its numeric field and that transform
    std::vector<size_t> changeIdx;
    std::vector<NumericTransform> changeTransform;
    std::vector<std::vector<int32_t>> codes; // per categorical field: code of each pooled value
};

Encoder::Lookup Encoder::lookupIn(const RawDataset &d) const
{
    Lookup l;
    l.sourceOf = sourceMapping(d, m_sources);
    for (const auto &c : m_categorical) {
        l.catIdx.push_back(fieldIndex(d, c.name));
        std::unordered_map<std::string_view, int32_t> vocab;
        for (size_t i = 0; i < c.vocabulary.size(); ++i)
            vocab.emplace(c.vocabulary[i], kFirstVocabCode + int32_t(i));
        auto &codes = l.codes.emplace_back();
        for (const auto &s : d.fields[l.catIdx.back()].pool) {
            auto it = vocab.find(s);
            codes.push_back(it == vocab.end() ? kCodeUnseen : it->second);
        }
    }
    for (const auto &ne : m_numeric) {
        l.numIdx.push_back(fieldIndex(d, ne.sameAs.empty() ? ne.name : ne.sameAs));
        l.changeIdx.push_back(ne.changeOf.empty() ? 0 : fieldIndex(d, ne.changeOf));
        NumericTransform t = NumericTransform::None;
        for (const auto &of : m_numeric)
            if (!ne.changeOf.empty() && of.name == ne.changeOf)
                t = of.transform;
        l.changeTransform.push_back(t);
    }
    return l;
}

// Two passes over the applicants, each split into jobs that run in parallel: the first finds
// the events kept (to size every output once), the second writes each applicant's rows at its
// own offset. The result is the same for any thread count.
EncodedDataset Encoder::encode(const RawDataset &d, EncodeReport *report, int64_t threads) const
{
    const Lookup lookup = lookupIn(d);
    EncodedDataset out;
    out.numCat = numCategorical();
    out.numNum = numNumeric();
    EncodeReport empty;
    for (const auto &c : m_categorical)
        empty.categoricalFields.push_back(c.name);
    empty.inputs = inputNames();
    empty.unseen.assign(m_categorical.size(), 0);
    empty.missing.assign(size_t(out.numCat + out.numNum), 0);

    const size_t na = d.applicants.size();
    const size_t jobs = (na + kApplicantsPerJob - 1) / kApplicantsPerJob;
    std::vector<std::vector<int64_t>> kept(jobs); // per job: its applicants' kept events
    out.offsets.assign(na + 1, 0);
    util::parallelFor(jobs, threads, [&](size_t j) {
        const auto [lo, hi] = jobRange(j, na);
        for (size_t a = lo; a < hi; ++a) {
            const std::vector<int64_t> k = keptEvents(d, a, lookup.sourceOf);
            out.offsets[a + 1] = int64_t(k.size());
            kept[j].insert(kept[j].end(), k.begin(), k.end());
        }
    });
    std::partial_sum(out.offsets.begin(), out.offsets.end(), out.offsets.begin());
    sizeOutputs(out, na, m_sources.size() > 1);

    std::vector<EncodeReport> parts(jobs, empty);
    util::parallelFor(jobs, threads, [&](size_t j) {
        const auto [lo, hi] = jobRange(j, na);
        const int64_t *next = kept[j].data();
        for (size_t a = lo; a < hi; ++a) {
            const size_t n = size_t(out.offsets[a + 1] - out.offsets[a]);
            writeApplicant(d, a, {next, n}, lookup, out, parts[j]);
            next += n;
        }
        std::vector<int64_t>().swap(kept[j]); // freed as soon as written
    });
    if (report) {
        *report = empty;
        for (const auto &p : parts)
            addReport(*report, p);
    }
    return out;
}

void Encoder::writeApplicant(const RawDataset &d, size_t a, std::span<const int64_t> kept,
                             const Lookup &lookup, EncodedDataset &out, EncodeReport &rep) const
{
    out.labels[a] = float(d.applicants[a].label);
    const int64_t b = d.offsets[a], e = d.offsets[a + 1];
    if (int64_t(kept.size()) < e - b) {
        ++rep.truncatedApplicants;
        rep.truncatedEvents += e - b - int64_t(kept.size());
    }
    const bool multi = m_sources.size() > 1;
    const std::vector<double> inSource = multi ? gapsInSource(d, a) : std::vector<double>();
    std::vector<std::vector<float>> same(m_numeric.size());
    for (size_t k = 0; k < m_numeric.size(); ++k) {
        if (m_numeric[k].isTimeSinceSame())
            same[k] = sameValueGaps(d, lookup.numIdx[k], a);
        else if (!m_numeric[k].changeOf.empty())
            same[k] = sameValueChanges(d, lookup.numIdx[k], lookup.changeIdx[k],
                                       lookup.changeTransform[k], a);
    }
    const double ref = std::isnan(d.applicants[a].cutoff) ? (e > b ? d.times[size_t(e - 1)] : 0.0)
                                                          : d.applicants[a].cutoff;
    size_t row = size_t(out.offsets[a]);
    for (int64_t ev : kept) {
        const size_t se = size_t(ev);
        const int32_t src = multi ? lookup.sourceOf[d.eventSource[se]] : 0;
        int32_t *cat = writeCategorical(d, se, src, lookup,
                                        out.cat.data() + row * size_t(out.numCat), rep);
        if (m_timeSincePrevious)
            *cat++ = ev == b ? kCodeMissing : bucketCode(d.times[se] - d.times[se - 1]);
        if (timeInSource()) {
            const double gap = inSource[size_t(ev - b)];
            *cat++ = std::isnan(gap) ? kCodeMissing : bucketCode(gap);
        }
        if (m_timeBeforeCutoff)
            *cat++ = bucketCode(std::max(0.0, ref - d.times[se]));
        writeNumeric(d, se, src, lookup, same, size_t(ev - b), out, row, rep);
        out.rawEvent[row] = ev;
        out.days[row] = float(ref - d.times[se]);
        if (multi)
            out.source[row] = uint8_t(src);
        ++row;
    }
}

// The event's categorical field codes (another source's fields as padding); returns where the
// time inputs go.
int32_t *Encoder::writeCategorical(const RawDataset &d, size_t ev, int32_t src,
                                   const Lookup &lookup, int32_t *cat, EncodeReport &rep) const
{
    for (size_t c = 0; c < m_categorical.size(); ++c) {
        if (m_categorical[c].source != src) {
            *cat++ = kCodePad; // another source's field: not applicable
            continue;
        }
        const int32_t raw = d.fields[lookup.catIdx[c]].codes[ev];
        const int32_t code = raw < 0 ? kCodeMissing : lookup.codes[c][size_t(raw)];
        rep.missing[c] += raw < 0;
        rep.unseen[c] += code == kCodeUnseen;
        *cat++ = code;
    }
    return cat;
}

void Encoder::writeNumeric(const RawDataset &d, size_t ev, int32_t src, const Lookup &lookup,
                           const std::vector<std::vector<float>> &same, size_t pos,
                           EncodedDataset &out, size_t row, EncodeReport &rep) const
{
    const size_t nNum = m_numeric.size();
    float *num = out.num.data() + row * nNum;
    uint8_t *state = out.numState.data() + row * nNum;
    for (size_t k = 0; k < nNum; ++k) {
        if (m_numeric[k].source != src) {
            num[k] = 0.0f; // another source's field
            state[k] = kNumPad;
            continue;
        }
        const float v = same[k].empty() ? d.fields[lookup.numIdx[k]].values[ev] : same[k][pos];
        const bool present = !std::isnan(v);
        rep.missing[size_t(out.numCat) + k] += !present;
        num[k] = present ? float(transformValue(k, v)) : 0.0f;
        state[k] = present ? kNumPresent : kNumMissing;
    }
}

} // namespace seqlens
