// SPDX-License-Identifier: GPL-3.0-or-later
// A report as HTML plus named images, rendered two ways: PDF (QTextDocument on a QPdfWriter,
// A4; a heading never ends a page: it moves to the next page with the block it introduces) and a
// self-contained HTML file (images embedded as data: URIs, opens offline).
#pragma once

#include <QImage>
#include <QString>
#include <QStringList>

#include <vector>

namespace seqlens::report {

class ReportDocument {
public:
    explicit ReportDocument(QString title);

    void heading(const QString &text, int level = 2);
    void paragraph(const QString &html);    // already-escaped HTML
    void text(const QString &plain);        // escaped for you
    void bullets(const QStringList &items); // plain text items
    // Plain text cells; the columns in `noWrap` keep each cell on one line (dates, times).
    void table(const QStringList &header, const std::vector<QStringList> &rows,
               const std::vector<int> &noWrap = {});
    void keyValues(const std::vector<std::pair<QString, QString>> &rows);
    void preformatted(const QString &plain);
    // A figure with a numbered caption under it ("Figure 3. ROC curves ..."): the caption names
    // the figure in the text, so the PDF can be searched and read aloud.
    void figure(const QString &name, const QImage &image, int widthPx, const QString &caption);

    // forBrowser: images embedded as data: URIs and the font family in the style sheet;
    // otherwise images refer to the document's resources (PDF rendering).
    QString html(bool forBrowser) const;
    void writePdf(const QString &path) const; // throws a Data error when it cannot write
    void writeHtml(const QString &path) const;
    void write(const QString &path) const; // by extension: .pdf or .html/.htm

private:
    QString m_title;
    QString m_body;
    std::vector<std::pair<QString, QImage>> m_images;
    int m_figures = 0;
};

QString esc(const QString &s);
QString esc(const std::string &s);
QString fmt(double v, int decimals = 4); // "n/a" for NaN
QString fmtCi(double lo, double hi, int decimals = 4);
QString pct(double share, int decimals = 1); // 0.125 -> "12.5 %"

// Accepts .pdf, .html or .htm; throws a Usage error naming the path otherwise.
void checkReportPath(const std::string &path);

} // namespace seqlens::report
