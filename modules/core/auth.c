/* auth.c — Argon2id passwords, MariaDB-backed sessions and API tokens, login throttling. */
#include "auth.h"
#include "app.h"
#include "db.h"
#include "portalacct.h"
#include "render.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>

enum stmt {
	STMT_SESSION_GET,
	STMT_SESSION_TOUCH,
	STMT_SESSION_ADD,
	STMT_SESSION_DEL,
	STMT_PSESSION_GET,
	STMT_PSESSION_TOUCH,
	STMT_PSESSION_ADD,
	STMT_PSESSION_DEL,
	STMT_TOKEN_GET,
	STMT_TOKEN_USED,
	STMT_TOKEN_ADD,
	STMT_FAIL_COUNT,
	STMT_FAIL_IP_COUNT,
	STMT_FAIL_ADD,
	STMT_FAIL_CLEAR,
	STMT_FAIL_PURGE,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_SESSION_GET] =
	    "SELECT u.id, u.login, u.display_name, s.csrf, "
	    "(SELECT GROUP_CONCAT(role) FROM user_roles WHERE user_id = u.id), "
	    "s.last_seen < NOW() - INTERVAL 5 MINUTE "
	    "FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.id_hash = ? AND s.expires_at > NOW() AND u.active = 1",
	[STMT_SESSION_TOUCH] =
	    "UPDATE sessions SET last_seen = NOW(), expires_at = NOW() + INTERVAL ? SECOND WHERE id_hash = ?",
	[STMT_SESSION_ADD] =
	    "INSERT INTO sessions (id_hash, user_id, csrf, expires_at, ip) "
	    "VALUES (?, ?, ?, NOW() + INTERVAL ? SECOND, ?)",
	[STMT_SESSION_DEL] = "DELETE FROM sessions WHERE id_hash = ?",
	[STMT_PSESSION_GET] =
	    "SELECT a.id, a.email, TRIM(CONCAT(c.first_name, ' ', c.last_name)), s.csrf, a.contact_id, "
	    "s.last_seen < NOW() - INTERVAL 5 MINUTE, c.language, " PORTAL_DENIED_SQL " "
	    "FROM portal_sessions s JOIN portal_accounts a ON a.id = s.account_id "
	    "JOIN contacts c ON c.id = a.contact_id "
	    "WHERE s.id_hash = ? AND s.expires_at > NOW()",
	[STMT_PSESSION_TOUCH] =
	    "UPDATE portal_sessions SET last_seen = NOW(), expires_at = NOW() + INTERVAL ? SECOND WHERE id_hash = ?",
	[STMT_PSESSION_ADD] =
	    "INSERT INTO portal_sessions (id_hash, account_id, csrf, expires_at, ip) "
	    "VALUES (?, ?, ?, NOW() + INTERVAL ? SECOND, ?)",
	[STMT_PSESSION_DEL] = "DELETE FROM portal_sessions WHERE id_hash = ?",
	[STMT_TOKEN_GET] =
	    "SELECT u.id, u.login, u.display_name, "
	    "(SELECT GROUP_CONCAT(role) FROM user_roles WHERE user_id = u.id), t.id, "
	    "t.last_used_at IS NULL OR t.last_used_at < NOW() - INTERVAL 5 MINUTE "
	    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
	    "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.active = 1",
	[STMT_TOKEN_USED] = "UPDATE api_tokens SET last_used_at = NOW() WHERE id = ?",
	[STMT_TOKEN_ADD] = "INSERT INTO api_tokens (user_id, token_hash, label) VALUES (?, ?, ?)",
	[STMT_FAIL_COUNT] =
	    "SELECT COUNT(*) FROM login_failures WHERE scope = ? AND login = ? "
	    "AND at > NOW() - INTERVAL 15 MINUTE",
	[STMT_FAIL_IP_COUNT] =
	    "SELECT COUNT(*) FROM login_failures WHERE scope = ? AND ip = ? "
	    "AND at > NOW() - INTERVAL 15 MINUTE",
	[STMT_FAIL_ADD] = "INSERT INTO login_failures (scope, login, ip) VALUES (?, ?, ?)",
	[STMT_FAIL_CLEAR] = "DELETE FROM login_failures WHERE scope = ? AND login = ?",
	[STMT_FAIL_PURGE] = "DELETE FROM login_failures WHERE at < NOW() - INTERVAL 1 DAY LIMIT 1000",
};

