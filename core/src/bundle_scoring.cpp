// SPDX-License-Identifier: GPL-3.0-or-later
// Scoring with a bundle: one model, or the mean logit of a bag's fold models (bundle.h).
#include "seqlens/bundle.h"

#include "seqlens/util/error.h"

namespace seqlens {

namespace {

// The mean of the members' logits, each on its own encoding.
std::vector<double> meanLogits(const std::vector<MemberView> &members,
                               const std::vector<const EncodedDataset *> &data,
                               const std::vector<int64_t> &applicants)
{
    if (data.size() != members.size())
        throwInternal("bag scoring: " + std::to_string(data.size()) + " encodings for " +
                      std::to_string(members.size()) + " models");
    std::vector<double> mean(applicants.size(), 0.0);
    for (size_t k = 0; k < members.size(); ++k) {
        const auto l = members[k].model.predictLogits(*data[k], applicants);
        for (size_t i = 0; i < mean.size(); ++i)
            mean[i] += l[i];
    }
    for (double &v : mean)
        v /= double(members.size());
    return mean;
}

} // namespace

std::vector<MemberView> ModelBundle::members() const
{
    std::vector<MemberView> out{{encoder, *model, referenceEmbedding}};
    for (const BagMember &m : otherFolds)
        out.push_back({m.encoder, *m.model, m.referenceEmbedding});
    return out;
}

std::vector<EncodedDataset> ModelBundle::encodeForMembers(const RawDataset &raw) const
{
    std::vector<EncodedDataset> out;
    for (const MemberView &m : members())
        out.push_back(m.encoder.encode(raw));
    return out;
}

std::vector<double> ModelBundle::logits(const std::vector<EncodedDataset> &perMember,
                                        const std::vector<int64_t> &applicants) const
{
    std::vector<const EncodedDataset *> data;
    for (const EncodedDataset &d : perMember)
        data.push_back(&d);
    return meanLogits(members(), data, applicants);
}

std::vector<double> ModelBundle::logits(const RawDataset &raw, const EncodedDataset &data,
                                        const std::vector<int64_t> &applicants) const
{
    std::vector<EncodedDataset> others; // fold 1's encoding is the caller's
    std::vector<const EncodedDataset *> all = {&data};
    others.reserve(otherFolds.size());
    for (const BagMember &m : otherFolds)
        all.push_back(&others.emplace_back(m.encoder.encode(raw)));
    return meanLogits(members(), all, applicants);
}

std::vector<double> ModelBundle::logits(const RawDataset &raw,
                                        const std::vector<int64_t> &applicants) const
{
    return logits(raw, encoder.encode(raw), applicants);
}

std::vector<double> ModelBundle::predict(const RawDataset &raw, const EncodedDataset &data,
                                         const std::vector<int64_t> &applicants) const
{
    return calibrator.probabilities(logits(raw, data, applicants));
}

} // namespace seqlens
