// SPDX-License-Identifier: GPL-3.0-or-later
// The state-space surrogate of Maree & Omlin (arXiv 2109.11871): a ridge regression
//   state_t ~ W x_t + U state_{t-1} + c
// where x_t are the event's inputs (one-hot categorical codes, numeric values and missing flags)
// and state_t is the item aggregator's output for event t. Fitted on half the applicants, its
// R^2 measured on the other half; the input features with the largest coefficients are what
// moves the model's memory.
#include "seqlens/explain/explanation_audit.h"

#include "seqlens/explain/global_attention.h"
#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace seqlens {

namespace {

constexpr int64_t kMaxCodesPerInput = 30; // more frequent codes get a column, the rest "other"

// Maps an event's encoded inputs to surrogate feature columns.
class Features {
public:
    Features(const ModelBundle &b, const EncodedDataset &d, const std::vector<int64_t> &rows)
        : m_numCat(d.numCat), m_numNum(d.numNum)
    {
        const auto names = b.encoder.inputNames();
        const auto bands = timeBandNames(b.config.sequence.timeBucketsDays);
        const auto &cats = b.encoder.categorical();
        m_column.resize(size_t(d.numCat));
        for (int64_t c = 0; c < d.numCat; ++c) {
            std::map<int32_t, int64_t> counts;
            for (int64_t a : rows)
                for (int64_t ev = d.offsets[size_t(a)]; ev < d.offsets[size_t(a) + 1]; ++ev)
                    ++counts[d.cat[size_t(ev * d.numCat + c)]];
            std::vector<std::pair<int64_t, int32_t>> byCount;
            for (auto [code, n] : counts)
                byCount.push_back({-n, code});
            std::sort(byCount.begin(), byCount.end());
            for (size_t i = 0; i < byCount.size() && int64_t(i) < kMaxCodesPerInput; ++i) {
                const int32_t code = byCount[i].second;
                m_column[size_t(c)][code] = int64_t(m_names.size());
                m_names.push_back(names[size_t(c)] + "=" + codeName(c, code, cats, bands));
            }
            m_other.push_back(int64_t(m_names.size()));
            m_names.push_back(names[size_t(c)] + "=other");
        }
        for (int64_t k = 0; k < d.numNum; ++k) {
            m_names.push_back(names[size_t(d.numCat + k)]);
            m_names.push_back(names[size_t(d.numCat + k)] + " missing");
        }
    }

    int64_t count() const { return int64_t(m_names.size()); }
    const std::string &name(int64_t i) const { return m_names[size_t(i)]; }

    void fill(const EncodedDataset &d, int64_t ev, double *x) const
    {
        std::fill(x, x + count(), 0.0);
        for (int64_t c = 0; c < m_numCat; ++c) {
            const auto &cols = m_column[size_t(c)];
            auto it = cols.find(d.cat[size_t(ev * m_numCat + c)]);
            x[it == cols.end() ? m_other[size_t(c)] : it->second] = 1.0;
        }
        const int64_t base = m_other.empty() ? 0 : m_other.back() + 1;
        for (int64_t k = 0; k < m_numNum; ++k) {
            const bool present = d.numState[size_t(ev * m_numNum + k)] == kNumPresent;
            x[base + 2 * k] = present ? d.num[size_t(ev * m_numNum + k)] : 0.0;
            x[base + 2 * k + 1] = present ? 0.0 : 1.0;
        }
    }

private:
    static std::string codeName(int64_t c, int32_t code,
                                const std::vector<CategoricalEncoding> &cats,
                                const std::vector<std::string> &bands)
    {
        if (code == kCodeMissing)
            return "missing";
        if (code == kCodePad)
            return "n/a"; // a field of another event source
        if (size_t(c) < cats.size()) {
            if (code == kCodeUnseen)
                return "unseen";
            return cats[size_t(c)].vocabulary.at(size_t(code - kFirstVocabCode));
        }
        const size_t band = size_t(code - kFirstBucketCode);
        return band < bands.size() ? bands[band] : std::to_string(code);
    }

