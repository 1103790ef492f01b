/* dupe.h — likely duplicates of a contact: one set of normalized keys (lower-cased email, phone digits, folded
 * first + last name), one lookup every entry path calls before creating, and the report over the database. */
#ifndef CRM_DUPE_H
#define CRM_DUPE_H
#include <json-c/json.h>

#include "db.h"

struct contact_in;

enum dupe_col { DC_ID, DC_FIRST_NAME, DC_LAST_NAME, DC_EMAIL, DC_MOBILE, DC_WORK, DC__N };

/* Contacts (not in the bin, not anonymized, not exclude_id) that are likely the same person as a validated
 * record (contact_validate filled its normalized phones): an email address of either slot in either stored
 * slot (case-insensitive), any of its three normalized phones in any stored phone slot, or the same first and
 * last name (case- and accent-insensitive; only when both are given; when in->customer_id is set, only with a contact
 * whose primary customer it is). Up to 10 rows, DC_* columns. Every entry
 * path calls it: the form, the API, the import and lead conversion. */
int contact_in_duplicates(const struct contact_in *in, long long exclude_id, struct db_res *out);
/* The keys of one row of a batch (NULL or "" = absent): emails as given, phones normalized, first + last name. */
struct dupe_keys {
	const char *email[2];
	const char *phone[3];
	const char *first, *last;
};
/* Before a batch of rows is written in order (an import), which rows may have a duplicate: need[i] = 1 when a
 * live contact holds one of row i's keys (looked up for the whole batch in a few IN queries) or an earlier row
 * of the batch shares one. need[i] = 0 guarantees that contact_in_duplicates would find no candidate for row i
 * once the rows before it are written, so its lookup can be skipped. Whatever cannot be decided exactly (names
 * or emails with characters outside ASCII and Latin-1 letters, a stored value that the collation matched but
 * the C folding does not) sets need[] for the rows concerned, or for all of them. Returns a db_rc. */
int dupe_prefilter(const struct dupe_keys *rows, size_t n, unsigned char *need);
/* The candidates as the API's "candidates" array. */
json_object *dupe_candidates_json(const struct db_res *d);

/* The duplicates report: groups of contacts sharing one key, largest first, at most `limit` per key. kind is
 * "email", "mobile", "work" or "name"; key (and key2: the first name) the shared value; count as counted on the
 * index (the bin included). dupe_group_members reads a group's live contacts (DC_* columns, up to 20). */
enum dupe_group_col { DG_KIND, DG_KEY, DG_KEY2, DG_COUNT, DG__N };
int dupe_groups(int limit, struct db_res *out);
int dupe_group_members(const struct db_res *groups, size_t row, struct db_res *out);
#endif
