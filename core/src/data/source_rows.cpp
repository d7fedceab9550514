// SPDX-License-Identifier: GPL-3.0-or-later
#include "source_rows.h"

#include "seqlens/util/error.h"

namespace seqlens::data_detail {

HopTable readHop(const Config &cfg, const ViaHop &h, const CancelToken *cancel)
{
    HopTable t;
    t.path = cfg.resolve(h.path);
    t.keyColumn = h.key;
    CsvReader r(t.path, CsvOptions{h.delimiter});
    const int key = r.requireColumn(h.key), ent = r.requireColumn(h.entity);
    std::vector<int> cols;
    for (const auto &f : h.fields)
        cols.push_back(r.requireColumn(f.name));
    std::unordered_map<int32_t, int64_t> lineOf;
    int64_t rows = 0;
    while (r.next()) {
        if ((++rows & 0xFFFF) == 0)
            throwIfCancelled(cancel);
        const auto &f = r.fields();
        const std::string_view k = trimView(f[size_t(key)]);
        if (k.empty())
            continue; // no row can refer to an empty key
        auto [it, fresh] = t.rowOfKey.emplace(std::string(k), int32_t(t.next.size()));
        if (!fresh)
            throwData(where(r) + ": column \"" + h.key + "\": duplicate key \"" + std::string(k) +
                      "\" (first at line " + std::to_string(lineOf[it->second]) +
                      "); a via table maps each key to one parent row");
        lineOf[it->second] = r.line();
        t.next.emplace_back(trimView(f[size_t(ent)]));
        auto &vals = t.values.emplace_back();
        for (int c : cols)
            vals.emplace_back(f[size_t(c)]);
    }
    return t;
}

} // namespace seqlens::data_detail
