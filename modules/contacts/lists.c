/* lists.c — marketing lists: list and create them, add contacts one at a time or in bulk; bulk deactivate. */
#include "contacts.h"
#include "portalacct.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "db.h"
#include "csv.h"
#include "render.h"

enum stmt { STMT_LISTS, STMT_LIST_ADD, STMT_LIST_GET, STMT_MEMBERS, STMT_MEMBER_ADD, STMT_DEACTIVATE, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_LISTS] =
	    "SELECT l.id, l.name, l.description, (SELECT COUNT(*) FROM marketing_list_members m WHERE m.list_id = l.id), "
	    "l.created_at FROM marketing_lists l ORDER BY l.name LIMIT 1000",
	[STMT_LIST_ADD] = "INSERT INTO marketing_lists (name, description, created_by) VALUES (?, ?, ?)",
	[STMT_LIST_GET] = "SELECT id, name, description FROM marketing_lists WHERE id = ?",
	[STMT_MEMBERS] =
	    "SELECT c.id, c.first_name, c.last_name, c.email, c.do_not_email FROM marketing_list_members m "
	    "JOIN contacts c ON c.id = m.contact_id WHERE m.list_id = ? AND c.deleted_at IS NULL "
	    "ORDER BY c.last_name, c.first_name, c.id LIMIT 1000",
	/* Only live, not anonymized contacts; adding twice is harmless. */
	[STMT_MEMBER_ADD] =
	    "INSERT IGNORE INTO marketing_list_members (list_id, contact_id, added_by) "
	    "SELECT ?, id, ? FROM contacts WHERE id = ? AND deleted_at IS NULL AND anonymized_at IS NULL",
	[STMT_DEACTIVATE] =
	    "UPDATE contacts SET active = 0, version = version + 1, updated_at = NOW(), updated_by = ? "
	    "WHERE id = ? AND active = 1 AND deleted_at IS NULL",
};

static const struct field list_fields[] = {
	{ "name", V_TEXT, F_REQUIRED, 0, 200, NULL },
	{ "description", V_LONGTEXT, 0, 0, 2000, NULL },
};

#define MAX_BULK 500

static int lists_page(struct req *r, int status, const struct ferr *errs, int nerr)
{
	static const char *const cols[] = { "id", "name", "description", "members", "created_at" };
	struct db_res res;
	int rc = db_exec(stmts[STMT_LISTS], DB_NOARGS, &res);
	if (rc != DB_OK)
		return rc;
	page_set_rows(r, "Lists", &res, cols, 5);
	page_set_int(r, "ListCount", (long long)res.nrows);
	db_res_free(&res);
	page_set_int(r, "CanMarket", perm_allows(PERM_MARKETING, r->who.roles));
	if (nerr) {
		page_set_errors(r, errs, nerr);
		page_set(r, "Form.name", req_param(r, "name"));
	}
	page_set(r, "Page.Title", lang_str(r, "Lists.Title"));
	return page_render(r, status, "contacts/lists.cs");
}

int lists_index_page(struct req *r)
{
	return lists_page(r, 200, NULL, 0);
}

/* Creates a list; 0 with *nerr set on invalid input, DB_DUP folded into a field error. */
static int list_create(struct req *r, struct ferr *errs, int *nerr, long long *id)
{
	struct fval v[2];
	struct db_res res;
	int rc;

	*nerr = validate_fields(r, list_fields, 2, v, errs);
	if (*nerr)
		return DB_OK;
	rc = db_exec(stmts[STMT_LIST_ADD], DB_ARGS(A_STR(v[0].s), A_STR(v[1].present ? v[1].s : NULL),
	    A_INT(r->who.user_id)), &res);
	if (rc == DB_DUP) {
		errs[0].field = "name";
		errs[0].msg = "ListExists";
		*nerr = 1;
		return DB_OK;
	}
	if (rc != DB_OK)
		return rc;
	*id = (long long)res.insert_id;
	db_res_free(&res);
	return DB_OK;
}

int lists_create_post(struct req *r)
{
	struct ferr errs[MAX_FORM_ERRORS];
	long long id = 0;
	int nerr, rc = list_create(r, errs, &nerr, &id);
	char loc[64];

	if (rc != DB_OK)
		return rc;
	if (nerr)
		return lists_page(r, 422, errs, nerr);
	snprintf(loc, sizeof loc, "/contacts/lists/%lld", id);
	resp_redirect(r, loc);
	return 0;
}

