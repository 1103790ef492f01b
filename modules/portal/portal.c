/* portal.c — the portal program (portal host): routes, contact sign-in, the start page, and the page for a
 * session the access window refused. Access requires an active contact with portal_user on, within its
 * support dates, checked at sign-in here and on every later request by auth_portal. */
#include "portal.h"
#include "app.h"
#include "auth.h"
#include "db.h"
#include "portalacct.h"
#include "render.h"
#include "validate.h"

#include <string.h>

enum stmt { STMT_ACCOUNT_BY_EMAIL, STMT_ACCESS, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_ACCOUNT_BY_EMAIL] =
	    "SELECT a.id, a.password_hash FROM portal_accounts a WHERE a.email = ?",
	/* Why access is refused, if it is: the first failing condition wins. */
	[STMT_ACCESS] =
	    "SELECT " PORTAL_DENIED_SQL " FROM contacts c JOIN portal_accounts a ON a.contact_id = c.id WHERE a.id = ?",
};

static const struct field login_fields[] = {
	{ "email", V_EMAIL, F_REQUIRED, 0, 0, NULL },
	{ "password", V_TEXT, F_REQUIRED, 0, 1000, NULL },
};

/* Portal.Denied (the reason) and the dates for the sign-in page. */
static void set_denied(struct req *r, const char *why, const char *start, const char *end)
{
	char key[64];

	snprintf(key, sizeof key, "Portal.Denied%s", why && *why ? why : "Gone");
	page_set(r, "Portal.Denied", lang_str(r, key));
	page_set(r, "Portal.DeniedCode", why && *why ? why : "Gone");
	page_set(r, "Portal.Start", start);
	page_set(r, "Portal.End", end);
}

/* 0 when access is allowed; else sets Portal.Denied for the page. */
static int access_check(struct req *r, long long account_id, int *denied)
{
	struct db_res res;
	int rc = db_exec(stmts[STMT_ACCESS], DB_ARGS(A_INT(account_id)), &res);
	const char *why;

	*denied = 1;
	if (rc != DB_OK)
		return rc;
	why = res.nrows ? db_val(&res, 0, 0) : NULL;
	if (why && !*why)
		*denied = 0;
	else
		set_denied(r, why, res.nrows ? db_val(&res, 0, 1) : NULL, res.nrows ? db_val(&res, 0, 2) : NULL);
	db_res_free(&res);
	return DB_OK;
}

int portal_login_page(struct req *r, int status, const char *err, const char *email)
{
	csrf_form_token(r);
	page_set(r, "Page.Title", lang_str(r, "Portal.LoginTitle"));
	if (err)
		page_set(r, "Login.Error", lang_str(r, err));
	page_set(r, "Login.Value", email ? email : "");
	return page_render(r, status, "portal/login.cs");
}

static int h_login_form(struct req *r)
{
	if (r->who.kind == AUTH_PORTAL) {
		resp_redirect(r, "/home");
		return 0;
	}
	if (str_eq(req_param(r, "saved"), "1"))
		page_set(r, "Login.Notice", lang_str(r, "Portal.PasswordSaved"));
	return portal_login_page(r, 200, NULL, NULL);
}

static int h_login(struct req *r)
{
	struct fval v[2];
	struct ferr errs[MAX_FORM_ERRORS];
	struct db_res res;
	int rc, blocked, ok, denied;
	long long account;

	if (validate_fields(r, login_fields, 2, v, errs))
		return portal_login_page(r, 422, "Login.Missing", req_param(r, "email"));
	if ((rc = throttle_blocked(r, "portal", v[0].s, &blocked)) != DB_OK)
		return rc;
	if (blocked)
		return portal_login_page(r, 429, "Login.Throttled", v[0].s);
	if ((rc = db_exec(stmts[STMT_ACCOUNT_BY_EMAIL], DB_ARGS(A_STR(v[0].s)), &res)) != DB_OK)
		return rc;
	if (res.nrows == 1) {
		ok = password_verify(db_val(&res, 0, 1), v[1].s);
	} else {
		password_dummy_verify(v[1].s);
		ok = 0;
	}
	account = ok ? db_ll(&res, 0, 0) : 0;
	db_res_free(&res);
	if (!ok) {
		if ((rc = throttle_fail(r, "portal", v[0].s)) != DB_OK)
			return rc;
		return portal_login_page(r, 401, "Login.WrongPortal", v[0].s);
	}
	if ((rc = access_check(r, account, &denied)) != DB_OK)
		return rc;
	if (denied)
		return portal_login_page(r, 403, NULL, v[0].s);
	throttle_clear(r, "portal", v[0].s);
	if ((rc = session_start(r, account, 1)) != DB_OK)
		return rc;
	resp_redirect(r, "/home");
	return 0;
}

