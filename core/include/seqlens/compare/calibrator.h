// SPDX-License-Identifier: GPL-3.0-or-later
// Score calibration: a monotone map from the sequence model's logit to a probability of bad,
// fitted on the validation split (never on test). Platt scaling fits sigmoid(a * logit + b) by
// maximum likelihood; isotonic regression fits a non-decreasing step function (pool adjacent
// violators) interpolated linearly between block ends, clamped outside the fitted range.
#pragma once

#include "seqlens/data/config.h"

#include <string>
#include <vector>

namespace seqlens {

struct Calibrator {
    CalibrationMethod method = CalibrationMethod::None; // None: sigmoid(logit)
    double a = 1, b = 0;                                 // Platt
    std::vector<double> x, y; // isotonic: increasing logits and their probabilities
    int64_t fittedOn = 0;     // applicants the map was fitted on

    double probability(double logit) const;
    std::vector<double> probabilities(const std::vector<double> &logits) const;
};

// Fits `method` on (logit, 0/1 label) pairs. Throws a Data error naming the problem when the
// pairs are empty, differ in size or hold one class only.
Calibrator fitCalibrator(CalibrationMethod method, const std::vector<double> &logits,
                         const std::vector<int> &labels);

// Throws a Data error for an unknown name.
CalibrationMethod parseCalibrationMethod(const std::string &name);

} // namespace seqlens
