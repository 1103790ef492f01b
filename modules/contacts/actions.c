/* actions.c — actions on one contact: anonymize (GDPR), generate a staff login, comments and the activity feed. */
#include "contacts.h"

#include <stdio.h>
#include <string.h>

#include "contact.h"
#include "db.h"
#include "render.h"

enum stmt { STMT_COMMENT_ADD, STMT_ACTIVITY, STMT__MAX };

/* Connection history keeps ids only (names must not outlive an anonymization): the feed
 * shows the customer's or lead's current name next to the id. */
#define TARGET_NAME(col) \
	"CASE WHEN " col " IS NULL OR field IS NULL OR field NOT IN ('customer', 'lead') THEN " col \
	" ELSE CONCAT(COALESCE(IF(field = 'customer', " \
	"(SELECT name FROM customers WHERE id = CAST(" col " AS UNSIGNED)), " \
	"(SELECT NULLIF(TRIM(CONCAT(first_name, ' ', last_name, ' ', company)), '') FROM leads " \
	" WHERE id = CAST(" col " AS UNSIGNED))), ''), ' #', " col ") END"

static const char *const stmts[STMT__MAX] = {
	[STMT_COMMENT_ADD] = "INSERT INTO comments (contact_id, user_id, actor, body) VALUES (?, ?, ?, ?)",
	/* History and comments in one timeline, newest first. */
	[STMT_ACTIVITY] =
	    "SELECT at, actor, action, field, " TARGET_NAME("old_value") ", " TARGET_NAME("new_value") ", NULL "
	    "FROM history WHERE entity = 'contact' AND entity_id = ? "
	    "UNION ALL SELECT created_at, actor, 'comment', NULL, NULL, NULL, body FROM comments WHERE contact_id = ? "
	    "ORDER BY 1 DESC LIMIT ?",
};

static const struct field comment_fields[] = {
	{ "body", V_LONGTEXT, F_REQUIRED, 0, 10000, NULL },
};
static const struct field login_fields[] = {
	{ "email", V_EMAIL, F_REQUIRED, 0, 0, NULL },
};

int contact_activity(long long id, int limit, struct db_res *out)
{
	return db_exec(stmts[STMT_ACTIVITY], DB_ARGS(A_INT(id), A_INT(id), A_INT(limit)), out);
}

/* Loads the contact for an action page: 404 when absent, in the bin or anonymized. */
static int load_live(struct req *r, struct db_res *row)
{
	int rc = contact_load(r->ids[0], 0, row);
	if (rc != DB_OK)
		return rc;
	if (row->nrows == 0 || db_val(row, 0, CM_ANONYMIZED_AT)) {
		db_res_free(row);
		return 404;
	}
	return DB_OK;
}

int contact_anonymize_page(struct req *r)
{
	struct db_res row;
	int rc = load_live(r, &row);
	if (rc != DB_OK)
		return rc;
	contact_page_name(r, &row);
	db_res_free(&row);
	page_set(r, "Page.Title", lang_str(r, "Contact.AnonymizeTitle"));
	return page_render(r, 200, "contacts/anonymize.cs");
}

int contact_anonymize_post(struct req *r)
{
	char loc[64];
	int rc = contact_anonymize(r, r->ids[0]);
	if (rc != DB_OK)
		return rc;
	log_msg(LOG_INFO, "contact %lld anonymized by %s", r->ids[0], r->who.login);
	snprintf(loc, sizeof loc, "/contacts/%lld", r->ids[0]);
	resp_redirect(r, loc);
	return 0;
}

static int login_page(struct req *r, int status, const struct db_res *row, const char *email, const struct ferr *e, int ne)
{
	contact_page_name(r, row);
	page_set(r, "Login.Email", email);
	if (ne)
		page_set_errors(r, e, ne);
	page_set(r, "Page.Title", lang_str(r, "Contact.LoginTitle"));
	return page_render(r, status, "contacts/login.cs");
}

int contact_login_page(struct req *r)
{
	struct db_res row;
	int rc = load_live(r, &row);
	if (rc != DB_OK)
		return rc;
	if (db_val(&row, 0, CF_USER_ID)) {
		db_res_free(&row);
		return 409;
	}
	rc = login_page(r, 200, &row, db_val(&row, 0, CF_EMAIL), NULL, 0);
	db_res_free(&row);
	return rc;
}

/* Shared by the form and the API: validates, refuses a second login, creates it. */
static int generate_login(struct req *r, struct db_res *row, struct fval *v, struct ferr *errs, int *nerr, long long *uid)
{
	int rc;
	*nerr = validate_fields(r, login_fields, 1, v, errs);
	if (*nerr)
		return DB_OK;
	if (db_val(row, 0, CF_USER_ID))
		return 409;
	rc = contact_generate_login(r, r->ids[0], v[0].s, uid);
	if (rc == 409) {
		errs[0].field = "email";
		errs[0].msg = "LoginTaken";
		*nerr = 1;
		return DB_OK;
	}
	return rc;
}