/* A signed-in contact whose access ended meanwhile: the session is gone (auth_portal), the page says why. */
static int h_denied(struct req *r)
{
	set_denied(r, r->who.denied, r->who.access_start, r->who.access_end);
	return portal_login_page(r, 403, NULL, NULL);
}

static int h_logout(struct req *r)
{
	int rc = session_end(r, 1);
	if (rc != DB_OK)
		return rc;
	resp_redirect(r, "/login");
	return 0;
}

static int h_root(struct req *r)
{
	resp_redirect(r, r->who.kind == AUTH_PORTAL ? "/home" : "/login");
	return 0;
}

static int h_home(struct req *r)
{
	page_set(r, "Page.Title", lang_str(r, "Portal.HomeTitle"));
	return page_render(r, 200, "portal/home.cs");
}

enum page {
	PAGE_ROOT, PAGE_LOGIN_FORM, PAGE_LOGIN, PAGE_LOGOUT, PAGE_HOME, PAGE_LANG,
	PAGE_PASSWORD_FORM, PAGE_PASSWORD, PAGE_FORGOT_FORM, PAGE_FORGOT, PAGE_CHANGE_FORM, PAGE_CHANGE,
	PAGE_TICKETS, PAGE_TICKET_NEW, PAGE_TICKET_CREATE, PAGE_TICKET_VIEW, PAGE_TICKET_COMMENT, PAGE_TICKET_CLOSE,
	PAGE_DOCUMENTS, PAGE_DOCUMENT_UPLOAD, PAGE_DOCUMENT_DOWNLOAD, PAGE_PROFILE, PAGE_PROFILE_SAVE,
	PAGE__MAX
};

static const struct route routes[PAGE__MAX] = {
	[PAGE_ROOT]          = { "GET", "/", PERM_PUBLIC, h_root },
	[PAGE_LOGIN_FORM]    = { "GET", "/login", PERM_PUBLIC, h_login_form },
	[PAGE_LOGIN]         = { "POST", "/login", PERM_PUBLIC, h_login },
	[PAGE_LOGOUT]        = { "POST", "/logout", PERM_PORTAL, h_logout },
	[PAGE_HOME]          = { "GET", "/home", PERM_PORTAL, h_home },
	[PAGE_LANG]          = { "POST", "/lang", PERM_PUBLIC, page_lang },
	[PAGE_PASSWORD_FORM] = { "GET", "/password", PERM_PUBLIC, h_password_form },
	[PAGE_PASSWORD]      = { "POST", "/password", PERM_PUBLIC, h_password_set },
	[PAGE_FORGOT_FORM]   = { "GET", "/forgot", PERM_PUBLIC, h_forgot_form },
	[PAGE_FORGOT]        = { "POST", "/forgot", PERM_PUBLIC, h_forgot },
	[PAGE_CHANGE_FORM]   = { "GET", "/account/password", PERM_PORTAL, h_change_form },
	[PAGE_CHANGE]        = { "POST", "/account/password", PERM_PORTAL, h_change },
	[PAGE_TICKETS]       = { "GET", "/tickets", PERM_PORTAL, h_tickets },
	[PAGE_TICKET_NEW]    = { "GET", "/tickets/new", PERM_PORTAL, h_ticket_new },
	[PAGE_TICKET_CREATE] = { "POST", "/tickets", PERM_PORTAL, h_ticket_create },
	[PAGE_TICKET_VIEW]   = { "GET", "/tickets/#", PERM_PORTAL, h_ticket_view },
	[PAGE_TICKET_COMMENT] = { "POST", "/tickets/#/comments", PERM_PORTAL, h_ticket_comment },
	[PAGE_TICKET_CLOSE]  = { "POST", "/tickets/#/close", PERM_PORTAL, h_ticket_close },
	[PAGE_DOCUMENTS]     = { "GET", "/documents", PERM_PORTAL, h_documents },
	[PAGE_DOCUMENT_UPLOAD] = { "POST", "/documents", PERM_PORTAL, h_document_upload },
	[PAGE_DOCUMENT_DOWNLOAD] = { "GET", "/documents/#", PERM_PORTAL, h_document_download },
	[PAGE_PROFILE]       = { "GET", "/profile", PERM_PORTAL, h_profile },
	[PAGE_PROFILE_SAVE]  = { "POST", "/profile", PERM_PORTAL, h_profile_save },
};

const struct module portal_module = { "portal", 1, routes, PAGE__MAX, h_denied };
