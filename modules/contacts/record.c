/* record.c — one contact in the staff UI: form (create, edit, Save / Save and Exit), conflict view,
 * contact page with its history, delete confirmation, recycle bin and restore. */
#include "contacts.h"
#include "document.h"
#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "link.h"
#include "db.h"
#include "dupe.h"
#include "render.h"

enum stmt { STMT_REPORTS, STMT_BIN, STMT_CONNECTIONS, STMT_CUSTOMER, STMT_MEMBERSHIPS, STMT_MLISTS, STMT_CHAIN, STMT_MAILS, STMT_MANAGERS, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_REPORTS] =
	    "SELECT id, first_name, last_name, job_title FROM contacts "
	    "WHERE reports_to_id = ? AND deleted_at IS NULL ORDER BY last_name, first_name, id LIMIT 200",
	[STMT_BIN] =
	    "SELECT c.id, c.first_name, c.last_name, c.email, c.deleted_at, u.login FROM contacts c "
	    "LEFT JOIN users u ON u.id = c.deleted_by WHERE c.deleted_at IS NOT NULL AND c.anonymized_at IS NULL "
	    "ORDER BY c.deleted_at DESC, c.id DESC LIMIT 500",
	[STMT_MEMBERSHIPS] =
	    "SELECT l.id, l.name, m.added_at FROM marketing_list_members m JOIN marketing_lists l ON l.id = m.list_id "
	    "WHERE m.contact_id = ? ORDER BY l.name",
	[STMT_CHAIN] =
	    "SELECT id, first_name, last_name, job_title, reports_to_id FROM contacts WHERE id = ? AND deleted_at IS NULL",
	/* Candidates for "reports to": one prefix lookup per indexed column. */
	[STMT_MANAGERS] =
	    "SELECT id, first_name, last_name, job_title, email FROM contacts WHERE id IN ("
	    "SELECT id FROM ((SELECT id FROM contacts WHERE last_name LIKE ? LIMIT 20) "
	    "UNION (SELECT id FROM contacts WHERE first_name LIKE ? LIMIT 20) "
	    "UNION (SELECT id FROM contacts WHERE email LIKE ? LIMIT 20)) m) "
	    "AND deleted_at IS NULL AND anonymized_at IS NULL AND id <> ? "
	    "ORDER BY last_name, first_name, id LIMIT 20",
	[STMT_MAILS] =
	    "SELECT created_at, subject, status, sent_at FROM outbox WHERE contact_id = ? ORDER BY id DESC LIMIT 50",
	[STMT_MLISTS] = "SELECT id, name FROM marketing_lists ORDER BY name LIMIT 500",
	[STMT_CUSTOMER] = "SELECT id, name FROM customers WHERE id = ? AND deleted_at IS NULL",
	[STMT_CONNECTIONS] =
	    "SELECT cn.id, cu.id, cu.name, ld.id, NULLIF(TRIM(CONCAT(ld.first_name, ' ', ld.last_name, ' ', ld.company)), ''), "
	    "cn.is_primary FROM connections cn LEFT JOIN customers cu ON cu.id = cn.customer_id "
	    "LEFT JOIN leads ld ON ld.id = cn.lead_id WHERE cn.contact_id = ? ORDER BY cn.is_primary DESC, cn.id",
};

static const char *field_kind(int i)
{
	switch (contact_fields[i].type) {
	case V_BOOL: return "checkbox";
	case V_DATE: case V_PAST_DATE: return "date";
	case V_EMAIL: return "email";
	case V_PHONE: return "tel";
	case V_ENUM: return "select";
	case V_LONGTEXT: return "textarea";
	case V_ID: return "number";
	default: return "text";
	}
}

