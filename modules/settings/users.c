/* users.c — staff users and their roles (crm_admin): list, create, edit, deactivate and reactivate,
 * password reset, API tokens. The writes here are shared with the JSON API (api.c). */
#include "settings.h"
#include "adminlog.h"
#include "auth.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

enum stmt {
	STMT_LIST, STMT_LOAD, STMT_LOAD_LOCK, STMT_LOCK_ADMINS, STMT_OTHER_ADMINS, STMT_INSERT, STMT_UPDATE,
	STMT_ROLES_CLEAR, STMT_ROLE_ADD, STMT_SESSIONS_END, STMT_PASSWORD, STMT_TOKENS, STMT_TOKEN_ID,
	STMT_TOKEN_REVOKE, STMT__MAX
};

#define USER_COLS \
	"u.login, u.display_name, u.email, u.language, u.active, " \
	"COALESCE((SELECT GROUP_CONCAT(role ORDER BY role) FROM user_roles WHERE user_id = u.id), ''), " \
	"u.id, u.created_at, (SELECT MAX(last_seen) FROM sessions s WHERE s.user_id = u.id)"

static const char *const stmts[STMT__MAX] = {
	[STMT_LIST] = "SELECT " USER_COLS " FROM users u ORDER BY u.login LIMIT 1000",
	[STMT_LOAD] = "SELECT " USER_COLS " FROM users u WHERE u.id = ?",
	[STMT_LOAD_LOCK] =
	    "SELECT u.login, u.display_name, u.email, u.language, u.active, "
	    "COALESCE((SELECT GROUP_CONCAT(role ORDER BY role) FROM user_roles WHERE user_id = u.id), '') "
	    "FROM users u WHERE u.id = ? FOR UPDATE",
	/* Every change that may take crm_admin away locks this one row first, so two admins removing
	 * each other at the same moment are serialized and cannot both pass the last-admin check. */
	[STMT_LOCK_ADMINS] = "SELECT code FROM roles WHERE code = 'crm_admin' FOR UPDATE",
	[STMT_OTHER_ADMINS] =
	    "SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'crm_admin' "
	    "WHERE u.active = 1 AND u.id <> ?",
	[STMT_INSERT] =
	    "INSERT INTO users (login, display_name, email, language, active, password_hash) VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_UPDATE] =
	    "UPDATE users SET login = ?, display_name = ?, email = ?, language = ?, active = ? WHERE id = ?",
	[STMT_ROLES_CLEAR] = "DELETE FROM user_roles WHERE user_id = ?",
	[STMT_ROLE_ADD] = "INSERT INTO user_roles (user_id, role) VALUES (?, ?)",
	[STMT_SESSIONS_END] = "DELETE FROM sessions WHERE user_id = ?",
	[STMT_PASSWORD] = "UPDATE users SET password_hash = ? WHERE id = ?",
	[STMT_TOKENS] =
	    "SELECT id, label, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = ? "
	    "ORDER BY id DESC LIMIT 200",
	[STMT_TOKEN_ID] = "SELECT id FROM api_tokens WHERE token_hash = ?",
	[STMT_TOKEN_REVOKE] =
	    "UPDATE api_tokens SET revoked_at = NOW() WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
};

static const char *const langs[] = { "en", "it", NULL };

const struct field user_fields[UF__MAX] = {
	[UF_LOGIN]        = { "login", V_TEXT, F_REQUIRED, 0, 190, NULL },
	[UF_DISPLAY_NAME] = { "display_name", V_TEXT, 0, 0, 200, NULL },
	[UF_EMAIL]        = { "email", V_EMAIL, 0, 0, 0, NULL },
	[UF_LANGUAGE]     = { "language", V_ENUM, F_REQUIRED, 0, 0, langs },
	[UF_ACTIVE]       = { "active", V_BOOL, 0, 0, 0, NULL },
};

static const unsigned role_bits[] = { ROLE_ADMIN, ROLE_MANAGER, ROLE_SALES, ROLE_MARKETEER };
#define NROLES (sizeof role_bits / sizeof role_bits[0])

