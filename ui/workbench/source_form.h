// SPDX-License-Identifier: GPL-3.0-or-later
// One event table in the Data view: its name (used in feature names, plots and reports), file,
// key and time columns, clock (format, unit, counted back from each applicant's cutoff), the
// join through parent tables when its rows reach the applicant indirectly (card -> disposition
// -> account, with parent columns carried; join_editor.h), a preview of the first rows and the
// inferred, editable field types. Built into a config source; a source read from a config
// fills the form.
#pragma once

#include "seqlens/data/config.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace seqlens::ui {

class JoinEditor;

class SourceForm : public QWidget {
    Q_OBJECT
public:
    explicit SourceForm(const QString &path, QWidget *parent = nullptr);

    QString path() const { return m_path; }
    QString name() const;
    void setName(const QString &name);
    // Rows reach the applicant through `parentPath` alone (its column `key` holds this table's
    // key column values, its column `entity` the applicant key); an empty path: no join. More
    // hops and carried columns: join().
    void setJoin(const QString &parentPath, const QString &key, const QString &entity);
    bool setKeyColumn(const QString &column); // false: no such column
    bool setTimeColumn(const QString &column);
    bool setType(const QString &column, const QString &type); // categorical/numeric/ignore
    void setTimeFormat(const QString &format, const QString &unit, bool fromCutoff);

    EventSourceConfig toConfig() const;
    // Fills the form from a source of a config (paths already resolved).
    void fromConfig(const EventSourceConfig &source);

    QTableWidget *preview() const { return m_preview; }
    JoinEditor *join() const { return m_join; }

Q_SIGNALS:
    void nameChanged(const QString &name);

private:
    QWidget *buildClock();
    QWidget *buildJoin();
    void fillPreview();
    void inferTypes();
    void guessClock(); // the format (and cutoff origin) from the time column's values
    std::vector<std::string> columnValues(int column) const;

    QString m_path;
    QLineEdit *m_name;
    QComboBox *m_key, *m_time, *m_format, *m_unit;
    QCheckBox *m_fromCutoff;
    QLabel *m_keyLabel;
    QTableWidget *m_preview, *m_types;
    JoinEditor *m_join;
    std::vector<FieldConfig> m_configured; // fields of the config this form was read from
    char m_delimiter = 0;                  // as configured; 0 = detected
};

// The header and first `rows` rows of a CSV in a table; a read error in its first cell.
void fillCsvPreview(QTableWidget *table, const QString &path, int rows = 50);

// A column's type from sample values: "categorical", "numeric", "time" (dates) or "ignore"
// (keys named "...id", empty or nearly unique text).
QString inferColumnType(const QString &name, const std::vector<std::string> &values);

// A time format from sample values: "iso", "%y%m%d" / "%Y%m%d" (six or eight digits),
// "number" (other plain numbers; `negative` set when some are below 0) or "auto".
QString guessTimeFormat(const std::vector<std::string> &values, bool *negative = nullptr);

// A source name from a file name: letters, digits, '_' and '-' ("bureau_balance.csv.gz" ->
// "bureau_balance").
QString sourceNameOf(const QString &path);

} // namespace seqlens::ui
