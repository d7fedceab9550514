// SPDX-License-Identifier: GPL-3.0-or-later
// Baseline model families for window features (and the stacking model, which adds the
// sequence score as one more column).
//   logistic: L2-regularized logistic regression. Missing values are imputed with the training
//             mean, columns standardized with training statistics (constant columns dropped),
//             intercept unpenalized. Solved by Newton's method (IRLS) with a Cholesky solve of
//             the penalized Hessian; converged when the largest coefficient step is below
//             1e-9 (at most 100 iterations; the result records whether it converged).
//   xgboost:  gradient-boosted trees through XGBoost's C API, missing values native,
//             binary:logistic, hist trees, fixed rounds, seeded.
#pragma once

#include "seqlens/data/config.h"
#include "seqlens/compare/window_features.h"

#include <memory>
#include <string>
#include <vector>

namespace seqlens {

struct BaselineFitInfo {
    bool converged = true;
    int iterations = 0;
    std::string solver;
};

class BaselineModel {
public:
    virtual ~BaselineModel() = default;
    // Fits on the given rows; labels are 0/1 per row of `rows`.
    virtual BaselineFitInfo fit(const FeatureMatrix &x, const std::vector<int64_t> &rows,
                                const std::vector<int> &labels) = 0;
    // Probabilities of bad for the given rows.
    virtual std::vector<double> predict(const FeatureMatrix &x,
                                        const std::vector<int64_t> &rows) const = 0;
};

std::unique_ptr<BaselineModel> makeBaselineModel(const BaselineConfig &config, uint64_t seed,
                                                 int64_t threads);

// Adds a column (e.g. the sequence score) to a copy of a feature matrix.
FeatureMatrix withColumn(const FeatureMatrix &x, const std::string &name,
                         const std::vector<double> &column);

} // namespace seqlens
