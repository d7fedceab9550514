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

namespace {

double numberOr0(const nlohmann::json &v)
{
    return v.is_number() ? v.get<double>() : 0.0;
}

QString text(const nlohmann::json &v)
{
    return QString::fromStdString(v.get<std::string>());
}

} // namespace

Bars attributionByInput(const nlohmann::json &g)
{
    std::vector<std::pair<double, QString>> inputs;
    for (size_t i = 0; i < g["inputs"].size(); ++i)
        inputs.emplace_back(numberOr0(g["mean_abs"][i]), text(g["inputs"][i]));
    std::stable_sort(inputs.begin(), inputs.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    Bars out;
    for (const auto &[v, name] : inputs) {
        out.labels << name;
        out.values << v;
    }
    return out;
}

Bars attributionByValue(const nlohmann::json &g, int top, int64_t minEvents)
{
    std::vector<const nlohmann::json *> values;
    for (const auto &v : g["values"])
        if (v["events"].get<int64_t>() >= minEvents && v["mean_signed"].is_number())
            values.push_back(&v);
    auto signedOf = [](const nlohmann::json *v) { return (*v)["mean_signed"].get<double>(); };
    std::stable_sort(values.begin(), values.end(),
                     [&](const nlohmann::json *a, const nlohmann::json *b) {
                         return std::fabs(signedOf(a)) > std::fabs(signedOf(b));
                     });
    values.resize(std::min(values.size(), size_t(std::max(0, top))));
    std::stable_sort(values.begin(), values.end(),
                     [&](const nlohmann::json *a, const nlohmann::json *b) {
                         return signedOf(a) > signedOf(b);
                     });
    Bars out;
    for (const auto *v : values) {
        out.labels << text((*v)["field"]) + "=" + text((*v)["value"]);
        out.values << signedOf(v);
    }
    return out;
}

Bars attributionByTime(const nlohmann::json &g)
{
    Bars out;
    for (size_t b = 0; b < g["bands"].size(); ++b) {
        out.labels << text(g["bands"][b]);
        out.values << numberOr0(g["band_mean_signed"][b]);
    }
    return out;
}

void faithfulnessCurves(const nlohmann::json &f, std::vector<Series> &deletion,
                        std::vector<Series> &insertion)
{
    QVector<double> x;
    for (const auto &v : f["fractions"])
        x << v.get<double>();
    for (const auto &m : f["methods"]) {
        Series del{text(m["method"]) + " deletion", x, {}}, ins{text(m["method"]) + " insertion", x, {}};
        for (const auto &v : m["deletion_curve"])
            del.y << numberOr0(v);
        for (const auto &v : m["insertion_curve"])
            ins.y << numberOr0(v);
        deletion.push_back(del);
        insertion.push_back(ins);
    }
}

Bars surrogateCoefficients(const nlohmann::json &s, int top)
{
    Bars out;
    for (size_t i = 0; i < s["inputs"].size() && int(i) < top; ++i) {
        out.labels << text(s["inputs"][i]["feature"]);
        out.values << numberOr0(s["inputs"][i]["coefficient_norm"]);
    }
    out.labels << "memory (previous state)";
    out.values << numberOr0(s["previous_state_norm"]);
    return out;
}

} // namespace seqlens::report
