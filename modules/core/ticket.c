/* ticket.c — tickets and their thread; notifications are queued in the same transaction as the change. */
#include "ticket.h"
#include "app.h"
#include "mail.h"
#include "mailtmpl.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ticket_statuses[] = { "open", "in_progress", "waiting", "closed", NULL };
const char *const ticket_categories[] = { "question", "problem", "request", "complaint", "other", NULL };
const char *const ticket_priorities[] = { "low", "normal", "high", "urgent", NULL };

const char *const ticket_cols[TC__MAX] = {
	"id", "number", "contact_id", "customer_id", "subject", "description", "category", "priority", "status",
	"assigned_user_id", "created_at", "updated_at", "closed_at", "contact_name", "customer_name", "assigned_name",
};

enum stmt {
	STMT_INSERT, STMT_LOAD, STMT_COMMENT_ADD, STMT_TOUCH, STMT_REOPEN, STMT_SET_STATUS, STMT_SET_ASSIGNED,
	STMT_SET_PRIORITY, STMT_USER_NAME, STMT_NOTIFY_DATA, STMT_THREAD, STMT_LIST, STMT__MAX
};

#define TICKET_SELECT \
	"SELECT t.id, CONCAT('T-', LPAD(t.id, 6, '0')), t.contact_id, t.customer_id, t.subject, t.description, " \
	"t.category, t.priority, t.status, t.assigned_user_id, t.created_at, t.updated_at, t.closed_at, " \
	"TRIM(CONCAT(c.first_name, ' ', c.last_name)), cu.name, COALESCE(NULLIF(u.display_name, ''), u.login) " \
	"FROM tickets t JOIN contacts c ON c.id = t.contact_id LEFT JOIN customers cu ON cu.id = t.customer_id " \
	"LEFT JOIN users u ON u.id = t.assigned_user_id "

static const char *const stmts[STMT__MAX] = {
	/* The customer is the contact's primary customer (else its oldest), when it has one. */
	[STMT_INSERT] =
	    "INSERT INTO tickets (contact_id, customer_id, subject, description, category, priority, "
	    "assigned_user_id, created_by) SELECT c.id, (SELECT cn.customer_id FROM connections cn "
	    "WHERE cn.contact_id = c.id AND cn.customer_id IS NOT NULL ORDER BY cn.is_primary IS NULL, cn.id LIMIT 1), "
	    "?, ?, ?, ?, ?, ? FROM contacts c WHERE c.id = ? AND c.deleted_at IS NULL AND c.anonymized_at IS NULL",
	[STMT_LOAD] = TICKET_SELECT "WHERE t.id = ? AND (? = 0 OR t.contact_id = ?)",
	[STMT_COMMENT_ADD] =
	    "INSERT INTO ticket_comments (ticket_id, kind, author_user_id, author_contact_id, body) VALUES (?, ?, ?, ?, ?)",
	[STMT_TOUCH] = "UPDATE tickets SET updated_at = NOW() WHERE id = ?",
	[STMT_REOPEN] =
	    "UPDATE tickets SET status = 'open', closed_at = NULL WHERE id = ? AND status IN ('waiting', 'closed')",
	[STMT_SET_STATUS] =
	    "UPDATE tickets SET status = ?, closed_at = IF(? = 'closed', NOW(), NULL), updated_at = NOW() "
	    "WHERE id = ? AND status <> ?",
	[STMT_SET_ASSIGNED] =
	    "UPDATE tickets SET assigned_user_id = ?, updated_at = NOW() WHERE id = ? AND NOT (assigned_user_id <=> ?)",
	[STMT_SET_PRIORITY] = "UPDATE tickets SET priority = ?, updated_at = NOW() WHERE id = ? AND priority <> ?",
	[STMT_USER_NAME] = "SELECT COALESCE(NULLIF(display_name, ''), login) FROM users WHERE id = ?",
	[STMT_NOTIFY_DATA] =
	    "SELECT c.first_name, c.last_name, c.email, c.language, c.block_auto_emails, "
	    "u.id, u.email, u.language, u.active, t.subject, t.status, CONCAT('T-', LPAD(t.id, 6, '0')), c.id "
	    "FROM tickets t JOIN contacts c ON c.id = t.contact_id LEFT JOIN users u ON u.id = t.assigned_user_id "
	    "WHERE t.id = ?",
	[STMT_THREAD] =
	    "SELECT tc.id, tc.kind, tc.body, tc.created_at, tc.author_user_id, tc.author_contact_id, "
	    "COALESCE(NULLIF(u.display_name, ''), u.login), TRIM(CONCAT(c.first_name, ' ', c.last_name)) "
	    "FROM ticket_comments tc LEFT JOIN users u ON u.id = tc.author_user_id "
	    "LEFT JOIN contacts c ON c.id = tc.author_contact_id WHERE tc.ticket_id = ? ORDER BY tc.id LIMIT 1000",
	[STMT_LIST] =
	    "SELECT id, CONCAT('T-', LPAD(id, 6, '0')), subject, status, priority, updated_at, category "
	    "FROM tickets WHERE contact_id = ? ORDER BY id DESC LIMIT 500",
};

