// SPDX-License-Identifier: GPL-3.0-or-later
// Torch-free interface to the fused-optimiser checks (optimizer_check.cpp includes LibTorch).
#pragma once

#include <cstdint>
#include <string>

namespace optcheck {
// Largest parameter difference after `steps` steps of a small module trained once with
// LibTorch's AdamW after clip_grad_norm_(clip), once with FusedAdamW, on the same batches
// (weight decay `decay`; clip 0 = none).
double maxParamDiff(uint64_t seed, int steps, double clip, double decay);
// The same step from gradients handed in as two micro-batch parts (summed) and as one.
double splitGradientDiff(uint64_t seed);
// A parameter no gradient reaches stays untouched until its first gradient.
double untouchedParamChange(uint64_t seed);
// As maxParamDiff, with the first layer's parameters at `scale` times the learning rate: LibTorch's
// AdamW with two parameter groups against FusedAdamW with per-parameter scales.
double scaledGroupDiff(uint64_t seed, int steps, double scale, double decay);
// As scaledGroupDiff, with rows 0-1 of the first layer's weight at `scale` times the learning
// rate and its other rows at 1: LibTorch's AdamW with the weight held as two parameters in two
// groups against FusedAdamW with one scale per row.
double rowScaleDiff(uint64_t seed, int steps, double scale, double decay);
// The names of the sequence network's parameters that get the input-embedding scale (10), for
// a layout with categorical and two numeric inputs, `sources` event sources, periodic encoding
// on or off and, where `derivedScale` > 0, the second numeric input derived (time/change since
// the same value) and stepping at `derivedScale`; comma-separated in parameter order, a tensor
// whose rows differ as name[row scales, as integers]; and the number of its parameters in all.
struct ScaledNames {
    std::string names;
    int64_t parameters = 0;
};
ScaledNames inputEmbeddingParameters(int64_t sources, bool periodic, double derivedScale = 0);
} // namespace optcheck