/* "crm_admin, crm_sales" (or "—") into b. */
static void roles_text(struct buf *b, unsigned bits)
{
	int first = 1;
	for (size_t i = 0; i < NROLES; i++)
		if (bits & role_bits[i]) {
			buf_printf(b, "%s%s", first ? "" : ", ", role_code(role_bits[i]));
			first = 0;
		}
	if (first)
		buf_puts(b, "—");
}

int user_load(long long id, struct db_res *out)
{
	return db_exec(stmts[STMT_LOAD], DB_ARGS(A_INT(id)), out);
}

int user_list(struct db_res *out)
{
	return db_exec(stmts[STMT_LIST], DB_NOARGS, out);
}

int user_tokens(long long uid, struct db_res *out)
{
	return db_exec(stmts[STMT_TOKENS], DB_ARGS(A_INT(uid)), out);
}

void user_in_free(struct user_in *in)
{
	for (int i = 0; i < UF__MAX; i++)
		free(in->v[i]);
	memset(in, 0, sizeof *in);
}

static char *trim_dup(const char *s)
{
	size_t b = 0, e;
	if (!s)
		return NULL;
	while (s[b] == ' ' || s[b] == '\t')
		b++;
	e = strlen(s);
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	return e > b ? xstrndup(s + b, e - b) : NULL;
}

/* Logins are names people type: letters, digits and . _ - @ + only. */
static int login_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    strchr("._-@+", *s)))
			return 0;
	return 1;
}

int user_in_from_request(struct req *r, struct user_in *in, const struct db_res *base, int only_present,
    struct ferr *errs)
{
	const char *roles[16];
	int nerr = 0, present, n;

	memset(in, 0, sizeof *in);
	for (int i = 0; i < UF__MAX; i++) {
		const char *v = req_param(r, user_fields[i].name);
		int sent = v != NULL;
		struct fval fv;
		const char *msg;
		if (r->json && !sent) {
			json_object *o;
			sent = json_object_object_get_ex(r->json, user_fields[i].name, &o);
		}
		if (only_present && !sent) {
			const char *old = base ? db_val(base, 0, (size_t)i) : NULL;
			in->v[i] = old && *old ? xstrdup(old) : NULL;
			continue;
		}
		if (!sent && i == UF_ACTIVE)
			v = r->json ? "1" : "0";	/* JSON create: active unless said; a form: unchecked box */
		else if (!sent && i == UF_LANGUAGE && r->json)
			v = "en";
		if ((msg = validate_one(&user_fields[i], v ? v : "", &fv)) != NULL) {
			nerr = sett_err(errs, nerr, user_fields[i].name, msg);
			continue;
		}
		if (i == UF_ACTIVE)
			in->v[i] = xstrdup(fv.i ? "1" : "0");
		else
			in->v[i] = trim_dup(v);
	}
	if (in->v[UF_LOGIN] && !login_ok(in->v[UF_LOGIN]))
		nerr = sett_err(errs, nerr, "login", "Settings.Err.LoginChars");
	n = sett_param_list(r, "roles", roles, 16, &present);
	if (n < 0) {
		nerr = sett_err(errs, nerr, "roles", "Choice");
	} else if (only_present && !present) {
		in->roles = base ? roles_from_list(db_val(base, 0, UC_ROLES)) : 0;
	} else {
		for (int i = 0; i < n; i++) {
			unsigned bit = role_from_code(roles[i]);
			if (!bit) {
				nerr = sett_err(errs, nerr, "roles", "Choice");
				break;
			}
			in->roles |= bit;
		}
	}
	return nerr;
}

const char *user_password_problem(const char *pw)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n == 0)
		return "Required";
	if (n < 8)
		return "Settings.Err.PasswordShort";
	if (n > 200)
		return "TooLong";
	if (!utf8_valid_text(pw, n, 0))
		return "Text";
	return NULL;
}

void user_password_generate(char out[20])
{
	/* No 0/O, 1/l/I: the admin may have to read it out to someone. */
	static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 16; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[16] = '\0';
}

static int add_roles(long long id, unsigned bits)
{
	int rc;
	for (size_t i = 0; i < NROLES; i++)
		if ((bits & role_bits[i]) &&
		    (rc = db_exec(stmts[STMT_ROLE_ADD], DB_ARGS(A_INT(id), A_STR(role_code(role_bits[i]))), NULL)) != DB_OK)
			return rc;
	return DB_OK;
}

