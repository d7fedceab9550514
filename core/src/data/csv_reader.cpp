// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/csv_reader.h"

#include "seqlens/util/error.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace seqlens {

namespace {
constexpr size_t kChunk = 1 << 20;

std::string printable(std::string_view s)
{
    std::string out;
    for (char c : s.substr(0, 60)) {
        if (c == '\t')
            out += "\\t";
        else
            out += c;
    }
    if (s.size() > 60)
        out += "...";
    return out;
}

char detectDelimiter(std::string_view headerLine)
{
    size_t counts[3] = {0, 0, 0};
    const char cands[3] = {',', ';', '\t'};
    bool quoted = false;
    for (char c : headerLine) {
        if (c == '"')
            quoted = !quoted;
        if (quoted)
            continue;
        for (int i = 0; i < 3; ++i)
            if (c == cands[i])
                ++counts[i];
    }
    int best = 0;
    for (int i = 1; i < 3; ++i)
        if (counts[i] > counts[best])
            best = i;
    return cands[best];
}
} // namespace

bool parseDelimiterSetting(const std::string &text, char &delimiter)
{
    if (text == "auto")
        delimiter = 0;
    else if (text == "," || text == ";")
        delimiter = text[0];
    else if (text == "\t" || text == "tab" || text == "\\t")
        delimiter = '\t';
    else
        return false;
    return true;
}

std::string_view trimView(std::string_view s)
{
    size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t'))
        ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        --e;
    return s.substr(b, e - b);
}

CsvReader::CsvReader(const std::string &path, CsvOptions options) : m_path(path)
{
    m_gz.reset(gzopen(path.c_str(), "rb"));
    if (!m_gz)
        throwData(path + ": cannot open file: " + std::strerror(errno));
    gzbuffer(static_cast<gzFile>(m_gz.get()), 256 * 1024);
    m_buf.resize(kChunk);
    fill();
    // UTF-8 byte-order mark.
    if (m_end - m_pos >= 3 && std::memcmp(m_buf.data() + m_pos, "\xEF\xBB\xBF", 3) == 0)
        m_pos += 3;
    if (m_delimiter = options.delimiter; m_delimiter == 0) {
        // Look at the first physical line (enough for a header).
        std::string_view avail(m_buf.data() + m_pos, m_end - m_pos);
        m_delimiter = detectDelimiter(avail.substr(0, avail.find('\n')));
    }
    if (!parseRecord(/*isHeader=*/true))
        throwData(path + ": file is empty (expected a header line)");
    for (auto f : m_fields)
        m_header.emplace_back(trimView(f));
}

void CsvReader::GzCloser::operator()(void *file) const
{
    gzclose(static_cast<gzFile>(file));
}

int CsvReader::columnIndex(std::string_view name) const
{
    for (size_t i = 0; i < m_header.size(); ++i)
        if (m_header[i] == name)
            return static_cast<int>(i);
    return -1;
}

int CsvReader::requireColumn(std::string_view name) const
{
    int idx = columnIndex(name);
    if (idx >= 0)
        return idx;
    std::string cols;
    for (size_t i = 0; i < m_header.size() && i < 20; ++i)
        cols += (i ? ", " : "") + m_header[i];
    throwData(m_path + ":1: missing column \"" + std::string(name) + "\" (found columns: " + cols +
              ")");
}

bool CsvReader::fill()
{
    if (m_eof)
        return false;
    if (m_pos < m_end)
        std::memmove(m_buf.data(), m_buf.data() + m_pos, m_end - m_pos);
    m_end -= m_pos;
    m_pos = 0;
    int n = gzread(static_cast<gzFile>(m_gz.get()), m_buf.data() + m_end, unsigned(m_buf.size() - m_end));
    if (n < 0) {
        int err = 0;
        const char *msg = gzerror(static_cast<gzFile>(m_gz.get()), &err);
        throwData(m_path + ": read error: " + (msg ? msg : "unknown") +
                  " (corrupt or truncated .gz?)");
    }
    if (n == 0)
        m_eof = true;
    for (int i = 0; i < n; ++i)
        m_hash = (m_hash ^ static_cast<unsigned char>(m_buf[m_end + size_t(i)])) * 1099511628211ULL;
    m_end += size_t(n);
    return n > 0;
}

int CsvReader::peekChar()
{
    if (m_pos >= m_end && !fill())
        return -1;
    return static_cast<unsigned char>(m_buf[m_pos]);
}

int CsvReader::getChar()
{
    int c = peekChar();
    if (c >= 0) {
        ++m_pos;
        ++m_bytesConsumed;
    }
    return c;
}

bool CsvReader::next()
{
    return parseRecord(/*isHeader=*/false);
}

bool CsvReader::parseRecord(bool isHeader)
{
    for (;;) {
        m_scratch.clear();
        m_offsets.clear();
        m_fields.clear();
        m_recordLine = m_line;
        int c = peekChar();
        if (c < 0)
            return false;
        if (c == '\n' || c == '\r') { // blank line
            getChar();
            if (c == '\r' && peekChar() == '\n')
                getChar();
            ++m_line;
            continue;
        }
        bool endOfRecord = false;
        while (!endOfRecord) {
            c = peekChar();
            if (c == '"') {
                getChar();
                int64_t quoteLine = m_line;
                for (;;) {
                    c = getChar();
                    if (c < 0)
                        throwData(m_path + ":" + std::to_string(quoteLine) +
                                  ": unterminated quoted field (no closing \" before end of file)");
                    if (c == '"') {
                        if (peekChar() == '"') {
                            getChar();
                            m_scratch.push_back('"');
                            continue;
                        }
                        break;
                    }
                    if (c == '\n')
                        ++m_line;
                    m_scratch.push_back(char(c));
                }
                c = peekChar();
                while (c == ' ' || c == '\t') { // tolerate spaces after closing quote
                    if (c == m_delimiter)
                        break;
                    getChar();
                    c = peekChar();
                }
                if (c >= 0 && c != m_delimiter && c != '\n' && c != '\r')
                    throwData(m_path + ":" + std::to_string(m_line) + ": field " +
                              std::to_string(m_offsets.size() + 1) + ": unexpected character '" +
                              char(c) +
                              "' after closing quote (expected delimiter or end of line)");
            } else {
                while (c >= 0 && c != m_delimiter && c != '\n' && c != '\r') {
                    m_scratch.push_back(char(getChar()));
                    c = peekChar();
                }
            }
            m_offsets.push_back(m_scratch.size());
            c = getChar();
            if (c == m_delimiter)
                continue;
            if (c == '\r' && peekChar() == '\n')
                getChar();
            if (c == '\n' || c == '\r')
                ++m_line;
            endOfRecord = true;
        }
        size_t start = 0;
        for (size_t off : m_offsets) {
            m_fields.emplace_back(m_scratch.data() + start, off - start);
            start = off;
        }
        if (!isHeader && m_fields.size() != m_header.size()) {
            throwData(m_path + ":" + std::to_string(m_recordLine) + ": expected " +
                      std::to_string(m_header.size()) + " fields (as in the header), found " +
                      std::to_string(m_fields.size()) + " in \"" +
                      printable(std::string_view(m_scratch)) + "\"");
        }
        return true;
    }
}

} // namespace seqlens
