// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/join_editor.h"

#include "workbench/source_form.h"

#include "seqlens/data/csv_reader.h"
#include "seqlens/util/error.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace seqlens::ui {

namespace {

constexpr int kSampleRows = 200; // rows of a parent read to offer its columns and their types

QComboBox *columnBox(const QString &placeholder)
{
    auto *box = new QComboBox;
    box->setEditable(true); // a column can be typed when the parent cannot be read yet
    box->lineEdit()->setPlaceholderText(placeholder);
    box->setMinimumContentsLength(12);
    return box;
}

void offerColumns(QComboBox *box, const QStringList &columns)
{
    const QString current = box->currentText();
    box->clear();
    box->addItems(columns);
    box->setCurrentText(current);
}

QStringList checkedIn(const QMenu *menu)
{
    QStringList out;
    for (QAction *a : menu->actions())
        if (a->isChecked())
            out << a->text();
    return out;
}

} // namespace

JoinEditor::JoinEditor(QWidget *parent) : QWidget(parent)
{
    auto *add = new QPushButton("Join through a parent table…");
    auto *remove = new QPushButton("Remove last hop");
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    m_list = new QVBoxLayout;
    m_list->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_list);
    layout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, "Parent table", {},
                                                       "CSV (*.csv *.csv.gz *.txt *.asc);;All (*)");
        if (!p.isEmpty())
            addHop(p);
    });
    connect(remove, &QPushButton::clicked, this, &JoinEditor::removeLastHop);
    connect(this, &JoinEditor::hopsChanged, remove, [remove](int n) { remove->setEnabled(n > 0); });
    remove->setEnabled(false);
}

void JoinEditor::addHop(const QString &parentPath)
{
    Hop hop;
    hop.row = new QWidget;
    hop.label = new QLabel;
    hop.path = new QLineEdit(parentPath.isEmpty() ? QString()
                                                  : QFileInfo(parentPath).absoluteFilePath());
    hop.path->setPlaceholderText("parent table (e.g. bureau.csv)");
    hop.key = columnBox("its column with the key of the rows below");
    hop.entity = columnBox("its column with the applicant key");
    hop.carry = new QToolButton;
    hop.carry->setPopupMode(QToolButton::InstantPopup);
    hop.carry->setMenu(new QMenu(hop.carry));
    auto *row = new QHBoxLayout(hop.row);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(hop.label);
    row->addWidget(hop.path, 2);
    row->addWidget(new QLabel("key"));
    row->addWidget(hop.key, 1);
    row->addWidget(new QLabel("applicant / next key"));
    row->addWidget(hop.entity, 1);
    row->addWidget(hop.carry);
    m_list->addWidget(hop.row);
    const size_t index = m_rows.size();
    connect(hop.path, &QLineEdit::editingFinished, this, [this, index] {
        if (index < m_rows.size())
            readParent(m_rows[index]);
    });
    m_rows.push_back(hop);
    readParent(m_rows.back());
    updateLabels();
    Q_EMIT hopsChanged(hopCount());
}

void JoinEditor::removeLastHop()
{
    if (m_rows.empty())
        return;
    delete m_rows.back().row;
    m_rows.pop_back();
    updateLabels();
    Q_EMIT hopsChanged(hopCount());
}

void JoinEditor::updateLabels()
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        m_rows[i].label->setText(i == 0 ? "rows reach the applicant through" : "then through");
}

// The parent's header and first rows: the column choices and the carried columns' types.
void JoinEditor::readParent(Hop &hop)
{
    hop.columns.clear();
    hop.sample.clear();
    const QString path = hop.path->text().trimmed();
    if (!path.isEmpty()) {
        try {
            CsvReader r(path.toStdString());
            for (const auto &h : r.header())
                hop.columns << QString::fromStdString(h);
            hop.sample.resize(r.header().size());
            for (int n = 0; n < kSampleRows && r.next(); ++n)
                for (size_t c = 0; c < r.fields().size() && c < hop.sample.size(); ++c)
                    hop.sample[c].emplace_back(r.fields()[c]);
        } catch (const Error &e) {
            hop.path->setToolTip(QString::fromStdString(e.what()));
        }
    }
    offerColumns(hop.key, hop.columns);
    offerColumns(hop.entity, hop.columns);
    fillCarryMenu(hop, checkedIn(hop.carry->menu()));
}

