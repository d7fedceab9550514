// SPDX-License-Identifier: GPL-3.0-or-later
#include "masked_attention.h"

#include "random_stream.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

namespace seqlens::nn {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

struct Shape {
    int64_t B, H, T, D;
};

// The bias of one (row, head): its table row and its row's [T, T] index (null: no bias).
struct RowBias {
    const float *table = nullptr;
    const uint8_t *index = nullptr;
    int64_t T = 0;
    void add(float *p, int64_t i, int64_t L) const
    {
        if (!table)
            return;
        const uint8_t *ix = index + i * T;
        for (int64_t j = 0; j < L; ++j)
            p[j] += table[ix[j]];
    }
};

struct BiasView {
    const float *table = nullptr;
    const uint8_t *index = nullptr;
    int64_t K = 0;
    RowBias at(int64_t bh, const Shape &s) const
    {
        if (!table)
            return {};
        return {table + (bh % s.H) * K, index + (bh / s.H) * s.T * s.T, s.T};
    }
};

// Autograd functions take defined tensors only: no bias travels as empty placeholders.
BiasView viewOf(const torch::Tensor &table, const torch::Tensor &index)
{
    if (!table.defined() || table.numel() == 0)
        return {};
    return {table.data_ptr<float>(), index.data_ptr<uint8_t>(), table.size(1)};
}

inline uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Dropout multiplier of attention weight (row, query i, key j): 0 or 1 / keep.
struct DropMask {
    uint64_t seed = 0;
    uint32_t drop = 0; // drop when a 16-bit hash is below this
    float scale = 1.0f;
    int64_t T = 0;
    float at(int64_t bh, int64_t i, int64_t j) const
    {
        if (drop == 0)
            return 1.0f;
        uint64_t r = mix(seed ^ uint64_t((bh * T + i) * T + j));
        return (r >> 48) >= drop ? scale : 0.0f;
    }
};

DropMask makeMask(double p, bool training, int64_t T)
{
    DropMask m;
    m.T = T;
    if (!training || p <= 0.0)
        return m;
    m.drop = uint32_t(p * 65536.0 + 0.5);
    m.scale = float(65536.0 / double(65536 - m.drop));
    m.seed = nextRandomSeed();
    return m;
}

// Sum of a[j] * b[j], j < n, in eight interleaved partial sums (vectorisable without
// -ffast-math; a fixed order, so the result is reproducible).
inline float dot(const float *a, const float *b, int64_t n)
{
    float part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t j = 0;
    for (; j + 8 <= n; j += 8)
        for (int u = 0; u < 8; ++u)
            part[u] += a[j + u] * b[j + u];
    float sum = 0;
    for (; j < n; ++j)
        sum += a[j] * b[j];
    for (float x : part)
        sum += x;
    return sum;
}

// Forward for one (row, head): fills probabilities P [T, T] (pre-dropout; with `pStride` 0 one
// reused row, for inference) and output O [T, D]. Keys and values are transposed to [D, L] so
// the loops over keys run over contiguous memory.
void forwardRow(const float *q, const float *k, const float *v, float *P, float *O, int64_t L,
                const Shape &s, int64_t bh, const DropMask &mask, int64_t pStride,
                const RowBias &bias, std::vector<float> &buf)
{
    const int64_t D = s.D;
    buf.resize(size_t((2 * D + 1) * L));
    float *kT = buf.data(), *vT = kT + D * L, *kept = vT + D * L;
    for (int64_t j = 0; j < L; ++j)
        for (int64_t c = 0; c < D; ++c) {
            kT[c * L + j] = k[j * D + c];
            vT[c * L + j] = v[j * D + c];
        }
    const float scale = 1.0f / std::sqrt(float(D));
    for (int64_t i = 0; i < L; ++i) {
        float *p = P + i * pStride;
        std::fill(p, p + L, 0.0f);
        for (int64_t c = 0; c < D; ++c) {
            const float a = q[i * D + c] * scale;
            const float *kc = kT + c * L;
            for (int64_t j = 0; j < L; ++j)
                p[j] += a * kc[j];
        }
        bias.add(p, i, L);
        const float mx = *std::max_element(p, p + L);
        float sum = 0;
        for (int64_t j = 0; j < L; ++j)
            sum += (p[j] = std::exp(p[j] - mx));
        const float inv = 1.0f / sum;
        for (int64_t j = 0; j < L; ++j)
            p[j] *= inv;
        const float *a = p;
        if (mask.drop != 0) {
            for (int64_t j = 0; j < L; ++j)
                kept[j] = p[j] * mask.at(bh, i, j);
            a = kept;
        }
        for (int64_t c = 0; c < D; ++c)
            O[i * D + c] = dot(a, vT + c * L, L);
    }
}

// Backward for one (row, head) given dO; accumulates dQ, dK, dV. Same [D, L] layout as the
// forward, so every loop over keys is contiguous.
void backwardRow(const float *q, const float *k, const float *v, const float *P, const float *dO,
                 float *dQ, float *dK, float *dV, int64_t L, const Shape &s, int64_t bh,
                 const DropMask &mask, const RowBias &bias, float *dTable,
                 std::vector<float> &buf)
{
    const int64_t D = s.D;
    buf.assign(size_t((4 * D + 2) * L), 0.0f);
    float *kT = buf.data(), *vT = kT + D * L, *dKT = vT + D * L, *dVT = dKT + D * L;
    float *dP = dVT + D * L, *kept = dP + L;
    for (int64_t j = 0; j < L; ++j)
        for (int64_t c = 0; c < D; ++c) {
            kT[c * L + j] = k[j * D + c];
            vT[c * L + j] = v[j * D + c];
        }
    const float scale = 1.0f / std::sqrt(float(D));
    for (int64_t i = 0; i < L; ++i) {
        const float *p = P + i * s.T;
        const float *g = dO + i * D;
        const float *a = p;
        if (mask.drop != 0) {
            for (int64_t j = 0; j < L; ++j)
                kept[j] = p[j] * mask.at(bh, i, j);
            a = kept;
        }
        std::fill(dP, dP + L, 0.0f);
        for (int64_t c = 0; c < D; ++c) {
            const float gc = g[c];
            const float *vc = vT + c * L;
            float *dvc = dVT + c * L;
            for (int64_t j = 0; j < L; ++j) {
                dP[j] += gc * vc[j];
                dvc[j] += a[j] * gc;
            }
        }
        if (mask.drop != 0)
            for (int64_t j = 0; j < L; ++j)
                dP[j] *= mask.at(bh, i, j);
        const float rowDot = dot(p, dP, L);
        for (int64_t j = 0; j < L; ++j)
            dP[j] = p[j] * (dP[j] - rowDot); // now dS, the gradient of the logits
        if (bias.table) {
            const uint8_t *ix = bias.index + i * s.T;
            for (int64_t j = 0; j < L; ++j)
                dTable[ix[j]] += dP[j];
        }
        for (int64_t j = 0; j < L; ++j)
            dP[j] *= scale; // the gradient of q . k
        for (int64_t c = 0; c < D; ++c) {
            dQ[i * D + c] += dot(dP, kT + c * L, L);
            const float qc = q[i * D + c];
            float *dkc = dKT + c * L;
            for (int64_t j = 0; j < L; ++j)
                dkc[j] += dP[j] * qc;
        }
    }
    for (int64_t j = 0; j < L; ++j)
        for (int64_t c = 0; c < D; ++c) {
            dK[j * D + c] += dKT[c * L + j];
            dV[j * D + c] += dVT[c * L + j];
        }
}

class MaskedAttentionFn : public torch::autograd::Function<MaskedAttentionFn> {
public:
    static torch::Tensor forward(AutogradContext *ctx, torch::Tensor q, torch::Tensor k,
                                 torch::Tensor v, torch::Tensor lengths, double dropout,
                                 bool training, torch::Tensor table, torch::Tensor index)
    {
        q = q.contiguous();
        k = k.contiguous();
        v = v.contiguous();
        const Shape s{q.size(0), q.size(1), q.size(2), q.size(3)};
        const DropMask mask = makeMask(dropout, training, s.T);
        auto P = torch::zeros({s.B, s.H, s.T, s.T}, q.options());
        auto O = torch::zeros_like(q);
        const int64_t *len = lengths.data_ptr<int64_t>();
        const float *qp = q.data_ptr<float>(), *kp = k.data_ptr<float>(), *vp = v.data_ptr<float>();
        float *pp = P.data_ptr<float>(), *op = O.data_ptr<float>();
        const BiasView bias = viewOf(table, index);
        at::parallel_for(0, s.B * s.H, 1, [&](int64_t begin, int64_t end) {
            std::vector<float> buf;
            for (int64_t bh = begin; bh < end; ++bh) {
                const int64_t off = bh * s.T * s.D;
                forwardRow(qp + off, kp + off, vp + off, pp + bh * s.T * s.T, op + off,
                           len[bh / s.H], s, bh, mask, s.T, bias.at(bh, s), buf);
            }
        });
        ctx->save_for_backward({q, k, v, P, lengths, table, index});
        ctx->saved_data["seed"] = int64_t(mask.seed);
        ctx->saved_data["drop"] = int64_t(mask.drop);
        ctx->saved_data["scale"] = double(mask.scale);
        return O;
    }

