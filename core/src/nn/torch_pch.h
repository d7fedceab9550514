// SPDX-License-Identifier: GPL-3.0-or-later
// Precompiled header for the LibTorch translation units (core/src/nn only).
#pragma once
#include <torch/torch.h>
