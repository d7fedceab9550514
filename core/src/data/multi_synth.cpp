// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/multi_synth.h"

#include "seqlens/data/time_parser.h"
#include "seqlens/util/error.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <vector>

namespace seqlens {

namespace {

const char *kConfig = R"({
  "schema_version": 1,
  "comment": "Synthetic applicants with four event tables; the risk is a bureau credit opened within days after a missed instalment (seqlens-cli synth --kind multi).",
  "events": [
    {"name": "inst", "path": "instalments.csv", "entity": "id", "time": "due", "time_format": "iso",
     "fields": [{"name": "status", "type": "categorical"}, {"name": "amount", "type": "numeric", "transform": "log1p"}]},
    {"name": "bureau", "path": "bureau.csv", "entity": "id", "time": "days_credit", "time_unit": "days",
     "time_origin": "cutoff", "fields": [{"name": "credit_type", "type": "categorical"}]},
    {"name": "balance", "path": "balance.csv", "entity": "credit_id", "time": "months_balance",
     "time_unit": "months", "time_origin": "cutoff", "max_items": 24,
     "fields": [{"name": "status", "type": "categorical"}],
     "via": {"path": "bureau.csv", "key": "credit_id", "entity": "id",
             "fields": [{"name": "credit_type", "type": "categorical"}]}},
    {"name": "app", "path": "app.csv", "entity": "id", "time": "ts", "time_format": "iso",
     "fields": [{"name": "event", "type": "categorical"}]}
  ],
  "labels": {"path": "labels.csv", "entity": "id", "target": "bad", "positive": ["1"],
             "negative": ["0"], "cutoff": "application_date", "cutoff_format": "iso"},
  "sequence": {"max_items": 96},
  "training": {"epochs": 20, "seed": 7}
}
)";

const char *kStackedConfig = R"({
  "schema_version": 1,
  "comment": "The four tables of synth --kind multi stacked by hand into one event table.",
  "events": [{"path": "stacked.csv", "entity": "id", "time": "time", "time_format": "iso",
              "fields": [{"name": "table", "type": "categorical"}, {"name": "status", "type": "categorical"},
                         {"name": "credit_type", "type": "categorical"}, {"name": "event", "type": "categorical"},
                         {"name": "amount", "type": "numeric", "transform": "log1p"}]}],
  "labels": {"path": "labels.csv", "entity": "id", "target": "bad", "positive": ["1"],
             "negative": ["0"], "cutoff": "application_date", "cutoff_format": "iso"},
  "sequence": {"max_items": 96},
  "training": {"epochs": 20, "seed": 7}
}
)";

const char *kCreditTypes[] = {"consumer", "card", "car", "mortgage"};
const char *kAppEvents[] = {"login", "view", "apply"};

struct Writer {
    std::ofstream inst, bureau, balance, app, labels;
    explicit Writer(const std::filesystem::path &dir)
        : inst(dir / "instalments.csv"), bureau(dir / "bureau.csv"), balance(dir / "balance.csv"),
          app(dir / "app.csv"), labels(dir / "labels.csv")
    {
        inst << "id,due,status,amount\n";
        bureau << "credit_id,id,days_credit,credit_type\n";
        balance << "credit_id,months_balance,status\n";
        app << "id,ts,event\n";
        labels << "id,bad,application_date\n";
    }
    bool good() const
    {
        return inst.good() && bureau.good() && balance.good() && app.good() && labels.good();
    }
};

// Whether a credit opened `daysBefore` the cutoff falls 1..14 days after one of the misses
// (the window that credits without the pattern keep clear of; the pattern plants 1..9 days).
bool afterMiss(double daysBefore, const std::vector<double> &missesBefore)
{
    for (double m : missesBefore)
        if (m - daysBefore >= 1.0 && m - daysBefore <= 14.0)
            return true;
    return false;
}

std::vector<std::vector<std::string>> csvRows(const std::string &path)
{
    std::ifstream in(path);
    std::vector<std::vector<std::string>> rows;
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, ',');)
            cells.push_back(c);
        rows.push_back(cells);
    }
    return rows;
}

} // namespace

