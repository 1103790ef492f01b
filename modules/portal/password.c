/* password.c — portal passwords: choose one with a mailed single-use link (access or reset), ask for a reset
 * link without learning whether an address has an account, change it when signed in. */
#include "portal.h"
#include "app.h"
#include "auth.h"
#include "db.h"
#include "portalacct.h"
#include "render.h"
#include "validate.h"

#include <string.h>

enum stmt { STMT_HASH, STMT_RESET_ACCOUNT, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_HASH] = "SELECT password_hash FROM portal_accounts WHERE id = ?",
	/* Only an account whose contact may use the portal gets a reset link. */
	[STMT_RESET_ACCOUNT] =
	    "SELECT a.id FROM portal_accounts a JOIN contacts c ON c.id = a.contact_id "
	    "WHERE a.email = ? AND c.portal_user = 1 AND c.active = 1 AND c.deleted_at IS NULL "
	    "AND c.anonymized_at IS NULL",
};

static const struct field set_fields[] = {
	{ "token", V_TEXT, F_REQUIRED, 0, 64, NULL },
	{ "password", V_TEXT, F_REQUIRED, 0, 1000, NULL },
	{ "password2", V_TEXT, F_REQUIRED, 0, 1000, NULL },
};

static const struct field change_fields[] = {
	{ "current_password", V_TEXT, F_REQUIRED, 0, 1000, NULL },
	{ "password", V_TEXT, F_REQUIRED, 0, 1000, NULL },
	{ "password2", V_TEXT, F_REQUIRED, 0, 1000, NULL },
};

static const struct field forgot_fields[] = {
	{ "email", V_EMAIL, F_REQUIRED, 0, 0, NULL },
};

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* The new password rules, shared by the link and the change form: errors under password / password2. */
static int check_new(const struct fval *pw, const struct fval *pw2, struct ferr *errs, int n)
{
	if (pw->present && utf8_chars(pw->s) < PORTAL_PASSWORD_MIN)
		errs[n++] = (struct ferr){ "password", "PasswordShort" };
	else if (pw->present && pw2->present && strcmp(pw->s, pw2->s) != 0)
		errs[n++] = (struct ferr){ "password2", "PasswordMismatch" };
	return n;
}

/* Anonymous forms carry the double-submit token; a signed-in visitor's form carries its session token
 * (the dispatcher checks that one when a session is present). */
static void form_token(struct req *r)
{
	if (r->who.kind == AUTH_NONE)
		csrf_form_token(r);
}

static int set_page(struct req *r, int status, const char *token, int valid, const struct ferr *errs, int n)
{
	form_token(r);
	page_set(r, "Page.Title", lang_str(r, "Portal.PasswordTitle"));
	page_set(r, "Password.Token", token ? token : "");
	page_set_int(r, "Password.Valid", valid);
	if (n)
		page_set_errors(r, errs, n);
	return page_render(r, status, "portal/password.cs");
}

int h_password_form(struct req *r)
{
	const char *token = req_param(r, "token");
	long long account;
	int rc = portal_token_find(token, 0, &account);

	if (rc != DB_OK)
		return rc;
	return set_page(r, account ? 200 : 404, token, account != 0, NULL, 0);
}

struct set_ctx {
	const char *token, *hash;
	int         spent;
};

static int set_txn(void *p)
{
	struct set_ctx *c = p;
	long long account;
	int rc = portal_token_find(c->token, 1, &account);

	if (rc != DB_OK)
		return rc;
	if (!account) {
		c->spent = 1;
		return DB_OK;
	}
	return portal_password_store(account, c->hash, NULL);
}

int h_password_set(struct req *r)
{
	struct fval v[3];
	struct ferr errs[MAX_FORM_ERRORS];
	char hash[128];
	long long account;
	int n = validate_fields(r, set_fields, 3, v, errs), rc;
	struct set_ctx c = { 0 };

	n = check_new(&v[1], &v[2], errs, n);
	if ((rc = portal_token_find(v[0].s, 0, &account)) != DB_OK)
		return rc;
	if (!account)
		return set_page(r, 404, NULL, 0, NULL, 0);
	if (n)
		return set_page(r, 422, v[0].s, 1, errs, n);
	if (password_hash(v[1].s, hash) < 0)
		return DB_ERR;
	c.token = v[0].s;
	c.hash = hash;
	/* Spent between the check and the write (a second tab): the lock decides, the first one wins. */
	if ((rc = db_txn(set_txn, &c)) != DB_OK)
		return rc;
	if (c.spent)
		return set_page(r, 404, NULL, 0, NULL, 0);
	resp_redirect(r, "/login?saved=1");
	return 0;
}

