// SPDX-License-Identifier: GPL-3.0-or-later
// The torch module of the sequence model. Internal: never include from public or Qt headers.
#pragma once

#include "seqlens/data/config.h"
#include "seqlens/nn/sequence_model.h"
#include "transformer_layer.h"

#include "fast_dropout.h"

#include <torch/torch.h>

namespace seqlens::nn {

// A padded batch of applicants. Padding sits at the end of each row (right padding).
struct Batch {
    torch::Tensor cat;      // [B, T, Fc] int64 codes, kCodePad on padding
    torch::Tensor num;      // [B, T, Fn] float standardized values
    torch::Tensor numState; // [B, T, Fn] int64 kNumPad / kNumMissing / kNumPresent
    torch::Tensor pad;      // [B, T] bool, true on padding
    torch::Tensor length;   // [B] int64 number of real events
    torch::Tensor days;     // [B, T] float days before the cutoff (0 on padding)
    torch::Tensor source;   // [B, T] int64 event source (0 on padding and with one source)
    torch::Tensor labels;   // [B] float 0/1 (training only)
};

// Collates applicants of an encoded dataset; T = the longest history in the batch (at least 1).
Batch collate(const EncodedDataset &data, const int64_t *applicants, int64_t count);

struct NetOutput {
    torch::Tensor logits;       // [B]
    torch::Tensor fieldWeights; // [B, T, F] attention over the fields of each event
    torch::Tensor itemWeights;  // [B, T] attention over events (0 on padding)
    torch::Tensor states;       // [B, T, d] item aggregator output per event
};

class SeqNetImpl : public torch::nn::Module {
public:
    SeqNetImpl(const ModelConfig &config, const ModelLayout &layout);
    NetOutput forward(const Batch &batch);
    // The per-input embeddings of every event, [B, T, F, d]: where attributions are taken.
    torch::Tensor embedFields(const Batch &batch);
    // Everything after the embeddings: `e` is embedFields(batch) or any tensor of its shape
    // (Integrated Gradients feeds points on the path from a reference).
    NetOutput forwardEmbedded(const torch::Tensor &e, const Batch &batch);
    // The step-size multipliers of each parameter, in the order of parameters() (one per
    // tensor, or one per row where its rows differ; FusedAdamW): `inputScale` for the input
    // embeddings (categorical tables, numeric value weights and state vectors, periodic maps,
    // source embeddings), `derivedScale` for the rows of the derived numeric inputs
    // (ModelLayout::derivedNumeric), 1 for everything after them.
    std::vector<std::vector<double>> lrScales(double inputScale, double derivedScale) const;

private:
    // Several sources: true where input f does not belong to the source of event t, [B, T, F].
    torch::Tensor foreignInputs(const Batch &batch) const;
    // time_encoding continuous: the categorical embeddings with the exact time added to the
    // time-before-cutoff input where its bucket is real (missing and padding keep their vector).
    torch::Tensor withTimeValues(const torch::Tensor &catEmbedding, const Batch &batch) const;
    torch::Tensor aggregateItems(torch::Tensor x, const Batch &batch);
    // time_bias: the bucket of the signed time gap of every (query, key) pair, [B, T, T] uint8.
    torch::Tensor timeBiasIndex(const Batch &batch) const;
    // The pooled vector of each history ([B, P]) from the event states h [B, T, d] (and, for
    // pooling "all_inputs", the input embeddings e [B, T, F, d]).
    torch::Tensor pool(const torch::Tensor &h, const torch::Tensor &itemW, const Batch &batch,
                       const torch::Tensor &e);
    torch::Tensor head(const torch::Tensor &features);

    ModelConfig m_config;
    ModelLayout m_layout;
    torch::Tensor m_catOffsets;                   // [Fc] row offset of each field in m_catEmbedding
    torch::nn::Embedding m_catEmbedding{nullptr}; // all categorical fields in one table
    torch::Tensor m_numWeight;                    // [Fn, d] value direction per numeric field
    torch::nn::Embedding m_numStateEmbedding{nullptr}; // [Fn * 3, d] bias per field and state
    torch::Tensor m_numFrequencies;                    // periodic: [Fn, k] learned frequencies
    torch::Tensor m_numPeriodic;                       // periodic: [Fn, 2k, d] per-field map
    torch::Tensor m_periodicMask; // periodic: [1, 1, Fn, 1] 1 on the inputs that use them
    torch::Tensor m_timeValue; // time_encoding continuous: [2, d] map of log and linear time
    torch::nn::Linear m_fieldProj{nullptr}; // field attention: v^T tanh(W e)
    torch::nn::Linear m_fieldScore{nullptr};
    torch::Tensor m_inputSource;                     // several sources: [F] source of each input
    torch::nn::Embedding m_sourceEmbedding{nullptr}; // several sources: [S, d]
    torch::nn::Embedding m_position{nullptr};        // position counted from the latest event
    torch::Tensor m_gapEdges;                        // time_bias: bucket edges in days
    torch::nn::Linear m_previous{nullptr};           // local_order: map of the previous event
    std::vector<EncoderLayer> m_layers;              // transformer item aggregation
    torch::nn::GRU m_gru{nullptr};
    torch::nn::LSTM m_lstm{nullptr};
    torch::nn::Linear m_itemProj{nullptr}; // item attention pooling
    torch::nn::Linear m_itemScore{nullptr};
    torch::Tensor m_emptyHistory;                // [d] pooled vector of an empty history
    torch::nn::Linear m_countGate{nullptr};      // pooling "all": soft event counts
    torch::nn::Linear m_inputCountGate{nullptr}; // pooling "all_inputs": window gates on inputs
    torch::nn::Linear m_inputValue{nullptr};     // and the values they sum
    torch::nn::LayerNorm m_headNorm{nullptr};    // head "skip"
    torch::nn::Linear m_skip{nullptr};           // head "skip": linear path to the logit
    torch::nn::Linear m_hidden{nullptr};
    FastDropout m_dropout{nullptr};
    torch::nn::Linear m_out{nullptr};
};
TORCH_MODULE(SeqNet);

} // namespace seqlens::nn