static int by_contact(const struct req *r)
{
	return r->who.kind == AUTH_PORTAL;
}

/* One mail of code in lang to `to`; link is the ticket's page on the host the recipient uses. */
static int notify_one(struct req *r, const char *code, const struct db_res *d, const char *to, const char *lang,
    const char *link, const char *comment)
{
	struct buf subject = { 0 }, body = { 0 };
	char key[64];
	int rc;

	snprintf(key, sizeof key, "Ticket.Status.%s", db_val(d, 0, 10));
	{
		const struct mailtmpl_var vars[] = {
			{ "contact.first_name", db_val(d, 0, 0) }, { "contact.last_name", db_val(d, 0, 1) },
			{ "contact.email", db_val(d, 0, 2) }, { "ticket.number", db_val(d, 0, 11) },
			{ "ticket.subject", db_val(d, 0, 9) }, { "ticket.status", lang_str(r, key) },
			{ "ticket.link", link }, { "comment.body", comment }, { "site.name", lang_str(r, "App.Name") },
		};
		rc = mailtmpl_render(code, lang && *lang ? lang : "en", vars, sizeof vars / sizeof vars[0],
		    &subject, &body);
	}
	if (rc == DB_OK) {
		rc = mail_queue(to, subject.data, body.data, db_ll(d, 0, 12), code);
		if (rc == DB_OK)
			r->mail_queued = 1;
	} else if (rc > 0) {
		log_msg(LOG_ERR, "mail template %s missing or broken: ticket mail not queued", code);
		rc = DB_OK;	/* a broken template must not undo the ticket change */
	}
	buf_free(&subject);
	buf_free(&body);
	return rc;
}

/* The contact gets the mail unless block_auto_emails (and not for its own comments, only for the
 * confirmation of a ticket it opened); the assigned staff user unless it made the change itself. */
