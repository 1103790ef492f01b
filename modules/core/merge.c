/* merge.c — merge two contacts and undo a merge, each in one transaction, with a snapshot that names every
 * moved row (contact_merges, sql/011_merge.sql).
 *
 * Rules (README "Merge"):
 * - the survivor's fields take the chosen values through contact_validate, as on the form;
 * - connections, document shares and list memberships move unless the survivor already has the same one (that
 *   duplicate stays with the merged contact); the survivor keeps its primary connection, or takes the merged
 *   contact's when it had none;
 * - comments, consent events, tickets, ticket comments and documents it wrote, mail, history, converted leads and
 *   direct reports move; each consent's state is the more recent of the two;
 * - portal: a contact has at most one portal account. The survivor keeps its own; the merged contact's account
 *   moves to the survivor when the survivor has none. When both have one and the merged contact's portal access
 *   is on, the merge is refused (merge the other way round, or switch its portal access off first); otherwise
 *   the merged contact's account stays with it in the recycle bin, where it cannot sign in.
 * Moved rows are moved back by id on undo; rows that moved on since (a connection removed) are left alone. */
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consent.h"
#include "db.h"
#include "portalacct.h"

#define IDS_IN "IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j)"
#define AGG(col) "SELECT COALESCE(JSON_ARRAYAGG(" col "), '[]') "

