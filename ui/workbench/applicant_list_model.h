// SPDX-License-Identifier: GPL-3.0-or-later
// The inspector's applicant list: id, score, label, split. Backed by the explorer (no copies),
// sortable through a proxy; fast enough for 100,000 rows.
#pragma once

#include "seqlens/explain/explorer.h"

#include <QAbstractTableModel>

#include <memory>

namespace seqlens::ui {

class ApplicantListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    void setExplorer(std::shared_ptr<ApplicantExplorer> e);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    std::shared_ptr<ApplicantExplorer> m_explorer;
};

} // namespace seqlens::ui
