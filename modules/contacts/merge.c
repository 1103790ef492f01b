/* merge.c — the merge of two contacts in the staff UI and the API (crm_admin, crm_manager): the side-by-side page
 * with a choice per field, the merge itself, the undo confirmation and the undo (modules/core/merge.c does the
 * work in one transaction each). */
#include "contacts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "custom.h"
#include "db.h"
#include "merge.h"
#include "render.h"

enum stmt { STMT_MERGES_OF, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_MERGES_OF] =
	    "SELECT id, merged_id, merged_at, actor, undone_at FROM contact_merges WHERE survivor_id = ? "
	    "ORDER BY id DESC LIMIT 20",
};

/* The merge of a contact page (Merges.*): the merges into it, newest first, with their undo link. */
int contact_merges_view(struct req *r, long long id)
{
	static const char *const cols[] = { "id", "merged_id", "at", "actor", "undone_at" };
	struct db_res res;
	int rc = db_exec(stmts[STMT_MERGES_OF], DB_ARGS(A_INT(id)), &res);
	if (rc != DB_OK)
		return rc;
	page_set_rows(r, "Merges", &res, cols, 5);
	db_res_free(&res);
	return DB_OK;
}

static const char *pick_name(unsigned char p)
{
	return p == PICK_OTHER ? "other" : "survivor";
}

/* The refusal of a merge or an undo as an error page or JSON error; 0 (answered). */
static int refuse(struct req *r, const struct merge_result *res)
{
	if (res->status == 422 && res->err.n) {
		if (r->is_api) {
			resp_json_invalid(r, res->err.e, res->err.n);
			return 0;
		}
	}
	resp_error(r, res->status, res->code ? res->code : "invalid");
	return 0;
}

struct merge_pair {
	struct db_res      s, o;
	struct custom_defs defs;
	char             **sv, **ov;
	unsigned char      pick[CF__MAX];
	unsigned char     *cpick;
	int                loaded_defs;
};

static void pair_free(struct merge_pair *p)
{
	db_res_free(&p->s);
	db_res_free(&p->o);
	if (p->loaded_defs) {
		custom_vals_free(p->sv, p->defs.n);
		custom_vals_free(p->ov, p->defs.n);
		custom_defs_free(&p->defs);
	}
	free(p->sv);
	free(p->ov);
	free(p->cpick);
	memset(p, 0, sizeof *p);
}

/* Loads both contacts (live ones only), the additional fields and the default choices. Returns a db_rc, or
 * 404 (survivor absent), or a refusal in res (other absent, the same, in the bin). */
static int pair_load(long long sid, long long oid, struct merge_pair *p, struct merge_result *res)
{
	int rc;

	memset(p, 0, sizeof *p);
	memset(res, 0, sizeof *res);
	if ((rc = contact_load(sid, 0, &p->s)) != DB_OK)
		return rc;
	if (p->s.nrows == 0 || db_val(&p->s, 0, CM_ANONYMIZED_AT))
		return 404;
	if (sid == oid) {
		res->status = 422;
		res->code = "merge_self";
		return DB_OK;
	}
	if ((rc = contact_load(oid, 1, &p->o)) != DB_OK)
		return rc;
	if (p->o.nrows == 0) {
		res->status = 404;
		res->code = "merge_other_missing";
		return DB_OK;
	}
	if (db_val(&p->o, 0, CM_DELETED_AT) || db_val(&p->o, 0, CM_ANONYMIZED_AT)) {
		res->status = 409;
		res->code = "merge_deleted";
		return DB_OK;
	}
	if ((rc = custom_defs_load(&p->defs, 0)) != DB_OK)
		return rc;
	p->loaded_defs = 1;
	{
		size_t n = p->defs.n ? p->defs.n : 1;
		p->sv = calloc(n, sizeof *p->sv);
		p->ov = calloc(n, sizeof *p->ov);
		p->cpick = calloc(n, 1);
		if (!p->sv || !p->ov || !p->cpick)
			return DB_ERR;
	}
	if ((rc = custom_load(sid, &p->defs, p->sv)) != DB_OK || (rc = custom_load(oid, &p->defs, p->ov)) != DB_OK)
		return rc;
	merge_default_picks(&p->s, &p->o, p->pick);
	merge_default_custom_picks(&p->defs, p->sv, p->ov, p->cpick);
	return DB_OK;
}

