// SPDX-License-Identifier: GPL-3.0-or-later
// The private state of SequenceModel, shared by the torch translation units. Internal.
#pragma once

#include "seq_net.h"
#include "seqlens/nn/sequence_model.h"

namespace seqlens {

struct SequenceModel::Impl {
    ModelConfig config;
    ModelLayout layout;
    nn::SeqNet net{nullptr};
};

} // namespace seqlens
