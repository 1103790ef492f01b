/* api.c — the settings rows of the JSON API (SPEC §7, crm_admin): staff users with their roles and
 * API tokens, and the email templates. The same writes as the HTML pages (users.c, templates.c). */
#include "settings.h"
#include "auth.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>
#include <sodium.h>

static json_object *str_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

/* One user of a user_load/user_list result as the API shows it. */
static json_object *user_json(const struct db_res *res, size_t i)
{
	json_object *o = json_object_new_object(), *roles = json_object_new_array();
	const char *list = db_val(res, i, UC_ROLES);

	json_object_object_add(o, "id", json_object_new_int64(db_ll(res, i, UC_ID)));
	json_object_object_add(o, "login", json_object_new_string(db_val(res, i, UF_LOGIN)));
	json_object_object_add(o, "display_name", json_object_new_string(db_val(res, i, UF_DISPLAY_NAME) ? db_val(res, i, UF_DISPLAY_NAME) : ""));
	json_object_object_add(o, "email", str_or_null(db_val(res, i, UF_EMAIL)));
	json_object_object_add(o, "language", json_object_new_string(db_val(res, i, UF_LANGUAGE)));
	json_object_object_add(o, "active", json_object_new_boolean(str_eq(db_val(res, i, UF_ACTIVE), "1")));
	while (list && *list) {
		size_t n = strcspn(list, ",");
		json_object_array_add(roles, json_object_new_string_len(list, (int)n));
		list += n;
		if (*list == ',')
			list++;
	}
	json_object_object_add(o, "roles", roles);
	json_object_object_add(o, "created_at", str_or_null(db_val(res, i, UC_CREATED_AT)));
	json_object_object_add(o, "last_seen", str_or_null(db_val(res, i, UC_LAST_SEEN)));
	return o;
}

/* The user with its tokens (never their secrets) as the answer, with status. */
static int answer_user(struct req *r, long long id, int status)
{
	struct db_res row, tokens;
	json_object *o, *a;
	int rc;

	if ((rc = user_load(id, &row)) != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return 404;
	}
	o = user_json(&row, 0);
	db_res_free(&row);
	if ((rc = user_tokens(id, &tokens)) != DB_OK) {
		json_object_put(o);
		return rc;
	}
	a = json_object_new_array();
	for (size_t i = 0; i < tokens.nrows; i++) {
		json_object *t = json_object_new_object();
		json_object_object_add(t, "id", json_object_new_int64(db_ll(&tokens, i, 0)));
		json_object_object_add(t, "label", json_object_new_string(db_val(&tokens, i, 1) ? db_val(&tokens, i, 1) : ""));
		json_object_object_add(t, "created_at", str_or_null(db_val(&tokens, i, 2)));
		json_object_object_add(t, "last_used_at", str_or_null(db_val(&tokens, i, 3)));
		json_object_object_add(t, "revoked_at", str_or_null(db_val(&tokens, i, 4)));
		json_object_array_add(a, t);
	}
	db_res_free(&tokens);
	json_object_object_add(o, "tokens", a);
	resp_json(r, status, o);
	return 0;
}

int api_users_list(struct req *r)
{
	struct db_res res;
	json_object *root, *items;
	int rc;

	if ((rc = user_list(&res)) != DB_OK)
		return rc;
	root = json_object_new_object();
	items = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++)
		json_object_array_add(items, user_json(&res, i));
	json_object_object_add(root, "items", items);
	json_object_object_add(root, "total", json_object_new_int64((int64_t)res.nrows));
	db_res_free(&res);
	resp_json(r, 200, root);
	return 0;
}

/* The "password" key of the body: absent (NULL, *bad 0), valid (hashed into hash), or invalid. */
static int body_password(struct req *r, char hash[128], struct ferr *errs, int *nerr, int *given)
{
	json_object *o;
	const char *pw, *msg;

	*given = 0;
	if (!r->json || !json_object_object_get_ex(r->json, "password", &o))
		return 0;
	*given = 1;
	pw = json_object_is_type(o, json_type_string) ? json_object_get_string(o) : "";
	if ((msg = user_password_problem(pw)) != NULL) {
		*nerr = sett_err(errs, *nerr, "password", msg);
		return 0;
	}
	return password_hash(pw, hash) < 0 ? 500 : 0;
}

int api_user_create(struct req *r)
{
	struct user_in in;
	struct ferr errs[MAX_FORM_ERRORS];
	char hash[128] = "";
	long long id = 0;
	int nerr, given, rc;

	nerr = user_in_from_request(r, &in, NULL, 0, errs);
	if ((rc = body_password(r, hash, errs, &nerr, &given)) != 0) {
		user_in_free(&in);
		return rc;
	}
	if (nerr) {
		sett_json_invalid(r, errs, nerr);
		user_in_free(&in);
		return 0;
	}
	/* Without "password" the account has none (API-only, or reset later in settings). */
	rc = user_create(r, &in, given ? hash : NULL, &id, errs, &nerr);
	sodium_memzero(hash, sizeof hash);
	user_in_free(&in);
	if (rc == 422) {
		sett_json_invalid(r, errs, nerr);
		return 0;
	}
	if (rc != DB_OK)
		return rc;
	log_msg(LOG_INFO, "user %lld created by %s (API)", id, r->who.login);
	return answer_user(r, id, 201);
}

int api_user_get(struct req *r)
{
	return answer_user(r, r->ids[0], 200);
}