// The parent's columns, checked as `checked`; a checked name the parent does not have (it could
// not be read) stays listed and checked, as the config said.
void JoinEditor::fillCarryMenu(Hop &hop, const QStringList &checked)
{
    QMenu *menu = hop.carry->menu();
    menu->clear();
    QStringList names = hop.columns;
    for (const QString &c : checked)
        if (!names.contains(c))
            names << c;
    for (const QString &c : names) {
        QAction *a = menu->addAction(c);
        a->setCheckable(true);
        a->setChecked(checked.contains(c));
    }
    QToolButton *button = hop.carry;
    auto count = [button] {
        const auto n = checkedIn(button->menu()).size();
        button->setText(n == 0 ? QString("carry columns…") : QString("carry %1 column(s)").arg(n));
    };
    for (QAction *a : menu->actions())
        connect(a, &QAction::toggled, button, count);
    count();
}

void JoinEditor::setHops(const std::vector<ViaHop> &hops)
{
    while (!m_rows.empty())
        removeLastHop();
    for (const ViaHop &v : hops) {
        addHop(QString::fromStdString(v.path));
        Hop &hop = m_rows.back();
        hop.configured = v.fields;
        hop.delimiter = v.delimiter;
        setHopColumns(hopCount() - 1, QString::fromStdString(v.key),
                      QString::fromStdString(v.entity));
        QStringList names;
        for (const auto &f : v.fields)
            names << QString::fromStdString(f.name);
        fillCarryMenu(hop, names);
    }
}

void JoinEditor::setHopColumns(int hop, const QString &key, const QString &entity)
{
    m_rows.at(size_t(hop)).key->setCurrentText(key);
    m_rows.at(size_t(hop)).entity->setCurrentText(entity);
}

bool JoinEditor::setCarried(int hop, const QStringList &columns)
{
    Hop &h = m_rows.at(size_t(hop));
    for (const QString &c : columns)
        if (!h.columns.contains(c))
            return false;
    fillCarryMenu(h, columns);
    return true;
}

QStringList JoinEditor::carried(int hop) const
{
    return checkedIn(m_rows.at(size_t(hop)).carry->menu());
}

QStringList JoinEditor::parentColumns(int hop) const
{
    return m_rows.at(size_t(hop)).columns;
}

std::vector<ViaHop> JoinEditor::hops() const
{
    std::vector<ViaHop> out;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        const Hop &h = m_rows[i];
        ViaHop v;
        v.path = h.path->text().trimmed().toStdString();
        v.key = h.key->currentText().trimmed().toStdString();
        v.entity = h.entity->currentText().trimmed().toStdString();
        v.delimiter = h.delimiter;
        for (const QString &name : carried(int(i))) {
            const auto configured = std::find_if(
                h.configured.begin(), h.configured.end(),
                [&](const FieldConfig &f) { return f.name == name.toStdString(); });
            if (configured != h.configured.end()) { // keep what the config said
                v.fields.push_back(*configured);
                continue;
            }
            const auto c = h.columns.indexOf(name); // -1: not in the parent as read now
            const QString type = c < 0 ? QString("categorical")
                                       : inferColumnType(name, h.sample.at(size_t(c)));
            v.fields.push_back({name.toStdString(),
                                type == "numeric" ? FieldType::Numeric : FieldType::Categorical});
        }
        out.push_back(v);
    }
    return out;
}

} // namespace seqlens::ui