int contact_login_post(struct req *r)
{
	struct db_res row;
	struct fval v[1];
	struct ferr errs[MAX_FORM_ERRORS];
	long long uid = 0;
	int nerr, rc = load_live(r, &row);

	if (rc != DB_OK)
		return rc;
	rc = generate_login(r, &row, v, errs, &nerr, &uid);
	if (rc == DB_OK && nerr) {
		rc = login_page(r, 422, &row, req_param(r, "email"), errs, nerr);
	} else if (rc == DB_OK) {
		char loc[64];
		log_msg(LOG_INFO, "staff login %lld generated for contact %lld by %s", uid, r->ids[0], r->who.login);
		snprintf(loc, sizeof loc, "/contacts/%lld", r->ids[0]);
		resp_redirect(r, loc);
	}
	db_res_free(&row);
	return rc;
}

static int add_comment(struct req *r, struct ferr *errs, int *nerr)
{
	struct fval v[1];
	struct db_res row;
	int rc = load_live(r, &row);
	if (rc != DB_OK)
		return rc;
	db_res_free(&row);
	*nerr = validate_fields(r, comment_fields, 1, v, errs);
	if (*nerr)
		return DB_OK;
	return db_exec(stmts[STMT_COMMENT_ADD], DB_ARGS(A_INT(r->ids[0]), A_INT(r->who.user_id),
	    A_STR(r->who.login), A_STR(v[0].s)), NULL);
}

int contact_comment_post(struct req *r)
{
	struct ferr errs[MAX_FORM_ERRORS];
	char loc[80];
	int nerr = 0, rc = add_comment(r, errs, &nerr);
	if (rc != DB_OK)
		return rc;
	snprintf(loc, sizeof loc, "/contacts/%lld%s#activity", r->ids[0], nerr ? "?comment=empty" : "");
	resp_redirect(r, loc);
	return 0;
}

int contacts_api_activity(struct req *r)
{
	struct db_res row, res;
	json_object *root, *items;
	int rc = contact_load(r->ids[0], 0, &row);

	if (rc != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return 404;
	}
	db_res_free(&row);
	if ((rc = contact_activity(r->ids[0], 500, &res)) != DB_OK)
		return rc;
	root = json_object_new_object();
	items = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++) {
		json_object *it = json_object_new_object();
		const char *action = db_val(&res, i, 2);
		int is_comment = str_eq(action, "comment");
		json_object_object_add(it, "type", json_object_new_string(is_comment ? "comment" : "history"));
		json_object_object_add(it, "at", json_object_new_string(db_val(&res, i, 0)));
		json_object_object_add(it, "actor", json_object_new_string(db_val(&res, i, 1) ? db_val(&res, i, 1) : ""));
		if (is_comment) {
			json_object_object_add(it, "body", json_object_new_string(db_val(&res, i, 6) ? db_val(&res, i, 6) : ""));
		} else {
			json_object_object_add(it, "action", json_object_new_string(action));
			for (int c = 3; c <= 5; c++) {
				static const char *const names[] = { "field", "old", "new" };
				const char *v = db_val(&res, i, (size_t)c);
				json_object_object_add(it, names[c - 3], v ? json_object_new_string(v) : NULL);
			}
		}
		json_object_array_add(items, it);
	}
	db_res_free(&res);
	json_object_object_add(root, "items", items);
	resp_json(r, 200, root);
	return 0;
}

int contacts_api_comment(struct req *r)
{
	struct ferr errs[MAX_FORM_ERRORS];
	int nerr = 0, rc;

	if (!r->json)
		return 415;
	if ((rc = add_comment(r, errs, &nerr)) != DB_OK)
		return rc;
	if (nerr)
		return resp_json_invalid(r, errs, nerr), 0;
	return contacts_api_activity(r) == 0 ? (r->resp.status = 201, 0) : 500;
}

int contacts_api_anonymize(struct req *r)
{
	int rc = contact_anonymize(r, r->ids[0]);
	if (rc != DB_OK)
		return rc;
	return contacts_api_get(r);
}

int contacts_api_login(struct req *r)
{
	struct db_res row;
	struct fval v[1];
	struct ferr errs[MAX_FORM_ERRORS];
	long long uid = 0;
	int nerr, rc;

	if (!r->json)
		return 415;
	if ((rc = load_live(r, &row)) != DB_OK)
		return rc;
	rc = generate_login(r, &row, v, errs, &nerr, &uid);
	db_res_free(&row);
	if (rc == 409) {
		resp_json_error(r, 409, "conflict", lang_str(r, "Valid.AlreadyUser"), NULL);
		return 0;
	}
	if (rc != DB_OK)
		return rc;
	if (nerr)
		return resp_json_invalid(r, errs, nerr), 0;
	rc = contacts_api_get(r);
	if (rc == 0)
		r->resp.status = 201;
	return rc;
}
