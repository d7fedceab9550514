// SPDX-License-Identifier: GPL-3.0-or-later
// Synthetic credit-bureau-like histories for measuring what a sequence model learns: the same
// background for every applicant (about 37 events over two years, a risk that window counts
// capture) plus one planted pattern family. Every applicant carries the pattern or its control,
// built from the same events so that window counts are (nearly) the same for both; only order,
// timing, trend or the combination inside an event differs. The generator knows each
// applicant's true probability (the Bayes ceiling) and the pattern feature (what a model given
// the pattern as a known column could learn: the learnable ceiling).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace seqlens {

enum class PatternFamily {
    Order,       // late payment then inquiry within 4 days (control: inquiry then late payment)
    Recency,     // a rare collection event: the more recent, the riskier (half have none)
    Trend,       // the last six payments rising (control: the same amounts in random order)
    Burst,       // eight card uses within a day (control: spread over 25 days)
    Irregular,   // monthly payments whose last eight gaps turn irregular (same span)
    Interaction, // loan openings online with a large amount or at a branch with a small one
    LongRange,   // of two account reviews 1-2 years back, the older at a branch (vs a broker)
};

const char *toString(PatternFamily f);
std::vector<PatternFamily> allPatternFamilies();
// Throws a Usage error naming the families for an unknown name.
PatternFamily parsePatternFamily(const std::string &name);

struct PatternOptions {
    std::string outDir;
    PatternFamily family = PatternFamily::Order;
    int64_t applicants = 10000;
    uint64_t seed = 1;
    double effect = 1.6; // logit difference of the pattern (per unit of the pattern feature)
};

struct PatternDataset {
    std::string eventsPath, labelsPath, configPath;
    int64_t events = 0, bads = 0;
    std::vector<std::string> entities;     // per applicant, in file order
    std::vector<double> trueProbability;   // P(bad) the labels were drawn from
    std::vector<double> patternFeature;    // the planted pattern as a number (0/1, count, recency)
};

// Writes events.csv, labels.csv and config.json (Transformer defaults, XGBoost baseline) into
// outDir. Deterministic in (family, applicants, seed, effect).
PatternDataset writePatternDataset(const PatternOptions &options);

} // namespace seqlens
