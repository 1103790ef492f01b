/* link.c — connect, disconnect and primary between contacts and customers or leads. */
#include "link.h"

#include <stdio.h>
#include <string.h>

#include "contact.h"
#include "db.h"
#include "util.h"

enum stmt { STMT_CONTACT, STMT_CUSTOMER, STMT_LEAD, STMT_HAS_PRIMARY, STMT_LINKED_CUSTOMER, STMT_LINKED_LEAD, STMT_INSERT, STMT_LOAD,
	STMT_DELETE, STMT_PROMOTE, STMT_CLEAR_PRIMARY, STMT_SET_PRIMARY, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	/* the contact row is locked so that two connects cannot both become primary */
	[STMT_CONTACT] = "SELECT id FROM contacts WHERE id = ? AND deleted_at IS NULL AND anonymized_at IS NULL FOR UPDATE",
	[STMT_CUSTOMER] = "SELECT id FROM customers WHERE id = ? AND deleted_at IS NULL",
	[STMT_LEAD] = "SELECT id FROM leads WHERE id = ? AND deleted_at IS NULL AND anonymized_at IS NULL",
	[STMT_HAS_PRIMARY] = "SELECT id FROM connections WHERE contact_id = ? AND is_primary = 1",
	[STMT_LINKED_CUSTOMER] = "SELECT id FROM connections WHERE contact_id = ? AND customer_id = ?",
	[STMT_LINKED_LEAD] = "SELECT id FROM connections WHERE contact_id = ? AND lead_id = ?",
	[STMT_INSERT] =
	    "INSERT INTO connections (contact_id, customer_id, lead_id, is_primary, created_by) VALUES (?, ?, ?, ?, ?)",
	[STMT_LOAD] = "SELECT contact_id, customer_id, lead_id, is_primary FROM connections WHERE id = ?",
	[STMT_DELETE] = "DELETE FROM connections WHERE id = ?",
	[STMT_PROMOTE] = "UPDATE connections SET is_primary = 1 WHERE contact_id = ? ORDER BY id LIMIT 1",
	[STMT_CLEAR_PRIMARY] = "UPDATE connections SET is_primary = NULL WHERE contact_id = ? AND is_primary = 1",
	[STMT_SET_PRIMARY] = "UPDATE connections SET is_primary = 1 WHERE id = ?",
};

int link_target_from(const char *s)
{
	return str_eq(s, "customer") ? LINK_CUSTOMER : str_eq(s, "lead") ? LINK_LEAD : -1;
}

const char *link_target_name(enum link_target t)
{
	return t == LINK_CUSTOMER ? "customer" : "lead";
}

/* 1 if the statement finds a row; negative db_rc on failure. */
static int found(const char *sql, long long id)
{
	struct db_res res;
	int rc = db_exec(sql, DB_ARGS(A_INT(id)), &res);

	if (rc != DB_OK)
		return rc;
	rc = res.nrows > 0;
	db_res_free(&res);
	return rc;
}

/* History on both sides: the ids only, so that no name outlives an anonymization. */
static int both_histories(struct req *r, const char *action, long long contact_id, enum link_target t,
    long long target_id)
{
	char cid[24], tid[24];
	int rc;
	int adding = !strcmp(action, "connect");

	snprintf(cid, sizeof cid, "%lld", contact_id);
	snprintf(tid, sizeof tid, "%lld", target_id);
	if ((rc = history_add(r, "contact", contact_id, action, link_target_name(t),
	    adding ? NULL : tid, adding ? tid : NULL)) != DB_OK)
		return rc;
	return history_add(r, link_target_name(t), target_id, action, "contact",
	    adding ? NULL : cid, adding ? cid : NULL);
}

struct add_ctx {
	struct req      *r;
	long long        contact_id, target_id, link_id;
	enum link_target t;
	int              primary, status;
};

