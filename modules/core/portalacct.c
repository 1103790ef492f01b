/* portalacct.c — portal accounts: creation with portal_user, single-use password links and their mails,
 * session revocation. Only SHA-256 hashes of link tokens are stored; passwords are never mailed. */
#include "portalacct.h"
#include "app.h"
#include "contact.h"
#include "db.h"
#include "mail.h"
#include "mailtmpl.h"
#include "render.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum stmt {
	STMT_EMAIL_TAKEN, STMT_ACCOUNT, STMT_ACCOUNT_ADD, STMT_ACCOUNT_EMAIL, STMT_END_SESSIONS,
	STMT_MAIL_DATA, STMT_TOKEN_ADD, STMT_TOKEN_FIND, STMT_TOKEN_FIND_LOCK, STMT_SET_PASSWORD,
	STMT_SPEND_TOKENS, STMT_END_OTHER_SESSIONS, STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_EMAIL_TAKEN] = "SELECT 1 FROM portal_accounts WHERE email = ? AND contact_id <> ?",
	[STMT_ACCOUNT] = "SELECT id, email FROM portal_accounts WHERE contact_id = ?",
	[STMT_ACCOUNT_ADD] = "INSERT INTO portal_accounts (contact_id, email) VALUES (?, ?)",
	[STMT_ACCOUNT_EMAIL] = "UPDATE portal_accounts SET email = ? WHERE id = ?",
	[STMT_END_SESSIONS] =
	    "DELETE s FROM portal_sessions s JOIN portal_accounts a ON a.id = s.account_id WHERE a.contact_id = ?",
	[STMT_MAIL_DATA] =
	    "SELECT a.email, c.first_name, c.last_name, c.email, c.language, c.id "
	    "FROM portal_accounts a JOIN contacts c ON c.id = a.contact_id WHERE a.id = ?",
	[STMT_TOKEN_ADD] =
	    "INSERT INTO portal_tokens (account_id, token_hash, purpose, expires_at) VALUES (?, ?, ?, ?)",
	[STMT_TOKEN_FIND] =
	    "SELECT account_id FROM portal_tokens WHERE token_hash = ? AND used_at IS NULL "
	    "AND expires_at > UTC_TIMESTAMP()",
	[STMT_TOKEN_FIND_LOCK] =
	    "SELECT account_id FROM portal_tokens WHERE token_hash = ? AND used_at IS NULL "
	    "AND expires_at > UTC_TIMESTAMP() FOR UPDATE",
	[STMT_SET_PASSWORD] = "UPDATE portal_accounts SET password_hash = ? WHERE id = ?",
	[STMT_SPEND_TOKENS] =
	    "UPDATE portal_tokens SET used_at = UTC_TIMESTAMP() WHERE account_id = ? AND used_at IS NULL",
	[STMT_END_OTHER_SESSIONS] = "DELETE FROM portal_sessions WHERE account_id = ? AND id_hash <> ?",
};

static void add_err(struct contact_err *err, const char *field, const char *msg)
{
	if (err->n < MAX_FORM_ERRORS) {
		err->e[err->n].field = field;
		err->e[err->n].msg = msg;
	}
	err->n++;
}

static int has_err(const struct contact_err *err, const char *field)
{
	for (int i = 0; i < err->n && i < MAX_FORM_ERRORS; i++)
		if (!strcmp(err->e[i].field, field))
			return 1;
	return 0;
}

int portal_validate(const struct contact_in *in, long long self_id, struct contact_err *err)
{
	struct db_res res;
	int rc;

	if (!str_eq(in->v[CF_PORTAL_USER], "1") || has_err(err, "email"))
		return DB_OK;
	if (!in->v[CF_EMAIL] || !*in->v[CF_EMAIL]) {
		add_err(err, "email", "PortalNeedsEmail");
		return DB_OK;
	}
	rc = db_exec(stmts[STMT_EMAIL_TAKEN], DB_ARGS(A_STR(in->v[CF_EMAIL]), A_INT(self_id)), &res);
	if (rc != DB_OK)
		return rc;
	if (res.nrows)
		add_err(err, "email", "PortalEmailTaken");
	db_res_free(&res);
	return DB_OK;
}

int portal_end_sessions(long long contact_id)
{
	return db_exec(stmts[STMT_END_SESSIONS], DB_ARGS(A_INT(contact_id)), NULL);
}