int password_hash(const char *password, char out[128])
{
	return crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

int password_verify(const char *hash, const char *password)
{
	if (!hash || !*hash || !password)
		return 0;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void password_dummy_verify(const char *password)
{
	static char dummy[crypto_pwhash_STRBYTES];
	if (!dummy[0] && password_hash("not a real password", dummy) < 0)
		return;
	(void)password_verify(dummy, password ? password : "");
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* The session cookie must look like what we issue: 64 lowercase hex chars. */
static int token_shape_ok(const char *t, size_t len)
{
	if (!t || strlen(t) != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return 0;
	return 1;
}

static int auth_bearer(struct req *r, const char *hdr)
{
	struct db_res res;
	char hash[65];
	const char *tok;
	int rc;

	if (strncasecmp(hdr, "Bearer ", 7) != 0)
		return DB_OK;
	tok = hdr + 7;
	while (*tok == ' ')
		tok++;
	if (strncmp(tok, "crm_", 4) != 0 || !token_shape_ok(tok + 4, 64))
		return DB_OK;
	sha256_hex(tok, strlen(tok), hash);
	if ((rc = db_exec(stmts[STMT_TOKEN_GET], DB_ARGS(A_STR(hash)), &res)) != DB_OK)
		return rc;
	if (res.nrows == 1) {
		r->who.kind = AUTH_TOKEN;
		r->who.user_id = db_ll(&res, 0, 0);
		copy(r->who.login, sizeof r->who.login, db_val(&res, 0, 1));
		copy(r->who.name, sizeof r->who.name, db_val(&res, 0, 2));
		r->who.roles = roles_from_list(db_val(&res, 0, 3));
		if (db_ll(&res, 0, 5))
			(void)db_exec(stmts[STMT_TOKEN_USED], DB_ARGS(A_INT(db_ll(&res, 0, 4))), NULL);
	}
	db_res_free(&res);
	return DB_OK;
}

int auth_staff(struct req *r)
{
	const char *hdr = req_env(r, "HTTP_AUTHORIZATION"), *cookie;
	struct db_res res;
	char hash[65];
	int rc;

	memset(&r->who, 0, sizeof r->who);
	if (hdr && r->is_api)
		return auth_bearer(r, hdr);
	cookie = req_cookie(r, SESSION_COOKIE);
	if (!token_shape_ok(cookie, 64))
		return DB_OK;
	sha256_hex(cookie, 64, hash);
	if ((rc = db_exec(stmts[STMT_SESSION_GET], DB_ARGS(A_STR(hash)), &res)) != DB_OK)
		return rc;
	if (res.nrows == 1) {
		r->who.kind = AUTH_SESSION;
		r->who.user_id = db_ll(&res, 0, 0);
		copy(r->who.login, sizeof r->who.login, db_val(&res, 0, 1));
		copy(r->who.name, sizeof r->who.name, db_val(&res, 0, 2));
		copy(r->who.csrf, sizeof r->who.csrf, db_val(&res, 0, 3));
		r->who.roles = roles_from_list(db_val(&res, 0, 4));
		copy(r->who.session_hash, sizeof r->who.session_hash, hash);
		/* Sliding expiry, written at most every five minutes. */
		if (db_ll(&res, 0, 5))
			(void)db_exec(stmts[STMT_SESSION_TOUCH],
			    DB_ARGS(A_INT(r->app->cfg.session_ttl), A_STR(hash)), NULL);
	}
	db_res_free(&res);
	return DB_OK;
}

/* The access window is checked on every request, not only at sign-in: a session whose contact lost access
 * (dates passed, deactivated, portal switched off) ends here, and who.denied says why for the page. */
int auth_portal(struct req *r)
{
	const char *cookie = req_cookie(r, PORTAL_COOKIE), *lang;
	struct db_res res;
	char hash[65];
	int rc;

	memset(&r->who, 0, sizeof r->who);
	if (!token_shape_ok(cookie, 64))
		return DB_OK;
	sha256_hex(cookie, 64, hash);
	if ((rc = db_exec(stmts[STMT_PSESSION_GET], DB_ARGS(A_STR(hash)), &res)) != DB_OK)
		return rc;
	if (res.nrows == 1 && db_val(&res, 0, 7) && *db_val(&res, 0, 7)) {
		copy(r->who.denied, sizeof r->who.denied, db_val(&res, 0, 7));
		copy(r->who.access_start, sizeof r->who.access_start, db_val(&res, 0, 8));
		copy(r->who.access_end, sizeof r->who.access_end, db_val(&res, 0, 9));
		(void)db_exec(stmts[STMT_PSESSION_DEL], DB_ARGS(A_STR(hash)), NULL);
		resp_cookie(r, PORTAL_COOKIE, "", 0);
	} else if (res.nrows == 1) {
		r->who.kind = AUTH_PORTAL;
		r->who.user_id = db_ll(&res, 0, 0);
		copy(r->who.login, sizeof r->who.login, db_val(&res, 0, 1));
		copy(r->who.name, sizeof r->who.name, db_val(&res, 0, 2));
		copy(r->who.csrf, sizeof r->who.csrf, db_val(&res, 0, 3));
		r->who.contact_id = db_ll(&res, 0, 4);
		copy(r->who.session_hash, sizeof r->who.session_hash, hash);
		/* The contact's language, unless the visitor picked one with the switch. */
		lang = db_val(&res, 0, 6);
		if (!req_cookie(r, LANG_COOKIE) && (str_eq(lang, "it") || str_eq(lang, "en")))
			r->lang = str_eq(lang, "it") ? "it" : "en";
		if (db_ll(&res, 0, 5))
			(void)db_exec(stmts[STMT_PSESSION_TOUCH],
			    DB_ARGS(A_INT(r->app->cfg.session_ttl), A_STR(hash)), NULL);
	}
	db_res_free(&res);
	return DB_OK;
}

int session_start(struct req *r, long long user_id, int portal)
{
	char token[65], hash[65], csrf[65];
	int rc;

	rand_hex(token, 32);
	rand_hex(csrf, 32);
	sha256_hex(token, 64, hash);
	rc = db_exec(stmts[portal ? STMT_PSESSION_ADD : STMT_SESSION_ADD],
	    DB_ARGS(A_STR(hash), A_INT(user_id), A_STR(csrf), A_INT(r->app->cfg.session_ttl),
	    A_STR(r->remote_addr)), NULL);
	if (rc != DB_OK)
		return rc;
	resp_cookie(r, portal ? PORTAL_COOKIE : SESSION_COOKIE, token, r->app->cfg.session_ttl);
	/* The anonymous double-submit token has done its job. */
	resp_cookie(r, CSRF_COOKIE, "", 0);
	return DB_OK;
}

int session_end(struct req *r, int portal)
{
	int rc = DB_OK;
	if (r->who.session_hash[0])
		rc = db_exec(stmts[portal ? STMT_PSESSION_DEL : STMT_SESSION_DEL],
		    DB_ARGS(A_STR(r->who.session_hash)), NULL);
	resp_cookie(r, portal ? PORTAL_COOKIE : SESSION_COOKIE, "", 0);
	return rc;
}

int throttle_blocked(struct req *r, const char *scope, const char *login, int *blocked)
{
	struct db_res res;
	int rc;

	*blocked = 0;
	if ((rc = db_exec(stmts[STMT_FAIL_COUNT], DB_ARGS(A_STR(scope), A_STR(login)), &res)) != DB_OK)
		return rc;
	if (db_ll(&res, 0, 0) >= THROTTLE_MAX_PER_LOGIN)
		*blocked = 1;
	db_res_free(&res);
	if (*blocked)
		return DB_OK;
	if ((rc = db_exec(stmts[STMT_FAIL_IP_COUNT], DB_ARGS(A_STR(scope), A_STR(r->remote_addr)), &res)) != DB_OK)
		return rc;
	if (db_ll(&res, 0, 0) >= THROTTLE_MAX_PER_IP)
		*blocked = 1;
	db_res_free(&res);
	return DB_OK;
}

int throttle_fail(struct req *r, const char *scope, const char *login)
{
	(void)db_exec(stmts[STMT_FAIL_PURGE], DB_NOARGS, NULL);
	return db_exec(stmts[STMT_FAIL_ADD], DB_ARGS(A_STR(scope), A_STR(login), A_STR(r->remote_addr)), NULL);
}

void throttle_clear(struct req *r, const char *scope, const char *login)
{
	(void)r;
	(void)db_exec(stmts[STMT_FAIL_CLEAR], DB_ARGS(A_STR(scope), A_STR(login)), NULL);
}

int token_create(long long user_id, const char *label, char out[80])
{
	char raw[65], hash[65];

	rand_hex(raw, 32);
	snprintf(out, 80, "crm_%s", raw);
	sha256_hex(out, strlen(out), hash);
	return db_exec(stmts[STMT_TOKEN_ADD], DB_ARGS(A_INT(user_id), A_STR(hash), A_STR(label ? label : "")), NULL);
}

/* Anonymous forms (staff and portal login) are protected by a double-submit
 * cookie: the token goes into the page (CSRF) and into crm_csrf. */
void csrf_form_token(struct req *r)
{
	const char *have = req_cookie(r, CSRF_COOKIE);
	char tok[65];

	if (have && strlen(have) == 64) {
		page_set(r, "CSRF", have);
		return;
	}
	rand_hex(tok, 32);
	resp_cookie(r, CSRF_COOKIE, tok, 7200);
	page_set(r, "CSRF", tok);
}
