// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/explain/explanation_audit.h"

#include "seqlens/explain/history_edit.h"
#include "seqlens/util/text_util.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>

namespace seqlens {

namespace {

const std::vector<std::string> kMethods = {"attention", "integrated_gradients", "occlusion",
                                           "random"};

// Event indices of one explanation, most important first, by one method.
std::vector<int64_t> ranking(const ApplicantExplanation &x, const std::string &method,
                             uint64_t seed)
{
    std::vector<int64_t> order(x.events.size());
    std::iota(order.begin(), order.end(), int64_t(0));
    if (method == "random") {
        std::mt19937_64 rng(seed);
        std::shuffle(order.begin(), order.end(), rng);
        return order;
    }
    auto key = [&](int64_t t) {
        const ExplainedEvent &e = x.events[size_t(t)];
        if (method == "attention")
            return e.itemWeight;
        if (method == "occlusion")
            return -e.occlusionDelta; // removing it lowers the logit: it raised the score
        return e.attributionTotal;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return key(a) > key(b); });
    return order;
}

double trapezoid(const std::vector<double> &x, const std::vector<double> &y)
{
    double area = 0;
    for (size_t i = 1; i < x.size(); ++i)
        area += 0.5 * (y[i] + y[i - 1]) * (x[i] - x[i - 1]);
    return area;
}

// Per applicant and method: deletion and insertion curves, in logit - logit(empty).
struct ApplicantCurves {
    std::vector<std::vector<double>> deletion, insertion; // [method][point]
};

ApplicantCurves curvesOf(const ModelBundle &b, const RawDataset &raw, int64_t a,
                         const ApplicantExplanation &x, const std::vector<double> &fractions,
                         uint64_t seed)
{
    const int64_t n = int64_t(x.events.size());
    std::vector<std::vector<HistoryEdit>> variants;
    auto removeAll = [&](const std::vector<int64_t> &order, size_t from, size_t to) {
        std::vector<HistoryEdit> edits;
        for (size_t i = from; i < to; ++i)
            edits.push_back({HistoryEdit::Kind::Remove, order[i], {}, {}, 0});
        return edits;
    };
    for (const auto &m : kMethods) {
        const auto order = ranking(x, m, seed);
        for (double f : fractions) {
            const size_t k = size_t(std::llround(f * double(n)));
            variants.push_back(removeAll(order, 0, k));         // deletion: top k removed
            variants.push_back(removeAll(order, k, size_t(n))); // insertion: only top k
        }
    }
    const RawDataset copies = historyVariants(raw, a, b.encoder, variants, true);
    const auto logits = b.logits(copies, rowRange(int64_t(variants.size())));
    const double empty = logits[1]; // insertion at fraction 0 keeps nothing
    ApplicantCurves c;
    size_t i = 0;
    for (size_t m = 0; m < kMethods.size(); ++m) {
        c.deletion.emplace_back();
        c.insertion.emplace_back();
        for (size_t p = 0; p < fractions.size(); ++p) {
            c.deletion[m].push_back(logits[i++] - empty);
            c.insertion[m].push_back(logits[i++] - empty);
        }
    }
    return c;
}

std::vector<double> ranks(const std::vector<double> &v)
{
    std::vector<size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), size_t(0));
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < idx.size();) {
        size_t j = i;
        while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]])
            ++j;
        for (size_t k = i; k <= j; ++k)
            r[idx[k]] = 0.5 * double(i + j);
        i = j + 1;
    }
    return r;
}