int lists_show_page(struct req *r)
{
	static const char *const cols[] = { "id", "first_name", "last_name", "email", "do_not_email" };
	struct db_res res;
	int rc = db_exec(stmts[STMT_LIST_GET], DB_ARGS(A_INT(r->ids[0])), &res);
	if (rc != DB_OK)
		return rc;
	if (res.nrows == 0) {
		db_res_free(&res);
		return 404;
	}
	page_set(r, "List.name", db_val(&res, 0, 1));
	page_set(r, "List.description", db_val(&res, 0, 2));
	page_set(r, "Page.Title", db_val(&res, 0, 1));
	db_res_free(&res);
	if ((rc = db_exec(stmts[STMT_MEMBERS], DB_ARGS(A_INT(r->ids[0])), &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Members", &res, cols, 5);
	page_set_int(r, "MemberCount", (long long)res.nrows);
	db_res_free(&res);
	return page_render(r, 200, "contacts/list_members.cs");
}

struct add_ctx {
	struct req      *r;
	long long        list_id;
	const long long *ids;
	size_t           n;
	long long        added;
};

static int add_txn(void *p)
{
	struct add_ctx *c = p;
	c->added = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct db_res res;
		int rc = db_exec(stmts[STMT_MEMBER_ADD], DB_ARGS(A_INT(c->list_id), A_INT(c->r->who.user_id),
		    A_INT(c->ids[i])), &res);
		if (rc != DB_OK)
			return rc;
		c->added += (long long)res.affected;
		db_res_free(&res);
	}
	return DB_OK;
}

/* Collects every "ids" value (checkboxes) or a JSON "contact_ids" array; -1 on a bad id. */
static int collect_ids(struct req *r, long long *ids, size_t *n)
{
	*n = 0;
	if (r->json) {
		json_object *arr;
		if (!json_object_object_get_ex(r->json, "contact_ids", &arr) || !json_object_is_type(arr, json_type_array))
			return -1;
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *it = json_object_array_get_idx(arr, i);
			if (*n >= MAX_BULK || !json_object_is_type(it, json_type_int) || json_object_get_int64(it) < 1)
				return -1;
			ids[(*n)++] = json_object_get_int64(it);
		}
		return *n ? 0 : -1;
	}
	for (size_t i = 0; i < r->params.n; i++) {
		if (strcmp(r->params.v[i].name, "ids") != 0)
			continue;
		if (*n >= MAX_BULK || parse_ll(r->params.v[i].value, 1, 1LL << 53, &ids[*n]) < 0)
			return -1;
		(*n)++;
	}
	return *n ? 0 : -1;
}

static int list_exists(long long id, int *found)
{
	struct db_res res;
	int rc = db_exec(stmts[STMT_LIST_GET], DB_ARGS(A_INT(id)), &res);
	if (rc == DB_OK) {
		*found = res.nrows > 0;
		db_res_free(&res);
	}
	return rc;
}

/* The selected contacts as CSV with the canonical headers (SPEC §1). */
static int export_csv(struct req *r, const long long *ids, size_t n)
{
	struct buf *b = &r->resp.body;

	buf_reset(b);
	buf_puts(b, "id");
	for (int f = 0; f < CF__MAX; f++)
		buf_printf(b, ",%s", contact_fields[f].name);
	buf_puts(b, ",status,created_at,updated_at\r\n");
	for (size_t i = 0; i < n; i++) {
		struct db_res row;
		int rc = contact_load(ids[i], 0, &row);
		if (rc != DB_OK)
			return rc;
		if (row.nrows == 1 && !db_val(&row, 0, CM_ANONYMIZED_AT)) {
			buf_puts(b, db_val(&row, 0, CM_ID));
			for (int f = 0; f < CF__MAX; f++) {
				buf_puts(b, ",");
				csv_cell(b, db_val(&row, 0, (size_t)f));
			}
			buf_puts(b, ",");
			csv_cell(b, db_val(&row, 0, CM_STATUS));
			buf_puts(b, ",");
			csv_cell(b, db_val(&row, 0, CM_CREATED_AT));
			buf_puts(b, ",");
			csv_cell(b, db_val(&row, 0, CM_UPDATED_AT));
			buf_puts(b, "\r\n");
		}
		db_res_free(&row);
	}
	r->resp.status = 200;
	r->resp.ctype = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition: attachment; filename=\"contacts.csv\"");
	log_msg(LOG_INFO, "%lu contacts exported by %s", (unsigned long)n, r->who.login);
	return 0;
}

