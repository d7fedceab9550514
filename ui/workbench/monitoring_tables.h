// SPDX-License-Identifier: GPL-3.0-or-later
// The tables of the Monitoring view, filled from a monitoring record's JSON; every light is a
// coloured cell with its word (never colour alone).
#pragma once

#include <nlohmann/json.hpp>

class QTableWidget;

namespace seqlens::ui {

QTableWidget *monitoringTable();
void fillChecks(QTableWidget *t, const nlohmann::json &record);
void fillCohorts(QTableWidget *t, const nlohmann::json &record);
void fillInputs(QTableWidget *t, const nlohmann::json &record); // ranked by PSI, as recorded
void fillShape(QTableWidget *t, const nlohmann::json &record);  // development against batch
void fillSegments(QTableWidget *t, const nlohmann::json &record);

} // namespace seqlens::ui
