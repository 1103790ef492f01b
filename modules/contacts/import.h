/* import.h — the row import shared by the one-request import (import.c) and the staged import jobs (imports.c):
 * header mapping and one data row through validation, the duplicate keys and skip / update / create. */
#ifndef CRM_IMPORT_H
#define CRM_IMPORT_H

#include "contacts.h"

enum on_dup { ON_SKIP, ON_UPDATE, ON_CREATE };

/* What a column feeds: a contact field, an additional field, the customer name, or nothing. */
enum col_kind { COL_NONE, COL_FIELD, COL_CUSTOM, COL_CUSTOMER };
struct column {
	enum col_kind kind;
	int           field;	/* enum cfield */
	const char   *key;	/* custom field key (points into defs) */
};

/* One run over rows. rows collects one JSON object per non-blank row: line, result, id, and errors (refused)
 * or duplicates (skipped); with snapshots set, an updated row also carries "snapshot": the contact's field
 * values before the update (a revert restores them). */
struct import {
	struct req         *r;
	enum on_dup         ondup;
	struct custom_defs  defs;
	struct column      *cols;
	size_t              ncols;
	long long           created, updated, skipped, refused;
	json_object        *rows;
	int                 snapshots;
	int                 no_dupes;	/* set per row: dupe_prefilter showed it has no duplicate to look up */
	/* bulk: plain new contacts (no additional-field values, portal access or customer) wait here and are
	 * written together by import_flush, which runs before any other write or lookup of the run */
	int                 bulk;
	struct contact_in **pending;
	size_t             *pending_line;
	size_t              npending;
};

/* 1 if the data is a vCard file (BEGIN:VCARD first); such files take the one-request path only. */
int  import_is_vcard(const char *data, size_t len);
/* Writes the pending new contacts (bulk) and records their outcome. Returns a db_rc. */
int  import_flush(struct import *im);
/* Frees pending contacts that were never written (after a failed batch). */
void import_pending_free(struct import *im);

struct dupe_keys;
/* The duplicate keys of a data row as import_row will see them (trimmed cells, normalized phones). The
 * strings go into store[0..7] (malloc'd; the caller frees them). */
void import_row_keys(const struct import *im, char **cells, size_t n, struct dupe_keys *k, char *store[8]);

/* 1 if an import may write field f (not the staff-login link). */
int  import_field_importable(int f);
/* Maps a header: canonical names, their English and Italian labels, additional-field keys and labels. */
void import_map_column(struct req *r, const struct custom_defs *defs, const char *header, struct column *c);
/* One data row: validated, matched, written (inside the caller's transaction). Returns a db_rc; the outcome is
 * appended to im->rows (nothing for a blank row). */
int  import_row(struct import *im, size_t line, char **cells, size_t n);

#endif