int api_user_patch(struct req *r)
{
	struct db_res base;
	struct user_in in;
	struct ferr errs[MAX_FORM_ERRORS];
	char hash[128] = "";
	int nerr, given, rc;

	if ((rc = user_load(r->ids[0], &base)) != DB_OK)
		return rc;
	if (base.nrows == 0) {
		db_res_free(&base);
		return 404;
	}
	nerr = user_in_from_request(r, &in, &base, 1, errs);
	db_res_free(&base);
	if ((rc = body_password(r, hash, errs, &nerr, &given)) != 0) {
		user_in_free(&in);
		return rc;
	}
	if (nerr) {
		sett_json_invalid(r, errs, nerr);
		user_in_free(&in);
		return 0;
	}
	rc = user_update(r, r->ids[0], &in, errs, &nerr);
	user_in_free(&in);
	if (rc == DB_OK && given)
		rc = user_set_password(r, r->ids[0], hash, 0);
	sodium_memzero(hash, sizeof hash);
	if (rc == 422) {
		sett_json_invalid(r, errs, nerr);
		return 0;
	}
	if (rc != DB_OK)
		return rc;
	return answer_user(r, r->ids[0], 200);
}

static const struct field label_field = { "label", V_TEXT, 0, 0, 100, NULL };

int api_token_create(struct req *r)
{
	const char *label = req_param(r, "label"), *msg;
	struct fval fv;
	struct ferr errs[1];
	char token[80];
	long long tid = 0;
	json_object *o;
	int rc;

	if ((msg = validate_one(&label_field, label ? label : "", &fv)) != NULL) {
		errs[0].field = "label";
		errs[0].msg = msg;
		sett_json_invalid(r, errs, 1);
		return 0;
	}
	rc = user_token_create(r, r->ids[0], fv.present ? label : "api", token, &tid);
	if (rc != DB_OK)
		return rc;
	log_msg(LOG_INFO, "API token %lld of user %lld created by %s (API)", tid, r->ids[0], r->who.login);
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(tid));
	json_object_object_add(o, "user_id", json_object_new_int64(r->ids[0]));
	json_object_object_add(o, "label", json_object_new_string(fv.present ? label : "api"));
	/* Shown this once; only its SHA-256 is stored. */
	json_object_object_add(o, "token", json_object_new_string(token));
	sodium_memzero(token, sizeof token);
	resp_json(r, 201, o);
	return 0;
}

int api_token_delete(struct req *r)
{
	int rc = user_token_revoke(r, r->ids[0], r->ids[1]);
	if (rc != DB_OK)
		return rc;
	log_msg(LOG_INFO, "API token %lld of user %lld revoked by %s (API)", r->ids[1], r->ids[0], r->who.login);
	r->resp.status = 204;
	r->resp.ctype = "application/json";
	buf_reset(&r->resp.body);
	return 0;
}

/* ------------------------------------------------------------------ email templates */

static json_object *template_json(const struct db_res *row, size_t i)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(db_ll(row, i, TC_ID)));
	json_object_object_add(o, "code", json_object_new_string(db_val(row, i, TC_CODE)));
	json_object_object_add(o, "language", json_object_new_string(db_val(row, i, TC_LANG)));
	json_object_object_add(o, "subject", json_object_new_string(db_val(row, i, TC_SUBJECT)));
	json_object_object_add(o, "body", json_object_new_string(db_val(row, i, TC_BODY)));
	json_object_object_add(o, "placeholders", tmpl_placeholders_json(db_val(row, i, TC_CODE)));
	json_object_object_add(o, "updated_at", str_or_null(db_val(row, i, TC_UPDATED_AT)));
	json_object_object_add(o, "updated_by", str_or_null(db_val(row, i, TC_UPDATED_BY)));
	return o;
}

int api_templates_list(struct req *r)
{
	json_object *root, *items;
	struct db_res res;
	int rc = tmpl_list(&res);

	if (rc != DB_OK)
		return rc;
	root = json_object_new_object();
	items = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++)
		json_object_array_add(items, template_json(&res, i));
	db_res_free(&res);
	json_object_object_add(root, "items", items);
	resp_json(r, 200, root);
	return 0;
}

int api_template_get(struct req *r)
{
	struct db_res row;
	int rc = tmpl_load(r->ids[0], &row);
	if (rc != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return 404;
	}
	resp_json(r, 200, template_json(&row, 0));
	db_res_free(&row);
	return 0;
}

/* A text key of the body: absent keeps the stored text; null or a non-string counts as empty. */
static const char *text_key(struct req *r, const char *name, const char *stored)
{
	json_object *o;
	if (!r->json || !json_object_object_get_ex(r->json, name, &o))
		return stored;
	return json_object_is_type(o, json_type_string) ? json_object_get_string(o) : "";
}

int api_template_patch(struct req *r)
{
	struct db_res row;
	struct tmpl_err errs[2];
	const char *subject, *body;
	int nerr, rc = tmpl_load(r->ids[0], &row);

	if (rc != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return 404;
	}
	subject = text_key(r, "subject", db_val(&row, 0, TC_SUBJECT));
	body = text_key(r, "body", db_val(&row, 0, TC_BODY));
	nerr = tmpl_validate(r, db_val(&row, 0, TC_CODE), subject, body, errs);
	if (nerr) {
		json_object *fields = json_object_new_object();
		for (int i = 0; i < nerr; i++)
			json_object_object_add(fields, errs[i].field, json_object_new_string(errs[i].text));
		resp_json_error(r, 422, "invalid", lang_str(r, "Error.invalid"), fields);
		db_res_free(&row);
		return 0;
	}
	rc = tmpl_save(r, &row, subject, body);
	db_res_free(&row);
	if (rc != DB_OK)
		return rc;
	if ((rc = tmpl_load(r->ids[0], &row)) != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return 404;
	}
	resp_json(r, 200, template_json(&row, 0));
	db_res_free(&row);
	return 0;
}
