/* dupes.c — the duplicates report (crm_admin, crm_manager): contacts sharing an email, a phone or a name,
 * over the whole database, grouped on the indexed keys and capped. */
#include "contacts.h"

#include <stdio.h>

#include "db.h"
#include "dupe.h"
#include "render.h"

#define GROUPS_PER_KEY 50

int contacts_duplicates_page(struct req *r)
{
	static const char *const mcols[DC__N] = { "id", "first_name", "last_name", "email", "mobile_phone",
		"work_phone" };
	struct db_res groups;
	char key[96];
	int rc, shown = 0;

	page_set(r, "Page.Title", lang_str(r, "Dupe.ReportTitle"));
	if ((rc = dupe_groups(GROUPS_PER_KEY, &groups)) != DB_OK)
		return rc;
	for (size_t g = 0; g < groups.nrows; g++) {
		struct db_res m;
		const char *kind = db_val(&groups, g, DG_KIND);
		if ((rc = dupe_group_members(&groups, g, &m)) != DB_OK) {
			db_res_free(&groups);
			return rc;
		}
		if (m.nrows > 1) {	/* the bin counted on the index; a group of one live contact is no group */
			snprintf(key, sizeof key, "Dupes.%d.kind", shown);
			page_set(r, key, kind);
			snprintf(key, sizeof key, "Dupes.%d.key", shown);
			if (kind && kind[0] == 'n') {
				char name[420];
				snprintf(name, sizeof name, "%s %s", db_val(&groups, g, DG_KEY2) ?: "", db_val(&groups, g, DG_KEY) ?: "");
				page_set(r, key, name);
			} else {
				page_set(r, key, db_val(&groups, g, DG_KEY));
			}
			snprintf(key, sizeof key, "Dupes.%d.count", shown);
			page_set_int(r, key, (long long)m.nrows);
			snprintf(key, sizeof key, "Dupes.%d.first", shown);	/* the others merge into the first */
			page_set(r, key, db_val(&m, 0, DC_ID));
			snprintf(key, sizeof key, "Dupes.%d.members", shown);
			page_set_rows(r, key, &m, mcols, DC__N);
			shown++;
		}
		db_res_free(&m);
	}
	db_res_free(&groups);
	page_set_int(r, "DupeCount", shown);
	return page_render(r, 200, "contacts/duplicates.cs");
}