/* A choice from the form or the JSON body: "survivor" or "other"; -1 for anything else. */
static int parse_pick(const char *v)
{
	if (str_eq(v, "survivor"))
		return PICK_SURVIVOR;
	if (str_eq(v, "other"))
		return PICK_OTHER;
	return -1;
}

/* prefix.N.leaf = value */
static void set_fmt(struct req *r, const char *value, const char *prefix, int n, const char *leaf)
{
	char key[128];
	snprintf(key, sizeof key, "%s.%d.%s", prefix, n, leaf);
	page_set(r, key, value);
}

static const char *flag_text(struct req *r, const char *v)
{
	return lang_str(r, str_eq(v, "1") ? "Yes" : "No");
}

/* The side-by-side page (status 200, or 422 with the errors of a refused POST). */
static int merge_render(struct req *r, int status, const struct merge_pair *p, const struct merge_result *res)
{
	long long sid = db_ll(&p->s, 0, CM_ID), oid = db_ll(&p->o, 0, CM_ID);
	int row = 0;

	page_set(r, "Page.Title", lang_str(r, "Merge.Title"));
	page_set_int(r, "Merge.survivor_id", sid);
	page_set_int(r, "Merge.other_id", oid);
	page_set(r, "Merge.survivor_name", db_val(&p->s, 0, CF_LAST_NAME));
	page_set(r, "Merge.survivor_first", db_val(&p->s, 0, CF_FIRST_NAME));
	page_set(r, "Merge.other_name", db_val(&p->o, 0, CF_LAST_NAME));
	page_set(r, "Merge.other_first", db_val(&p->o, 0, CF_FIRST_NAME));
	for (int i = 0; i < CF__MAX; i++) {
		const char *sv = db_val(&p->s, 0, (size_t)i), *ov = db_val(&p->o, 0, (size_t)i);
		if (i == CF_USER_ID)
			continue;	/* follows is_user */
		set_fmt(r, contact_fields[i].name, "Merge.Fields", row, "name");
		set_fmt(r, contact_section[i], "Merge.Fields", row, "section");
		set_fmt(r, contact_field_is_flag(i) ? flag_text(r, sv) : sv ? sv : "", "Merge.Fields", row, "s");
		set_fmt(r, contact_field_is_flag(i) ? flag_text(r, ov) : ov ? ov : "", "Merge.Fields", row, "o");
		set_fmt(r, pick_name(p->pick[i]), "Merge.Fields", row, "pick");
		set_fmt(r, str_eq(sv ? sv : "", ov ? ov : "") ? "1" : "0", "Merge.Fields", row, "same");
		row++;
	}
	row = 0;
	for (size_t k = 0; k < p->defs.n; k++) {
		const struct custom_def *f = &p->defs.v[k];
		if (!(f->ctx & CTX_BACKOFFICE))
			continue;
		set_fmt(r, f->key, "Merge.Custom", row, "key");
		set_fmt(r, custom_label(f, r->lang), "Merge.Custom", row, "label");
		set_fmt(r, p->sv[k] ? p->sv[k] : "", "Merge.Custom", row, "s");
		set_fmt(r, p->ov[k] ? p->ov[k] : "", "Merge.Custom", row, "o");
		set_fmt(r, pick_name(p->cpick[k]), "Merge.Custom", row, "pick");
		set_fmt(r, str_eq(p->sv[k] ? p->sv[k] : "", p->ov[k] ? p->ov[k] : "") ? "1" : "0", "Merge.Custom", row, "same");
		row++;
	}
	if (res && res->err.n) {
		char key[160];
		for (int e = 0; e < res->err.n && e < MAX_FORM_ERRORS; e++) {
			const char *fname = res->err.e[e].field;
			const struct custom_def *f = NULL;
			snprintf(key, sizeof key, "Field.%s", fname);
			if (!strncmp(fname, "custom_", 7) || !strncmp(fname, "custom.", 7))
				f = custom_def_find(&p->defs, fname + 7);
			set_fmt(r, f ? custom_label(f, r->lang) : lang_str(r, key), "Merge.Errors", e, "field");
			snprintf(key, sizeof key, "Valid.%s", res->err.e[e].msg);
			set_fmt(r, lang_str(r, key), "Merge.Errors", e, "msg");
		}
	}
	return page_render(r, status, "contacts/merge.cs");
}

