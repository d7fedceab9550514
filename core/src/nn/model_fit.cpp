// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/nn/model_fit.h"

namespace seqlens {

FittedModel fitSequenceModel(const ModelConfig &config, const ModelLayout &layout,
                             const EncodedDataset &data, const std::vector<int64_t> &trainRows,
                             const std::vector<int64_t> &validRows, const TrainingConfig &training,
                             const ProgressFn &progress, const CancelToken *cancel,
                             ThreadBudget *budget)
{
    std::vector<ItemAggregation> candidates = {config.itemAggregation};
    if (config.itemAggregation == ItemAggregation::Auto)
        candidates = validRows.empty()
                         ? std::vector{ItemAggregation::Gru} // nothing to choose on
                         : std::vector{ItemAggregation::Transformer, ItemAggregation::Gru};
    const bool choosing = candidates.size() > 1;
    FittedModel best;
    double seconds = 0;
    for (ItemAggregation agg : candidates) {
        ModelConfig c = config;
        c.itemAggregation = agg;
        auto model = std::make_unique<SequenceModel>(c, layout, training.seed);
        ProgressFn tagged = progress;
        if (choosing && progress)
            tagged = [&progress, name = std::string(toString(agg))](const TrainProgress &p) {
                TrainProgress q = p;
                q.task = (p.task.empty() ? "sequence" : p.task) + kTrialSeparator + name;
                progress(q);
            };
        TrainResult r = trainModel(*model, data, trainRows, validRows, training, tagged, cancel,
                                   budget);
        seconds += r.seconds;
        if (r.cancelled) {
            FittedModel out;
            out.training = r;
            return out;
        }
        if (choosing)
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