static int add_txn(void *p)
{
	struct add_ctx *c = p;
	struct db_res res;
	int rc, has_primary;

	c->status = 0;
	if ((rc = found(stmts[STMT_CONTACT], c->contact_id)) < 0)
		return rc;
	if (rc == 1)
		rc = found(stmts[c->t == LINK_CUSTOMER ? STMT_CUSTOMER : STMT_LEAD], c->target_id);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		c->status = 404;
		return DB_ERR;
	}
	/* checked before anything is written: inside a caller's transaction a refused
	 * connect must leave no trace (the caller may go on, e.g. lead conversion) */
	if ((rc = db_exec(stmts[c->t == LINK_CUSTOMER ? STMT_LINKED_CUSTOMER : STMT_LINKED_LEAD],
	    DB_ARGS(A_INT(c->contact_id), A_INT(c->target_id)), &res)) != DB_OK)
		return rc;
	if (res.nrows) {
		c->link_id = db_ll(&res, 0, 0);
		db_res_free(&res);
		c->status = 409;
		return DB_ERR;
	}
	db_res_free(&res);
	if ((has_primary = found(stmts[STMT_HAS_PRIMARY], c->contact_id)) < 0)
		return has_primary;
	if (c->primary && has_primary) {
		if ((rc = db_exec(stmts[STMT_CLEAR_PRIMARY], DB_ARGS(A_INT(c->contact_id)), NULL)) != DB_OK)
			return rc;
		has_primary = 0;
	}
	rc = db_exec(stmts[STMT_INSERT], DB_ARGS(A_INT(c->contact_id),
	    c->t == LINK_CUSTOMER ? A_INT(c->target_id) : A_NULL,
	    c->t == LINK_LEAD ? A_INT(c->target_id) : A_NULL,
	    has_primary ? A_NULL : A_INT(1), A_INT(c->r->who.user_id)), &res);
	if (rc == DB_DUP) {
		c->status = 409;
		return DB_ERR;
	}
	if (rc != DB_OK)
		return rc;
	c->link_id = (long long)res.insert_id;
	db_res_free(&res);
	if ((rc = both_histories(c->r, "connect", c->contact_id, c->t, c->target_id)) != DB_OK)
		return rc;
	return contact_status_refresh(c->contact_id);
}

int link_add(struct req *r, long long contact_id, enum link_target t, long long target_id, int primary, long long *link_id)
{
	struct add_ctx c = { r, contact_id, target_id, 0, t, primary, 0 };
	int rc = db_txn(add_txn, &c);

	*link_id = c.link_id;
	return c.status ? c.status : rc;
}

struct change_ctx {
	struct req *r;
	long long   link_id, contact_id;
	int         remove, status;
};

static int change_txn(void *p)
{
	struct change_ctx *c = p;
	struct db_res res;
	long long target_id;
	enum link_target t;
	int rc, was_primary;

	c->status = 0;
	if ((rc = db_exec(stmts[STMT_LOAD], DB_ARGS(A_INT(c->link_id)), &res)) != DB_OK)
		return rc;
	if (res.nrows == 0) {
		db_res_free(&res);
		c->status = 404;
		return DB_ERR;
	}
	c->contact_id = db_ll(&res, 0, 0);
	t = db_val(&res, 0, 1) ? LINK_CUSTOMER : LINK_LEAD;
	target_id = db_ll(&res, 0, t == LINK_CUSTOMER ? 1 : 2);
	was_primary = db_val(&res, 0, 3) != NULL;
	db_res_free(&res);
	/* lock the contact row: the primary decision below must not race another connect */
	if ((rc = found(stmts[STMT_CONTACT], c->contact_id)) < 0)
		return rc;
	if (!c->remove) {
		if (was_primary)
			return DB_OK;
		if ((rc = db_exec(stmts[STMT_CLEAR_PRIMARY], DB_ARGS(A_INT(c->contact_id)), NULL)) != DB_OK)
			return rc;
		if ((rc = db_exec(stmts[STMT_SET_PRIMARY], DB_ARGS(A_INT(c->link_id)), NULL)) != DB_OK)
			return rc;
		{
			char tid[24];
			snprintf(tid, sizeof tid, "%lld", target_id);
			return history_add(c->r, "contact", c->contact_id, "primary", link_target_name(t), NULL, tid);
		}
	}
	if ((rc = db_exec(stmts[STMT_DELETE], DB_ARGS(A_INT(c->link_id)), NULL)) != DB_OK)
		return rc;
	if (was_primary && (rc = db_exec(stmts[STMT_PROMOTE], DB_ARGS(A_INT(c->contact_id)), NULL)) != DB_OK)
		return rc;
	if ((rc = both_histories(c->r, "disconnect", c->contact_id, t, target_id)) != DB_OK)
		return rc;
	return contact_status_refresh(c->contact_id);
}

int link_remove(struct req *r, long long link_id, long long *contact_id)
{
	struct change_ctx c = { r, link_id, 0, 1, 0 };
	int rc = db_txn(change_txn, &c);

	*contact_id = c.contact_id;
	return c.status ? c.status : rc;
}

int link_set_primary(struct req *r, long long link_id, long long *contact_id)
{
	struct change_ctx c = { r, link_id, 0, 0, 0 };
	int rc = db_txn(change_txn, &c);

	*contact_id = c.contact_id;
	return c.status ? c.status : rc;
}
