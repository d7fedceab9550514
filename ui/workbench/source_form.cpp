// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/source_form.h"

#include "workbench/join_editor.h"

#include "seqlens/data/csv_reader.h"
#include "seqlens/util/error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <set>

namespace seqlens::ui {

namespace {

const QStringList kFormats = {"auto",     "iso",    "number", "epoch_s",
                              "epoch_ms", "%y%m%d", "%Y%m%d", "%d.%m.%Y"};
const QStringList kUnits = {"days", "months", "weeks", "years", "hours", "minutes", "seconds"};

bool isKeyName(const QString &name)
{
    return name.endsWith("id", Qt::CaseInsensitive);
}

} // namespace

QString inferColumnType(const QString &name, const std::vector<std::string> &values)
{
    static const QRegularExpression date("^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2})?)?Z?$");
    std::set<std::string> distinct;
    bool allNumbers = true, allDates = true, any = false;
    for (const auto &v : values) {
        if (v.empty())
            continue;
        any = true;
        distinct.insert(v);
        bool ok = false;
        QString::fromStdString(v).toDouble(&ok);
        allNumbers = allNumbers && ok;
        allDates = allDates && date.match(QString::fromStdString(v)).hasMatch();
    }
    if (!any || isKeyName(name))
        return "ignore";
    if (allDates)
        return "time";
    if (allNumbers && distinct.size() > 12)
        return "numeric";
    return distinct.size() <= std::max<size_t>(50, values.size() / 2) ? "categorical" : "ignore";
}

namespace {

bool timeLike(const QString &name)
{
    static const QRegularExpression re("date|time|day|month|issued|when",
                                       QRegularExpression::CaseInsensitiveOption);
    return re.match(name).hasMatch();
}

QTableWidget *readOnlyTable()
{
    auto *t = new QTableWidget;
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return t;
}

} // namespace

void fillCsvPreview(QTableWidget *table, const QString &path, int rows)
{
    table->clear();
    table->setRowCount(0);
    try {
        CsvReader r(path.toStdString());
        table->setColumnCount(int(r.header().size()));
        QStringList header;
        for (const auto &h : r.header())
            header << QString::fromStdString(h);
        table->setHorizontalHeaderLabels(header);
        for (int row = 0; row < rows && r.next(); ++row) {
            table->insertRow(row);
            for (size_t c = 0; c < r.fields().size(); ++c)
                table->setItem(row, int(c),
                               new QTableWidgetItem(QString::fromUtf8(r.fields()[c].data(),
                                                                      int(r.fields()[c].size()))));
        }
    } catch (const Error &e) {
        table->setColumnCount(1);
        table->setRowCount(1);
        table->setItem(0, 0, new QTableWidgetItem(QString::fromStdString(e.what())));
    }
}

QString guessTimeFormat(const std::vector<std::string> &values, bool *negativeOut)
{
    static const QRegularExpression iso("^\\d{4}-\\d{2}-\\d{2}");
    static const QRegularExpression digits("^\\d+$");
    bool allIso = true, allNumbers = true, negative = false, any = false;
    int length = -1; // the common digit count, 0 when they differ
    for (const auto &v : values) {
        if (v.empty())
            continue;
        const QString t = QString::fromStdString(v);
        any = true;
        bool ok = false;
        const double x = t.toDouble(&ok);
        allIso = allIso && iso.match(t).hasMatch();
        allNumbers = allNumbers && ok;
        negative = negative || (ok && x < 0);
        const int n = digits.match(t).hasMatch() ? int(t.size()) : 0;
        length = length < 0 ? n : (length == n ? n : 0);
    }
    if (negativeOut)
        *negativeOut = negative;
    if (any && allIso)
        return "iso";
    if (any && allNumbers && (length == 6 || length == 8) && !negative)
        return length == 6 ? "%y%m%d" : "%Y%m%d";
    if (any && allNumbers && length != 10 && length != 13)
        return "number";
    return "auto";
}

QString sourceNameOf(const QString &path)
{
    QString name = QFileInfo(path).fileName();
    name = name.left(name.indexOf('.') < 0 ? name.size() : name.indexOf('.'));
    name.replace(QRegularExpression("[^A-Za-z0-9_-]"), "_");
    return name.isEmpty() ? QString("events") : name;
}

SourceForm::SourceForm(const QString &path, QWidget *parent)
    : QWidget(parent), m_path(QFileInfo(path).absoluteFilePath())
{
    m_name = new QLineEdit(sourceNameOf(path));
    m_key = new QComboBox;
    m_time = new QComboBox;
    m_keyLabel = new QLabel;
    m_preview = readOnlyTable();
    m_types = new QTableWidget;
    auto *form = new QFormLayout;
    form->addRow("name", m_name);
    form->addRow("file", new QLabel(m_path));
    form->addRow(m_keyLabel, m_key);
    form->addRow("time column", m_time);
    form->addRow("clock", buildClock());
    form->addRow("join", buildJoin());
    auto *tables = new QSplitter;
    tables->addWidget(m_preview);
    tables->addWidget(m_types);
    tables->setStretchFactor(0, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(tables, 1);
    connect(m_name, &QLineEdit::textChanged, this, &SourceForm::nameChanged);
    connect(m_time, &QComboBox::currentTextChanged, this, &SourceForm::guessClock);
    fillPreview();
}

QWidget *SourceForm::buildClock()
{
    m_format = new QComboBox;
    m_format->setEditable(true); // any strptime pattern
    m_format->addItems(kFormats);
    m_unit = new QComboBox;
    m_unit->addItems(kUnits);
    m_fromCutoff = new QCheckBox("counted from each applicant's cutoff (e.g. -500 = 500 before)");
    auto *w = new QWidget;
    auto *row = new QHBoxLayout(w);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_format);
    row->addWidget(new QLabel("unit (number)"));
    row->addWidget(m_unit);
    row->addWidget(m_fromCutoff, 1);
    return w;
}

QWidget *SourceForm::buildJoin()
{
    m_join = new JoinEditor;
    auto update = [this](int hops) {
        m_keyLabel->setText(hops > 0 ? "key into the parent table" : "applicant key column");
    };
    connect(m_join, &JoinEditor::hopsChanged, this, update);
    update(0);
    return m_join;
}

QString SourceForm::name() const
{
    return m_name->text().trimmed();
}

void SourceForm::setName(const QString &name)
{
    m_name->setText(name);
}

void SourceForm::setJoin(const QString &parentPath, const QString &key, const QString &entity)
{
    std::vector<ViaHop> hops;
    if (!parentPath.isEmpty())
        hops.push_back({parentPath.toStdString(), key.toStdString(), entity.toStdString(), 0, {}});
    m_join->setHops(hops);
}

bool SourceForm::setKeyColumn(const QString &column)
{
    const int i = m_key->findText(column);
    if (i >= 0)
        m_key->setCurrentIndex(i);
    return i >= 0;
}

bool SourceForm::setTimeColumn(const QString &column)
{
    const int i = m_time->findText(column);
    if (i >= 0)
        m_time->setCurrentIndex(i);
    return i >= 0;
}

bool SourceForm::setType(const QString &column, const QString &type)
{
    for (int r = 0; r < m_types->rowCount(); ++r)
        if (m_types->item(r, 0)->text() == column) {
            auto *box = qobject_cast<QComboBox *>(m_types->cellWidget(r, 1));
            return box->findText(type) >= 0 && (box->setCurrentText(type), true);
        }
    return false;
}

void SourceForm::setTimeFormat(const QString &format, const QString &unit, bool fromCutoff)
{
    m_format->setCurrentText(format);
    m_unit->setCurrentText(unit);
    m_fromCutoff->setChecked(fromCutoff);
}

std::vector<std::string> SourceForm::columnValues(int column) const
{
    std::vector<std::string> values;
    for (int r = 0; r < m_preview->rowCount(); ++r)
        values.push_back(
            m_preview->item(r, column) ? m_preview->item(r, column)->text().toStdString() : "");
    return values;
}

void SourceForm::fillPreview()
{
    fillCsvPreview(m_preview, m_path);
    m_key->clear();
    m_time->clear();
    for (int c = 0; c < m_preview->columnCount(); ++c) {
        const QString name = m_preview->horizontalHeaderItem(c)
                                 ? m_preview->horizontalHeaderItem(c)->text()
                                 : QString();
        m_key->addItem(name);
        m_time->addItem(name);
    }
    inferTypes();
}

// Types from the preview; the key is the first "...id" column, the time the first date column
// (else the first column named like a time).
void SourceForm::inferTypes()
{
    m_types->clear();
    m_types->setColumnCount(2);
    m_types->setHorizontalHeaderLabels({"column", "type"});
    m_types->setRowCount(m_preview->columnCount());
    int key = -1, time = -1, timeByName = -1;
    for (int c = 0; c < m_preview->columnCount(); ++c) {
        const QString name = m_key->itemText(c);
        const QString type = inferColumnType(name, columnValues(c));
        if (key < 0 && isKeyName(name))
            key = c;
        if (time < 0 && type == "time")
            time = c;
        if (timeByName < 0 && timeLike(name) && !isKeyName(name))
            timeByName = c;
        auto *item = new QTableWidgetItem(name);
        item->setFlags(item->flags() & ~Qt::ItemIsEditable);
        m_types->setItem(c, 0, item);
        auto *box = new QComboBox;
        box->addItems({"categorical", "numeric", "ignore"});
        box->setCurrentText(type == "time" ? "ignore" : type);
        m_types->setCellWidget(c, 1, box);
    }
    m_types->resizeColumnsToContents();
    m_key->setCurrentIndex(std::max(0, key));
    m_time->setCurrentIndex(std::max(0, time >= 0 ? time : timeByName));
    guessClock();
}

void SourceForm::guessClock()
{
    bool negative = false;
    const QString format = guessTimeFormat(columnValues(m_time->currentIndex()), &negative);
    m_format->setCurrentText(format);
    m_fromCutoff->setChecked(format == "number" && negative);
}

EventSourceConfig SourceForm::toConfig() const
{
    EventSourceConfig s;
    s.name = name().toStdString();
    s.path = m_path.toStdString();
    s.entity = m_key->currentText().toStdString();
    s.time = m_time->currentText().toStdString();
    s.timeFormat.format = m_format->currentText().toStdString();
    if (s.timeFormat.format == "number")
        s.timeFormat.unit = m_unit->currentText().toStdString();
    s.timeFromCutoff = m_fromCutoff->isChecked();
    s.delimiter = m_delimiter;
    for (int r = 0; r < m_types->rowCount(); ++r) {
        const std::string column = m_types->item(r, 0)->text().toStdString();
        const QString type = qobject_cast<QComboBox *>(m_types->cellWidget(r, 1))->currentText();
        if (column == s.entity || column == s.time || type == "ignore")
            continue;
        FieldConfig f{column, type == "categorical" ? FieldType::Categorical : FieldType::Numeric};
        for (const auto &c : m_configured) // keep what the config said beyond the type
            if (c.name == column && c.type == f.type)
                f = c;
        s.fields.push_back(f);
    }
    s.via = m_join->hops();
    return s;
}

void SourceForm::fromConfig(const EventSourceConfig &source)
{
    setName(QString::fromStdString(source.name));
    setKeyColumn(QString::fromStdString(source.entity));
    setTimeColumn(QString::fromStdString(source.time));
    setTimeFormat(QString::fromStdString(source.timeFormat.format),
                  QString::fromStdString(source.timeFormat.unit), source.timeFromCutoff);
    m_configured = source.fields;
    m_delimiter = source.delimiter;
    for (int r = 0; r < m_types->rowCount(); ++r)
        setType(m_types->item(r, 0)->text(), "ignore");
    for (const auto &f : source.fields)
        setType(QString::fromStdString(f.name),
                f.type == FieldType::Categorical ? "categorical" : "numeric");
    m_join->setHops(source.via);
}

} // namespace seqlens::ui
