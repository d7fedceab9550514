// SPDX-License-Identifier: GPL-3.0-or-later
// The join of an event table whose rows reach the applicant through other tables (card ->
// disposition -> account): one row per hop, each naming the parent table, its column holding
// the key of the rows below, its column holding the applicant key (or the next hop's key), and
// the parent's columns carried onto every joined row (the bureau credit's type on each monthly
// status). Column choices come from the parent's header; types of carried columns from its
// first rows, unless the config said otherwise.
#pragma once

#include "seqlens/data/config.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;
class QVBoxLayout;

namespace seqlens::ui {

class JoinEditor : public QWidget {
    Q_OBJECT
public:
    explicit JoinEditor(QWidget *parent = nullptr);

    // The hops as configured (paths resolved); empty: the table holds the applicant key.
    void setHops(const std::vector<ViaHop> &hops);
    std::vector<ViaHop> hops() const;
    int hopCount() const { return int(m_rows.size()); }

    void addHop(const QString &parentPath = {}); // appends a hop; reads the parent's header
    void removeLastHop();
    void setHopColumns(int hop, const QString &key, const QString &entity);
    // Carries these parent columns of hop `hop`; false (nothing changed) when one is not a
    // column of the parent.
    bool setCarried(int hop, const QStringList &columns);
    QStringList carried(int hop) const;
    QStringList parentColumns(int hop) const; // the parent's header ({} when unreadable)

Q_SIGNALS:
    void hopsChanged(int count);

private:
    struct Hop {
        QWidget *row = nullptr;
        QLabel *label = nullptr;
        QLineEdit *path = nullptr;
        QComboBox *key = nullptr, *entity = nullptr;
        QToolButton *carry = nullptr;
        QStringList columns;                          // the parent's header
        std::vector<std::vector<std::string>> sample; // per column: values of its first rows
        std::vector<FieldConfig> configured;          // carried fields as the config said
        char delimiter = 0;                           // as configured
    };
    void readParent(Hop &hop);
    void fillCarryMenu(Hop &hop, const QStringList &checked);
    void updateLabels();

    QVBoxLayout *m_list = nullptr;
    std::vector<Hop> m_rows;
};

} // namespace seqlens::ui
