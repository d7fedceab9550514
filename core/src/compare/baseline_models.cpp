// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/compare/baseline_models.h"

#include "seqlens/util/error.h"

#include <xgboost/c_api.h>

#include <cmath>

namespace seqlens {

namespace {

double sigmoid(double z)
{
    return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));
}

// Solves A x = b for symmetric positive definite A (n x n, row-major) in place; false if not SPD.
bool choleskySolve(std::vector<double> &A, std::vector<double> &b, size_t n)
{
    for (size_t j = 0; j < n; ++j) {
        double d = A[j * n + j];
        for (size_t k = 0; k < j; ++k)
            d -= A[j * n + k] * A[j * n + k];
        if (d <= 0)
            return false;
        d = std::sqrt(d);
        A[j * n + j] = d;
        for (size_t i = j + 1; i < n; ++i) {
            double s = A[i * n + j];
            for (size_t k = 0; k < j; ++k)
                s -= A[i * n + k] * A[j * n + k];
            A[i * n + j] = s / d;
        }
    }
    for (size_t i = 0; i < n; ++i) { // L y = b
        for (size_t k = 0; k < i; ++k)
            b[i] -= A[i * n + k] * b[k];
        b[i] /= A[i * n + i];
    }
    for (size_t i = n; i-- > 0;) { // L^T x = y
        for (size_t k = i + 1; k < n; ++k)
            b[i] -= A[k * n + i] * b[k];
        b[i] /= A[i * n + i];
    }
    return true;
}

class LogisticModel : public BaselineModel {
public:
    explicit LogisticModel(double l2) : m_l2(l2) {}

    BaselineFitInfo fit(const FeatureMatrix &x, const std::vector<int64_t> &rows,
                        const std::vector<int> &y) override
    {
        standardizer(x, rows);
        const size_t p = m_cols.size() + 1; // + intercept (last)
        std::vector<double> beta(p, 0.0), z(p);
        BaselineFitInfo info{false, 0, "Newton-Raphson (IRLS), L2 " + std::to_string(m_l2)};
        for (int it = 1; it <= 100; ++it) {
            std::vector<double> H(p * p, 0.0), g(p, 0.0);
            for (size_t r = 0; r < rows.size(); ++r) {
                row(x, rows[r], z);
                double eta = 0;
                for (size_t j = 0; j < p; ++j)
                    eta += beta[j] * z[j];
                const double mu = sigmoid(eta), w = std::max(mu * (1 - mu), 1e-12);
                for (size_t j = 0; j < p; ++j) {
                    g[j] += (mu - y[r]) * z[j];
                    const double wz = w * z[j];
                    for (size_t k = 0; k <= j; ++k)
                        H[j * p + k] += wz * z[k];
                }
            }
            for (size_t j = 0; j < p; ++j)
                for (size_t k = 0; k < j; ++k)
                    H[k * p + j] = H[j * p + k];
            for (size_t j = 0; j + 1 < p; ++j) { // intercept unpenalized
                H[j * p + j] += m_l2;
                g[j] += m_l2 * beta[j];
            }
            H[(p - 1) * p + (p - 1)] += 1e-10;
            if (!choleskySolve(H, g, p))
                throwData("logistic baseline: the penalized Hessian is singular; set baseline.l2 "
                          "above 0");
            double step = 0;
            for (size_t j = 0; j < p; ++j) {
                beta[j] -= g[j];
                step = std::max(step, std::fabs(g[j]));
            }
            info.iterations = it;
            if (step < 1e-9) {
                info.converged = true;
                break;
            }
        }
        m_beta = beta;
        return info;
    }

    std::vector<double> predict(const FeatureMatrix &x,
                                const std::vector<int64_t> &rows) const override
    {
        std::vector<double> out, z(m_beta.size());
        for (int64_t r : rows) {
            row(x, r, z);
            double eta = 0;
            for (size_t j = 0; j < z.size(); ++j)
                eta += m_beta[j] * z[j];
            out.push_back(sigmoid(eta));
        }
        return out;
    }

private:
    void standardizer(const FeatureMatrix &x, const std::vector<int64_t> &rows)
    {
        m_cols.clear();
        m_mean.clear();
        m_sd.clear();
        for (size_t c = 0; c < x.columns(); ++c) {
            double sum = 0, sq = 0;
            int64_t n = 0;
            for (int64_t r : rows) {
                const double v = x.at(r, c);
                if (std::isnan(v))
                    continue;
                sum += v;
                sq += v * v;
                ++n;
            }
            if (n == 0)
                continue;
            const double mean = sum / double(n);
            // Imputed values sit at the mean, so they add nothing to the variance.
            const double var = std::max(0.0, sq / double(n) - mean * mean) * double(n) /
                               double(rows.size());
            if (var < 1e-24)
                continue; // constant column: no information
            m_cols.push_back(c);
            m_mean.push_back(mean);
            m_sd.push_back(std::sqrt(var));
        }
    }

