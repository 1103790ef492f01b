/* pages.c — routes every staff program serves: sign in, sign out, language, home. */
#include "app.h"
#include "auth.h"
#include "db.h"
#include "render.h"
#include "validate.h"

#include <string.h>

enum stmt { STMT_USER_BY_LOGIN, STMT_USER_LANG, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_USER_BY_LOGIN] =
	    "SELECT id, password_hash, language FROM users WHERE login = ? AND active = 1",
	[STMT_USER_LANG] = "UPDATE users SET language = ? WHERE id = ?",
};

static const char *const languages[] = { "en", "it", NULL };

static const struct field login_fields[] = {
	{ "login", V_TEXT, F_REQUIRED, 0, 190, NULL },
	{ "password", V_TEXT, F_REQUIRED, 0, 1000, NULL },
	{ "next", V_TEXT, 0, 0, 1000, NULL },	/* used only when a local path, else ignored */
};
enum { LF_LOGIN, LF_PASSWORD, LF_NEXT, LF__MAX };

static const struct field lang_fields[] = {
	{ "language", V_ENUM, F_REQUIRED, 0, 0, languages },
	{ "next", V_LOCALPATH, 0, 0, 0, NULL },
};

static int login_page(struct req *r, int status, const char *error_key, const char *login, const char *next)
{
	csrf_form_token(r);
	page_set(r, "Page.Title", lang_str(r, "Login.Title"));
	if (error_key)
		page_set(r, "Login.Error", lang_str(r, error_key));
	page_set(r, "Login.Value", login ? login : "");
	page_set(r, "Login.Next", next && http_local_path(next) ? next : "");
	return page_render(r, status, "login.cs");
}

static int h_login_form(struct req *r)
{
	if (r->who.kind == AUTH_SESSION) {
		resp_redirect(r, "/contacts");
		return 0;
	}
	return login_page(r, 200, NULL, NULL, req_param(r, "next"));
}

static int h_login(struct req *r)
{
	struct fval v[LF__MAX];
	struct ferr errs[MAX_FORM_ERRORS];
	struct db_res res;
	int nerr, rc, blocked, ok;
	const char *target;

	nerr = validate_fields(r, login_fields, LF__MAX, v, errs);
	if (nerr) {
		if (r->is_api)
			return 422;
		return login_page(r, 422, "Login.Missing", v[LF_LOGIN].s, v[LF_NEXT].s);
	}
	if ((rc = throttle_blocked(r, "staff", v[LF_LOGIN].s, &blocked)) != DB_OK)
		return rc;
	if (blocked) {
		log_msg(LOG_WARN, "login throttled for %s from %s", v[LF_LOGIN].s, r->remote_addr);
		return login_page(r, 429, "Login.Throttled", v[LF_LOGIN].s, v[LF_NEXT].s);
	}
	if ((rc = db_exec(stmts[STMT_USER_BY_LOGIN], DB_ARGS(A_STR(v[LF_LOGIN].s)), &res)) != DB_OK)
		return rc;
	if (res.nrows == 1) {
		ok = password_verify(db_val(&res, 0, 1), v[LF_PASSWORD].s);
	} else {
		password_dummy_verify(v[LF_PASSWORD].s);
		ok = 0;
	}
	if (!ok) {
		db_res_free(&res);
		log_msg(LOG_INFO, "login failed for %s from %s", v[LF_LOGIN].s, r->remote_addr);
		if ((rc = throttle_fail(r, "staff", v[LF_LOGIN].s)) != DB_OK)
			return rc;
		return login_page(r, 401, "Login.Wrong", v[LF_LOGIN].s, v[LF_NEXT].s);
	}
	/* A fresh session id on every login: no fixation. */
	rc = session_start(r, db_ll(&res, 0, 0), 0);
	if (rc == DB_OK) {
		const char *lang = db_val(&res, 0, 2);
		throttle_clear(r, "staff", v[LF_LOGIN].s);
		if (lang && (str_eq(lang, "it") || str_eq(lang, "en")))
			resp_cookie(r, LANG_COOKIE, lang, 365L * 86400);
		log_msg(LOG_INFO, "login ok for %s from %s", v[LF_LOGIN].s, r->remote_addr);
	}
	db_res_free(&res);
	if (rc != DB_OK)
		return rc;
	target = v[LF_NEXT].present && http_local_path(v[LF_NEXT].s) ? v[LF_NEXT].s : "/contacts";
	resp_redirect(r, target);
	return 0;
}

static int h_logout(struct req *r)
{
	int rc = session_end(r, 0);
	if (rc != DB_OK)
		return rc;
	resp_redirect(r, "/login");
	return 0;
}

int page_lang(struct req *r)
{
	struct fval v[2];
	struct ferr errs[MAX_FORM_ERRORS];

	if (validate_fields(r, lang_fields, 2, v, errs))
		return 422;
	resp_cookie(r, LANG_COOKIE, v[0].s, 365L * 86400);
	if (r->who.kind == AUTH_SESSION) {
		int rc = db_exec(stmts[STMT_USER_LANG], DB_ARGS(A_STR(v[0].s), A_INT(r->who.user_id)), NULL);
		if (rc != DB_OK)
			return rc;
	}
	resp_redirect(r, v[1].present ? v[1].s : "/contacts");
	return 0;
}

static int h_home(struct req *r)
{
	resp_redirect(r, r->who.kind == AUTH_NONE ? "/login" : "/contacts");
	return 0;
}

const struct route core_staff_routes[] = {
	{ "GET", "/", PERM_PUBLIC, h_home },
	{ "GET", "/login", PERM_PUBLIC, h_login_form },
	{ "POST", "/login", PERM_PUBLIC, h_login },
	{ "POST", "/logout", PERM_LOGIN, h_logout },
	{ "POST", "/lang", PERM_PUBLIC, page_lang },
};
const size_t core_staff_nroutes = sizeof core_staff_routes / sizeof core_staff_routes[0];