enum stmt {
	STMT_LOCK, STMT_ACCOUNT, STMT_ACCOUNT_MOVE, STMT_HAS_PRIMARY, STMT_SET_PRIMARY, STMT_PROMOTE,
	STMT_SNAP_CUSTOM, STMT_SNAP_CONSENTS, STMT_CONSENTS_MERGE, STMT_MERGE_ADD, STMT_MERGE_LOAD,
	STMT_MERGE_LOCK, STMT_MERGE_LATER, STMT_MERGE_DONE, STMT_CUSTOM_CLEAR, STMT_CUSTOM_RESTORE,
	STMT_CONSENTS_CLEAR, STMT_CONSENTS_RESTORE, STMT_END_SESSIONS,
	STMT_IDS_CONN, STMT_MOVE_CONN, STMT_IDS_COMMENTS, STMT_MOVE_COMMENTS, STMT_IDS_CEVENTS, STMT_MOVE_CEVENTS,
	STMT_IDS_CACTOR, STMT_MOVE_CACTOR, STMT_IDS_TICKETS, STMT_MOVE_TICKETS, STMT_IDS_TCOMMENTS,
	STMT_MOVE_TCOMMENTS, STMT_IDS_DOCS, STMT_MOVE_DOCS, STMT_IDS_DOCS_UP, STMT_MOVE_DOCS_UP, STMT_IDS_SHARES,
	STMT_MOVE_SHARES, STMT_IDS_LISTS, STMT_MOVE_LISTS, STMT_IDS_HISTORY, STMT_MOVE_HISTORY, STMT_IDS_OUTBOX,
	STMT_MOVE_OUTBOX, STMT_IDS_LEADS, STMT_MOVE_LEADS, STMT_IDS_REPORTS, STMT_MOVE_REPORTS,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_LOCK] = "SELECT id, deleted_at, anonymized_at FROM contacts WHERE id IN (?, ?) ORDER BY id FOR UPDATE",
	[STMT_ACCOUNT] = "SELECT id, email FROM portal_accounts WHERE contact_id = ? FOR UPDATE",
	[STMT_ACCOUNT_MOVE] = "UPDATE portal_accounts SET contact_id = ?, email = ? WHERE id = ? AND contact_id = ?",
	[STMT_END_SESSIONS] = "DELETE FROM portal_sessions WHERE account_id = ?",
	[STMT_HAS_PRIMARY] = "SELECT id FROM connections WHERE contact_id = ? AND is_primary = 1",
	[STMT_SET_PRIMARY] = "UPDATE connections SET is_primary = 1 WHERE id = ? AND contact_id = ?",
	[STMT_PROMOTE] = "UPDATE connections SET is_primary = 1 WHERE contact_id = ? ORDER BY id LIMIT 1",
	[STMT_SNAP_CUSTOM] =
	    AGG("JSON_OBJECT('field_id', field_id, 'v_text', v_text, 'v_num', CAST(v_num AS CHAR), "
	    "'v_date', CAST(v_date AS CHAR), 'v_long', v_long)") "FROM contact_custom WHERE contact_id = ?",
	[STMT_SNAP_CONSENTS] =
	    AGG("JSON_OBJECT('consent_id', consent_id, 'granted', granted, 'version', version, "
	    "'changed_at', DATE_FORMAT(changed_at, '%Y-%m-%d %H:%i:%s.%f'))") "FROM contact_consents WHERE contact_id = ?",
	/* Each consent: the more recent state of the two contacts. */
	[STMT_CONSENTS_MERGE] =
	    "INSERT INTO contact_consents (contact_id, consent_id, granted, version, changed_at) "
	    "SELECT ?, m.consent_id, m.granted, m.version, m.changed_at FROM contact_consents m WHERE m.contact_id = ? "
	    "ON DUPLICATE KEY UPDATE "
	    "granted = IF(VALUES(changed_at) > contact_consents.changed_at, VALUES(granted), contact_consents.granted), "
	    "version = IF(VALUES(changed_at) > contact_consents.changed_at, VALUES(version), contact_consents.version), "
	    "changed_at = GREATEST(contact_consents.changed_at, VALUES(changed_at))",
	[STMT_CUSTOM_CLEAR] = "DELETE FROM contact_custom WHERE contact_id = ?",
	/* Values of fields deleted since the merge cannot come back. */
	[STMT_CUSTOM_RESTORE] =
	    "INSERT INTO contact_custom (contact_id, field_id, v_text, v_num, v_date, v_long) "
	    "SELECT ?, j.field_id, j.v_text, j.v_num, j.v_date, j.v_long FROM JSON_TABLE(?, '$[*]' COLUMNS ("
	    "field_id BIGINT UNSIGNED PATH '$.field_id', v_text VARCHAR(255) PATH '$.v_text', "
	    "v_num DECIMAL(20,6) PATH '$.v_num', v_date DATE PATH '$.v_date', v_long MEDIUMTEXT PATH '$.v_long')) j "
	    "JOIN custom_fields f ON f.id = j.field_id",
	[STMT_CONSENTS_CLEAR] = "DELETE FROM contact_consents WHERE contact_id = ?",
	[STMT_CONSENTS_RESTORE] =
	    "INSERT INTO contact_consents (contact_id, consent_id, granted, version, changed_at) "
	    "SELECT ?, j.consent_id, j.granted, j.version, j.changed_at FROM JSON_TABLE(?, '$[*]' COLUMNS ("
	    "consent_id BIGINT UNSIGNED PATH '$.consent_id', granted TINYINT PATH '$.granted', "
	    "version INT UNSIGNED PATH '$.version', changed_at DATETIME(3) PATH '$.changed_at')) j "
	    "JOIN consents c ON c.id = j.consent_id",
	[STMT_MERGE_ADD] =
	    "INSERT INTO contact_merges (survivor_id, merged_id, merged_by, actor, snapshot) VALUES (?, ?, ?, ?, ?)",
	[STMT_MERGE_LOAD] =
	    "SELECT id, survivor_id, merged_id, actor, merged_at, undone_at FROM contact_merges WHERE id = ?",
	[STMT_MERGE_LOCK] =
	    "SELECT survivor_id, merged_id, snapshot, undone_at FROM contact_merges WHERE id = ? FOR UPDATE",
	[STMT_MERGE_LATER] =
	    "SELECT id FROM contact_merges WHERE id > ? AND undone_at IS NULL "
	    "AND (survivor_id IN (?, ?) OR merged_id IN (?, ?)) ORDER BY id DESC LIMIT 1",
	[STMT_MERGE_DONE] = "UPDATE contact_merges SET undone_at = NOW(3), undone_by = ? WHERE id = ?",

	/* Per table: the ids that move (from, and for pairs: to), and the move (to, from, ids) — the same
	 * statement moves them back on undo. */
	[STMT_IDS_CONN] =
	    AGG("m.id") "FROM connections m WHERE m.contact_id = ? AND NOT EXISTS (SELECT 1 FROM connections s "
	    "WHERE s.contact_id = ? AND (s.customer_id = m.customer_id OR s.lead_id = m.lead_id))",
	[STMT_MOVE_CONN] = "UPDATE connections SET contact_id = ?, is_primary = NULL WHERE contact_id = ? AND id " IDS_IN,
	[STMT_IDS_COMMENTS] = AGG("id") "FROM comments WHERE contact_id = ?",
	[STMT_MOVE_COMMENTS] = "UPDATE comments SET contact_id = ? WHERE contact_id = ? AND id " IDS_IN,
	[STMT_IDS_CEVENTS] = AGG("id") "FROM consent_events WHERE contact_id = ?",
	[STMT_MOVE_CEVENTS] = "UPDATE consent_events SET contact_id = ? WHERE contact_id = ? AND id " IDS_IN,
	[STMT_IDS_CACTOR] = AGG("id") "FROM consent_events WHERE actor_contact_id = ?",
	[STMT_MOVE_CACTOR] = "UPDATE consent_events SET actor_contact_id = ? WHERE actor_contact_id = ? AND id " IDS_IN,
	[STMT_IDS_TICKETS] = AGG("id") "FROM tickets WHERE contact_id = ?",
	[STMT_MOVE_TICKETS] = "UPDATE tickets SET contact_id = ? WHERE contact_id = ? AND id " IDS_IN,
	[STMT_IDS_TCOMMENTS] = AGG("id") "FROM ticket_comments WHERE author_contact_id = ?",
	[STMT_MOVE_TCOMMENTS] = "UPDATE ticket_comments SET author_contact_id = ? WHERE author_contact_id = ? AND id " IDS_IN,
	[STMT_IDS_DOCS] = AGG("id") "FROM documents WHERE contact_id = ?",
	[STMT_MOVE_DOCS] = "UPDATE documents SET contact_id = ? WHERE contact_id = ? AND id " IDS_IN,
	[STMT_IDS_DOCS_UP] = AGG("id") "FROM documents WHERE uploaded_by_contact_id = ?",
	[STMT_MOVE_DOCS_UP] = "UPDATE documents SET uploaded_by_contact_id = ? WHERE uploaded_by_contact_id = ? AND id " IDS_IN,
	[STMT_IDS_SHARES] =
	    AGG("m.id") "FROM document_shares m WHERE m.contact_id = ? AND NOT EXISTS (SELECT 1 FROM document_shares s "
	    "WHERE s.contact_id = ? AND s.document_id = m.document_id)",
	[STMT_MOVE_SHARES] = "UPDATE document_shares SET contact_id = ? WHERE contact_id = ? AND id " IDS_IN,
	[STMT_IDS_LISTS] =
	    AGG("m.list_id") "FROM marketing_list_members m WHERE m.contact_id = ? AND NOT EXISTS (SELECT 1 FROM "
	    "marketing_list_members s WHERE s.contact_id = ? AND s.list_id = m.list_id)",
	[STMT_MOVE_LISTS] = "UPDATE marketing_list_members SET contact_id = ? WHERE contact_id = ? AND list_id " IDS_IN,
	[STMT_IDS_HISTORY] = AGG("id") "FROM history WHERE entity = 'contact' AND entity_id = ?",
	[STMT_MOVE_HISTORY] = "UPDATE history SET entity_id = ? WHERE entity = 'contact' AND entity_id = ? AND id " IDS_IN,
	[STMT_IDS_OUTBOX] = AGG("id") "FROM outbox WHERE contact_id = ?",
	[STMT_MOVE_OUTBOX] = "UPDATE outbox SET contact_id = ? WHERE contact_id = ? AND id " IDS_IN,
	[STMT_IDS_LEADS] = AGG("id") "FROM leads WHERE converted_contact_id = ?",
	[STMT_MOVE_LEADS] = "UPDATE leads SET converted_contact_id = ? WHERE converted_contact_id = ? AND id " IDS_IN,
	[STMT_IDS_REPORTS] = AGG("id") "FROM contacts WHERE reports_to_id = ? AND id <> ?",
	[STMT_MOVE_REPORTS] = "UPDATE contacts SET reports_to_id = ? WHERE reports_to_id = ? AND id " IDS_IN,
};

