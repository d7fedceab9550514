// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/report_document.h"

#include "seqlens/util/error.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFont>
#include <QPageLayout>
#include <QPdfWriter>
#include <QTextDocument>
#include <QAbstractTextDocumentLayout>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextTable>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace seqlens::report {

namespace {

// The PDF takes its font from QTextDocument's default font (no shaping: see writePdf); browsers
// get the family from kBrowserFont.
const char *kBrowserFont = "body { font-family: 'DejaVu Sans', sans-serif; }";
const char *kStyle =
    "body { font-size: 10pt; color: #1b1b1b; }"
    "h1 { font-size: 18pt; color: #16365c; } h2 { font-size: 13pt; color: #16365c; margin-top: "
    "14px; }"
    "h3 { font-size: 11pt; color: #16365c; }"
    "table { border-collapse: collapse; margin: 4px 0; } th { background: #dfe7f1; text-align: "
    "left; }"
    "td, th { border: 1px solid #9fb0c6; padding: 2px 6px; } pre { font-size: 7.5pt; }"
    ".kv td:first-child { color: #44546a; } .caption { font-size: 9pt; color: #44546a; }";

QString pngDataUri(const QImage &img)
{
    QByteArray bytes;
    QBuffer buf(&bytes);
    buf.open(QIODevice::WriteOnly);
    img.save(&buf, "PNG");
    return "data:image/png;base64," + QString::fromLatin1(bytes.toBase64());
}

// Moves every heading that would end a page (its next block starting on the next page) to the
// next page, one at a time because each move shifts what follows.
void keepHeadingsWithNext(QTextDocument &doc)
{
    QAbstractTextDocumentLayout *layout = doc.documentLayout();
    const double pageHeight = doc.pageSize().height();
    auto pageOf = [&](double y) { return int(y / pageHeight); };
    // The top of the element a block starts: its table when it is in one, else the block.
    auto extent = [&](const QTextBlock &b) {
        if (QTextTable *t = QTextCursor(b).currentTable()) {
            const QRectF r = layout->frameBoundingRect(t);
            return std::pair{r.top(), r.top() + std::min(r.height(), 0.25 * pageHeight)};
        }
        const QRectF r = layout->blockBoundingRect(b);
        return std::pair{r.top(), r.bottom()};
    };
    for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
        if (b.blockFormat().headingLevel() < 2 || !b.next().isValid())
            continue;
        const QRectF h = layout->blockBoundingRect(b);
        // The heading and the first lines (or a quarter page) of what follows share a page.
        const auto [top, bottom] = extent(b.next());
        if (pageOf(h.top()) == pageOf(std::max(top, bottom - 1)))
            continue;
        QTextCursor c(b);
        QTextBlockFormat f = b.blockFormat();
        f.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
        c.setBlockFormat(f);
    }
}

} // namespace

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}
QString esc(const std::string &s)
{
    return QString::fromStdString(s).toHtmlEscaped();
}

QString fmt(double v, int decimals)
{
    return std::isnan(v) ? QStringLiteral("n/a") : QString::number(v, 'f', decimals);
}

QString fmtCi(double lo, double hi, int decimals)
{
    return "[" + fmt(lo, decimals) + ", " + fmt(hi, decimals) + "]";
}

QString pct(double share, int decimals)
{
    return std::isnan(share) ? "n/a" : QString::number(100.0 * share, 'f', decimals) + " %";
}

void checkReportPath(const std::string &path)
{
    const QString suffix = QFileInfo(QString::fromStdString(path)).suffix().toLower();
    if (suffix != "pdf" && suffix != "html" && suffix != "htm")
        throwUsage(path + ": a report is written as .pdf or .html, found \"." +
                   suffix.toStdString() + "\"");
}

ReportDocument::ReportDocument(QString title) : m_title(std::move(title))
{
    heading(m_title, 1);
}

void ReportDocument::heading(const QString &text, int level)
{
    m_body += QString("<h%1>%2</h%1>\n").arg(level).arg(esc(text));
}

void ReportDocument::paragraph(const QString &html)
{
    m_body += "<p>" + html + "</p>\n";
}
void ReportDocument::text(const QString &plain)
{
    paragraph(esc(plain));
}