/* GET /contacts/ID/merge[?other=N]: without `other` a small form asks for the other contact's id. */
int contact_merge_page(struct req *r)
{
	struct merge_pair p;
	struct merge_result res;
	const char *o = req_param(r, "other");
	long long oid;
	int rc;

	if (!o || !*o || parse_ll(o, 1, 9223372036854775807LL, &oid) != 0) {
		struct db_res row;
		if ((rc = contact_load(r->ids[0], 0, &row)) != DB_OK)
			return rc;
		if (row.nrows == 0) {
			db_res_free(&row);
			return 404;
		}
		contact_page_name(r, &row);
		db_res_free(&row);
		if (o && *o)
			page_set(r, "Form.Errors.other", lang_str(r, "Valid.Id"));
		page_set(r, "Page.Title", lang_str(r, "Merge.Title"));
		return page_render(r, o && *o ? 422 : 200, "contacts/merge_pick.cs");
	}
	rc = pair_load(r->ids[0], oid, &p, &res);
	if (rc == DB_OK && res.status)
		rc = refuse(r, &res);
	else if (rc == DB_OK)
		rc = merge_render(r, 200, &p, NULL);
	pair_free(&p);
	return rc;
}

/* POST /contacts/ID/merge: other, pick_FIELD and pick_custom_KEY ("survivor" | "other"). */
int contact_merge_post(struct req *r)
{
	struct merge_pair p;
	struct merge_result res;
	long long oid;
	char key[96];
	int rc;

	if (parse_ll(req_param(r, "other"), 1, 9223372036854775807LL, &oid) != 0) {
		resp_error(r, 422, "merge_other_missing");
		return 0;
	}
	if ((rc = pair_load(r->ids[0], oid, &p, &res)) != DB_OK || res.status) {
		if (rc == DB_OK)
			rc = refuse(r, &res);
		pair_free(&p);
		return rc;
	}
	for (int i = 0; i < CF__MAX; i++) {
		int v;
		snprintf(key, sizeof key, "pick_%s", contact_fields[i].name);
		if ((v = parse_pick(req_param(r, key))) >= 0)
			p.pick[i] = (unsigned char)v;
	}
	p.pick[CF_USER_ID] = p.pick[CF_IS_USER];
	for (size_t k = 0; k < p.defs.n; k++) {
		int v;
		snprintf(key, sizeof key, "pick_custom_%s", p.defs.v[k].key);
		if ((v = parse_pick(req_param(r, key))) >= 0)
			p.cpick[k] = (unsigned char)v;
	}
	rc = contact_merge(r, r->ids[0], oid, p.pick, &p.defs, p.cpick, 1, &res);
	if (rc == DB_OK && res.status == 422 && res.err.n) {
		rc = merge_render(r, 422, &p, &res);
	} else if (rc == DB_OK && res.status) {
		rc = refuse(r, &res);
	} else if (rc == DB_OK) {
		log_msg(LOG_INFO, "contact %lld merged into %lld by %s (merge %lld)", oid, r->ids[0], r->who.login, res.merge_id);
		snprintf(key, sizeof key, "/contacts/%lld?merged=%lld", r->ids[0], res.merge_id);
		resp_redirect(r, key);
	}
	pair_free(&p);
	return rc;
}

/* GET /contacts/merges/ID: what the merge did and the undo button. */
int contact_merge_undo_page(struct req *r)
{
	static const char *const cols[] = { "id", "survivor_id", "merged_id", "actor", "at", "undone_at" };
	struct db_res res;
	int rc = merge_load(r->ids[0], &res);
	if (rc != DB_OK)
		return rc;
	if (res.nrows == 0) {
		db_res_free(&res);
		return 404;
	}
	for (size_t c = 0; c < MG__N; c++) {
		char key[64];
		snprintf(key, sizeof key, "MergeRec.%s", cols[c]);
		page_set(r, key, db_val(&res, 0, c));
	}
	db_res_free(&res);
	page_set(r, "Page.Title", lang_str(r, "Merge.UndoTitle"));
	return page_render(r, 200, "contacts/merge_undo.cs");
}

/* POST /contacts/merges/ID/undo */
int contact_merge_undo_post(struct req *r)
{
	struct merge_result res;
	char loc[64];
	int rc = contact_merge_undo(r, r->ids[0], &res);
	if (rc != DB_OK)
		return rc;
	if (res.status)
		return refuse(r, &res);
	log_msg(LOG_INFO, "merge %lld undone by %s", r->ids[0], r->who.login);
	snprintf(loc, sizeof loc, "/contacts/%lld?unmerged=%lld", res.other_id, r->ids[0]);
	resp_redirect(r, loc);
	return 0;
}