/* Every table whose rows follow a contact; pair: the ids statement also takes the survivor (duplicates stay). */
static const struct mover {
	const char *key;
	enum stmt   ids, move;
	int         pair;
} movers[] = {
	{ "connections", STMT_IDS_CONN, STMT_MOVE_CONN, 1 },
	{ "comments", STMT_IDS_COMMENTS, STMT_MOVE_COMMENTS, 0 },
	{ "consent_events", STMT_IDS_CEVENTS, STMT_MOVE_CEVENTS, 0 },
	{ "consent_events_actor", STMT_IDS_CACTOR, STMT_MOVE_CACTOR, 0 },
	{ "tickets", STMT_IDS_TICKETS, STMT_MOVE_TICKETS, 0 },
	{ "ticket_comments", STMT_IDS_TCOMMENTS, STMT_MOVE_TCOMMENTS, 0 },
	{ "documents", STMT_IDS_DOCS, STMT_MOVE_DOCS, 0 },
	{ "documents_uploaded", STMT_IDS_DOCS_UP, STMT_MOVE_DOCS_UP, 0 },
	{ "document_shares", STMT_IDS_SHARES, STMT_MOVE_SHARES, 1 },
	{ "marketing_list_members", STMT_IDS_LISTS, STMT_MOVE_LISTS, 1 },
	{ "history", STMT_IDS_HISTORY, STMT_MOVE_HISTORY, 0 },
	{ "outbox", STMT_IDS_OUTBOX, STMT_MOVE_OUTBOX, 0 },
	{ "leads", STMT_IDS_LEADS, STMT_MOVE_LEADS, 0 },
	{ "direct_reports", STMT_IDS_REPORTS, STMT_MOVE_REPORTS, 1 },
};
#define NMOVERS (sizeof movers / sizeof movers[0])

