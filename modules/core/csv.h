/* csv.h — CSV cells for exports (RFC 4180, formula-safe); shared by every CSV the programs write. */
#ifndef CRM_CSV_H
#define CRM_CSV_H

#include "util.h"

/* Appends one quoted cell (NULL = empty). A cell a spreadsheet would run as a formula (starting with =, +, -, @,
 * tab or CR) gets a leading apostrophe; '+' or '-' before a plain number (a phone) is data and is kept as typed. */
void csv_cell(struct buf *b, const char *v);

#endif