MultiSynthSummary writeMultiSourceSynth(const MultiSynthOptions &o)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(o.outDir, ec);
    Writer w(o.outDir);
    std::ofstream(fs::path(o.outDir) / "config.json") << kConfig;
    if (!w.good())
        throwData(o.outDir + ": cannot write the synthetic tables");
    std::mt19937_64 rng(o.seed);
    auto unif = [&] { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); };
    MultiSynthSummary s;
    const double start = double(daysFromCivil(2023, 1, 1));
    int64_t credit = 0;
    for (int64_t i = 0; i < o.applicants; ++i) {
        const std::string id = "M" + std::to_string(100000 + i);
        const double cutoff = std::floor(start + 540.0 * unif());
        // 12 monthly instalments due before the cutoff, two of them missed.
        std::vector<double> misses;
        const int miss1 = int(unif() * 12), miss2 = (miss1 + 1 + int(unif() * 11)) % 12;
        for (int k = 0; k < 12; ++k) {
            const double before = 30.0 * (12 - k) - 15.0 + std::floor(10 * unif());
            const bool missed = k == miss1 || k == miss2;
            if (missed)
                misses.push_back(before);
            w.inst << id << ',' << formatDays(cutoff - before) << ','
                   << (missed ? "missed" : "paid") << ',' << 200 + int(unif() * 100) << '\n';
        }
        const bool pattern = unif() < o.patternShare;
        for (int c = 0; c < 2; ++c) {
            double before;
            if (pattern && c == 0)
                before = misses[size_t(unif() * 2)] - 1.0 - std::floor(9 * unif());
            else
                do
                    before = 1.0 + std::floor(360 * unif());
                while (afterMiss(before, misses));
            before = std::max(before, 1.0);
            const std::string cid = "K" + std::to_string(++credit);
            w.bureau << cid << ',' << id << ',' << -int(before) << ','
                     << kCreditTypes[int(unif() * 4)] << '\n';
            for (int m = int(std::ceil(before / 30.436875)); m >= 1; --m, ++s.rows)
                w.balance << cid << ',' << -m << ',' << (unif() < 0.9 ? "0" : "X") << '\n';
            ++s.rows;
        }
        const int appEvents = 5 + int(unif() * 11);
        for (int k = 0; k < appEvents; ++k, ++s.rows)
            w.app << id << ',' << formatDays(cutoff - 0.5 - 364.0 * unif()).substr(0, 10) << 'T'
                  << 10 + int(unif() * 10) << ":00:00," << kAppEvents[int(unif() * 3)] << '\n';
        s.rows += 12;
        const bool bad = unif() < (pattern ? o.badWithPattern : o.badWithout);
        w.labels << id << ',' << (bad ? 1 : 0) << ',' << formatDays(cutoff) << '\n';
        ++s.applicants;
        s.bads += bad;
        s.withPattern += pattern;
    }
    if (!w.good())
        throwData(o.outDir + ": writing the synthetic tables failed");
    s.configPath = (fs::path(o.outDir) / "config.json").string();
    return s;
}

// What an analyst does without several sources does without several sources: all four tables
// stacked into one event table (absolute dates, a "table" column, the union of the columns, empty
// where a table has none).
std::string writeStackedTable(const std::string &dir)
{
    std::map<std::string, double> cutoff;
    for (const auto &r : csvRows(dir + "/labels.csv"))
        cutoff[r[0]] = *parseIso(r[2]);
    std::map<std::string, std::pair<std::string, std::string>> credit; // id, type
    std::ofstream out(dir + "/stacked.csv");
    out << "id,time,table,status,credit_type,event,amount\n";
    for (const auto &r : csvRows(dir + "/instalments.csv"))
        out << r[0] << ',' << r[1] << ",inst," << r[2] << ",,," << r[3] << '\n';
    for (const auto &r : csvRows(dir + "/bureau.csv")) {
        credit[r[0]] = {r[1], r[3]};
        out << r[1] << ',' << formatDays(cutoff[r[1]] + std::stod(r[2])) << ",bureau,," << r[3]
            << ",,\n";
    }
    for (const auto &r : csvRows(dir + "/balance.csv")) {
        const auto &[id, type] = credit[r[0]];
        out << id << ',' << formatDays(cutoff[id] + std::stod(r[1]) * 365.2425 / 12.0)
            << ",balance," << r[2] << ',' << type << ",,\n";
    }
    for (const auto &r : csvRows(dir + "/app.csv"))
        out << r[0] << ',' << r[1] << ",app,,," << r[2] << ",\n";
    std::ofstream(dir + "/config_stacked.json") << kStackedConfig;
    if (!out)
        throwData(dir + "/stacked.csv: cannot write");
    return dir + "/config_stacked.json";
}

Config singleSource(Config config, const std::string &source)
{
    std::vector<EventSourceConfig> kept;
    for (const auto &s : config.events)
        if (s.name == source)
            kept.push_back(s);
    config.events = std::move(kept);
    return config;
}

} // namespace seqlens