static int empty_value(int f, const char *v)
{
	if (!v || !*v)
		return 1;
	if (contact_field_is_flag(f))
		return strcmp(v, "1") != 0;
	return f == CF_CONTACT_PREFERENCE && !strcmp(v, "any");
}

void merge_default_picks(const struct db_res *s, const struct db_res *o, unsigned char *pick)
{
	for (int i = 0; i < CF__MAX; i++)
		pick[i] = empty_value(i, db_val(s, 0, (size_t)i)) && !empty_value(i, db_val(o, 0, (size_t)i)) ?
		    PICK_OTHER : PICK_SURVIVOR;
	pick[CF_USER_ID] = pick[CF_IS_USER];
}

void merge_default_custom_picks(const struct custom_defs *defs, char *const *sv, char *const *ov, unsigned char *cpick)
{
	for (size_t i = 0; i < defs->n; i++)
		cpick[i] = (!sv[i] || !*sv[i] || (defs->v[i].type == CFT_CHECKBOX && strcmp(sv[i], "1"))) &&
		    ov[i] && *ov[i] && !(defs->v[i].type == CFT_CHECKBOX && strcmp(ov[i], "1")) ? PICK_OTHER : PICK_SURVIVOR;
}

int merge_load(long long merge_id, struct db_res *out)
{
	return db_exec(stmts[STMT_MERGE_LOAD], DB_ARGS(A_INT(merge_id)), out);
}

/* One JSON value from a one-cell result (NULL on a bad document). */
static int query_json(enum stmt s, const struct db_arg *args, size_t n, json_object **out)
{
	struct db_res res;
	int rc = db_exec(stmts[s], args, n, &res);
	*out = NULL;
	if (rc != DB_OK)
		return rc;
	*out = res.nrows && db_val(&res, 0, 0) ? json_tokener_parse(db_val(&res, 0, 0)) : json_object_new_array();
	db_res_free(&res);
	return *out ? DB_OK : DB_ERR;
}

static json_object *fields_json(const struct db_res *row)
{
	json_object *o = json_object_new_object();
	for (int i = 0; i < CF__MAX; i++) {
		const char *v = db_val(row, 0, (size_t)i);
		json_object_object_add(o, contact_fields[i].name, v ? json_object_new_string(v) : NULL);
	}
	return o;
}

/* The id of the contact's portal account (0: none) and its login into email. */
static int portal_account(long long contact_id, long long *id, char *email, size_t n)
{
	struct db_res res;
	int rc = db_exec(stmts[STMT_ACCOUNT], DB_ARGS(A_INT(contact_id)), &res);
	*id = 0;
	if (rc != DB_OK)
		return rc;
	if (res.nrows) {
		*id = db_ll(&res, 0, 0);
		snprintf(email, n, "%s", db_val(&res, 0, 1) ?: "");
	}
	db_res_free(&res);
	return DB_OK;
}

static int primary_of(long long contact_id, long long *id)
{
	struct db_res res;
	int rc = db_exec(stmts[STMT_HAS_PRIMARY], DB_ARGS(A_INT(contact_id)), &res);
	*id = 0;
	if (rc != DB_OK)
		return rc;
	if (res.nrows)
		*id = db_ll(&res, 0, 0);
	db_res_free(&res);
	return DB_OK;
}

/* Locks both contacts; 404 / 409 in res when one is absent, in the bin or anonymized (bin_ok: the second may
 * be in the bin). */
static int lock_pair(long long a, long long b, int bin_ok_b, struct merge_result *res)
{
	struct db_res l;
	int found_a = 0, found_b = 0, rc = db_exec(stmts[STMT_LOCK], DB_ARGS(A_INT(a), A_INT(b)), &l);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < l.nrows; i++) {
		long long id = db_ll(&l, i, 0);
		int gone = db_val(&l, i, 2) != NULL || (db_val(&l, i, 1) && !(id == b && bin_ok_b));
		if (id == a)
			found_a = 1 + gone;
		else
			found_b = 1 + gone;
	}
	db_res_free(&l);
	if (!found_a || !found_b) {
		res->status = 404;
		res->code = bin_ok_b ? "merge_purged" : "not_found";
	} else if (found_a == 2 || found_b == 2) {
		res->status = 409;
		res->code = bin_ok_b ? "merge_gone" : "merge_deleted";
	}
	return DB_OK;
}