    static tensor_list backward(AutogradContext *ctx, tensor_list grads)
    {
        auto saved = ctx->get_saved_variables();
        auto q = saved[0], k = saved[1], v = saved[2], P = saved[3], lengths = saved[4];
        auto table = saved[5], index = saved[6];
        auto dO = grads[0].contiguous();
        const Shape s{q.size(0), q.size(1), q.size(2), q.size(3)};
        DropMask mask;
        mask.seed = uint64_t(ctx->saved_data["seed"].toInt());
        mask.drop = uint32_t(ctx->saved_data["drop"].toInt());
        mask.scale = float(ctx->saved_data["scale"].toDouble());
        mask.T = s.T;
        auto dQ = torch::zeros_like(q), dK = torch::zeros_like(k), dV = torch::zeros_like(v);
        const int64_t *len = lengths.data_ptr<int64_t>();
        const BiasView bias = viewOf(table, index);
        // Per (row, head) partial gradients of the table, summed over rows afterwards in a
        // fixed order (reproducible whatever the thread split).
        auto dTableRows = torch::zeros({s.B * s.H, std::max<int64_t>(bias.K, 1)}, q.options());
        float *dtr = dTableRows.data_ptr<float>();
        at::parallel_for(0, s.B * s.H, 1, [&](int64_t begin, int64_t end) {
            std::vector<float> buf;
            for (int64_t bh = begin; bh < end; ++bh) {
                const int64_t off = bh * s.T * s.D;
                backwardRow(q.data_ptr<float>() + off, k.data_ptr<float>() + off,
                            v.data_ptr<float>() + off, P.data_ptr<float>() + bh * s.T * s.T,
                            dO.data_ptr<float>() + off, dQ.data_ptr<float>() + off,
                            dK.data_ptr<float>() + off, dV.data_ptr<float>() + off, len[bh / s.H],
                            s, bh, mask, bias.at(bh, s), dtr + bh * std::max<int64_t>(bias.K, 1),
                            buf);
            }
        });
        torch::Tensor dTable;
        if (bias.table)
            dTable = dTableRows.view({s.B, s.H, bias.K}).sum(0);
        return {dQ,
                dK,
                dV,
                torch::Tensor(),
                torch::Tensor(),
                torch::Tensor(),
                dTable,
                torch::Tensor()};
    }
};

// Without autograd (scoring, occlusion): no [B, H, T, T] probabilities kept, one row reused.
torch::Tensor inferenceAttention(torch::Tensor q, torch::Tensor k, torch::Tensor v,
                                 const torch::Tensor &lengths, const AttentionBias &ab)
{
    q = q.contiguous();
    k = k.contiguous();
    v = v.contiguous();
    const Shape s{q.size(0), q.size(1), q.size(2), q.size(3)};
    const DropMask none = makeMask(0.0, false, s.T);
    auto O = torch::zeros_like(q);
    const int64_t *len = lengths.data_ptr<int64_t>();
    const float *qp = q.data_ptr<float>(), *kp = k.data_ptr<float>(), *vp = v.data_ptr<float>();
    float *op = O.data_ptr<float>();
    const torch::Tensor table = ab.table.defined() ? ab.table.detach().contiguous() : ab.table;
    const BiasView bias = viewOf(table, ab.index);
    at::parallel_for(0, s.B * s.H, 1, [&](int64_t begin, int64_t end) {
        std::vector<float> row(size_t(s.T)), buf;
        for (int64_t bh = begin; bh < end; ++bh) {
            const int64_t off = bh * s.T * s.D;
            forwardRow(qp + off, kp + off, vp + off, row.data(), op + off, len[bh / s.H], s, bh,
                       none, 0, bias.at(bh, s), buf);
        }
    });
    return O;
}

} // namespace

