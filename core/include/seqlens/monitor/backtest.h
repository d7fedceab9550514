// SPDX-License-Identifier: GPL-3.0-or-later
// Back-testing a scored population once its outcomes are known: calibration in the large (the
// Jeffreys test of the ECB's guidance on PD back-testing) and a test of an AUC drop against the
// development AUC.
#pragma once

#include "seqlens/compare/validation_stats.h"

#include <cstdint>

namespace seqlens {

// The regularized incomplete beta function I_x(a, b): the Beta(a, b) distribution function.
double betaCdf(double x, double a, double b);
// Its inverse in x (bisection to 1e-12).
double betaQuantile(double p, double a, double b);

// Observed defaults D of N against the mean predicted probability PD. The posterior of the
// default rate under the Jeffreys prior is Beta(D + 1/2, N - D + 1/2);
//   pUnderestimated = its distribution function at PD (small: more defaults than predicted),
//   pTwoSided = 2 min(p, 1 - p); [lo, hi] is its 95% interval.
struct JeffreysTest {
    int64_t n = 0, defaults = 0;
    double observedRate = 0, predictedRate = 0;
    double lo = 0, hi = 0;
    double pUnderestimated = 1, pTwoSided = 1;
};
JeffreysTest jeffreysTest(int64_t n, int64_t defaults, double predictedRate);

// AUC of a batch against the development AUC, both with DeLong standard errors, as two
// independent samples: z = (reference - batch) / sqrt(se_r^2 + se_b^2), one-sided p of a drop.
struct AucDropTest {
    double reference = 0, referenceSe = 0, batch = 0, batchSe = 0;
    double drop = 0; // reference - batch
    double z = 0, pValue = 1;
};
AucDropTest aucDropTest(const AucInterval &reference, const AucInterval &batch);

// The standard normal distribution function.
double normalCdf(double z);

} // namespace seqlens