static int add_note(struct req *r, long long on, const char *action, long long other)
{
	char v[24];
	snprintf(v, sizeof v, "%lld", other);
	return history_add(r, "contact", on, action, NULL, NULL, v);
}

struct merge_ctx {
	struct req                *r;
	long long                  s, m;
	const unsigned char       *pick, *cpick;
	const struct custom_defs  *defs;
	int                        for_form;
	struct merge_result       *res;
};

/* The survivor's new record: each field from the side chosen, the additional fields likewise. */
static int survivor_input(struct merge_ctx *c, const struct db_res *srow, const struct db_res *orow,
    struct contact_in *in, struct custom_in *cin)
{
	char **ov = NULL;
	int rc;

	memset(in, 0, sizeof *in);
	for (int i = 0; i < CF__MAX; i++) {
		int side = i == CF_USER_ID ? c->pick[CF_IS_USER] : c->pick[i];
		const char *v = db_val(side == PICK_OTHER ? orow : srow, 0, (size_t)i);
		in->v[i] = v && *v ? xstrdup(v) : NULL;
	}
	/* reporting to one of the two would point at itself or into the bin */
	if (in->v[CF_REPORTS_TO_ID]) {
		long long rt = strtoll(in->v[CF_REPORTS_TO_ID], NULL, 10);
		if (rt == c->s || rt == c->m) {
			free(in->v[CF_REPORTS_TO_ID]);
			in->v[CF_REPORTS_TO_ID] = NULL;
		}
	}
	if (!c->defs)
		return DB_OK;
	if ((rc = custom_in_init(cin, c->defs, c->s, CTX_BACKOFFICE, c->for_form)) != DB_OK)
		return rc;
	in->custom = cin;
	if (!c->cpick || !c->defs->n)
		return DB_OK;
	if (!(ov = calloc(c->defs->n, sizeof *ov)))
		return DB_ERR;
	if ((rc = custom_load(c->m, c->defs, ov)) == DB_OK)
		for (size_t k = 0; k < c->defs->n; k++)
			if (c->cpick[k] == PICK_OTHER && c->defs->v[k].active)
				(void)custom_in_set(cin, c->defs->v[k].key, ov[k] ? ov[k] : "");
	custom_vals_free(ov, c->defs->n);
	free(ov);
	return rc;
}