/* Form.Fields.N.* in table order; the template groups them by section. */
static void form_fields(struct req *r, const char *const *values)
{
	char key[96];
	for (int i = 0; i < CF__MAX; i++) {
		snprintf(key, sizeof key, "Form.Fields.%d.name", i);
		page_set(r, key, contact_fields[i].name);
		snprintf(key, sizeof key, "Form.Fields.%d.kind", i);
		page_set(r, key, field_kind(i));
		snprintf(key, sizeof key, "Form.Fields.%d.section", i);
		page_set(r, key, contact_section[i]);
		snprintf(key, sizeof key, "Form.Fields.%d.value", i);
		page_set(r, key, values && values[i] ? values[i] : "");
		if (contact_fields[i].choices)
			for (int c = 0; contact_fields[i].choices[c]; c++) {
				snprintf(key, sizeof key, "Form.Fields.%d.options.%d", i, c);
				page_set(r, key, contact_fields[i].choices[c]);
			}
	}
}

/* The form's Connections section: existing links when editing; on a new contact, the customer
 * it was started from ("New contact person" on a customer's profile) as customer_id. */
static int form_connections(struct req *r, long long id)
{
	static const char *const ccols[] = { "id", "customer_id", "customer", "lead_id", "lead", "primary" };
	static const struct field cf = { "customer_id", V_ID, 0, 0, 0, NULL };
	struct fval v;
	struct db_res res;
	int rc;

	if (id) {
		if ((rc = db_exec(stmts[STMT_CONNECTIONS], DB_ARGS(A_INT(id)), &res)) != DB_OK)
			return rc;
		page_set_rows(r, "Connections", &res, ccols, 6);
		db_res_free(&res);
		return DB_OK;
	}
	memset(&v, 0, sizeof v);
	if (validate_one(&cf, req_param(r, "customer_id"), &v) != NULL || !v.present)
		return DB_OK;
	if ((rc = db_exec(stmts[STMT_CUSTOMER], DB_ARGS(A_INT(v.i)), &res)) != DB_OK)
		return rc;
	if (res.nrows) {
		page_set(r, "Form.CustomerId", db_val(&res, 0, 0));
		page_set(r, "Form.CustomerName", db_val(&res, 0, 1));
	}
	db_res_free(&res);
	return DB_OK;
}

static int form_page(struct req *r, int status, long long id, long long version,
    const char *const *values, const struct contact_err *err)
{
	int rc;

	page_set(r, "Page.Title", lang_str(r, id ? "Contact.Edit" : "Contact.New"));
	if (id) {
		page_set_int(r, "Form.Id", id);
		page_set_int(r, "Form.Version", version);
	}
	form_fields(r, values);
	if ((rc = form_connections(r, id)) != DB_OK)
		return rc;
	/* additional fields and consents: the submitted values when the form comes back after a POST */
	if ((rc = contact_extras_form(r, id, str_eq(r->method, "POST"))) != DB_OK)
		return rc;
	if (err && err->n)
		page_set_errors(r, err->e, err->n);
	if (str_eq(req_param(r, "saved"), "1"))
		page_set(r, "Form.Saved", lang_str(r, "Contact.Saved"));
	return page_render(r, status, "contacts/form.cs");
}

/* The no-script contact picker for "reports to": the form comes back with the
 * input kept and the matching contacts as choices. */
static int find_manager(struct req *r, long long self_id, long long version, struct contact_in *in)
{
	static const char *const cols[] = { "id", "first_name", "last_name", "job_title", "email" };
	const char *q = req_param(r, "reports_to_query");
	struct buf like = { 0 };
	struct db_res res;
	int rc;

	if (!q || !*q || strlen(q) > 100 || !utf8_valid_text(q, strlen(q), 0))
		q = "";
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_puts(&like, "\\");
		buf_append(&like, p, 1);
	}
	buf_puts(&like, "%");
	rc = *q ? db_exec(stmts[STMT_MANAGERS], DB_ARGS(A_STR(like.data), A_STR(like.data), A_STR(like.data),
	    A_INT(self_id)), &res) : DB_OK;
	buf_free(&like);
	if (rc != DB_OK)
		return rc;
	if (*q) {
		page_set_rows(r, "Form.Managers", &res, cols, 5);
		page_set_int(r, "Form.ManagerCount", (long long)res.nrows);
		db_res_free(&res);
	}
	page_set(r, "Form.ManagerQuery", q);
	page_set_int(r, "Form.ManagerSearched", 1);
	return form_page(r, 200, self_id, version, (const char *const *)in->v, NULL);
}

