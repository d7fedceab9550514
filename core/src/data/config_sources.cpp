// SPDX-License-Identifier: GPL-3.0-or-later
// The events section: one or several event sources, each with its own clock and fields, and
// nested tables joined to the applicant through `via` hops. Parsing and validation.
#include "config_checker.h"
#include "config_reader.h"

#include <set>

namespace seqlens {

namespace config_detail {

namespace {

void readField(Reader &r, const json &j, const std::string &path, FieldConfig &f)
{
    if (!r.object(j, path, {"name", "type", "min_count", "max_vocab", "transform", "invalid"}))
        return;
    r.str(j, "name", path, f.name, true);
    r.choice(j, "type", path, f.type,
             {{"categorical", FieldType::Categorical}, {"numeric", FieldType::Numeric}});
    if (!j.contains("type"))
        r.problem(path + "/type",
                  "required key is missing (expected \"categorical\" or \"numeric\")");
    r.integer(j, "min_count", path, f.minCount, limits::minCount);
    r.integer(j, "max_vocab", path, f.maxVocab, limits::maxVocab);
    r.choice(j, "transform", path, f.transform,
             {{"none", NumericTransform::None},
              {"log1p", NumericTransform::Log1p},
              {"signed_log", NumericTransform::SignedLog}});
    std::string invalid = "error";
    r.str(j, "invalid", path, invalid);
    if (invalid != "error" && invalid != "missing")
        r.problem(path + "/invalid", "expected \"error\" or \"missing\", got \"" + invalid + "\"");
    f.invalidAsMissing = invalid == "missing";
    if (f.type == FieldType::Categorical && j.contains("transform"))
        r.problem(path + "/transform", "only numeric fields take a transform");
}

void readFields(Reader &r, const json &j, const std::string &p, bool required,
                std::vector<FieldConfig> &out)
{
    const json *fields = r.member(j, "fields", p, required);
    if (!fields)
        return;
    if (!fields->is_array() || (required && fields->empty())) {
        r.problem(p + "/fields",
                  std::string("expected a non-empty array of fields, got ") + shown(*fields));
        return;
    }
    for (size_t k = 0; k < fields->size(); ++k) {
        FieldConfig f;
        readField(r, (*fields)[k], p + "/fields/" + std::to_string(k), f);
        out.push_back(f);
    }
}

void readHop(Reader &r, const json &j, const std::string &p, ViaHop &h)
{
    if (!r.object(j, p, {"path", "key", "entity", "delimiter", "fields"}))
        return;
    r.str(j, "path", p, h.path, true);
    r.str(j, "key", p, h.key, true);
    r.str(j, "entity", p, h.entity, true);
    r.delimiter(j, p, h.delimiter);
    readFields(r, j, p, false, h.fields);
}

void readVia(Reader &r, const json &j, const std::string &p, EventSourceConfig &s)
{
    const json *v = r.member(j, "via", p, false);
    if (!v || v->is_null())
        return;
    if (v->is_object()) {
        readHop(r, *v, p + "/via", s.via.emplace_back());
        return;
    }
    if (!v->is_array() || v->empty()) {
        r.problem(p + "/via", "expected a parent table {\"path\", \"key\", \"entity\"} or a "
                              "non-empty array of them, got " +
                                  shown(*v));
        return;
    }
    for (size_t k = 0; k < v->size(); ++k)
        readHop(r, (*v)[k], p + "/via/" + std::to_string(k), s.via.emplace_back());
}

void readSource(Reader &r, const json &j, const std::string &p, EventSourceConfig &s)
{
    if (!r.object(j, p,
                  {"name", "path", "entity", "time", "time_format", "time_unit", "time_origin",
                   "delimiter", "fields", "max_items", "via"}))
        return;
    r.str(j, "name", p, s.name);
    r.str(j, "path", p, s.path, true);
    r.str(j, "entity", p, s.entity, true);
    r.str(j, "time", p, s.time, true);
    r.timeFormat(j, p, "time_format", "time_unit", "time_origin", s.timeFormat);
    if (s.timeFormat.origin == "cutoff") {
        // Offsets from each applicant's cutoff: a plain number in time_unit.
        s.timeFromCutoff = true;
        s.timeFormat.origin = TimeFormat().origin;
        if (!j.contains("time_format"))
            s.timeFormat.format = "number";
    }
    r.delimiter(j, p, s.delimiter);
    r.integer(j, "max_items", p, s.maxItems, limits::sourceMaxItems);
    readFields(r, j, p, true, s.fields);
    readVia(r, j, p, s);
}

bool plainName(const std::string &name)
{
    if (name.empty())
        return false;
    for (unsigned char ch : name)
        if (!std::isalnum(ch) && ch != '_' && ch != '-')
            return false;
    return true;
}

void checkField(Checker &c, const std::string &fp, const FieldConfig &f)
{
    c.nonEmpty(fp + "/name", f.name);
    c.integer(fp + "/min_count", f.minCount, limits::minCount);
    c.integer(fp + "/max_vocab", f.maxVocab, limits::maxVocab);
}

void checkHops(Checker &c, const std::string &p, const EventSourceConfig &s,
               std::set<std::string> &seen)
{
    for (size_t h = 0; h < s.via.size(); ++h) {
        const ViaHop &hop = s.via[h];
        const std::string hp = p + "/via" + (s.via.size() > 1 ? "/" + std::to_string(h) : "");
        c.nonEmpty(hp + "/path", hop.path);
        c.nonEmpty(hp + "/key", hop.key);
        c.nonEmpty(hp + "/entity", hop.entity);
        if (!hop.key.empty() && hop.key == hop.entity)
            c.problem(hp + "/entity", "expected a column other than key (\"" + hop.key +
                                          "\"): the hop maps one key onto the next");
        for (size_t k = 0; k < hop.fields.size(); ++k) {
            const FieldConfig &f = hop.fields[k];
            const std::string fp = hp + "/fields/" + std::to_string(k);
            checkField(c, fp, f);
            if (!f.name.empty() && !seen.insert(f.name).second)
                c.problem(fp + "/name", "duplicate field \"" + f.name +
                                            "\" (a source's own fields and its via fields "
                                            "share one name space)");
            if (f.name == hop.key || f.name == hop.entity)
                c.problem(fp + "/name",
                          "field \"" + f.name + "\" is also the hop's key or entity column");
        }
    }
}

void checkClock(Checker &c, const std::string &p, const EventSourceConfig &s,
                const LabelConfig &labels)
{
    c.timeFormat(p + "/time_format", s.timeFormat);
    if (!s.timeFromCutoff)
        return;
    if (s.timeFormat.format != "number")
        c.problem(p + "/time_format", "time_origin \"cutoff\" counts plain numbers in time_unit "
                                      "from the cutoff: expected \"number\", got \"" +
                                          s.timeFormat.format + "\"");
    if (!labels.cutoff && !labels.cutoffValue)
        c.problem(p + "/time_origin", "time_origin \"cutoff\" needs labels.cutoff (a column) or "
                                      "labels.cutoff_value (one time for all), got neither");
}

void checkSource(Checker &c, const Config &cfg, size_t i, std::set<std::string> &names)
{
    const EventSourceConfig &s = cfg.events[i];
    const std::string p = "/events/" + std::to_string(i);
    if (s.name.empty()) {
        if (cfg.events.size() > 1)
            c.problem(p + "/name", "required with several event sources (names the source in "
                                   "features and reports)");
    } else if (!plainName(s.name))
        c.problem(p + "/name", "expected letters, digits, '_' or '-', got \"" + s.name + "\"");
    else if (!names.insert(s.name).second)
        c.problem(p + "/name", "duplicate source name \"" + s.name + "\"");
    c.nonEmpty(p + "/path", s.path);
    c.nonEmpty(p + "/entity", s.entity);
    c.nonEmpty(p + "/time", s.time);
    checkClock(c, p, s, cfg.labels);
    c.integer(p + "/max_items", s.maxItems, limits::sourceMaxItems);
    if (s.fields.empty())
        c.problem(p + "/fields", "expected a non-empty array of fields, got []");
    std::set<std::string> seen;
    for (size_t k = 0; k < s.fields.size(); ++k) {
        const FieldConfig &f = s.fields[k];
        const std::string fp = p + "/fields/" + std::to_string(k);
        checkField(c, fp, f);
        if (!f.name.empty() && !seen.insert(f.name).second)
            c.problem(fp + "/name", "duplicate field \"" + f.name + "\"");
        if (!f.name.empty() && (f.name == s.entity || f.name == s.time))
            c.problem(fp + "/name", "field \"" + f.name + "\" is also the entity or time column");
    }
    checkHops(c, p, s, seen);
}

} // namespace

void readEvents(Reader &r, const json &root, Config &c)
{
    const json *ev = r.member(root, "events", "", true);
    if (!ev)
        return;
    if (!ev->is_array() || ev->empty()) {
        r.problem("/events",
                  std::string("expected a non-empty array of event sources, got ") + typeName(*ev));
        return;
    }
    for (size_t i = 0; i < ev->size(); ++i)
        readSource(r, (*ev)[i], "/events/" + std::to_string(i), c.events.emplace_back());
    if (c.events.size() == 1 && c.events[0].name.empty())
        c.events[0].name = kDefaultSourceName;
}

void checkEvents(Checker &c, const Config &cfg)
{
    if (cfg.events.empty())
        c.problem("/events", "expected a non-empty array of event sources, got an empty array");
    if (cfg.events.size() > limits::eventSources)
        c.problem("/events", "expected at most " + std::to_string(limits::eventSources) +
                                 " event sources, got " + std::to_string(cfg.events.size()));
    std::set<std::string> names;
    for (size_t i = 0; i < cfg.events.size(); ++i)
        checkSource(c, cfg, i, names);
    const LabelConfig &l = cfg.labels;
    if (l.cutoff && l.cutoffValue)
        c.problem("/labels/cutoff_value", "expected either a cutoff column or one cutoff_value, "
                                          "got both");
    if (l.cutoffValue && !cutoffValueDays(l))
        c.problem("/labels/cutoff_value", "expected a time in labels.cutoff_format or an ISO "
                                          "date, got \"" +
                                              *l.cutoffValue + "\"");
}

} // namespace config_detail

std::vector<QualifiedField> eventFields(const Config &config)
{
    std::vector<QualifiedField> out;
    const bool qualify = config.events.size() > 1;
    for (size_t s = 0; s < config.events.size(); ++s) {
        const EventSourceConfig &src = config.events[s];
        auto add = [&](const FieldConfig &f, int hop) {
            out.push_back({qualify ? src.name + "." + f.name : f.name, s, hop, f});
        };
        for (const auto &f : src.fields)
            add(f, -1);
        for (size_t h = 0; h < src.via.size(); ++h)
            for (const auto &f : src.via[h].fields)
                add(f, int(h));
    }
    return out;
}

std::optional<double> cutoffValueDays(const LabelConfig &labels)
{
    if (!labels.cutoffValue || !TimeParser::validate(labels.cutoffFormat).empty())
        return std::nullopt;
    if (auto t = TimeParser(labels.cutoffFormat).parse(*labels.cutoffValue))
        return t;
    return parseIso(*labels.cutoffValue);
}

} // namespace seqlens
