// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/nn/model_fit.h"

#include "seqlens/util/error.h"

namespace seqlens {

FittedModel fitSequenceModel(const ModelConfig &config, const ModelLayout &layout,
                             const EncodedDataset &data, const std::vector<int64_t> &trainRows,
                             const std::vector<int64_t> &validRows, const TrainingConfig &training,
                             const ProgressFn &progress, const CancelToken *cancel)
{
    std::vector<ItemAggregation> candidates = {config.itemAggregation};
    if (config.itemAggregation == ItemAggregation::Auto) {
        if (validRows.empty())
            throwData("item_aggregation \"auto\" chooses on the validation split, but it is "
                      "empty (set training.valid_fraction above 0)");
        candidates = {ItemAggregation::Transformer, ItemAggregation::Gru};
    }
    FittedModel best;
    double seconds = 0;
    for (ItemAggregation agg : candidates) {
        ModelConfig c = config;
        c.itemAggregation = agg;
        auto model = std::make_unique<SequenceModel>(c, layout, training.seed);
        TrainResult r = trainModel(*model, data, trainRows, validRows, training, progress, cancel);
        seconds += r.seconds;
        if (r.cancelled) {
            FittedModel out;
            out.training = r;
            return out;
        }
        if (candidates.size() > 1)
            best.trials.push_back({agg, r.bestValidAuc, r.bestEpoch, r.epochsRun, r.seconds});
        if (!best.model || r.bestValidAuc > best.training.bestValidAuc) {
            best.model = std::move(model);
            best.config = c;
            best.training = r;
        }
    }
    best.training.seconds = seconds;
    return best;
}

} // namespace seqlens
