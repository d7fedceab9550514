// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/monitor/backtest.h"

#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>

namespace seqlens {

namespace {

// Continued fraction of the incomplete beta (modified Lentz), valid for x < (a + 1) / (a + b + 2).
double betaContinuedFraction(double x, double a, double b)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    d = 1 / (std::fabs(d) < tiny ? tiny : d);
    double h = d;
    for (int m = 1; m <= 10000; ++m) {
        for (int step = 0; step < 2; ++step) {
            const double num = step == 0
                                   ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
                                   : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 + num * d;
            d = 1 / (std::fabs(d) < tiny ? tiny : d);
            c = 1 + num / c;
            c = std::fabs(c) < tiny ? tiny : c;
            h *= d * c;
            if (step == 1 && std::fabs(d * c - 1) < 1e-15)
                return h;
        }
    }
    return h;
}

} // namespace

double betaCdf(double x, double a, double b)
{
    if (!(a > 0 && b > 0))
        throwInternal("betaCdf: parameters must be positive");
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                  a * std::log(x) + b * std::log1p(-x));
    if (x < (a + 1) / (a + b + 2))
        return front * betaContinuedFraction(x, a, b) / a;
    return 1 - front * betaContinuedFraction(1 - x, b, a) / b;
}

double betaQuantile(double p, double a, double b)
{
    double lo = 0, hi = 1;
    for (int i = 0; i < 200 && hi - lo > 1e-12; ++i) {
        const double mid = 0.5 * (lo + hi);
        (betaCdf(mid, a, b) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

JeffreysTest jeffreysTest(int64_t n, int64_t defaults, double predictedRate)
{
    if (n <= 0 || defaults < 0 || defaults > n)
        throwInternal("jeffreysTest: inconsistent counts");
    JeffreysTest t;
    t.n = n;
    t.defaults = defaults;
    t.observedRate = double(defaults) / double(n);
    t.predictedRate = predictedRate;
    const double a = double(defaults) + 0.5, b = double(n - defaults) + 0.5;
    t.lo = betaQuantile(0.025, a, b);
    t.hi = betaQuantile(0.975, a, b);
    t.pUnderestimated = betaCdf(predictedRate, a, b);
    t.pTwoSided = std::min(1.0, 2 * std::min(t.pUnderestimated, 1 - t.pUnderestimated));
    return t;
}

double normalCdf(double z)
{
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

AucDropTest aucDropTest(const AucInterval &reference, const AucInterval &batch)
{
    AucDropTest t;
    t.reference = reference.auc;
    t.referenceSe = reference.se;
    t.batch = batch.auc;
    t.batchSe = batch.se;
    t.drop = reference.auc - batch.auc;
    const double se = std::sqrt(reference.se * reference.se + batch.se * batch.se);
    t.z = se > 0 ? t.drop / se : (t.drop > 0 ? INFINITY : 0.0);
    t.pValue = 1 - normalCdf(t.z);
    return t;
}

} // namespace seqlens