    int64_t m_numCat, m_numNum;
    std::vector<std::map<int32_t, int64_t>> m_column;
    std::vector<int64_t> m_other;
    std::vector<std::string> m_names;
};

// Solves the symmetric positive definite system A x = b in place (Cholesky); A is n x n.
std::vector<std::vector<double>> solveSpd(std::vector<double> A, std::vector<std::vector<double>> B,
                                          size_t n)
{
    for (size_t j = 0; j < n; ++j) {
        double s = A[j * n + j];
        for (size_t k = 0; k < j; ++k)
            s -= A[j * n + k] * A[j * n + k];
        if (s <= 0)
            throwInternal("surrogate: normal equations are not positive definite");
        A[j * n + j] = std::sqrt(s);
        for (size_t i = j + 1; i < n; ++i) {
            double t = A[i * n + j];
            for (size_t k = 0; k < j; ++k)
                t -= A[i * n + k] * A[j * n + k];
            A[i * n + j] = t / A[j * n + j];
        }
    }
    for (auto &b : B) {
        for (size_t i = 0; i < n; ++i) { // L y = b
            double t = b[i];
            for (size_t k = 0; k < i; ++k)
                t -= A[i * n + k] * b[k];
            b[i] = t / A[i * n + i];
        }
        for (size_t i = n; i-- > 0;) { // L^T x = y
            double t = b[i];
            for (size_t k = i + 1; k < n; ++k)
                t -= A[k * n + i] * b[k];
            b[i] = t / A[i * n + i];
        }
    }
    return B;
}

// Rows [inputs | previous state | 1] and targets (the state) of the applicants' events.
void design(const ModelBundle &b, const EncodedDataset &d, const Features &feat,
            const std::vector<int64_t> &rows, std::vector<std::vector<double>> &X,
            std::vector<std::vector<float>> &Y)
{
    const int64_t p = feat.count(), dim = b.config.model.embDim;
    for (int64_t a : rows) {
        const auto states = b.model->eventStates(d, a);
        for (int64_t t = 0; t < int64_t(states.size()); ++t) {
            std::vector<double> x(size_t(p + dim + 1), 0.0);
            feat.fill(d, d.offsets[size_t(a)] + t, x.data());
            if (t > 0)
                std::copy(states[size_t(t - 1)].begin(), states[size_t(t - 1)].end(),
                          x.begin() + p);
            x.back() = 1.0;
            X.push_back(std::move(x));
            Y.push_back(states[size_t(t)]);
        }
    }
}

// Ridge solution of X w_k = Y[:, k] for every state dimension k: [dim][columns].
std::vector<std::vector<double>> ridgeFit(const std::vector<std::vector<double>> &X,
                                          const std::vector<std::vector<float>> &Y, size_t n,
                                          size_t dim)
{
    std::vector<double> A(n * n, 0.0);
    std::vector<std::vector<double>> B(dim, std::vector<double>(n, 0.0));
    for (size_t r = 0; r < X.size(); ++r)
        for (size_t i = 0; i < n; ++i) {
            if (X[r][i] == 0.0)
                continue;
            for (size_t j = 0; j < n; ++j)
                A[i * n + j] += X[r][i] * X[r][j];
            for (size_t k = 0; k < dim; ++k)
                B[k][i] += X[r][i] * Y[r][k];
        }
    double trace = 0;
    for (size_t i = 0; i < n; ++i)
        trace += A[i * n + i];
    const double ridge = 1e-4 * trace / double(n) + 1e-9; // keeps unused columns solvable
    for (size_t i = 0; i < n; ++i)
        A[i * n + i] += ridge;
    return solveSpd(std::move(A), std::move(B), n);
}

// R^2 per state dimension on (Xt, Yt), and overall (pooled sums of squares) in `overall`.
std::vector<double> heldOutR2(const std::vector<std::vector<double>> &W,
                              const std::vector<std::vector<double>> &Xt,
                              const std::vector<std::vector<float>> &Yt, double &overall)
{
    double ssTot = 0, ssRes = 0;
    std::vector<double> perState;
    for (size_t k = 0; k < W.size(); ++k) {
        double mean = 0;
        for (const auto &y : Yt)
            mean += y[k];
        mean /= double(Yt.size());
        double tot = 0, res = 0;
        for (size_t r = 0; r < Xt.size(); ++r) {
            double pred = 0;
            for (size_t i = 0; i < W[k].size(); ++i)
                pred += W[k][i] * Xt[r][i];
            tot += (Yt[r][k] - mean) * (Yt[r][k] - mean);
            res += (Yt[r][k] - pred) * (Yt[r][k] - pred);
        }
        perState.push_back(tot > 0 ? 1.0 - res / tot : 0.0);
        ssTot += tot;
        ssRes += res;
    }
    overall = ssTot > 0 ? 1.0 - ssRes / ssTot : 0.0;
    return perState;
}

} // namespace

