// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the workbench tests.
#pragma once

#include <QAction>
#include <QKeySequence>
#include <QWidget>

namespace seqlens::uitest {

// The action of `w` (or its children) bound to `key`; null when none.
inline QAction *findAction(QWidget *w, const QKeySequence &key)
{
    for (QAction *a : w->findChildren<QAction *>())
        if (a->shortcut() == key)
            return a;
    return nullptr;
}

} // namespace seqlens::uitest
