// SPDX-License-Identifier: GPL-3.0-or-later
#include "fused_adamw.h"

#include <cmath>

namespace seqlens::nn {

namespace {

std::vector<std::vector<double>> oneEach(const std::vector<double> &scales)
{
    std::vector<std::vector<double>> out;
    for (double s : scales)
        out.push_back({s});
    return out;
}

} // namespace

FusedAdamW::FusedAdamW(std::vector<torch::Tensor> params, double weightDecay,
                       std::vector<std::vector<double>> lrScales, double beta1, double beta2,
                       double eps)
    : m_params(std::move(params)), m_state(m_params.size()), m_sum(m_params.size()),
      m_lrScales(std::move(lrScales)), m_weightDecay(weightDecay), m_beta1(beta1),
      m_beta2(beta2), m_eps(eps)
{
    if (m_lrScales.empty())
        m_lrScales.assign(m_params.size(), {1.0});
    TORCH_CHECK(m_lrScales.size() == m_params.size(),
                "FusedAdamW: one learning-rate scale per parameter");
    for (size_t i = 0; i < m_params.size(); ++i) {
        const auto &p = m_params[i];
        TORCH_CHECK(p.is_contiguous() && p.scalar_type() == torch::kFloat32,
                    "FusedAdamW: parameters must be contiguous float tensors");
        const size_t rows = p.dim() > 0 ? size_t(p.size(0)) : 1;
        TORCH_CHECK(m_lrScales[i].size() == 1 || (rows > 0 && m_lrScales[i].size() == rows),
                    "FusedAdamW: one learning-rate scale per parameter or per row");
    }
}

FusedAdamW::FusedAdamW(std::vector<torch::Tensor> params, double weightDecay,
                       const std::vector<double> &lrScales)
    : FusedAdamW(std::move(params), weightDecay, oneEach(lrScales))
{
}

double FusedAdamW::step(const std::vector<std::vector<torch::Tensor>> &grads, double lr,
                        double clip)
{
    // Sum the micro-batches' gradients in order; note which parameters take part.
    std::vector<bool> active(m_params.size(), false);
    double sq = 0;
    for (size_t i = 0; i < m_params.size(); ++i) {
        auto &sum = m_sum[i];
        const size_t n = size_t(m_params[i].numel());
        sum.assign(n, 0.0f);
        active[i] = m_state[i].steps > 0;
        for (const auto &list : grads) {
            const torch::Tensor &g = list[i];
            if (!g.defined())
                continue;
            active[i] = true;
            const auto gc = g.contiguous();
            const float *x = gc.data_ptr<float>();
            for (size_t e = 0; e < n; ++e)
                sum[e] += x[e];
        }
        if (!active[i])
            continue;
        double s = 0; // per tensor, as clip_grad_norm_ takes each tensor's norm first
        for (float v : sum)
            s += double(v) * double(v);
        sq += s;
    }
    const double norm = std::sqrt(sq);
    const float coef = clip > 0 ? float(std::min(1.0, clip / (norm + 1e-6))) : 1.0f;

    const float b1 = float(m_beta1), b2 = float(m_beta2), eps = float(m_eps);
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < m_params.size(); ++i) {
        if (!active[i])
            continue;
        State &st = m_state[i];
        const size_t n = m_sum[i].size();
        if (st.steps == 0) {
            st.avg.assign(n, 0.0f);
            st.avgSq.assign(n, 0.0f);
        }
        ++st.steps;
        const double bc1 = 1.0 - std::pow(m_beta1, double(st.steps));
        const float rootBc2 = float(std::sqrt(1.0 - std::pow(m_beta2, double(st.steps))));
        const auto &scales = m_lrScales[i];
        const size_t rowLength = n / scales.size();
        float *p = m_params[i].data_ptr<float>();
        const float *g = m_sum[i].data();
        for (size_t row = 0; row < scales.size(); ++row) {
            const double rate = lr * scales[row];
            const float decay = float(1.0 - rate * m_weightDecay);
            const float stepSize = float(rate / bc1);
            for (size_t e = row * rowLength; e < (row + 1) * rowLength; ++e) {
                const float ge = g[e] * coef;
                p[e] *= decay;
                st.avg[e] = st.avg[e] * b1 + ge * (1.0f - b1);
                st.avgSq[e] = st.avgSq[e] * b2 + ge * ge * (1.0f - b2);
                const float denom = std::sqrt(st.avgSq[e]) / rootBc2 + eps;
                p[e] -= stepSize * (st.avg[e] / denom);
            }
        }
    }
    return norm;
}

} // namespace seqlens::nn