struct save_ctx {
	struct req     *r;
	struct user_in *in;
	const char     *hash;
	long long       id;
	struct ferr    *errs;
	int             nerr;
	int             status;
};

static int create_txn(void *p)
{
	struct save_ctx *c = p;
	struct user_in *in = c->in;
	struct db_res res;
	struct buf d = { 0 };
	int rc;

	c->status = 0;
	rc = db_exec(stmts[STMT_INSERT], DB_ARGS(A_STR(in->v[UF_LOGIN]), A_STR(in->v[UF_DISPLAY_NAME] ? in->v[UF_DISPLAY_NAME] : ""),
	    A_STR(in->v[UF_EMAIL]), A_STR(in->v[UF_LANGUAGE]), A_INT(str_eq(in->v[UF_ACTIVE], "1")), A_STR(c->hash)), &res);
	if (rc == DB_DUP) {
		c->nerr = sett_err(c->errs, c->nerr, "login", "Settings.Err.LoginTaken");
		c->status = 422;
		return DB_ERR;
	}
	if (rc != DB_OK)
		return rc;
	c->id = (long long)res.insert_id;
	db_res_free(&res);
	if ((rc = add_roles(c->id, in->roles)) != DB_OK)
		return rc;
	buf_puts(&d, "roles: ");
	roles_text(&d, in->roles);
	buf_printf(&d, "; active: %s; password: %s", str_eq(in->v[UF_ACTIVE], "1") ? "yes" : "no", c->hash ? "set" : "none");
	rc = adminlog_add(c->r, "users", "create", c->id, in->v[UF_LOGIN], d.data);
	buf_free(&d);
	return rc;
}

int user_create(struct req *r, struct user_in *in, const char *hash, long long *id, struct ferr *errs, int *nerr)
{
	struct save_ctx c = { r, in, hash, 0, errs, *nerr, 0 };
	int rc = db_txn(create_txn, &c);
	*nerr = c.nerr;
	*id = c.id;
	return c.status ? c.status : rc;
}

static void diff(struct buf *d, const char *name, const char *o, const char *n)
{
	if (str_eq(o ? o : "", n ? n : ""))
		return;
	buf_printf(d, "%s%s: %s → %s", d->len ? "; " : "", name, o && *o ? o : "—", n && *n ? n : "—");
}

static int update_txn(void *p)
{
	struct save_ctx *c = p;
	struct user_in *in = c->in;
	struct db_res old, res;
	struct buf d = { 0 };
	unsigned old_roles;
	int rc, was_active, now_active, was_admin, now_admin;

	c->status = 0;
	if ((rc = db_exec(stmts[STMT_LOCK_ADMINS], DB_NOARGS, NULL)) != DB_OK)
		return rc;
	if ((rc = db_exec(stmts[STMT_LOAD_LOCK], DB_ARGS(A_INT(c->id)), &old)) != DB_OK)
		return rc;
	if (old.nrows == 0) {
		db_res_free(&old);
		c->status = 404;
		return DB_ERR;
	}
	old_roles = roles_from_list(db_val(&old, 0, UC_ROLES));
	was_active = str_eq(db_val(&old, 0, UF_ACTIVE), "1");
	now_active = str_eq(in->v[UF_ACTIVE], "1");
	was_admin = was_active && (old_roles & ROLE_ADMIN);
	now_admin = now_active && (in->roles & ROLE_ADMIN);
	if (was_admin && !now_admin) {
		/* Someone must be left who can reach this page. */
		if ((rc = db_exec(stmts[STMT_OTHER_ADMINS], DB_ARGS(A_INT(c->id)), &res)) != DB_OK) {
			db_res_free(&old);
			return rc;
		}
		if (db_ll(&res, 0, 0) == 0) {
			c->nerr = sett_err(c->errs, c->nerr, now_active ? "roles" : "active", "Settings.Err.LastAdmin");
			c->status = 422;
		}
		db_res_free(&res);
		if (c->status) {
			db_res_free(&old);
			return DB_ERR;
		}
	}
	rc = db_exec(stmts[STMT_UPDATE], DB_ARGS(A_STR(in->v[UF_LOGIN]), A_STR(in->v[UF_DISPLAY_NAME] ? in->v[UF_DISPLAY_NAME] : ""),
	    A_STR(in->v[UF_EMAIL]), A_STR(in->v[UF_LANGUAGE]), A_INT(now_active), A_INT(c->id)), NULL);
	if (rc == DB_DUP) {
		c->nerr = sett_err(c->errs, c->nerr, "login", "Settings.Err.LoginTaken");
		c->status = 422;
		db_res_free(&old);
		return DB_ERR;
	}
	if (rc != DB_OK) {
		db_res_free(&old);
		return rc;
	}
	for (int i = UF_LOGIN; i <= UF_LANGUAGE; i++)
		diff(&d, user_fields[i].name, db_val(&old, 0, (size_t)i), in->v[i]);
	if (d.len)
		rc = adminlog_add(c->r, "users", "update", c->id, in->v[UF_LOGIN], d.data);
	if (rc == DB_OK && old_roles != in->roles) {
		buf_reset(&d);
		roles_text(&d, old_roles);
		buf_puts(&d, " → ");
		roles_text(&d, in->roles);
		if ((rc = db_exec(stmts[STMT_ROLES_CLEAR], DB_ARGS(A_INT(c->id)), NULL)) == DB_OK &&
		    (rc = add_roles(c->id, in->roles)) == DB_OK)
			rc = adminlog_add(c->r, "users", "roles", c->id, in->v[UF_LOGIN], d.data);
	}
	if (rc == DB_OK && was_active != now_active) {
		/* Deactivation ends every session at once (auth refuses inactive users from now on). */
		if (!now_active)
			rc = db_exec(stmts[STMT_SESSIONS_END], DB_ARGS(A_INT(c->id)), NULL);
		if (rc == DB_OK)
			rc = adminlog_add(c->r, "users", now_active ? "reactivate" : "deactivate", c->id, in->v[UF_LOGIN],
			    now_active ? NULL : "sessions ended");
	}
	buf_free(&d);
	db_res_free(&old);
	return rc;
}