    void row(const FeatureMatrix &x, int64_t r, std::vector<double> &z) const
    {
        for (size_t j = 0; j < m_cols.size(); ++j) {
            const double v = x.at(r, m_cols[j]);
            z[j] = std::isnan(v) ? 0.0 : (v - m_mean[j]) / m_sd[j];
        }
        z[m_cols.size()] = 1.0;
    }

    double m_l2;
    std::vector<size_t> m_cols;
    std::vector<double> m_mean, m_sd, m_beta;
};

void xgbCheck(int rc, const char *what)
{
    if (rc != 0)
        throwData(std::string("XGBoost ") + what + ": " + XGBGetLastError());
}

class XGBoostModel : public BaselineModel {
public:
    XGBoostModel(const XGBoostConfig &c, uint64_t seed, int64_t threads)
        : m_cfg(c), m_seed(seed), m_threads(threads)
    {}
    ~XGBoostModel() override
    {
        if (m_booster)
            XGBoosterFree(m_booster);
    }

    BaselineFitInfo fit(const FeatureMatrix &x, const std::vector<int64_t> &rows,
                        const std::vector<int> &y) override
    {
        DMatrixHandle d = matrix(x, rows);
        std::vector<float> labels(y.begin(), y.end());
        xgbCheck(XGDMatrixSetFloatInfo(d, "label", labels.data(), bst_ulong(labels.size())),
                 "labels");
        if (m_booster)
            XGBoosterFree(m_booster);
        xgbCheck(XGBoosterCreate(&d, 1, &m_booster), "create");
        const std::pair<const char *, std::string> params[] = {
            {"objective", "binary:logistic"},
            {"tree_method", "hist"},
            {"max_depth", std::to_string(m_cfg.maxDepth)},
            {"eta", std::to_string(m_cfg.eta)},
            {"subsample", std::to_string(m_cfg.subsample)},
            {"colsample_bytree", std::to_string(m_cfg.colsampleByTree)},
            {"min_child_weight", std::to_string(m_cfg.minChildWeight)},
            {"seed", std::to_string(m_seed % 2147483647)},
            {"nthread", std::to_string(m_threads)},
            {"verbosity", "0"}};
        for (const auto &[k, v] : params)
            xgbCheck(XGBoosterSetParam(m_booster, k, v.c_str()), "parameter");
        for (int64_t i = 0; i < m_cfg.rounds; ++i)
            xgbCheck(XGBoosterUpdateOneIter(m_booster, int(i), d), "training");
        XGDMatrixFree(d);
        return {true, int(m_cfg.rounds),
                "XGBoost gbtree (hist), " + std::to_string(m_cfg.rounds) + " rounds"};
    }

    std::vector<double> predict(const FeatureMatrix &x,
                                const std::vector<int64_t> &rows) const override
    {
        DMatrixHandle d = matrix(x, rows);
        bst_ulong len = 0;
        const float *out = nullptr;
        xgbCheck(XGBoosterPredict(m_booster, d, 0, 0, 0, &len, &out), "prediction");
        std::vector<double> p(out, out + len);
        XGDMatrixFree(d);
        return p;
    }

private:
    DMatrixHandle matrix(const FeatureMatrix &x, const std::vector<int64_t> &rows) const
    {
        std::vector<float> buf;
        buf.reserve(rows.size() * x.columns());
        for (int64_t r : rows)
            for (size_t c = 0; c < x.columns(); ++c)
                buf.push_back(float(x.at(r, c)));
        DMatrixHandle d = nullptr;
        xgbCheck(XGDMatrixCreateFromMat(buf.data(), bst_ulong(rows.size()), bst_ulong(x.columns()),
                                        std::nanf(""), &d),
                 "data");
        return d;
    }

    XGBoostConfig m_cfg;
    uint64_t m_seed;
    int64_t m_threads;
    BoosterHandle m_booster = nullptr;
};

} // namespace

std::unique_ptr<BaselineModel> makeBaselineModel(const BaselineConfig &c, uint64_t seed,
                                                 int64_t threads)
{
    if (c.model == BaselineModelKind::XGBoost)
        return std::make_unique<XGBoostModel>(c.xgboost, seed, threads);
    return std::make_unique<LogisticModel>(c.l2);
}

FeatureMatrix withColumn(const FeatureMatrix &x, const std::string &name,
                         const std::vector<double> &column)
{
    if (int64_t(column.size()) != x.rows)
        throwInternal("withColumn: column has " + std::to_string(column.size()) + " rows, matrix " +
                      std::to_string(x.rows));
    FeatureMatrix out;
    out.names = x.names;
    out.names.push_back(name);
    out.rows = x.rows;
    out.values.reserve(size_t(x.rows) * out.names.size());
    for (int64_t r = 0; r < x.rows; ++r) {
        for (size_t c = 0; c < x.columns(); ++c)
            out.values.push_back(x.at(r, c));
        out.values.push_back(column[size_t(r)]);
    }
    return out;
}

} // namespace seqlens
