// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/compare/baseline_models.h"
#include "seqlens/compare/metrics.h"
#include "test_util.h"

#include <random>

using namespace seqlens;

namespace {
struct Data {
    FeatureMatrix x;
    std::vector<int64_t> rows;
    std::vector<int> y;
};

// Three features (one with missing values, one constant), label from a logistic model.
Data makeData(int n, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> z;
    std::uniform_real_distribution<double> u;
    Data d;
    d.x.names = {"a", "b", "constant", "c"};
    d.x.rows = n;
    for (int i = 0; i < n; ++i) {
        const double a = z(rng) * 3 + 10, b = z(rng), c = z(rng);
        const double eta = -0.5 + 0.8 * (a - 10) / 3 - 1.2 * b + 0.3 * c;
        d.y.push_back(u(rng) < 1 / (1 + std::exp(-eta)));
        d.x.values.insert(d.x.values.end(), {a, i % 7 == 0 ? std::nan("") : b, 4.0, c});
        d.rows.push_back(i);
    }
    return d;
}

// Independent fit: same preprocessing (mean imputation, standardization with the population
// sd over all rows, constant column dropped), penalized loss minimised by plain gradient descent.
std::vector<double> referencePredictions(const Data &d, double l2)
{
    const size_t n = d.rows.size();
    std::vector<std::vector<double>> z(n);
    for (size_t c : {size_t(0), size_t(1), size_t(3)}) {
        double s = 0, cnt = 0;
        for (size_t r = 0; r < n; ++r)
            if (!std::isnan(d.x.at(int64_t(r), c))) {
                s += d.x.at(int64_t(r), c);
                cnt += 1;
            }
        const double mean = s / cnt;
        double ss = 0;
        for (size_t r = 0; r < n; ++r) {
            const double v = std::isnan(d.x.at(int64_t(r), c)) ? mean : d.x.at(int64_t(r), c);
            ss += (v - mean) * (v - mean);
        }
        const double sd = std::sqrt(ss / double(n));
        for (size_t r = 0; r < n; ++r) {
            const double v = std::isnan(d.x.at(int64_t(r), c)) ? mean : d.x.at(int64_t(r), c);
            z[r].push_back((v - mean) / sd);
        }
    }
    std::vector<double> beta(4, 0.0); // 3 coefficients + intercept
    for (int it = 0; it < 20000; ++it) {
        std::vector<double> g(4, 0.0);
        for (size_t r = 0; r < n; ++r) {
            double eta = beta[3];
            for (int j = 0; j < 3; ++j)
                eta += beta[size_t(j)] * z[r][size_t(j)];
            const double res = 1 / (1 + std::exp(-eta)) - d.y[r];
            for (int j = 0; j < 3; ++j)
                g[size_t(j)] += res * z[r][size_t(j)];
            g[3] += res;
        }
        for (int j = 0; j < 3; ++j)
            g[size_t(j)] += l2 * beta[size_t(j)];
        for (int j = 0; j < 4; ++j)
            beta[size_t(j)] -= 1.0 / double(n) * g[size_t(j)];
    }
    std::vector<double> p;
    for (size_t r = 0; r < n; ++r) {
        double eta = beta[3];
        for (int j = 0; j < 3; ++j)
            eta += beta[size_t(j)] * z[r][size_t(j)];
        p.push_back(1 / (1 + std::exp(-eta)));
    }
    return p;
}
} // namespace

class TestBaselines : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void logisticMatchesAnIndependentSolver()
    {
        Data d = makeData(400, 1);
        BaselineConfig bc;
        bc.l2 = 2.0;
        auto m = makeBaselineModel(bc, 1, 1);
        BaselineFitInfo info = m->fit(d.x, d.rows, d.y);
        QVERIFY(info.converged);
        QVERIFY(info.iterations < 20);
        auto p = m->predict(d.x, d.rows), ref = referencePredictions(d, 2.0);
        double worst = 0;
        for (size_t i = 0; i < p.size(); ++i)
            worst = std::max(worst, std::fabs(p[i] - ref[i]));
        QVERIFY2(worst < 1e-5, std::to_string(worst).c_str());
    }
    void separableDataStaysFiniteWithPenalty()
    {
        FeatureMatrix x;
        x.names = {"v"};
        x.rows = 6;
        x.values = {1, 2, 3, 4, 5, 6};
        std::vector<int64_t> rows = {0, 1, 2, 3, 4, 5};
        std::vector<int> y = {0, 0, 0, 1, 1, 1};
        BaselineConfig bc;
        auto m = makeBaselineModel(bc, 1, 1);
        QVERIFY(m->fit(x, rows, y).converged);
        auto p = m->predict(x, rows);
        for (double v : p)
            QVERIFY(std::isfinite(v) && v > 0 && v < 1);
        QVERIFY(p[5] > p[0]);
    }
    void xgboostLearnsAndIsDeterministic()
    {
        Data d = makeData(600, 2);
        BaselineConfig bc;
        bc.model = BaselineModelKind::XGBoost;
        bc.xgboost.rounds = 50;
        auto m1 = makeBaselineModel(bc, 5, 2), m2 = makeBaselineModel(bc, 5, 2);
        m1->fit(d.x, d.rows, d.y);
        m2->fit(d.x, d.rows, d.y);
        auto p1 = m1->predict(d.x, d.rows), p2 = m2->predict(d.x, d.rows);
        QCOMPARE(p1, p2);
        std::vector<double> pd(p1.begin(), p1.end());
        QVERIFY(aucScore(pd, d.y) > 0.8); // in-sample; the signal is strong
    }
    void withColumnAppends()
    {
        Data d = makeData(3, 3);
        FeatureMatrix x = withColumn(d.x, "extra", {7, 8, 9});
        QCOMPARE(x.columns(), size_t(5));
        QCOMPARE(x.at(2, 4), 9.0);
        QCOMPARE(x.at(1, 0), d.x.at(1, 0));
    }
};

QTEST_GUILESS_MAIN(TestBaselines)
#include "test_baselines.moc"