int user_update(struct req *r, long long id, struct user_in *in, struct ferr *errs, int *nerr)
{
	struct save_ctx c = { r, in, NULL, id, errs, *nerr, 0 };
	int rc = db_txn(update_txn, &c);
	*nerr = c.nerr;
	return c.status ? c.status : rc;
}

struct pw_ctx {
	struct req *r;
	long long   id;
	const char *hash;
	int         generated, found;
	char        login[191];
};

static int password_txn(void *p)
{
	struct pw_ctx *c = p;
	struct db_res res;
	int rc;

	if ((rc = db_exec(stmts[STMT_LOAD_LOCK], DB_ARGS(A_INT(c->id)), &res)) != DB_OK)
		return rc;
	c->found = res.nrows > 0;
	if (c->found)
		snprintf(c->login, sizeof c->login, "%s", db_val(&res, 0, UF_LOGIN));
	db_res_free(&res);
	if (!c->found)
		return DB_OK;
	if ((rc = db_exec(stmts[STMT_PASSWORD], DB_ARGS(A_STR(c->hash), A_INT(c->id)), NULL)) != DB_OK ||
	    (rc = db_exec(stmts[STMT_SESSIONS_END], DB_ARGS(A_INT(c->id)), NULL)) != DB_OK)
		return rc;
	return adminlog_add(c->r, "users", "password_reset", c->id, c->login,
	    c->generated ? "generated password; sessions ended" : "password typed by the admin; sessions ended");
}

int user_set_password(struct req *r, long long id, const char *hash, int generated)
{
	struct pw_ctx c;
	int rc;

	memset(&c, 0, sizeof c);
	c.r = r;
	c.id = id;
	c.hash = hash;
	c.generated = generated;
	rc = db_txn(password_txn, &c);
	if (rc != DB_OK)
		return rc;
	if (!c.found)
		return 404;
	/* A new password also lifts the throttle of failed sign-ins. */
	throttle_clear(r, "staff", c.login);
	log_msg(LOG_INFO, "password of user %lld reset by %s", id, r->who.login);
	return DB_OK;
}

struct token_ctx {
	struct req *r;
	long long   uid, tid;
	const char *label;
	char       *token;
	int         found;
};