int contact_new_page(struct req *r)
{
	const char *values[CF__MAX] = { 0 };
	values[CF_ACTIVE] = "1";
	values[CF_CONTACT_PREFERENCE] = "any";
	return form_page(r, 200, 0, 0, values, NULL);
}

int contact_edit_page(struct req *r)
{
	struct db_res row;
	const char *values[CF__MAX];
	int rc;

	if ((rc = contact_load(r->ids[0], 0, &row)) != DB_OK)
		return rc;
	if (row.nrows == 0 || db_val(&row, 0, CM_ANONYMIZED_AT)) {
		db_res_free(&row);
		return 404;
	}
	for (int i = 0; i < CF__MAX; i++)
		values[i] = db_val(&row, 0, (size_t)i);
	rc = form_page(r, 200, r->ids[0], db_ll(&row, 0, CM_VERSION), values, NULL);
	db_res_free(&row);
	return rc;
}

static void after_save(struct req *r, long long id)
{
	char loc[96];
	if (str_eq(req_param(r, "action"), "save_exit"))
		snprintf(loc, sizeof loc, "/contacts");
	else
		snprintf(loc, sizeof loc, "/contacts/%lld/edit?saved=1", id);
	resp_redirect(r, loc);
}

struct create_link {
	struct req         *r;
	struct contact_in  *in;
	struct contact_err *err;
	long long           customer_id, id;
};

static int create_link_txn(void *p)
{
	struct create_link *c = p;
	long long link_id;
	int rc = contact_create(c->r, c->in, NULL, &c->id);

	if (rc != DB_OK || !c->customer_id)
		return rc;
	rc = link_add(c->r, c->id, LINK_CUSTOMER, c->customer_id, 1, &link_id);
	if (rc == 404) {
		/* the customer went to the bin meanwhile: nothing is saved, the form says why */
		c->err->e[c->err->n++] = (struct ferr){ "customer_id", "Id" };
		return DB_ERR;
	}
	return rc;
}

/* Creates the contact and, when the form carries customer_id, connects it, in one transaction. */
static int create_connected(struct req *r, struct contact_in *in, struct contact_err *err, long long *id)
{
	static const struct field cf = { "customer_id", V_ID, 0, 0, 0, NULL };
	struct create_link c = { r, in, err, 0, 0 };
	struct fval v;
	int rc;

	memset(&v, 0, sizeof v);
	if (validate_one(&cf, req_param(r, "customer_id"), &v) != NULL) {
		err->e[err->n++] = (struct ferr){ "customer_id", "Id" };
		return DB_OK;
	}
	c.customer_id = v.present ? v.i : 0;
	rc = db_txn(create_link_txn, &c);
	*id = c.id;
	return err->n ? DB_OK : rc;
}

int contact_create_post(struct req *r)
{
	struct contact_in in;
	struct contact_err err;
	struct contact_extras x;
	long long id = 0;
	int rc;

	contact_in_from_request(&in, r, NULL, 0);
	if (str_eq(req_param(r, "action"), "find_manager")) {
		rc = find_manager(r, 0, 0, &in);
		contact_in_free(&in);
		return rc;
	}
	err.n = 0;
	if ((rc = contact_extras_parse(r, 0, &x, &in)) == DB_OK && (rc = contact_validate(&in, 0, &err)) == DB_OK &&
	    err.n == 0 && !str_eq(req_param(r, "create_anyway"), "1")) {
		/* likely duplicates are shown above the kept form, with "Save anyway" */
		struct db_res d;
		long long cu;
		if (parse_ll(req_param(r, "customer_id"), 1, 9223372036854775807LL, &cu) == 0)
			in.customer_id = cu;	/* "New contact person" of a customer: the name key includes it */
		if ((rc = contact_in_duplicates(&in, 0, &d)) == DB_OK && d.nrows) {
			static const char *const dcols[DC__N] = { "id", "first_name", "last_name", "email", "mobile_phone",
				"work_phone" };
			page_set_rows(r, "Form.Duplicates", &d, dcols, DC__N);
			db_res_free(&d);
			rc = form_page(r, 409, 0, 0, (const char *const *)in.v, &err);
			contact_extras_free(&x);
			contact_in_free(&in);
			return rc;
		}
		if (rc == DB_OK)
			db_res_free(&d);
	}
	if (rc == DB_OK && err.n == 0)
		rc = create_connected(r, &in, &err, &id);
	if (rc == DB_OK && err.n) {
		rc = form_page(r, 422, 0, 0, (const char *const *)in.v, &err);
	} else if (rc == DB_OK) {
		log_msg(LOG_INFO, "contact %lld created by %s", id, r->who.login);
		after_save(r, id);
	}
	contact_extras_free(&x);	/* after the page: error keys point into it */
	contact_in_free(&in);
	return rc;
}

