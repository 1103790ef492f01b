/* merge.h — merging two contacts into one (SPEC §6) and undoing it: the survivor takes the chosen field values,
 * every related row of the other contact moves to it, the other goes to the recycle bin, and a snapshot in
 * contact_merges (sql/011_merge.sql) lets the whole merge be undone. Shared by the staff pages and the API. */
#ifndef CRM_MERGE_H
#define CRM_MERGE_H

#include "contact.h"
#include "custom.h"
#include "http.h"

/* Which contact a value comes from. */
enum merge_pick { PICK_SURVIVOR = 0, PICK_OTHER = 1 };

/* The outcome of a merge or an undo. status 0: done; else an HTTP status (404, 409, 422) with code, a key
 * under Lang.Error (snake_case, the API's error code); 422 with the survivor's field errors in err. */
struct merge_result {
	int                status;
	const char        *code;
	long long          merge_id;
	long long          other_id;	/* a later merge that blocks an undo (code merge_later) */
	struct contact_err err;
};

/* The default choice per field: the survivor's value when it holds one, else the other's (a flag: on wins).
 * rows are contact_load rows; pick has CF__MAX entries. cpick (defs->n entries) the same for the additional
 * fields, from the stored values sv and ov (custom_load). */
void merge_default_picks(const struct db_res *s, const struct db_res *o, unsigned char *pick);
void merge_default_custom_picks(const struct custom_defs *defs, char *const *sv, char *const *ov, unsigned char *cpick);

/* Merges contact other_id into survivor_id in one transaction. pick: CF__MAX choices; cpick: one per active
 * definition of defs (may be NULL: survivor's values kept). for_form: error keys of the HTML form. Returns a
 * db_rc; the refusal (self, absent, deleted, portal conflict, invalid values) is in res. */
int contact_merge(struct req *r, long long survivor_id, long long other_id, const unsigned char *pick,
    const struct custom_defs *defs, const unsigned char *cpick, int for_form, struct merge_result *res);

/* Undoes merge merge_id in one transaction (survivor's previous values, every moved row back, the merged
 * contact out of the recycle bin). Refusals in res: not found, already undone, a later merge of either contact
 * not undone, a contact purged, anonymized or (the survivor) in the bin, a portal login taken meanwhile. */
int contact_merge_undo(struct req *r, long long merge_id, struct merge_result *res);

/* One merge: id, survivor_id, merged_id, actor, merged_at, undone_at (MG_* columns). rows = 0 if absent. */
enum merge_col { MG_ID, MG_SURVIVOR, MG_MERGED, MG_ACTOR, MG_AT, MG_UNDONE_AT, MG__N };
int merge_load(long long merge_id, struct db_res *out);

#endif
