// SPDX-License-Identifier: GPL-3.0-or-later
// The calibrator's JSON form, as the bundle and metrics.json hold it (declared in bundle.h).
#include "seqlens/bundle.h"

#include "seqlens/util/error.h"

#include <cmath>

namespace seqlens {

using nlohmann::json;

json calibratorJson(const Calibrator &c)
{
    return {{"method", toString(c.method)}, {"a", c.a},   {"b", c.b},
            {"x", c.x},                     {"y", c.y},   {"fitted_on", c.fittedOn}};
}

Calibrator calibratorFromJson(const json &j, const std::string &where)
{
    Calibrator c;
    try {
        c.method = parseCalibrationMethod(j.at("method").get<std::string>());
        c.a = j.at("a").get<double>();
        c.b = j.at("b").get<double>();
        c.x = j.at("x").get<std::vector<double>>();
        c.y = j.at("y").get<std::vector<double>>();
        c.fittedOn = j.value("fitted_on", int64_t(0));
    } catch (const json::exception &e) {
        throwData(where + ": /calibration: " + std::string(e.what()));
    } catch (const Error &e) {
        throwData(where + ": /calibration/method: " + std::string(e.what()));
    }
    bool ok = std::isfinite(c.a) && std::isfinite(c.b) && c.x.size() == c.y.size() &&
              (c.method != CalibrationMethod::Isotonic || !c.x.empty());
    for (size_t i = 0; ok && i < c.x.size(); ++i)
        ok = std::isfinite(c.x[i]) && c.y[i] >= 0 && c.y[i] <= 1 && (i == 0 || c.x[i] > c.x[i - 1]);
    if (!ok)
        throwData(where + ": /calibration: expected finite a and b and, for isotonic, increasing "
                          "x with probabilities y in [0, 1] of the same length");
    return c;
}

} // namespace seqlens