static int notify(struct req *r, long long id, const char *code, const char *comment)
{
	struct db_res d;
	struct buf link = { 0 };
	int rc;
	const struct config *cfg = &r->app->cfg;

	if ((rc = db_exec(stmts[STMT_NOTIFY_DATA], DB_ARGS(A_INT(id)), &d)) != DB_OK)
		return rc;
	if (d.nrows == 0)
		goto out;
	if (db_val(&d, 0, 2) && *db_val(&d, 0, 2) && !str_eq(db_val(&d, 0, 4), "1") &&
	    !(by_contact(r) && strcmp(code, "ticket_updated") == 0)) {
		buf_printf(&link, "%s/tickets/%lld", cfg->portal_url ? cfg->portal_url : "", id);
		if ((rc = notify_one(r, code, &d, db_val(&d, 0, 2), db_val(&d, 0, 3), link.data, comment)) != DB_OK)
			goto out;
	}
	if (db_val(&d, 0, 5) && db_val(&d, 0, 6) && *db_val(&d, 0, 6) && str_eq(db_val(&d, 0, 8), "1") &&
	    (by_contact(r) || db_ll(&d, 0, 5) != r->who.user_id)) {
		buf_reset(&link);
		buf_printf(&link, "%s/contacts/tickets/%lld", cfg->staff_url ? cfg->staff_url : "", id);
		rc = notify_one(r, code, &d, db_val(&d, 0, 6), db_val(&d, 0, 7), link.data, comment);
	}
out:
	buf_free(&link);
	db_res_free(&d);
	return rc;
}

static int comment_add(struct req *r, long long id, const char *kind, const char *body)
{
	return db_exec(stmts[STMT_COMMENT_ADD], DB_ARGS(A_INT(id), A_STR(kind),
	    by_contact(r) ? A_NULL : A_INT(r->who.user_id), by_contact(r) ? A_INT(r->who.contact_id) : A_NULL,
	    A_STR(body)), NULL);
}

struct create_ctx {
	struct req              *r;
	const struct ticket_new *t;
	long long                id;
};

static int create_txn(void *p)
{
	struct create_ctx *c = p;
	const struct ticket_new *t = c->t;
	struct db_res res;
	int rc;

	rc = db_exec(stmts[STMT_INSERT], DB_ARGS(A_STR(t->subject), A_STR(t->description),
	    A_STR(t->category ? t->category : "question"), A_STR(t->priority ? t->priority : "normal"),
	    t->assigned_user_id > 0 ? A_INT(t->assigned_user_id) : A_NULL,
	    by_contact(c->r) ? A_NULL : A_INT(c->r->who.user_id), A_INT(t->contact_id)), &res);
	if (rc != DB_OK)
		return rc;
	c->id = res.affected ? (long long)res.insert_id : 0;
	db_res_free(&res);
	if (!c->id)
		return DB_OK;
	return notify(c->r, c->id, "ticket_created", t->description);
}

int ticket_create(struct req *r, const struct ticket_new *t, long long *id)
{
	struct create_ctx c = { r, t, 0 };
	int rc = db_txn(create_txn, &c);
	*id = c.id;
	return rc;
}

int ticket_load(long long id, long long contact_id, struct db_res *out)
{
	return db_exec(stmts[STMT_LOAD], DB_ARGS(A_INT(id), A_INT(contact_id), A_INT(contact_id)), out);
}

struct comment_ctx {
	struct req *r;
	long long   id;
	const char *body;
};

static int comment_txn(void *p)
{
	struct comment_ctx *c = p;
	int rc;

	if ((rc = comment_add(c->r, c->id, "comment", c->body)) != DB_OK)
		return rc;
	if ((rc = db_exec(stmts[STMT_TOUCH], DB_ARGS(A_INT(c->id)), NULL)) != DB_OK)
		return rc;
	if (by_contact(c->r) && (rc = db_exec(stmts[STMT_REOPEN], DB_ARGS(A_INT(c->id)), NULL)) != DB_OK)
		return rc;
	return notify(c->r, c->id, "ticket_updated", c->body);
}

int ticket_comment(struct req *r, long long id, const char *body)
{
	struct comment_ctx c = { r, id, body };
	return db_txn(comment_txn, &c);
}

struct change_ctx {
	struct req *r;
	long long   id, assigned;
	const char *status, *priority;
};