static int forgot_page(struct req *r, int status, int sent, const struct ferr *errs, int n)
{
	form_token(r);
	page_set(r, "Page.Title", lang_str(r, "Portal.ForgotTitle"));
	page_set_int(r, "Forgot.Sent", sent);
	page_set(r, "Form.email", req_param(r, "email"));
	if (n)
		page_set_errors(r, errs, n);
	return page_render(r, status, "portal/forgot.cs");
}

int h_forgot_form(struct req *r)
{
	return forgot_page(r, 200, 0, NULL, 0);
}

struct forgot_ctx {
	struct req *r;
	const char *email;
};

static int forgot_txn(void *p)
{
	struct forgot_ctx *c = p;
	struct db_res res;
	long long account;
	int rc = db_exec(stmts[STMT_RESET_ACCOUNT], DB_ARGS(A_STR(c->email)), &res);

	if (rc != DB_OK)
		return rc;
	account = res.nrows ? db_ll(&res, 0, 0) : 0;
	db_res_free(&res);
	return account ? portal_link_issue(c->r, account, "reset") : DB_OK;
}

/* Same answer whether or not the address has an account; each request counts against the throttle so the
 * form cannot be used to flood a mailbox. */
int h_forgot(struct req *r)
{
	struct fval v[1];
	struct ferr errs[MAX_FORM_ERRORS];
	struct forgot_ctx c = { r, NULL };
	int n = validate_fields(r, forgot_fields, 1, v, errs), rc, blocked;

	if (n)
		return forgot_page(r, 422, 0, errs, n);
	if ((rc = throttle_blocked(r, "portal_reset", v[0].s, &blocked)) != DB_OK)
		return rc;
	if (!blocked) {
		if ((rc = throttle_fail(r, "portal_reset", v[0].s)) != DB_OK)
			return rc;
		c.email = v[0].s;
		if ((rc = db_txn(forgot_txn, &c)) != DB_OK)
			return rc;
	}
	return forgot_page(r, 200, 1, NULL, 0);
}

static int change_page(struct req *r, int status, int saved, const struct ferr *errs, int n)
{
	page_set(r, "Page.Title", lang_str(r, "Portal.ChangeTitle"));
	page_set_int(r, "Change.Saved", saved);
	if (n)
		page_set_errors(r, errs, n);
	return page_render(r, status, "portal/change_password.cs");
}

int h_change_form(struct req *r)
{
	return change_page(r, 200, str_eq(req_param(r, "saved"), "1"), NULL, 0);
}

struct change_ctx {
	long long   account;
	const char *hash, *keep;
};

static int change_txn(void *p)
{
	struct change_ctx *c = p;
	return portal_password_store(c->account, c->hash, c->keep);
}

int h_change(struct req *r)
{
	struct fval v[3];
	struct ferr errs[MAX_FORM_ERRORS];
	struct db_res res;
	char hash[128];
	int n = validate_fields(r, change_fields, 3, v, errs), rc, blocked, ok;
	struct change_ctx c = { r->who.user_id, hash, r->who.session_hash };

	n = check_new(&v[1], &v[2], errs, n);
	if (n)
		return change_page(r, 422, 0, errs, n);
	if ((rc = throttle_blocked(r, "portal", r->who.login, &blocked)) != DB_OK)
		return rc;
	if (blocked)
		return 429;
	if ((rc = db_exec(stmts[STMT_HASH], DB_ARGS(A_INT(r->who.user_id)), &res)) != DB_OK)
		return rc;
	ok = res.nrows && password_verify(db_val(&res, 0, 0), v[0].s);
	db_res_free(&res);
	if (!ok) {
		if ((rc = throttle_fail(r, "portal", r->who.login)) != DB_OK)
			return rc;
		errs[0] = (struct ferr){ "current_password", "PasswordWrong" };
		return change_page(r, 422, 0, errs, 1);
	}
	if (password_hash(v[1].s, hash) < 0)
		return DB_ERR;
	if ((rc = db_txn(change_txn, &c)) != DB_OK)
		return rc;
	resp_redirect(r, "/account/password?saved=1");
	return 0;
}