static int merge_txn(void *p)
{
	struct merge_ctx *c = p;
	struct merge_result *res = c->res;
	struct db_res srow = { 0 }, orow = { 0 }, ins;
	struct contact_in in = { 0 };
	struct custom_in cin = { 0 };
	json_object *snap = json_object_new_object(), *moved, *j;
	long long s_acc, m_acc, s_primary, m_primary;
	char s_email[256] = "", m_email[256] = "";
	int rc, have_cin = 0;

	res->status = 0;
	res->code = NULL;
	res->err.n = 0;
	if ((rc = lock_pair(c->s, c->m, 0, res)) != DB_OK || res->status)
		goto out;
	if ((rc = contact_load(c->s, 0, &srow)) != DB_OK || (rc = contact_load(c->m, 0, &orow)) != DB_OK)
		goto out;
	/* portal: at most one account per contact (see the rule at the top) */
	if ((rc = portal_account(c->s, &s_acc, s_email, sizeof s_email)) != DB_OK ||
	    (rc = portal_account(c->m, &m_acc, m_email, sizeof m_email)) != DB_OK)
		goto out;
	if (s_acc && m_acc && str_eq(db_val(&orow, 0, CF_PORTAL_USER), "1")) {
		res->status = 409;
		res->code = "merge_portal";
		goto out;
	}
	json_object_object_add(snap, "survivor", j = json_object_new_object());
	json_object_object_add(j, "fields", fields_json(&srow));
	json_object_object_add(j, "version", json_object_new_int64(db_ll(&srow, 0, CM_VERSION)));
	{
		json_object *a;
		if ((rc = query_json(STMT_SNAP_CUSTOM, DB_ARGS(A_INT(c->s)), &a)) != DB_OK)
			goto out;
		json_object_object_add(j, "custom", a);
		if ((rc = query_json(STMT_SNAP_CONSENTS, DB_ARGS(A_INT(c->s)), &a)) != DB_OK)
			goto out;
		json_object_object_add(j, "consents", a);
	}
	json_object_object_add(snap, "merged", j = json_object_new_object());
	json_object_object_add(j, "fields", fields_json(&orow));
	if (!s_acc && m_acc) {
		/* the merged contact's account becomes the survivor's; its sessions end */
		if ((rc = db_exec(stmts[STMT_END_SESSIONS], DB_ARGS(A_INT(m_acc)), NULL)) != DB_OK ||
		    (rc = db_exec(stmts[STMT_ACCOUNT_MOVE], DB_ARGS(A_INT(c->s), A_STR(m_email), A_INT(m_acc), A_INT(c->m)), NULL)) != DB_OK)
			goto out;
		json_object_object_add(snap, "portal_account", j = json_object_new_object());
		json_object_object_add(j, "id", json_object_new_int64(m_acc));
		json_object_object_add(j, "email", json_object_new_string(m_email));
	}
	/* every related row, by id */
	if ((rc = primary_of(c->s, &s_primary)) != DB_OK || (rc = primary_of(c->m, &m_primary)) != DB_OK)
		goto out;
	json_object_object_add(snap, "merged_primary", m_primary ? json_object_new_int64(m_primary) : NULL);
	json_object_object_add(snap, "moved", moved = json_object_new_object());
	for (size_t t = 0; t < NMOVERS; t++) {
		json_object *ids;
		const char *list;
		if (movers[t].pair)
			rc = query_json(movers[t].ids, DB_ARGS(A_INT(c->m), A_INT(c->s)), &ids);
		else
			rc = query_json(movers[t].ids, DB_ARGS(A_INT(c->m)), &ids);
		if (rc != DB_OK)
			goto out;
		json_object_object_add(moved, movers[t].key, ids);
		if (json_object_array_length(ids) == 0)
			continue;
		list = json_object_to_json_string_ext(ids, JSON_C_TO_STRING_PLAIN);
		if ((rc = db_exec(stmts[movers[t].move], DB_ARGS(A_INT(c->s), A_INT(c->m), A_STR(list)), NULL)) != DB_OK)
			goto out;
	}
	if (!s_primary) {
		if (m_primary)
			rc = db_exec(stmts[STMT_SET_PRIMARY], DB_ARGS(A_INT(m_primary), A_INT(c->s)), &ins);
		if (rc == DB_OK && (!m_primary || ins.affected == 0))
			rc = db_exec(stmts[STMT_PROMOTE], DB_ARGS(A_INT(c->s)), NULL);
		if (m_primary && rc == DB_OK)
			db_res_free(&ins);
		if (rc != DB_OK)
			goto out;
	}
	/* consents: the more recent state wins */
	if ((rc = db_exec(stmts[STMT_CONSENTS_MERGE], DB_ARGS(A_INT(c->s), A_INT(c->m)), NULL)) != DB_OK)
		goto out;
	/* the survivor's fields, validated like the form */
	have_cin = c->defs != NULL;
	if ((rc = survivor_input(c, &srow, &orow, &in, &cin)) != DB_OK)
		goto out;
	if ((rc = contact_validate(&in, c->s, &res->err)) != DB_OK)
		goto out;
	if (res->err.n) {
		res->status = 422;
		res->code = "invalid";
		goto out;
	}
	rc = contact_update(c->r, c->s, db_ll(&srow, 0, CM_VERSION), &in, &srow);
	if (rc == 409 || rc == 404) {
		res->status = rc;
		res->code = rc == 409 ? "conflict" : "not_found";
		goto out;
	}
	if (rc != DB_OK)
		goto out;
	if ((rc = contact_delete(c->r, c->m)) != DB_OK)
		goto out;
	{
		const char *text = json_object_to_json_string_ext(snap, JSON_C_TO_STRING_PLAIN);
		struct db_arg who = c->r->who.user_id && c->r->who.kind != AUTH_PORTAL ? A_INT(c->r->who.user_id) : A_NULL;
		if ((rc = db_exec(stmts[STMT_MERGE_ADD], DB_ARGS(A_INT(c->s), A_INT(c->m), who, A_STR(c->r->who.login),
		    A_STR(text)), &ins)) != DB_OK)
			goto out;
		res->merge_id = (long long)ins.insert_id;
		db_res_free(&ins);
	}
	if ((rc = add_note(c->r, c->s, "merged_from", c->m)) != DB_OK || (rc = add_note(c->r, c->m, "merged_into", c->s)) != DB_OK)
		goto out;
	if ((rc = contact_status_refresh(c->s)) != DB_OK)
		goto out;
	rc = contact_status_refresh(c->m);
out:
	if (rc == DB_OK && res->status)
		rc = DB_ERR;	/* refused: roll back whatever was written */
	contact_in_free(&in);
	if (have_cin)
		custom_in_free(&cin);
	json_object_put(snap);
	db_res_free(&srow);
	db_res_free(&orow);
	return rc;
}

