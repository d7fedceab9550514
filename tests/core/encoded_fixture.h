// SPDX-License-Identifier: GPL-3.0-or-later
// Random encoded datasets for model tests: no files, known shapes.
#pragma once

#include "seqlens/data/encoder.h"
#include "seqlens/nn/sequence_model.h"

#include <random>

namespace testutil {

inline seqlens::ModelLayout smallLayout()
{
    return seqlens::ModelLayout{{7, 5, 6, 6}, 2, 32};
}

// Applicants with the given history lengths; label = 1 when the last event's first field is code 3.
inline seqlens::EncodedDataset randomEncoded(const std::vector<int64_t> &lengths, uint32_t seed)
{
    using namespace seqlens;
    const ModelLayout layout = smallLayout();
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    EncodedDataset e;
    e.numCat = int64_t(layout.cardinalities.size());
    e.numNum = layout.numNumeric;
    e.offsets.push_back(0);
    for (int64_t len : lengths) {
        int32_t last = 0;
        for (int64_t t = 0; t < len; ++t) {
            for (int64_t card : layout.cardinalities) {
                last = kCodeMissing + int32_t(rng() % uint32_t(card - 1));
                e.cat.push_back(last);
            }
            last = e.cat[e.cat.size() - size_t(e.numCat)];
            for (int64_t f = 0; f < e.numNum; ++f) {
                bool present = rng() % 5 != 0;
                e.num.push_back(present ? normal(rng) : 0.0f);
                e.numState.push_back(present ? kNumPresent : kNumMissing);
            }
            e.rawEvent.push_back(int64_t(e.rawEvent.size()));
            e.days.push_back(float(3 * (len - 1 - t) + int64_t(rng() % 3)));
        }
        e.offsets.push_back(int64_t(e.rawEvent.size()));
        e.labels.push_back(len > 0 && last == 3 ? 1.0f : 0.0f);
    }
    return e;
}

} // namespace testutil