double spearman(const std::vector<double> &a, const std::vector<double> &b)
{
    const auto ra = ranks(a), rb = ranks(b);
    const double n = double(a.size());
    const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n;
    const double mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

// Integrated Gradients of the same applicants under a model with freshly initialised weights.
void sanityCheck(const ModelBundle &b, const RawDataset &raw, const EncodedDataset &data,
                 const std::vector<ApplicantExplanation> &explained,
                 const std::vector<int64_t> &applicants, const AuditOptions &o, Faithfulness &f)
{
    ModelBundle random;
    random.config = b.config;
    random.encoder = b.encoder;
    random.referenceEmbedding = b.referenceEmbedding;
    random.model = std::make_unique<SequenceModel>(b.config.model, b.model->layout(),
                                                   o.seed * 7919 + 1);
    ExplainOptions eo = o.explain;
    eo.occlusion = false;
    eo.reasons = 0;
    double sum = 0;
    for (size_t i = 0; i < explained.size() && f.sanityApplicants < 100; ++i) {
        const ApplicantExplanation &x = explained[i];
        if (x.events.size() < 3)
            continue;
        throwIfCancelled(o.cancel);
        const auto r = explainApplicant(random, raw, data, applicants[i], eo);
        std::vector<double> trained, randomised;
        for (size_t t = 0; t < x.events.size(); ++t) {
            trained.push_back(x.events[t].attributionTotal);
            randomised.push_back(r.events[t].attributionTotal);
        }
        sum += spearman(trained, randomised);
        ++f.sanityApplicants;
    }
    f.sanityRankCorrelation = f.sanityApplicants ? sum / double(f.sanityApplicants) : 0.0;
    f.sanityPassed = f.sanityApplicants > 0 && f.sanityRankCorrelation < kSanityThreshold;
}

std::string label(const std::string &m)
{
    if (m == "integrated_gradients")
        return "Integrated Gradients";
    if (m == "occlusion")
        return "occlusion";
    if (m == "attention")
        return "attention";
    return "a random ranking";
}

std::string fmt(double v)
{
    std::ostringstream s;
    s.precision(3);
    s << v;
    return s.str();
}

std::string verdictOf(const Faithfulness &f)
{
    if (f.applicants == 0)
        return "No applicant in the sample has two or more events: faithfulness cannot be "
               "measured.";
    const MethodFaithfulness *best = nullptr, *random = nullptr;
    for (const auto &m : f.methods) {
        if (m.method == f.best)
            best = &m;
        if (m.method == "random")
            random = &m;
    }
    std::ostringstream s;
    s << "Over " << f.applicants << " applicants, ranking events by " << label(best->method)
      << " is the most faithful: removing its top events lowers the logit fastest and adding "
         "them back rebuilds it fastest (insertion - deletion area "
      << fmt(best->difference.value) << ", 95 % interval " << fmt(best->difference.lo) << " to "
      << fmt(best->difference.hi) << "; random ranking " << fmt(random->difference.value) << ").";
    for (const auto &m : f.methods) {
        if (&m == best || m.method == "random")
            continue;
        s << " " << label(m.method) << ": " << fmt(m.difference.value);
        if (m.versusBest.hi < 0)
            s << " (clearly below)";
        else
            s << " (not distinguishable from the best)";
        if (m.difference.hi < random->difference.lo)
            s << ", worse than random";
        else if (m.difference.lo <= random->difference.hi)
            s << ", not better than random";
        s << ".";
    }
    s << " Reason codes use Integrated Gradients (signed, per input, complete); ";
    if (f.sanityPassed)
        s << "the randomised-weights check passed (rank correlation "
          << fmt(f.sanityRankCorrelation) << " with a model of random weights).";
    else
        s << "WARNING: the randomised-weights check FAILED (rank correlation "
          << fmt(f.sanityRankCorrelation)
          << " with a model of random weights): the attributions barely depend on what the "
             "model learned; do not use them as reasons.";
    if (best->method == "attention")
        s << " Attention ranks well here, but it is unsigned: use it as where the model looked.";
    return s.str();
}

} // namespace

Faithfulness measureFaithfulness(const ModelBundle &b, const RawDataset &raw,
                                 const EncodedDataset &data,
                                 const std::vector<ApplicantExplanation> &explained,
                                 const std::vector<int64_t> &applicants, const AuditOptions &o)
{
    Faithfulness f;
    f.bootstrapReps = o.bootstrapReps;
    for (int64_t p = 0; p < o.points; ++p)
        f.fractions.push_back(o.points > 1 ? double(p) / double(o.points - 1) : 1.0);
    const size_t M = kMethods.size(), P = f.fractions.size();
    std::vector<std::vector<double>> del(M), ins(M), diff(M); // [method][applicant] areas
    std::vector<std::vector<double>> meanDel(M, std::vector<double>(P, 0.0)), meanIns = meanDel;
    for (size_t i = 0; i < explained.size(); ++i) {
        if (explained[i].events.size() < 2)
            continue;
        throwIfCancelled(o.cancel);
        const auto c = curvesOf(b, raw, applicants[i], explained[i], f.fractions,
                                o.seed * 1000003 + uint64_t(applicants[i]));
        for (size_t m = 0; m < M; ++m) {
            del[m].push_back(trapezoid(f.fractions, c.deletion[m]));
            ins[m].push_back(trapezoid(f.fractions, c.insertion[m]));
            diff[m].push_back(ins[m].back() - del[m].back());
            for (size_t p = 0; p < P; ++p) {
                meanDel[m][p] += c.deletion[m][p];
                meanIns[m][p] += c.insertion[m][p];
            }
        }
        ++f.applicants;
    }
    size_t best = 0;
    for (size_t m = 0; m < M; ++m) {
        MethodFaithfulness mf;
        mf.method = kMethods[m];
        for (size_t p = 0; p < P; ++p) {
            mf.deletion.push_back(f.applicants ? meanDel[m][p] / double(f.applicants) : 0.0);
            mf.insertion.push_back(f.applicants ? meanIns[m][p] / double(f.applicants) : 0.0);
        }
        mf.deletionArea = bootstrapMean(del[m], int(o.bootstrapReps), o.seed + m);
        mf.insertionArea = bootstrapMean(ins[m], int(o.bootstrapReps), o.seed + m);
        mf.difference = bootstrapMean(diff[m], int(o.bootstrapReps), o.seed + m);
        f.methods.push_back(mf);
        if (mf.difference.value > f.methods[best].difference.value)
            best = m;
    }
    f.best = kMethods[best];
    for (size_t m = 0; m < M; ++m) { // paired: the same resampled applicants for both methods
        std::vector<double> d(diff[m].size());
        for (size_t i = 0; i < d.size(); ++i)
            d[i] = diff[m][i] - diff[best][i];
        f.methods[m].versusBest = bootstrapMean(d, int(o.bootstrapReps), o.seed + 17);
    }
    sanityCheck(b, raw, data, explained, applicants, o, f);
    f.verdict = verdictOf(f);
    return f;
}

} // namespace seqlens