torch::Tensor maskedAttention(const torch::Tensor &q, const torch::Tensor &k,
                              const torch::Tensor &v, const torch::Tensor &lengths, double dropout,
                              bool training, const AttentionBias &bias)
{
    TORCH_CHECK(q.scalar_type() == torch::kFloat32 && q.dim() == 4,
                "maskedAttention: q must be float [B, H, T, dh]");
    TORCH_CHECK(lengths.scalar_type() == torch::kInt64 && lengths.is_contiguous(),
                "maskedAttention: lengths must be int64");
    TORCH_CHECK(bias.table.defined() == bias.index.defined(),
                "maskedAttention: bias table and index go together");
    if (bias.table.defined())
        TORCH_CHECK(bias.table.scalar_type() == torch::kFloat32 &&
                        bias.table.size(0) == q.size(1) && bias.table.size(1) <= 256 &&
                        bias.index.scalar_type() == torch::kUInt8 && bias.index.is_contiguous() &&
                        bias.index.size(0) == q.size(0) && bias.index.size(1) == q.size(2) &&
                        bias.index.size(2) == q.size(2),
                    "maskedAttention: bias table [H, K<=256] float, index [B, T, T] uint8");
    const bool needsGrad =
        torch::GradMode::is_enabled() &&
        (q.requires_grad() || k.requires_grad() || v.requires_grad() ||
         (bias.table.defined() && bias.table.requires_grad()));
    if (!needsGrad && !(training && dropout > 0.0))
        return inferenceAttention(q, k, v, lengths, bias);
    if (!bias.table.defined())
        return MaskedAttentionFn::apply(q, k, v, lengths, dropout, training,
                                        torch::empty({0}, q.options()),
                                        torch::empty({0}, torch::kUInt8));
    return MaskedAttentionFn::apply(q, k, v, lengths, dropout, training, bias.table.contiguous(),
                                    bias.index);
}

torch::Tensor maskedAttentionReference(const torch::Tensor &q, const torch::Tensor &k,
                                       const torch::Tensor &v, const torch::Tensor &lengths,
                                       const AttentionBias &bias)
{
    const int64_t B = q.size(0), T = q.size(2);
    auto keyPad = torch::arange(T, torch::kInt64).unsqueeze(0) >= lengths.unsqueeze(1); // [B, T]
    auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(double(q.size(3)));
    if (bias.table.defined()) // [H, K] gathered at [B, T, T] -> [B, H, T, T]
        scores = scores + bias.table.index({torch::indexing::Slice(),
                                            bias.index.to(torch::kInt64)})
                              .permute({1, 0, 2, 3});
    scores = scores.masked_fill(keyPad.view({B, 1, 1, T}), -std::numeric_limits<float>::infinity());
    auto out = torch::matmul(torch::softmax(scores, -1), v);
    return out.masked_fill(keyPad.view({B, 1, T, 1}),
                           0.0); // padded queries: 0, as the fused kernel
}

} // namespace seqlens::nn