/* The stale-save view: stored and submitted values side by side for every field that differs. */
static int conflict_page(struct req *r, long long id, const struct contact_in *in)
{
	struct db_res row;
	char key[96];
	int rc, n = 0;

	if ((rc = contact_load(id, 0, &row)) != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return 404;
	}
	for (int i = 0; i < CF__MAX; i++) {
		const char *stored = db_val(&row, 0, (size_t)i), *mine = in->v[i];
		if (stored && !*stored)
			stored = NULL;
		snprintf(key, sizeof key, "Conflict.Mine.%d.name", i);
		page_set(r, key, contact_fields[i].name);
		snprintf(key, sizeof key, "Conflict.Mine.%d.value", i);
		page_set(r, key, mine ? mine : "");
		if ((stored || mine) && !(stored && mine && !strcmp(stored, mine))) {
			snprintf(key, sizeof key, "Conflict.Rows.%d.name", n);
			page_set(r, key, contact_fields[i].name);
			snprintf(key, sizeof key, "Conflict.Rows.%d.stored", n);
			page_set(r, key, stored ? stored : "");
			snprintf(key, sizeof key, "Conflict.Rows.%d.mine", n);
			page_set(r, key, mine ? mine : "");
			n++;
		}
	}
	contact_extras_conflict(r, CF__MAX);
	page_set_int(r, "Conflict.Id", id);
	page_set(r, "Conflict.Version", db_val(&row, 0, CM_VERSION));
	page_set(r, "Conflict.UpdatedAt", db_val(&row, 0, CM_UPDATED_AT));
	page_set(r, "Page.Title", lang_str(r, "Contact.ConflictTitle"));
	db_res_free(&row);
	return page_render(r, 409, "contacts/conflict.cs");
}

int contact_update_post(struct req *r)
{
	struct contact_in in;
	struct contact_err err;
	struct contact_extras x;
	struct db_res old;
	long long version;
	int rc;

	if (parse_ll(req_param(r, "version"), 1, 1LL << 31, &version) < 0)
		return 400;
	if ((rc = contact_load(r->ids[0], 0, &old)) != DB_OK)
		return rc;
	if (old.nrows == 0 || db_val(&old, 0, CM_ANONYMIZED_AT)) {
		db_res_free(&old);
		return 404;
	}
	contact_in_from_request(&in, r, NULL, 0);
	if (str_eq(req_param(r, "action"), "find_manager")) {
		rc = find_manager(r, r->ids[0], version, &in);
		contact_in_free(&in);
		db_res_free(&old);
		return rc;
	}
	err.n = 0;
	if ((rc = contact_extras_parse(r, r->ids[0], &x, &in)) == DB_OK &&
	    (rc = contact_validate(&in, r->ids[0], &err)) == DB_OK && err.n == 0)
		rc = contact_update(r, r->ids[0], version, &in, &old);
	if (rc == DB_OK && err.n)
		rc = form_page(r, 422, r->ids[0], version, (const char *const *)in.v, &err);
	else if (rc == 409)
		rc = conflict_page(r, r->ids[0], &in);
	else if (rc == DB_OK)
		after_save(r, r->ids[0]);
	contact_extras_free(&x);	/* after the page: error keys point into it */
	contact_in_free(&in);
	db_res_free(&old);
	return rc;
}