/* POST /contacts/bulk: action=add_to_list (list_id) or action=deactivate, ids=… */
int contacts_bulk_post(struct req *r)
{
	static long long ids[MAX_BULK];
	const char *action = req_param(r, "action");
	size_t n;
	int rc;

	if (collect_ids(r, ids, &n) < 0)
		return 422;
	if (str_eq(action, "add_to_list")) {
		long long list_id;
		int found = 0;
		char loc[64];
		struct add_ctx c = { r, 0, ids, n, 0 };
		if (!perm_allows(PERM_MARKETING, r->who.roles))
			return 403;
		if (parse_ll(req_param(r, "list_id"), 1, 1LL << 53, &list_id) < 0)
			return 422;
		if ((rc = list_exists(list_id, &found)) != DB_OK)
			return rc;
		if (!found)
			return 404;
		c.list_id = list_id;
		if ((rc = db_txn(add_txn, &c)) != DB_OK)
			return rc;
		snprintf(loc, sizeof loc, "/contacts/lists/%lld", list_id);
		resp_redirect(r, loc);
		return 0;
	}
	if (str_eq(action, "export")) {
		if (!perm_allows(PERM_EXPORT, r->who.roles))
			return 403;
		return export_csv(r, ids, n);
	}
	if (str_eq(action, "deactivate")) {
		if ((rc = db_begin()) != DB_OK)
			return rc;
		for (size_t i = 0; i < n && rc == DB_OK; i++) {
			struct db_res res;
			rc = db_exec(stmts[STMT_DEACTIVATE], DB_ARGS(A_INT(r->who.user_id), A_INT(ids[i])), &res);
			if (rc == DB_OK && res.affected)
				rc = history_add(r, "contact", ids[i], "update", "active", "1", "0");
			if (rc == DB_OK && res.affected)
				rc = portal_end_sessions(ids[i]);	/* deactivated: no portal access */
			db_res_free(&res);
		}
		if (rc == DB_OK)
			rc = db_commit();
		else
			db_rollback();
		if (rc != DB_OK)
			return rc;
		resp_redirect(r, "/contacts");
		return 0;
	}
	return 422;
}

int lists_api_index(struct req *r)
{
	struct db_res res;
	json_object *root, *items;
	int rc = db_exec(stmts[STMT_LISTS], DB_NOARGS, &res);
	if (rc != DB_OK)
		return rc;
	root = json_object_new_object();
	items = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++) {
		json_object *it = json_object_new_object();
		json_object_object_add(it, "id", json_object_new_int64(db_ll(&res, i, 0)));
		json_object_object_add(it, "name", json_object_new_string(db_val(&res, i, 1)));
		json_object_object_add(it, "description", db_val(&res, i, 2) ? json_object_new_string(db_val(&res, i, 2)) : NULL);
		json_object_object_add(it, "members", json_object_new_int64(db_ll(&res, i, 3)));
		json_object_array_add(items, it);
	}
	db_res_free(&res);
	json_object_object_add(root, "items", items);
	resp_json(r, 200, root);
	return 0;
}

int lists_api_create(struct req *r)
{
	struct ferr errs[MAX_FORM_ERRORS];
	long long id = 0;
	int nerr, rc;
	json_object *o;

	if (!r->json)
		return 415;
	if ((rc = list_create(r, errs, &nerr, &id)) != DB_OK)
		return rc;
	if (nerr) {
		resp_json_invalid(r, errs, nerr);
		return 0;
	}
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", json_object_new_string(req_param(r, "name")));
	resp_json(r, 201, o);
	return 0;
}

int lists_api_members(struct req *r)
{
	static long long ids[MAX_BULK];
	struct add_ctx c = { r, r->ids[0], ids, 0, 0 };
	int found = 0, rc;
	json_object *o;

	if (!r->json)
		return 415;
	if ((rc = list_exists(r->ids[0], &found)) != DB_OK)
		return rc;
	if (!found)
		return 404;
	if (collect_ids(r, ids, &c.n) < 0) {
		json_object *fields = json_object_new_object();
		json_object_object_add(fields, "contact_ids", json_object_new_string(lang_str(r, "Valid.Ids")));
		resp_json_error(r, 422, "invalid", lang_str(r, "Error.invalid"), fields);
		return 0;
	}
	if ((rc = db_txn(add_txn, &c)) != DB_OK)
		return rc;
	o = json_object_new_object();
	json_object_object_add(o, "added", json_object_new_int64(c.added));
	resp_json(r, 200, o);
	return 0;
}
