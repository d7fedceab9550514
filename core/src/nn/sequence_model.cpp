// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/nn/sequence_model.h"
#include "seqlens/util/version.h"

#include "seqlens/util/error.h"
#include "sequence_model_impl.h"
#include "util/parallel.h"

#include <malloc.h>

#include <algorithm>

#include <mutex>

namespace seqlens {

ModelLayout layoutOf(const Encoder &encoder)
{
    ModelLayout layout{encoder.cardinalities(), encoder.numNumeric(), encoder.maxItems(),
                       encoder.timeBucketsDays()};
    layout.sources = int64_t(encoder.sources().size());
    const auto names = encoder.inputNames();
    const auto at = std::find(names.begin(), names.end(), "time_before_cutoff");
    if (at != names.end())
        layout.timeBeforeCutoffInput = at - names.begin();
    if (!encoder.timeBucketsDays().empty())
        layout.timeScaleDays = std::max(1.0, encoder.timeBucketsDays().back());
    if (layout.sources > 1)
        layout.inputSources = encoder.inputSources();
    for (const auto &n : encoder.numeric()) {
        layout.periodicNumeric.push_back(n.isTimeSinceSame() ? 1 : 0);
        layout.derivedNumeric.push_back(n.sameAs.empty() ? 0 : 1);
    }
    return layout;
}

SequenceModel::SequenceModel(const ModelConfig &config, const ModelLayout &layout, uint64_t seed)
    : m_impl(std::make_unique<Impl>())
{
    if (config.itemAggregation == ItemAggregation::Auto)
        throwData("item_aggregation \"auto\" must be resolved (fitSequenceModel) before a model "
                  "is built");
    m_impl->config = config;
    m_impl->layout = layout;
    static std::mutex initMutex; // initialisation draws from the process-wide default generator
    std::lock_guard<std::mutex> lock(initMutex);
    torch::manual_seed(seed);
    m_impl->net = nn::SeqNet(config, layout);
    m_impl->net->eval();
}

SequenceModel::~SequenceModel() = default;
SequenceModel::SequenceModel(SequenceModel &&) noexcept = default;
SequenceModel &SequenceModel::operator=(SequenceModel &&) noexcept = default;

const ModelConfig &SequenceModel::config() const
{
    return m_impl->config;
}
const ModelLayout &SequenceModel::layout() const
{
    return m_impl->layout;
}

std::vector<double> SequenceModel::predictLogits(const EncodedDataset &data,
                                                 const std::vector<int64_t> &applicants,
                                                 int64_t batchSize) const
{
    torch::NoGradGuard noGrad;
    m_impl->net->eval();
    std::vector<double> out;
    out.reserve(applicants.size());
    for (size_t i = 0; i < applicants.size(); i += size_t(batchSize)) {
        const int64_t n = std::min<int64_t>(batchSize, int64_t(applicants.size() - i));
        auto batch = nn::collate(data, applicants.data() + i, n);
        auto logits = m_impl->net->forward(batch).logits.contiguous();
        const float *p = logits.data_ptr<float>();
        out.insert(out.end(), p, p + n);
    }
    return out;
}

std::vector<double> SequenceModel::predict(const EncodedDataset &data,
                                           const std::vector<int64_t> &applicants,
                                           int64_t batchSize) const
{
    auto logits = predictLogits(data, applicants, batchSize);
    for (double &x : logits)
        x = 1.0 / (1.0 + std::exp(-x));
    return logits;
}

Explanation SequenceModel::explain(const EncodedDataset &data, int64_t applicant) const
{
    torch::NoGradGuard noGrad;
    m_impl->net->eval();
    auto batch = nn::collate(data, &applicant, 1);
    auto out = m_impl->net->forward(batch);
    Explanation ex;
    ex.logit = out.logits.item<float>();
    ex.score = 1.0 / (1.0 + std::exp(-ex.logit));
    const int64_t n = data.length(applicant);
    auto fw = out.fieldWeights[0].contiguous(); // [T, F]
    auto iw = out.itemWeights[0].contiguous();  // [T]
    for (int64_t t = 0; t < n; ++t) {
        auto row = fw[t];
        ex.fieldWeights.emplace_back(row.data_ptr<float>(), row.data_ptr<float>() + row.numel());
        ex.itemWeights.push_back(iw[t].item<float>());
    }
    return ex;
}

void SequenceModel::saveWeights(const std::string &path) const
{
    try {
        torch::save(m_impl->net, path);
    } catch (const c10::Error &e) {
        throwData(path + ": cannot write model weights: " + e.what_without_backtrace());
    }
}

void SequenceModel::loadWeights(const std::string &path)
{
    try {
        torch::load(m_impl->net, path);
        m_impl->net->eval();
    } catch (const c10::Error &e) {
        std::string what = e.what_without_backtrace();
        throwData(path + ": model weights are unreadable or do not match the architecture (" +
                  what.substr(0, what.find('\n')) + ")");
    }
}

int64_t SequenceModel::parameterCount() const
{
    int64_t n = 0;
    for (const auto &p : m_impl->net->parameters())
        n += p.numel();
    return n;
}

int64_t setTorchThreads(int64_t threads)
{
    // Keep freed tensor memory in the process: by default glibc returns every large block to
    // the OS, so each new activation tensor page-faults afresh (measured: a 2M-element
    // multiply took 4-15 ms instead of 4 ms; training throughput +40%).
    static const bool mallocTuned = [] {
        mallopt(M_MMAP_THRESHOLD, 256 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
        return true;
    }();
    (void)mallocTuned;
    const int64_t n = int64_t(util::resolveThreads(threads));
    torch::set_num_threads(int(n));
    return n;
}

std::string torchVersion()
{
    return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
           std::to_string(TORCH_VERSION_PATCH);
}

} // namespace seqlens
