// SPDX-License-Identifier: GPL-3.0-or-later
#include "synth_files.h"

#include "seqlens/data/time_parser.h"
#include "seqlens/util/error.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace seqlens {

void SynthFiles::checkWritten(const std::string &dir) const
{
    if (!events || !labels || !config)
        throwData(dir + ": write failed");
}

void openSynthFiles(SynthFiles &f, const std::string &dir, const char *configText,
                    const char *eventsHeader, const char *labelsHeader)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throwData(dir + ": cannot create directory: " + ec.message());
    f.eventsPath = (fs::path(dir) / "events.csv").string();
    f.labelsPath = (fs::path(dir) / "labels.csv").string();
    f.configPath = (fs::path(dir) / "config.json").string();
    f.events.open(f.eventsPath);
    f.labels.open(f.labelsPath);
    f.config.open(f.configPath);
    if (!f.events || !f.labels || !f.config)
        throwData(dir + ": cannot write the generated files");
    f.config << configText;
    f.events << eventsHeader << '\n';
    f.labels << labelsHeader << '\n';
}

void writeEventRow(std::ostream &out, const std::string &id, double days, const char *type,
                   const char *channel, double amount)
{
    std::string time = formatDays(std::round(days * 1440.0) / 1440.0);
    if (time.size() == 10)
        time += "T00:00:00";
    char text[32] = "";
    if (!std::isnan(amount))
        std::snprintf(text, sizeof text, "%.2f", amount);
    out << id << ',' << time << ',' << type << ',' << channel << ',' << text << '\n';
}

} // namespace seqlens