/* POST /api/v1/contacts/ID/merge {"other_id": N, "fields": {"email": "other", "custom.vip": "survivor", ...}} */
int contacts_api_merge(struct req *r)
{
	struct merge_pair p;
	struct merge_result res;
	json_object *jo, *fields = NULL;
	long long oid = 0;
	int rc;

	if (!r->json)
		return 415;
	if (!json_object_object_get_ex(r->json, "other_id", &jo) || !json_object_is_type(jo, json_type_int) ||
	    (oid = json_object_get_int64(jo)) < 1) {
		json_object *f = json_object_new_object();
		json_object_object_add(f, "other_id", json_object_new_string(lang_str(r, "Valid.Id")));
		resp_json_error(r, 422, "invalid", lang_str(r, "Error.invalid"), f);
		return 0;
	}
	if (json_object_object_get_ex(r->json, "fields", &fields) && fields && !json_object_is_type(fields, json_type_object)) {
		json_object *f = json_object_new_object();
		json_object_object_add(f, "fields", json_object_new_string(lang_str(r, "Merge.FieldsObject")));
		resp_json_error(r, 422, "invalid", lang_str(r, "Error.invalid"), f);
		return 0;
	}
	if ((rc = pair_load(r->ids[0], oid, &p, &res)) != DB_OK || res.status) {
		if (rc == DB_OK)
			rc = refuse(r, &res);
		pair_free(&p);
		return rc;
	}
	if (fields) {
		json_object *bad = json_object_new_object();
		json_object_object_foreach(fields, k, v) {
			int pick = parse_pick(json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL);
			int found = 0;
			for (int i = 0; i < CF__MAX && !found; i++)
				if (!strcmp(k, contact_fields[i].name)) {
					found = 1;
					if (pick >= 0)
						p.pick[i] = (unsigned char)pick;
				}
			for (size_t c = 0; c < p.defs.n && !found; c++)
				if (!strncmp(k, "custom.", 7) && !strcmp(k + 7, p.defs.v[c].key)) {
					found = 1;
					if (pick >= 0)
						p.cpick[c] = (unsigned char)pick;
				}
			if (!found || pick < 0)
				json_object_object_add(bad, k, json_object_new_string(lang_str(r,
				    found ? "Merge.PickValue" : "Merge.UnknownField")));
		}
		if (json_object_object_length(bad)) {
			resp_json_error(r, 422, "invalid", lang_str(r, "Error.invalid"), bad);
			pair_free(&p);
			return 0;
		}
		json_object_put(bad);
		p.pick[CF_USER_ID] = p.pick[CF_IS_USER];
	}
	rc = contact_merge(r, r->ids[0], oid, p.pick, &p.defs, p.cpick, 0, &res);
	if (rc == DB_OK && res.status) {
		rc = refuse(r, &res);
	} else if (rc == DB_OK) {
		struct db_res row;
		log_msg(LOG_INFO, "contact %lld merged into %lld by %s (merge %lld)", oid, r->ids[0], r->who.login, res.merge_id);
		if ((rc = contact_load(r->ids[0], 0, &row)) == DB_OK) {
			json_object *o = contact_json(&row);
			db_res_free(&row);
			if ((rc = contact_extras_json(o, r->ids[0])) != DB_OK) {
				json_object_put(o);
			} else {
				json_object_object_add(o, "merge_id", json_object_new_int64(res.merge_id));
				resp_json(r, 200, o);
			}
		}
	}
	pair_free(&p);	/* after the answer: error keys point into the definitions */
	return rc;
}

/* POST /api/v1/contacts/merges/ID/undo */
int contacts_api_merge_undo(struct req *r)
{
	struct merge_result res;
	json_object *o;
	int rc = contact_merge_undo(r, r->ids[0], &res);
	if (rc != DB_OK)
		return rc;
	if (res.status)
		return refuse(r, &res);
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r->ids[0]));
	json_object_object_add(o, "merged_id", json_object_new_int64(res.other_id));
	json_object_object_add(o, "undone", json_object_new_boolean(1));
	resp_json(r, 200, o);
	return 0;
}