static int token_txn(void *p)
{
	struct token_ctx *c = p;
	struct db_res res;
	char hash[65], details[160];
	int rc;

	if ((rc = db_exec(stmts[STMT_LOAD_LOCK], DB_ARGS(A_INT(c->uid)), &res)) != DB_OK)
		return rc;
	c->found = res.nrows > 0;
	if (!c->found) {
		db_res_free(&res);
		return DB_OK;
	}
	if ((rc = token_create(c->uid, c->label, c->token)) != DB_OK) {
		db_res_free(&res);
		return rc;
	}
	sha256_hex(c->token, strlen(c->token), hash);
	{
		struct db_res t;
		if ((rc = db_exec(stmts[STMT_TOKEN_ID], DB_ARGS(A_STR(hash)), &t)) == DB_OK) {
			c->tid = t.nrows ? db_ll(&t, 0, 0) : 0;
			db_res_free(&t);
		}
	}
	snprintf(details, sizeof details, "token #%lld (%.100s)", c->tid, c->label);
	if (rc == DB_OK)
		rc = adminlog_add(c->r, "users", "token_create", c->uid, db_val(&res, 0, UF_LOGIN), details);
	db_res_free(&res);
	return rc;
}

int user_token_create(struct req *r, long long uid, const char *label, char token[80], long long *tid)
{
	struct token_ctx c = { r, uid, 0, label, token, 0 };
	int rc = db_txn(token_txn, &c);
	if (rc != DB_OK) {
		sodium_memzero(token, 80);
		return rc;
	}
	*tid = c.tid;
	return c.found ? DB_OK : 404;
}

static int revoke_txn(void *p)
{
	struct token_ctx *c = p;
	struct db_res res, u;
	char details[64];
	int rc;

	if ((rc = db_exec(stmts[STMT_TOKEN_REVOKE], DB_ARGS(A_INT(c->tid), A_INT(c->uid)), &res)) != DB_OK)
		return rc;
	c->found = res.affected > 0;
	db_res_free(&res);
	if (!c->found)
		return DB_OK;
	if ((rc = user_load(c->uid, &u)) != DB_OK)
		return rc;
	snprintf(details, sizeof details, "token #%lld", c->tid);
	rc = adminlog_add(c->r, "users", "token_revoke", c->uid, u.nrows ? db_val(&u, 0, UF_LOGIN) : "", details);
	db_res_free(&u);
	return rc;
}

int user_token_revoke(struct req *r, long long uid, long long tid)
{
	struct token_ctx c = { r, uid, tid, NULL, NULL, 0 };
	int rc = db_txn(revoke_txn, &c);
	if (rc != DB_OK)
		return rc;
	return c.found ? DB_OK : 404;
}

/* ------------------------------------------------------------------ HTML pages */

