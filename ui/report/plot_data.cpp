// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/plot_data.h"

#include <algorithm>
#include <cmath>

namespace seqlens::report {

Series curveSeries(const nlohmann::json &points, int xi, int yi, const QString &name)
{
    Series s{name, {}, {}};
    for (const auto &p : points) {
        s.x.push_back(p[size_t(xi)].is_null() ? 0.0 : p[size_t(xi)].get<double>());
        s.y.push_back(p[size_t(yi)].get<double>());
    }
    return s;
}

KsGap ksPointOf(const Series &goods, const Series &bads)
{
    KsGap best{0, -1};
    for (int i = 0; i < goods.x.size() && i < bads.y.size(); ++i)
        if (std::fabs(goods.y[i] - bads.y[i]) > best.ks)
            best = {goods.x[i], std::fabs(goods.y[i] - bads.y[i])};
    return best;
}

Series calibrationSeries(const Calibration &calibration, const QString &name)
{
    Series s{name, {}, {}};
    for (const auto &b : calibration.bins) {
        s.x.push_back(b.meanPredicted);
        s.y.push_back(b.observedRate);
    }
    return s;
}

void sortedFieldAttention(const nlohmann::json &g, QStringList &names, QVector<double> &weights)
{
    std::vector<std::pair<double, std::string>> fields;
    for (size_t i = 0; i < g["inputs"].size(); ++i)
        fields.emplace_back(
            g["mean_field_weight"][i].is_null() ? 0.0 : g["mean_field_weight"][i].get<double>(),
            g["inputs"][i].get<std::string>());
    std::sort(fields.rbegin(), fields.rend());
    for (const auto &[w, n] : fields) {
        names << QString::fromStdString(n);
        weights << w;
    }
}

} // namespace seqlens::report
