// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/applicant_list_model.h"

namespace seqlens::ui {

void ApplicantListModel::setExplorer(std::shared_ptr<ApplicantExplorer> e)
{
    beginResetModel();
    m_explorer = std::move(e);
    endResetModel();
}

int ApplicantListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_explorer ? 0 : int(m_explorer->count());
}

int ApplicantListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 4;
}

QVariant ApplicantListModel::data(const QModelIndex &index, int role) const
{
    if (!m_explorer || !index.isValid())
        return {};
    const int64_t a = index.row();
    if (role == Qt::UserRole)
        return qlonglong(a);
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (index.column()) {
    case 0: return QString::fromStdString(m_explorer->id(a));
    case 1:
        return role == Qt::EditRole ? QVariant(m_explorer->score(a))
                                    : QVariant(QString::number(m_explorer->score(a), 'f', 4));
    case 2:
        return m_explorer->label(a) < 0    ? QString("?")
               : m_explorer->label(a) == 1 ? QString("bad")
                                           : QString("good");
    default: return QString(toString(m_explorer->split(a)));
    }
}

QVariant ApplicantListModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *names[] = {"applicant", "score", "label", "split"};
    return section >= 0 && section < 4 ? QString(names[section]) : QVariant();
}

} // namespace seqlens::ui
