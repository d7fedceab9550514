// SPDX-License-Identifier: GPL-3.0-or-later
// Streaming RFC 4180 CSV reader: quoted fields with "" escapes and embedded newlines,
// delimiter ',' ';' or tab (auto-detected from the header by default), CRLF or LF,
// a UTF-8 byte-order mark, and gzip-compressed files read transparently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace seqlens {

struct CsvOptions {
    // 0 = auto-detect from the header line (the most frequent of , ; tab outside quotes).
    char delimiter = 0;
};

// Parses a delimiter setting ("auto", ",", ";", "\t", "tab") into a CsvOptions delimiter.
// Returns false when the text is not one of these.
bool parseDelimiterSetting(const std::string &text, char &delimiter);

class CsvReader {
public:
    // Opens the file (plain or .gz); throws a Data error naming the file when it cannot.
    // Reads the header line; an empty file is an error.
    CsvReader(const std::string &path, CsvOptions options = {});
    ~CsvReader() = default;
    CsvReader(const CsvReader &) = delete;
    CsvReader &operator=(const CsvReader &) = delete;

    const std::string &path() const { return m_path; }
    char delimiter() const { return m_delimiter; }
    const std::vector<std::string> &header() const { return m_header; }

    // Index of a header column, or -1.
    int columnIndex(std::string_view name) const;
    // Index of a header column; throws a Data error "<file>:1: missing column ..." when absent.
    int requireColumn(std::string_view name) const;

    // Reads the next record. Fields are views valid until the next call.
    // Throws a Data error for unterminated quotes and rows with the wrong number of fields.
    // Blank lines are skipped. Returns false at end of file.
    bool next();
    const std::vector<std::string_view> &fields() const { return m_fields; }
    // Physical line (1-based) where the current record starts.
    int64_t line() const { return m_recordLine; }
    // Bytes of the underlying (uncompressed) stream consumed so far.
    int64_t bytesRead() const { return m_bytesConsumed; }
    // FNV-1a 64 of every (uncompressed) byte read from the file so far; after next() has
    // returned false it fingerprints the whole content.
    uint64_t fingerprint() const { return m_hash; }

private:
    bool fill();
    bool parseRecord(bool isHeader);
    int peekChar();
    int getChar();

    // Closes a gzFile (zlib stays out of this header). An owner, so a constructor that throws
    // after opening (empty file, bad header) still frees zlib's inflate state.
    struct GzCloser {
        void operator()(void *file) const;
    };

    std::string m_path;
    char m_delimiter = ',';
    std::unique_ptr<void, GzCloser> m_gz; // gzFile
    std::vector<char> m_buf;
    size_t m_pos = 0;
    size_t m_end = 0;
    bool m_eof = false;
    int64_t m_line = 1;
    int64_t m_recordLine = 0;
    int64_t m_bytesConsumed = 0;
    uint64_t m_hash = 1469598103934665603ULL;
    std::string m_scratch;         // unescaped field bytes of the current record
    std::vector<size_t> m_offsets; // field boundaries in m_scratch
    std::vector<std::string_view> m_fields;
    std::vector<std::string> m_header;
};

// Removes surrounding spaces and tabs.
std::string_view trimView(std::string_view s);

} // namespace seqlens