void ReportDocument::bullets(const QStringList &items)
{
    m_body += "<ul>\n";
    for (const auto &i : items)
        m_body += "<li>" + esc(i) + "</li>\n";
    m_body += "</ul>\n";
}

void ReportDocument::table(const QStringList &header, const std::vector<QStringList> &rows,
                           const std::vector<int> &noWrap)
{
    auto cell = [&](const char *tag, int column, const QString &text) {
        const bool keep = std::find(noWrap.begin(), noWrap.end(), column) != noWrap.end();
        return QString("<%1%2>%3</%1>")
            .arg(tag, keep ? " style=\"white-space: nowrap\"" : "", esc(text));
    };
    m_body += "<table cellspacing=\"0\" cellpadding=\"3\" border=\"1\">\n<tr>";
    for (int c = 0; c < header.size(); ++c)
        m_body += cell("th", c, header[c]);
    m_body += "</tr>\n";
    for (const auto &r : rows) {
        m_body += "<tr>";
        for (int c = 0; c < r.size(); ++c)
            m_body += cell("td", c, r[c]);
        m_body += "</tr>\n";
    }
    m_body += "</table>\n";
}

void ReportDocument::keyValues(const std::vector<std::pair<QString, QString>> &rows)
{
    m_body += "<table class=\"kv\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\">\n";
    for (const auto &[k, v] : rows)
        m_body += "<tr><td>" + esc(k) + "</td><td>" + esc(v) + "</td></tr>\n";
    m_body += "</table>\n";
}

void ReportDocument::preformatted(const QString &plain)
{
    m_body += "<pre>" + esc(plain) + "</pre>\n";
}

void ReportDocument::figure(const QString &name, const QImage &img, int widthPx,
                            const QString &caption)
{
    m_images.emplace_back(name, img);
    const QString label = QString("Figure %1.").arg(++m_figures);
    m_body += QString("<p><img src=\"img:%1\" width=\"%2\" alt=\"%3\"></p>\n")
                  .arg(name)
                  .arg(widthPx)
                  .arg(esc(label + " " + caption));
    m_body += "<p class=\"caption\"><b>" + label + "</b> " + esc(caption) + "</p>\n";
}

QString ReportDocument::html(bool forBrowser) const
{
    QString body = m_body;
    if (forBrowser)
        for (const auto &[name, img] : m_images)
            body.replace("src=\"img:" + name + "\"", "src=\"" + pngDataUri(img) + "\"");
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + esc(m_title) +
           "</title><style>" + (forBrowser ? kBrowserFont : "") + kStyle +
           "</style></head>\n<body>\n" + body + "</body></html>\n";
}

void ReportDocument::writePdf(const QString &path) const
{
    if (!QFileInfo(path).dir().exists())
        throwData(path.toStdString() + ": the folder does not exist");
    QPdfWriter writer(path);
    writer.setTitle(m_title);
    writer.setCreator("SeqLens");
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
    writer.setResolution(150);
    QTextDocument doc;
    QFont font("DejaVu Sans", 10);
    // No shaping, hence no ligatures: "fi" stays two searchable letters in the PDF's text.
    font.setStyleStrategy(QFont::PreferNoShaping);
    doc.setDefaultFont(font);
    doc.setDefaultStyleSheet(kStyle);
    for (const auto &[name, img] : m_images)
        doc.addResource(QTextDocument::ImageResource, QUrl("img:" + name), QVariant(img));
    doc.setHtml(html(false));
    // Paginate in the writer's page size (points), so the page breaks chosen here are the PDF's.
    const QSizeF page = writer.pageLayout().paintRect(QPageLayout::Point).size();
    doc.setPageSize(page);
    keepHeadingsWithNext(doc);
    doc.print(&writer);
    if (!QFileInfo(path).exists() || QFileInfo(path).size() == 0)
        throwData(path.toStdString() + ": cannot write the PDF");
}

void ReportDocument::writeHtml(const QString &path) const
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throwData(path.toStdString() + ": cannot write (" + f.errorString().toStdString() + ")");
    f.write(html(true).toUtf8());
    if (!f.flush())
        throwData(path.toStdString() + ": cannot write (" + f.errorString().toStdString() + ")");
}

void ReportDocument::write(const QString &path) const
{
    checkReportPath(path.toStdString());
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "pdf")
        writePdf(path);
    else
        writeHtml(path);
}

} // namespace seqlens::report