static int change_txn(void *p)
{
	struct change_ctx *c = p;
	struct db_res res;
	char ev[64];
	int rc = DB_OK, changed = 0;

	if (c->status) {
		rc = db_exec(stmts[STMT_SET_STATUS], DB_ARGS(A_STR(c->status), A_STR(c->status), A_INT(c->id),
		    A_STR(c->status)), &res);
		if (rc != DB_OK)
			return rc;
		if (res.affected) {
			snprintf(ev, sizeof ev, "status:%s", c->status);
			changed = 1;
			rc = comment_add(c->r, c->id, "event", ev);
		}
		db_res_free(&res);
		if (rc != DB_OK)
			return rc;
	}
	if (c->assigned >= 0) {
		struct db_arg who = c->assigned ? A_INT(c->assigned) : A_NULL;
		rc = db_exec(stmts[STMT_SET_ASSIGNED], DB_ARGS(who, A_INT(c->id), who), &res);
		if (rc != DB_OK)
			return rc;
		if (res.affected) {
			/* The thread keeps the name as it was: a later rename does not rewrite history. */
			struct db_res u;
			struct buf b = { 0 };
			changed = 1;
			db_res_free(&res);
			if (c->assigned && (rc = db_exec(stmts[STMT_USER_NAME], DB_ARGS(A_INT(c->assigned)), &u)) != DB_OK)
				return rc;
			buf_printf(&b, "assigned:%s", c->assigned && u.nrows ? db_val(&u, 0, 0) : "");
			if (c->assigned)
				db_res_free(&u);
			rc = comment_add(c->r, c->id, "event", b.data);
			buf_free(&b);
		} else {
			db_res_free(&res);
		}
		if (rc != DB_OK)
			return rc;
	}
	if (c->priority) {
		rc = db_exec(stmts[STMT_SET_PRIORITY], DB_ARGS(A_STR(c->priority), A_INT(c->id), A_STR(c->priority)), &res);
		if (rc != DB_OK)
			return rc;
		if (res.affected) {
			snprintf(ev, sizeof ev, "priority:%s", c->priority);
			changed = 1;
			rc = comment_add(c->r, c->id, "event", ev);
		}
		db_res_free(&res);
		if (rc != DB_OK)
			return rc;
	}
	return changed ? notify(c->r, c->id, "ticket_updated", "") : DB_OK;
}

int ticket_change(struct req *r, long long id, const char *status, long long assigned_user_id, const char *priority)
{
	struct change_ctx c = { r, id, assigned_user_id, status, priority };
	return db_txn(change_txn, &c);
}

int ticket_thread_page(struct req *r, long long id, const char *prefix)
{
	struct db_res res;
	char key[128];
	int rc = db_exec(stmts[STMT_THREAD], DB_ARGS(A_INT(id)), &res);

	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		const char *body = db_val(&res, i, 2), *colon;
#define SET(name, val) do { snprintf(key, sizeof key, "%s.%zu.%s", prefix, i, name); page_set(r, key, val); } while (0)
		SET("kind", db_val(&res, i, 1));
		SET("at", db_val(&res, i, 3));
		SET("staff", db_val(&res, i, 4) ? db_val(&res, i, 6) : NULL);
		SET("contact", db_val(&res, i, 5) ? db_val(&res, i, 7) : NULL);
		if (str_eq(db_val(&res, i, 1), "event") && body && (colon = strchr(body, ':')) != NULL) {
			char ev[32];
			snprintf(ev, sizeof ev, "%.*s", (int)(colon - body), body);
			SET("event", ev);
			SET("value", colon + 1);
		} else {
			SET("body", body);
		}
#undef SET
	}
	db_res_free(&res);
	return DB_OK;
}

int ticket_list_page(struct req *r, long long contact_id, const char *prefix)
{
	static const char *const cols[] = { "id", "number", "subject", "status", "priority", "updated_at", "category" };
	struct db_res res;
	int rc = db_exec(stmts[STMT_LIST], DB_ARGS(A_INT(contact_id)), &res);

	if (rc != DB_OK)
		return rc;
	page_set_rows(r, prefix, &res, cols, 7);
	db_res_free(&res);
	return DB_OK;
}