int contact_merge(struct req *r, long long survivor_id, long long other_id, const unsigned char *pick,
    const struct custom_defs *defs, const unsigned char *cpick, int for_form, struct merge_result *res)
{
	struct merge_ctx c = { r, survivor_id, other_id, pick, cpick, defs, for_form, res };
	int rc;

	memset(res, 0, sizeof *res);
	if (survivor_id == other_id) {
		res->status = 422;
		res->code = "merge_self";
		return DB_OK;
	}
	rc = db_txn(merge_txn, &c);
	if (res->status)
		return DB_OK;
	return rc;
}

struct undo_ctx {
	struct req          *r;
	long long            id;
	struct merge_result *res;
	long long            s, m;
};

static json_object *path_get(json_object *o, const char *a, const char *b)
{
	json_object *x = NULL, *y = NULL;
	if (!o || !json_object_object_get_ex(o, a, &x))
		return NULL;
	if (!b)
		return x;
	return json_object_object_get_ex(x, b, &y) ? y : NULL;
}

static int undo_txn(void *p)
{
	struct undo_ctx *c = p;
	struct merge_result *res = c->res;
	struct db_res mrow = { 0 }, cur = { 0 }, ins;
	struct contact_in in = { 0 };
	struct contact_err ignored;
	json_object *snap = NULL, *fields, *moved, *acc, *x;
	long long later = 0, s_primary;
	int rc;

	res->status = 0;
	res->code = NULL;
	if ((rc = db_exec(stmts[STMT_MERGE_LOCK], DB_ARGS(A_INT(c->id)), &mrow)) != DB_OK)
		goto out;
	if (mrow.nrows == 0) {
		res->status = 404;
		res->code = "not_found";
		goto out;
	}
	c->s = db_ll(&mrow, 0, 0);
	c->m = db_ll(&mrow, 0, 1);
	if (db_val(&mrow, 0, 3)) {
		res->status = 409;
		res->code = "merge_undone";
		goto out;
	}
	{
		struct db_res l;
		if ((rc = db_exec(stmts[STMT_MERGE_LATER], DB_ARGS(A_INT(c->id), A_INT(c->s), A_INT(c->m), A_INT(c->s),
		    A_INT(c->m)), &l)) != DB_OK)
			goto out;
		if (l.nrows)
			later = db_ll(&l, 0, 0);
		db_res_free(&l);
		if (later) {
			res->status = 409;
			res->code = "merge_later";
			res->other_id = later;
			goto out;
		}
	}
	if ((rc = lock_pair(c->s, c->m, 1, res)) != DB_OK || res->status)
		goto out;
	if (!(snap = json_tokener_parse(db_val(&mrow, 0, 2) ?: "")) || !(fields = path_get(snap, "survivor", "fields")) ||
	    !(moved = path_get(snap, "moved", NULL))) {
		log_msg(LOG_ERR, "merge %lld: unreadable snapshot", c->id);
		rc = DB_ERR;
		goto out;
	}
	/* the portal account goes back with its login of then */
	if ((acc = path_get(snap, "portal_account", NULL)) && json_object_get_type(acc) == json_type_object) {
		long long aid = json_object_get_int64(path_get(acc, "id", NULL));
		const char *email = json_object_get_string(path_get(acc, "email", NULL));
		if ((rc = db_exec(stmts[STMT_END_SESSIONS], DB_ARGS(A_INT(aid)), NULL)) != DB_OK)
			goto out;
		rc = db_exec(stmts[STMT_ACCOUNT_MOVE], DB_ARGS(A_INT(c->m), A_STR(email ?: ""), A_INT(aid), A_INT(c->s)), NULL);
		if (rc == DB_DUP) {
			res->status = 409;
			res->code = "merge_portal_taken";
			rc = DB_OK;
			goto out;
		}
		if (rc != DB_OK)
			goto out;
	}
	for (size_t t = 0; t < NMOVERS; t++) {
		json_object *ids = path_get(moved, movers[t].key, NULL);
		if (!ids || json_object_get_type(ids) != json_type_array || json_object_array_length(ids) == 0)
			continue;
		rc = db_exec(stmts[movers[t].move], DB_ARGS(A_INT(c->m), A_INT(c->s),
		    A_STR(json_object_to_json_string_ext(ids, JSON_C_TO_STRING_PLAIN))), NULL);
		if (rc == DB_DUP) {
			res->status = 409;
			res->code = "merge_blocked";
			rc = DB_OK;
			goto out;
		}
		if (rc != DB_OK)
			goto out;
	}
	/* primaries: the merged contact's back as it was; the survivor keeps one if it has links */
	if ((x = path_get(snap, "merged_primary", NULL)) && json_object_get_int64(x) > 0) {
		long long mp = json_object_get_int64(x), have;
		if ((rc = primary_of(c->m, &have)) != DB_OK)
			goto out;
		if (!have && (rc = db_exec(stmts[STMT_SET_PRIMARY], DB_ARGS(A_INT(mp), A_INT(c->m)), NULL)) != DB_OK)
			goto out;
	}
	if ((rc = primary_of(c->s, &s_primary)) != DB_OK)
		goto out;
	if (!s_primary && (rc = db_exec(stmts[STMT_PROMOTE], DB_ARGS(A_INT(c->s)), NULL)) != DB_OK)
		goto out;
	/* the survivor's values of before the merge */
	if ((rc = contact_load(c->s, 0, &cur)) != DB_OK)
		goto out;
	for (int i = 0; i < CF__MAX; i++) {
		json_object *v = path_get(fields, contact_fields[i].name, NULL);
		const char *s = v ? json_object_get_string(v) : NULL;
		in.v[i] = s && *s ? xstrdup(s) : NULL;
	}
	if (in.v[CF_REPORTS_TO_ID]) {
		/* the manager of then may be gone: validation would refuse; the link is dropped instead */
		struct db_res chk;
		if ((rc = contact_load(strtoll(in.v[CF_REPORTS_TO_ID], NULL, 10), 0, &chk)) != DB_OK)
			goto out;
		if (chk.nrows == 0) {
			free(in.v[CF_REPORTS_TO_ID]);
			in.v[CF_REPORTS_TO_ID] = NULL;
		}
		db_res_free(&chk);
	}
	/* run for the normalized phones and canonical flags; the values were valid when stored */
	if ((rc = contact_validate(&in, c->s, &ignored)) != DB_OK)
		goto out;
	rc = contact_update(c->r, c->s, db_ll(&cur, 0, CM_VERSION), &in, &cur);
	if (rc == 409 || rc == 404) {
		res->status = rc;
		res->code = rc == 409 ? "conflict" : "not_found";
		rc = DB_OK;
		goto out;
	}
	if (rc != DB_OK)
		goto out;
	if ((rc = db_exec(stmts[STMT_CUSTOM_CLEAR], DB_ARGS(A_INT(c->s)), NULL)) != DB_OK ||
	    (rc = db_exec(stmts[STMT_CUSTOM_RESTORE], DB_ARGS(A_INT(c->s),
	    A_STR(json_object_to_json_string_ext(path_get(snap, "survivor", "custom"), JSON_C_TO_STRING_PLAIN))), NULL)) != DB_OK ||
	    (rc = db_exec(stmts[STMT_CONSENTS_CLEAR], DB_ARGS(A_INT(c->s)), NULL)) != DB_OK ||
	    (rc = db_exec(stmts[STMT_CONSENTS_RESTORE], DB_ARGS(A_INT(c->s),
	    A_STR(json_object_to_json_string_ext(path_get(snap, "survivor", "consents"), JSON_C_TO_STRING_PLAIN))), NULL)) != DB_OK)
		goto out;
	rc = contact_restore(c->r, c->m);
	if (rc != DB_OK && rc != 404)	/* 404: restored by hand meanwhile */
		goto out;
	if ((rc = db_exec(stmts[STMT_MERGE_DONE], DB_ARGS(c->r->who.user_id ? A_INT(c->r->who.user_id) : A_NULL,
	    A_INT(c->id)), &ins)) != DB_OK)
		goto out;
	db_res_free(&ins);
	if ((rc = add_note(c->r, c->s, "unmerged", c->m)) != DB_OK || (rc = add_note(c->r, c->m, "unmerged", c->s)) != DB_OK)
		goto out;
	if ((rc = contact_status_refresh(c->s)) != DB_OK)
		goto out;
	rc = contact_status_refresh(c->m);
out:
	if (rc == DB_OK && res->status)
		rc = DB_ERR;
	contact_in_free(&in);
	if (snap)
		json_object_put(snap);
	db_res_free(&mrow);
	db_res_free(&cur);
	return rc;
}

int contact_merge_undo(struct req *r, long long merge_id, struct merge_result *res)
{
	struct undo_ctx c = { r, merge_id, res, 0, 0 };
	int rc;

	memset(res, 0, sizeof *res);
	rc = db_txn(undo_txn, &c);
	res->merge_id = merge_id;
	if (res->status)
		return DB_OK;
	if (rc == DB_OK)
		res->other_id = c.m;
	return rc;
}