int portal_sync(struct req *r, long long contact_id, const struct contact_in *in, int was_on)
{
	int on = str_eq(in->v[CF_PORTAL_USER], "1"), active = !in->v[CF_ACTIVE] || str_eq(in->v[CF_ACTIVE], "1");
	const char *email = in->v[CF_EMAIL];
	struct db_res res;
	long long account = 0;
	int rc, issue = 0;

	if (!on || !active)
		if ((rc = portal_end_sessions(contact_id)) != DB_OK)
			return rc;
	if (!on || !email || !*email)
		return DB_OK;
	if ((rc = db_exec(stmts[STMT_ACCOUNT], DB_ARGS(A_INT(contact_id)), &res)) != DB_OK)
		return rc;
	if (res.nrows) {
		account = db_ll(&res, 0, 0);
		if (strcasecmp(db_val(&res, 0, 1), email) != 0)
			rc = db_exec(stmts[STMT_ACCOUNT_EMAIL], DB_ARGS(A_STR(email), A_INT(account)), NULL);
		issue = !was_on;
		db_res_free(&res);
	} else {
		db_res_free(&res);
		rc = db_exec(stmts[STMT_ACCOUNT_ADD], DB_ARGS(A_INT(contact_id), A_STR(email)), &res);
		if (rc == DB_OK) {
			account = (long long)res.insert_id;
			db_res_free(&res);
		}
		issue = 1;
	}
	if (rc != DB_OK)
		return rc;
	/* An inactive contact gets the link when it is activated with portal access switched on again. */
	if (issue && active)
		return portal_link_issue(r, account, "access");
	return DB_OK;
}

int portal_link_issue(struct req *r, long long account_id, const char *purpose)
{
	int reset = !strcmp(purpose, "reset");
	const char *code = reset ? "password_reset" : "portal_access";
	struct buf link = { 0 }, subject = { 0 }, body = { 0 };
	struct db_res res;
	char token[65], hash[65], expires[32], expires_db[32];
	time_t until = time(NULL) + (reset ? PORTAL_RESET_HOURS : PORTAL_ACCESS_HOURS) * 3600L;
	struct tm tm;
	int rc;

	rand_hex(token, 32);
	sha256_hex(token, 64, hash);
	gmtime_r(&until, &tm);
	strftime(expires_db, sizeof expires_db, "%Y-%m-%d %H:%M:%S", &tm);
	strftime(expires, sizeof expires, "%Y-%m-%d %H:%M UTC", &tm);
	rc = db_exec(stmts[STMT_TOKEN_ADD], DB_ARGS(A_INT(account_id), A_STR(hash), A_STR(purpose),
	    A_STR(expires_db)), NULL);
	if (rc != DB_OK)
		return rc;
	if ((rc = db_exec(stmts[STMT_MAIL_DATA], DB_ARGS(A_INT(account_id)), &res)) != DB_OK)
		return rc;
	if (res.nrows == 0) {
		db_res_free(&res);
		return DB_ERR;
	}
	buf_printf(&link, "%s/password?token=%s", r->app && r->app->cfg.portal_url ? r->app->cfg.portal_url : "",
	    token);
	{
		const struct mailtmpl_var vars[] = {
			{ "contact.first_name", db_val(&res, 0, 1) }, { "contact.last_name", db_val(&res, 0, 2) },
			{ "contact.email", db_val(&res, 0, 3) }, { "portal.login", db_val(&res, 0, 0) },
			{ "portal.link", link.data }, { "portal.expires", expires },
			{ "reset.link", link.data }, { "reset.expires", expires },
			{ "site.name", lang_str(r, "App.Name") },
		};
		const char *lang = db_val(&res, 0, 4);
		rc = mailtmpl_render(code, lang && *lang ? lang : "en", vars, sizeof vars / sizeof vars[0],
		    &subject, &body);
		if (rc == DB_OK)
			rc = mail_queue(db_val(&res, 0, 0), subject.data, body.data, db_ll(&res, 0, 5), code);
		else if (rc > 0) {
			log_msg(LOG_ERR, "mail template %s missing or broken: no %s link mailed", code, purpose);
			rc = DB_ERR;
		}
	}
	if (rc == DB_OK)
		r->mail_queued = 1;
	db_res_free(&res);
	buf_free(&link);
	buf_free(&subject);
	buf_free(&body);
	return rc;
}

int portal_token_find(const char *token, int for_update, long long *account_id)
{
	struct db_res res;
	char hash[65];
	int rc;

	*account_id = 0;
	if (!token || strlen(token) != 64)
		return DB_OK;
	for (const char *p = token; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return DB_OK;
	sha256_hex(token, 64, hash);
	rc = db_exec(stmts[for_update ? STMT_TOKEN_FIND_LOCK : STMT_TOKEN_FIND], DB_ARGS(A_STR(hash)), &res);
	if (rc != DB_OK)
		return rc;
	if (res.nrows)
		*account_id = db_ll(&res, 0, 0);
	db_res_free(&res);
	return DB_OK;
}

int portal_password_store(long long account_id, const char *hash, const char *keep_session_hash)
{
	int rc;

	if ((rc = db_exec(stmts[STMT_SET_PASSWORD], DB_ARGS(A_STR(hash), A_INT(account_id)), NULL)) != DB_OK)
		return rc;
	if ((rc = db_exec(stmts[STMT_SPEND_TOKENS], DB_ARGS(A_INT(account_id)), NULL)) != DB_OK)
		return rc;
	return db_exec(stmts[STMT_END_OTHER_SESSIONS], DB_ARGS(A_INT(account_id),
	    A_STR(keep_session_hash ? keep_session_hash : "")), NULL);
}