Surrogate fitSurrogate(const ModelBundle &b, const EncodedDataset &d,
                       const std::vector<int64_t> &applicants)
{
    Surrogate s;
    s.aggregation = toString(b.model->config().itemAggregation);
    if (b.isBag()) // the states are one model's: fold 1's
        s.aggregation += " (fold 1 of " + std::to_string(b.members().size()) + ")";
    // Alternate applicants between fitting and held out, so that files ordered by anything
    // (a prefix of a bank's accounts, say) still give both halves events.
    std::vector<int64_t> fitRows, testRows;
    for (size_t i = 0; i < applicants.size(); ++i)
        (i % 2 == 0 ? fitRows : testRows).push_back(applicants[i]);
    const Features feat(b, d, fitRows);
    std::vector<std::vector<double>> X, Xt;
    std::vector<std::vector<float>> Y, Yt;
    design(b, d, feat, fitRows, X, Y);
    design(b, d, feat, testRows, Xt, Yt);
    s.trainEvents = int64_t(X.size());
    s.heldOutEvents = int64_t(Xt.size());
    const size_t dim = size_t(b.config.model.embDim), n = size_t(feat.count()) + dim + 1;
    if (X.empty() || Xt.empty()) {
        s.r2 = std::nan(""); // nothing to fit or to measure on
        return s;
    }
    const auto W = ridgeFit(X, Y, n, dim); // [dim][n]
    s.r2PerState = heldOutR2(W, Xt, Yt, s.r2);
    for (int64_t i = 0; i < feat.count(); ++i) {
        double norm = 0;
        for (size_t k = 0; k < dim; ++k)
            norm += W[k][size_t(i)] * W[k][size_t(i)];
        s.inputs.push_back({feat.name(i), std::sqrt(norm)});
    }
    for (size_t i = size_t(feat.count()); i + 1 < n; ++i)
        for (size_t k = 0; k < dim; ++k)
            s.previousStateNorm += W[k][i] * W[k][i];
    s.previousStateNorm = std::sqrt(s.previousStateNorm);
    std::stable_sort(s.inputs.begin(), s.inputs.end(),
                     [](const auto &a, const auto &b) { return a.norm > b.norm; });
    return s;
}

std::vector<ApplicantExplanation> explainSample(const ModelBundle &b, const RawDataset &raw,
                                                const EncodedDataset &data,
                                                const std::vector<int64_t> &applicants,
                                                const AuditOptions &o)
{
    ExplainOptions eo = o.explain;
    eo.inputOcclusion = false;
    eo.reasons = 0;
    std::vector<ApplicantExplanation> explained;
    for (int64_t a : applicants) {
        throwIfCancelled(o.cancel);
        explained.push_back(explainApplicant(b, raw, data, a, eo));
    }
    return explained;
}

ExplanationAudit auditExplanations(const ModelBundle &b, const RawDataset &raw,
                                   const EncodedDataset &data,
                                   const std::vector<int64_t> &applicants, const AuditOptions &o)
{
    ExplanationAudit audit;
    const auto sample = evenSample(applicants, o.applicants);
    const auto explained = explainSample(b, raw, data, sample, o);
    audit.faithfulness = measureFaithfulness(b, raw, data, explained, sample, o);
    audit.global = globalAttribution(explained, b.config.sequence.timeBucketsDays);
    audit.surrogate = fitSurrogate(b, data, sample);
    return audit;
}

} // namespace seqlens