int users_list_page(struct req *r)
{
	static const char *const cols[] = { "login", "name", "email", "language", "active", "roles", "id",
		"created_at", "last_seen" };
	struct db_res res;
	int rc;

	if ((rc = db_exec(stmts[STMT_LIST], DB_NOARGS, &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Users", &res, cols, 9);
	page_set_int(r, "UserCount", (long long)res.nrows);
	db_res_free(&res);
	sett_page(r, "users", "Settings.Users");
	return page_render(r, 200, "settings/users.cs");
}

int settings_overview_page(struct req *r)
{
	return users_list_page(r);
}

/* Form.* from stored or submitted values; Form.Roles.<code> = 1 for each role held. */
static void form_values(struct req *r, const char *const *v, unsigned roles)
{
	char key[64];
	for (int i = 0; i < UF__MAX; i++) {
		snprintf(key, sizeof key, "Form.%s", user_fields[i].name);
		page_set(r, key, v[i]);
	}
	for (size_t i = 0; i < NROLES; i++) {
		snprintf(key, sizeof key, "Form.Roles.%s", role_code(role_bits[i]));
		page_set_int(r, key, (roles & role_bits[i]) != 0);
	}
}

static int new_form(struct req *r, int status, const char *const *v, unsigned roles, const struct ferr *errs, int nerr)
{
	form_values(r, v, roles);
	sett_errors(r, errs, nerr);
	sett_page(r, "users", "Settings.NewUser");
	return page_render(r, status, "settings/user_form.cs");
}

int user_new_page(struct req *r)
{
	const char *v[UF__MAX] = { 0 };
	v[UF_LANGUAGE] = "en";
	v[UF_ACTIVE] = "1";
	return new_form(r, 200, v, 0, NULL, 0);
}

/* The edit page of user id: stored values unless in (the refused input) is given; notice is a key
 * under Lang. shown on top; secret a password or token shown once. */
static int edit_page(struct req *r, long long id, int status, const struct user_in *in,
    const struct ferr *errs, int nerr, const char *notice, const char *secret_key, const char *secret)
{
	static const char *const tcols[] = { "id", "label", "created_at", "last_used_at", "revoked_at" };
	struct db_res row, tokens;
	const char *v[UF__MAX];
	int rc;

	if ((rc = user_load(id, &row)) != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return 404;
	}
	for (int i = 0; i < UF__MAX; i++)
		v[i] = in ? in->v[i] : db_val(&row, 0, (size_t)i);
	form_values(r, v, in ? in->roles : roles_from_list(db_val(&row, 0, UC_ROLES)));
	page_set_int(r, "Form.Id", id);
	page_set(r, "Target.login", db_val(&row, 0, UF_LOGIN));
	page_set(r, "Target.active", db_val(&row, 0, UF_ACTIVE));
	page_set(r, "Target.created_at", db_val(&row, 0, UC_CREATED_AT));
	page_set(r, "Target.last_seen", db_val(&row, 0, UC_LAST_SEEN));
	db_res_free(&row);
	if ((rc = user_tokens(id, &tokens)) != DB_OK)
		return rc;
	page_set_rows(r, "Tokens", &tokens, tcols, 5);
	db_res_free(&tokens);
	sett_errors(r, errs, nerr);
	if (notice)
		page_set(r, "Notice", lang_str(r, notice));
	if (secret) {
		page_set(r, "Secret.Label", lang_str(r, secret_key));
		page_set(r, "Secret.Value", secret);
	}
	sett_page(r, "users", "Settings.EditUser");
	return page_render(r, status, "settings/user_form.cs");
}

int user_create_post(struct req *r)
{
	struct user_in in;
	struct ferr errs[MAX_FORM_ERRORS];
	const char *pw = req_param(r, "password"), *msg = NULL;
	char generated[20] = "", hash[128];
	long long id = 0;
	int nerr, rc;

	nerr = user_in_from_request(r, &in, NULL, 0, errs);
	/* An empty password field: a generated one, shown once on the next page. */
	if (pw && *pw && (msg = user_password_problem(pw)) != NULL)
		nerr = sett_err(errs, nerr, "password", msg);
	if (nerr) {
		rc = new_form(r, 422, (const char *const *)in.v, in.roles, errs, nerr);
		user_in_free(&in);
		return rc;
	}
	if (!pw || !*pw) {
		user_password_generate(generated);
		pw = generated;
	}
	if (password_hash(pw, hash) < 0) {
		user_in_free(&in);
		return 500;
	}
	rc = user_create(r, &in, hash, &id, errs, &nerr);
	sodium_memzero(hash, sizeof hash);
	if (rc == 422)
		rc = new_form(r, 422, (const char *const *)in.v, in.roles, errs, nerr);
	else if (rc == DB_OK) {
		log_msg(LOG_INFO, "user %lld created by %s", id, r->who.login);
		if (generated[0])
			rc = edit_page(r, id, 200, NULL, NULL, 0, "Settings.UserCreated", "Settings.GeneratedPassword", generated);
		else {
			char loc[64];
			snprintf(loc, sizeof loc, "/settings/users/%lld?created=1", id);
			resp_redirect(r, loc);
		}
	}
	sodium_memzero(generated, sizeof generated);
	user_in_free(&in);
	return rc;
}

int user_edit_page(struct req *r)
{
	const char *notice = NULL;
	if (str_eq(req_param(r, "saved"), "1"))
		notice = "Settings.Saved";
	else if (str_eq(req_param(r, "created"), "1"))
		notice = "Settings.UserCreated";
	else if (str_eq(req_param(r, "password"), "1"))
		notice = "Settings.PasswordChanged";
	else if (str_eq(req_param(r, "revoked"), "1"))
		notice = "Settings.TokenRevoked";
	return edit_page(r, r->ids[0], 200, NULL, NULL, 0, notice, NULL, NULL);
}

int user_update_post(struct req *r)
{
	struct user_in in;
	struct ferr errs[MAX_FORM_ERRORS];
	int nerr, rc;
	char loc[64];

	nerr = user_in_from_request(r, &in, NULL, 0, errs);
	if (nerr) {
		rc = edit_page(r, r->ids[0], 422, &in, errs, nerr, NULL, NULL, NULL);
		user_in_free(&in);
		return rc;
	}
	rc = user_update(r, r->ids[0], &in, errs, &nerr);
	if (rc == 422) {
		rc = edit_page(r, r->ids[0], 422, &in, errs, nerr, NULL, NULL, NULL);
	} else if (rc == DB_OK) {
		if (r->ids[0] == r->who.user_id && !str_eq(in.v[UF_ACTIVE], "1")) {
			resp_redirect(r, "/login");	/* deactivated oneself: the session is gone */
		} else {
			snprintf(loc, sizeof loc, "/settings/users/%lld?saved=1", r->ids[0]);
			resp_redirect(r, loc);
		}
	}
	user_in_free(&in);
	return rc;
}

int user_password_post(struct req *r)
{
	const char *pw = req_param(r, "password"), *msg;
	struct ferr errs[1];
	char generated[20] = "", hash[128], loc[64];
	int gen = str_eq(req_param(r, "action"), "generate"), rc;

	if (!gen && (msg = user_password_problem(pw)) != NULL) {
		errs[0].field = "password";
		errs[0].msg = msg;
		return edit_page(r, r->ids[0], 422, NULL, errs, 1, NULL, NULL, NULL);
	}
	if (gen) {
		user_password_generate(generated);
		pw = generated;
	}
	if (password_hash(pw, hash) < 0)
		return 500;
	rc = user_set_password(r, r->ids[0], hash, gen);
	sodium_memzero(hash, sizeof hash);
	if (rc == DB_OK) {
		if (r->ids[0] == r->who.user_id) {
			/* One's own sessions ended too: the new password is needed to go on. */
			if (gen)
				rc = edit_page(r, r->ids[0], 200, NULL, NULL, 0, "Settings.PasswordChanged",
				    "Settings.GeneratedPassword", generated);
			else
				resp_redirect(r, "/login");
		} else if (gen) {
			rc = edit_page(r, r->ids[0], 200, NULL, NULL, 0, "Settings.PasswordChanged",
			    "Settings.GeneratedPassword", generated);
		} else {
			snprintf(loc, sizeof loc, "/settings/users/%lld?password=1", r->ids[0]);
			resp_redirect(r, loc);
		}
	}
	sodium_memzero(generated, sizeof generated);
	return rc;
}

static const struct field label_field = { "label", V_TEXT, 0, 0, 100, NULL };

int user_token_post(struct req *r)
{
	const char *label = req_param(r, "label"), *msg;
	struct fval fv;
	struct ferr errs[1];
	char token[80];
	char *l;
	long long tid = 0;
	int rc;

	if ((msg = validate_one(&label_field, label ? label : "", &fv)) != NULL) {
		errs[0].field = "label";
		errs[0].msg = msg;
		return edit_page(r, r->ids[0], 422, NULL, errs, 1, NULL, NULL, NULL);
	}
	l = trim_dup(label);
	rc = user_token_create(r, r->ids[0], l ? l : "settings", token, &tid);
	free(l);
	if (rc == DB_OK) {
		log_msg(LOG_INFO, "API token %lld of user %lld created by %s", tid, r->ids[0], r->who.login);
		rc = edit_page(r, r->ids[0], 200, NULL, NULL, 0, "Settings.TokenCreated", "Settings.NewToken", token);
		sodium_memzero(token, sizeof token);
	}
	return rc;
}

int user_token_revoke_post(struct req *r)
{
	char loc[64];
	int rc = user_token_revoke(r, r->ids[0], r->ids[1]);
	if (rc != DB_OK)
		return rc;
	log_msg(LOG_INFO, "API token %lld of user %lld revoked by %s", r->ids[1], r->ids[0], r->who.login);
	snprintf(loc, sizeof loc, "/settings/users/%lld?revoked=1", r->ids[0]);
	resp_redirect(r, loc);
	return 0;
}