int contact_view_page(struct req *r)
{
	static const char *const hcols[] = { "at", "actor", "action", "field", "old", "new", "body" };
	static const char *const rcols[] = { "id", "first_name", "last_name", "job_title" };
	static const char *const ccols[] = { "id", "customer_id", "customer", "lead_id", "lead", "primary" };
	struct db_res row, res;
	char key[96];
	int rc;

	if ((rc = contact_load(r->ids[0], 0, &row)) != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return 404;
	}
	for (int i = 0; i < CF__MAX; i++) {
		snprintf(key, sizeof key, "Contact.%s", contact_fields[i].name);
		page_set(r, key, db_val(&row, 0, (size_t)i));
	}
	form_fields(r, NULL);
	page_set_int(r, "Contact.id", r->ids[0]);
	page_set(r, "Contact.status", db_val(&row, 0, CM_STATUS));
	page_set(r, "Contact.version", db_val(&row, 0, CM_VERSION));
	page_set(r, "Contact.created_at", db_val(&row, 0, CM_CREATED_AT));
	page_set(r, "Contact.updated_at", db_val(&row, 0, CM_UPDATED_AT));
	page_set(r, "Contact.anonymized_at", db_val(&row, 0, CM_ANONYMIZED_AT));
	page_set(r, "Contact.reports_to_name", db_val(&row, 0, CM_REPORTS_TO_NAME));
	page_set(r, "Contact.user_login", db_val(&row, 0, CM_USER_LOGIN));
	{
		struct buf t = { 0 };
		buf_printf(&t, "%s %s", db_val(&row, 0, CF_FIRST_NAME), db_val(&row, 0, CF_LAST_NAME));
		page_set(r, "Page.Title", t.len > 1 ? t.data : lang_str(r, "Contact.Unnamed"));
		buf_free(&t);
	}
	page_set_int(r, "Contact.can_manage", perm_allows(PERM_MANAGE, r->who.roles));
	{
		/* The chain upward: manager, their manager, … (cycles are refused on save; cap anyway). */
		long long up = db_val(&row, 0, CF_REPORTS_TO_ID) ? db_ll(&row, 0, CF_REPORTS_TO_ID) : 0;
		for (int depth = 0; up && depth < 20; depth++) {
			static const char *const cols[] = { "id", "first_name", "last_name", "job_title" };
			if ((rc = db_exec(stmts[STMT_CHAIN], DB_ARGS(A_INT(up)), &res)) != DB_OK) {
				db_res_free(&row);
				return rc;
			}
			if (res.nrows == 0) {
				db_res_free(&res);
				break;
			}
			for (size_t c = 0; c < 4; c++) {
				snprintf(key, sizeof key, "Chain.%d.%s", depth, cols[c]);
				page_set(r, key, db_val(&res, 0, c));
			}
			up = db_val(&res, 0, 4) ? db_ll(&res, 0, 4) : 0;
			db_res_free(&res);
		}
	}
	if (str_eq(req_param(r, "comment"), "empty"))
		page_set(r, "Form.Errors.body", lang_str(r, "Valid.Required"));
	db_res_free(&row);
	if ((rc = contact_activity(r->ids[0], 200, &res)) != DB_OK)
		return rc;
	page_set_rows(r, "History", &res, hcols, 7);
	db_res_free(&res);
	if ((rc = contact_extras_view(r, r->ids[0])) != DB_OK)
		return rc;
	if ((rc = db_exec(stmts[STMT_REPORTS], DB_ARGS(A_INT(r->ids[0])), &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Reports", &res, rcols, 4);
	db_res_free(&res);
	if ((rc = db_exec(stmts[STMT_CONNECTIONS], DB_ARGS(A_INT(r->ids[0])), &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Connections", &res, ccols, 6);
	db_res_free(&res);
	{
		static const char *const ocols[] = { "at", "subject", "status", "sent_at" };
		if ((rc = db_exec(stmts[STMT_MAILS], DB_ARGS(A_INT(r->ids[0])), &res)) != DB_OK)
			return rc;
		page_set_rows(r, "Mails", &res, ocols, 4);
		db_res_free(&res);
	}
	{
		static const char *const mcols[] = { "id", "name", "added_at" };
		if ((rc = db_exec(stmts[STMT_MEMBERSHIPS], DB_ARGS(A_INT(r->ids[0])), &res)) != DB_OK)
			return rc;
		page_set_rows(r, "Memberships", &res, mcols, 3);
		db_res_free(&res);
		if (perm_allows(PERM_MARKETING, r->who.roles)) {
			if ((rc = db_exec(stmts[STMT_MLISTS], DB_NOARGS, &res)) != DB_OK)
				return rc;
			page_set_rows(r, "MarketingLists", &res, mcols, 2);
			db_res_free(&res);
			page_set_int(r, "Contact.can_market", 1);
		}
	}
	if ((rc = ticket_list_page(r, r->ids[0], "Tickets")) != DB_OK)
		return rc;
	if ((rc = doc_list_contact(r, r->ids[0], "Documents")) != DB_OK)
		return rc;
	if (perm_allows(PERM_MANAGE, r->who.roles)) {
		long long mid;
		if ((rc = contact_merges_view(r, r->ids[0])) != DB_OK)
			return rc;
		if (parse_ll(req_param(r, "merged"), 1, 9223372036854775807LL, &mid) == 0)
			page_set_int(r, "Contact.just_merged", mid);
		if (parse_ll(req_param(r, "unmerged"), 1, 9223372036854775807LL, &mid) == 0)
			page_set_int(r, "Contact.just_unmerged", mid);
	}
	return page_render(r, 200, "contacts/view.cs");
}

void contact_page_name(struct req *r, const struct db_res *row)
{
	page_set_int(r, "Contact.id", r->ids[0]);
	page_set(r, "Contact.first_name", db_val(row, 0, CF_FIRST_NAME));
	page_set(r, "Contact.last_name", db_val(row, 0, CF_LAST_NAME));
	page_set(r, "Contact.email", db_val(row, 0, CF_EMAIL));
}

int contact_delete_page(struct req *r)
{
	struct db_res row;
	int rc;

	if ((rc = contact_load(r->ids[0], 0, &row)) != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return 404;
	}
	contact_page_name(r, &row);
	page_set(r, "Page.Title", lang_str(r, "Contact.DeleteTitle"));
	db_res_free(&row);
	return page_render(r, 200, "contacts/delete.cs");
}

int contact_delete_post(struct req *r)
{
	int rc = contact_delete(r, r->ids[0]);
	if (rc != DB_OK)
		return rc;
	log_msg(LOG_INFO, "contact %lld moved to the recycle bin by %s", r->ids[0], r->who.login);
	resp_redirect(r, "/contacts?deleted=1");
	return 0;
}

int contact_bin_page(struct req *r)
{
	static const char *const cols[] = { "id", "first_name", "last_name", "email", "deleted_at", "deleted_by" };
	struct db_res res;
	int rc;

	if ((rc = db_exec(stmts[STMT_BIN], DB_NOARGS, &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Bin", &res, cols, 6);
	page_set_int(r, "BinCount", (long long)res.nrows);
	db_res_free(&res);
	page_set(r, "Page.Title", lang_str(r, "Bin.Title"));
	return page_render(r, 200, "contacts/bin.cs");
}

int contact_restore_post(struct req *r)
{
	char loc[64];
	int rc = contact_restore(r, r->ids[0]);
	if (rc != DB_OK)
		return rc;
	snprintf(loc, sizeof loc, "/contacts/%lld", r->ids[0]);
	resp_redirect(r, loc);
	return 0;
}

int contact_purge_page(struct req *r)
{
	struct db_res row;
	int rc = contact_load(r->ids[0], 1, &row);	/* only what is in the bin can be purged */
	if (rc != DB_OK)
		return rc;
	if (row.nrows == 0 || !db_val(&row, 0, CM_DELETED_AT)) {
		db_res_free(&row);
		return 404;
	}
	contact_page_name(r, &row);
	db_res_free(&row);
	page_set(r, "Page.Title", lang_str(r, "Bin.PurgeTitle"));
	return page_render(r, 200, "contacts/purge.cs");
}

int contact_purge_post(struct req *r)
{
	int rc = contact_purge(r, r->ids[0]);
	if (rc != DB_OK)
		return rc;
	log_msg(LOG_INFO, "contact %lld purged from the recycle bin by %s", r->ids[0], r->who.login);
	resp_redirect(r, "/contacts/bin");
	return 0;
}
