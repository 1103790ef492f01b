/* convert.c — a lead becomes a contact (and optionally a customer) in one transaction, with the
 * duplicate check every entry path runs; and GDPR anonymization of a lead. */
#include "conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "db.h"
#include "dupe.h"
#include "link.h"
#include "render.h"
#include "util.h"
#include "validate.h"
#include "words.h"

enum stmt { STMT_LEAD_LOCK, STMT_CONTACT_OK, STMT_CUSTOMER_OK, STMT_MARK, STMT_SAME_NAME, STMT_ANON,
	STMT_ANON_HISTORY, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_LEAD_LOCK] =
	    "SELECT first_name, last_name, company, email, phone, language, notes, status, phone_norm "
	    "FROM leads WHERE id = ? AND deleted_at IS NULL AND anonymized_at IS NULL FOR UPDATE",
	[STMT_CONTACT_OK] = "SELECT id FROM contacts WHERE id = ? AND deleted_at IS NULL AND anonymized_at IS NULL",
	[STMT_CUSTOMER_OK] = "SELECT id FROM customers WHERE id = ? AND deleted_at IS NULL",
	[STMT_MARK] =
	    "UPDATE leads SET status = 'converted', converted_contact_id = ?, converted_customer_id = ?, "
	    "converted_at = NOW(), updated_at = NOW(), updated_by = ?, version = version + 1 WHERE id = ?",
	/* customers whose name reads like the lead's company (its words in order, each a prefix), the
	 * exact name first (the collation folds case and accents): the choices for "existing" */
	[STMT_SAME_NAME] =
	    "SELECT t.id, t.name, t.city, MAX(t.name = ?) FROM search_words w JOIN customers t ON t.id = w.target_id "
	    "WHERE w.kind = 1 AND w.word LIKE ? AND t.deleted_at IS NULL GROUP BY t.id, t.name, t.city "
	    "ORDER BY 4 DESC, t.name, t.id LIMIT 10",
	[STMT_ANON] =
	    "UPDATE leads SET first_name = '', last_name = '', company = '', email = NULL, phone = NULL, "
	    "phone_norm = NULL, language = NULL, notes = NULL, source = NULL, anonymized_at = NOW(), "
	    "updated_at = NOW(), updated_by = ?, version = version + 1 WHERE id = ? AND anonymized_at IS NULL",
	[STMT_ANON_HISTORY] = "DELETE FROM history WHERE entity = 'lead' AND entity_id = ?",
};

enum lead_col { LC_FIRST, LC_LAST, LC_COMPANY, LC_EMAIL, LC_PHONE, LC_LANGUAGE, LC_NOTES, LC_STATUS, LC_NORM };
enum customer_mode { CM_NONE, CM_NEW, CM_EXISTING };

struct convert {
	struct req         *r;
	long long           lead_id;
	enum customer_mode  mode;
	long long           customer_id;	/* in: existing; out: the connected one */
	long long           use_contact;	/* an existing contact instead of a new one */
	int                 create_anyway;
	/* results */
	long long           contact_id;
	int                 status;		/* 0, 404, 409 (converted already / duplicates), 422 */
	const char         *code;
	struct db_res       dupes;
	struct contact_err  err;
};

static int exists(const char *sql, long long id)
{
	struct db_res res;
	int rc = db_exec(sql, DB_ARGS(A_INT(id)), &res);

	if (rc != DB_OK)
		return rc;
	rc = res.nrows > 0;
	db_res_free(&res);
	return rc;
}

static int refuse(struct convert *c, int status, const char *code)
{
	c->status = status;
	c->code = code;
	return DB_ERR;	/* roll back whatever was written */
}

static void add_error(struct convert *c, const char *field, const char *msg)
{
	if (c->err.n < MAX_FORM_ERRORS)
		c->err.e[c->err.n++] = (struct ferr){ field, msg };
}

/* The lead's fields as a new contact's: names, email, phone (work), language, notes. */
static void contact_from_lead(struct contact_in *in, const struct db_res *lead)
{
	static const struct { int lead; int contact; } map[] = {
		{ LC_FIRST, CF_FIRST_NAME }, { LC_LAST, CF_LAST_NAME }, { LC_EMAIL, CF_EMAIL },
		{ LC_PHONE, CF_WORK_PHONE }, { LC_LANGUAGE, CF_LANGUAGE }, { LC_NOTES, CF_NOTES },
	};

	memset(in, 0, sizeof *in);
	for (size_t m = 0; m < sizeof map / sizeof map[0]; m++) {
		const char *v = db_val(lead, 0, (size_t)map[m].lead);
		if (v && *v)
			in->v[map[m].contact] = xstrdup(v);
	}
	in->v[CF_SOURCE] = xstrdup("lead_conversion");
	in->v[CF_CONTACT_TYPE] = xstrdup("customer_contact");
}

static int convert_txn(void *p)
{
	struct convert *c = p;
	struct db_res lead;
	struct contact_in in;
	long long link_id;
	int rc;

	c->status = 0;
	c->err.n = 0;
	c->contact_id = 0;
	db_res_free(&c->dupes);
	if ((rc = db_exec(stmts[STMT_LEAD_LOCK], DB_ARGS(A_INT(c->lead_id)), &lead)) != DB_OK)
		return rc;
	if (lead.nrows == 0) {
		db_res_free(&lead);
		return refuse(c, 404, "not_found");
	}
	if (str_eq(db_val(&lead, 0, LC_STATUS), "converted")) {
		db_res_free(&lead);
		return refuse(c, 409, "already_converted");
	}
	/* the customer first: a refusal here must not leave a contact behind (rollback anyway) */
	if (c->mode == CM_EXISTING) {
		if ((rc = exists(stmts[STMT_CUSTOMER_OK], c->customer_id)) < 0)
			goto out;
		if (rc == 0) {
			add_error(c, "customer_id", "Id");
			rc = refuse(c, 422, "invalid");
			goto out;
		}
	} else if (c->mode == CM_NEW) {
		struct entity_in cu;
		struct ferr errs[MAX_FORM_ERRORS];
		int nerr;

		memset(&cu, 0, sizeof cu);
		cu.v[CU_NAME] = db_val(&lead, 0, LC_COMPANY) && *db_val(&lead, 0, LC_COMPANY) ?
		    xstrdup(db_val(&lead, 0, LC_COMPANY)) : NULL;
		cu.v[CU_TYPE] = xstrdup("customer");
		cu.v[CU_ACTIVE] = xstrdup("1");
		if ((nerr = entity_validate(&customer_entity, &cu, NULL, errs)) > 0) {
			entity_in_free(&cu);
			add_error(c, "customer", "CompanyNeeded");
			rc = refuse(c, 422, "invalid");
			goto out;
		}
		rc = entity_create(&customer_entity, c->r, &cu, &c->customer_id);
		entity_in_free(&cu);
		if (rc != DB_OK)
			goto out;
	}
	if (c->use_contact) {
		if ((rc = exists(stmts[STMT_CONTACT_OK], c->use_contact)) < 0)
			goto out;
		if (rc == 0) {
			add_error(c, "contact_id", "Id");
			rc = refuse(c, 422, "invalid");
			goto out;
		}
		c->contact_id = c->use_contact;
	} else {
		contact_from_lead(&in, &lead);
		if ((rc = contact_validate(&in, 0, &c->err)) != DB_OK || c->err.n > 0) {
			contact_in_free(&in);
			rc = rc != DB_OK ? rc : refuse(c, 422, "invalid");
			goto out;
		}
		if (!c->create_anyway) {
			/* the same check as every other way in: offer the existing person (a customer created just now
			 * tells no one apart, so only an existing one joins the name key) */
			if (c->mode == CM_EXISTING)
				in.customer_id = c->customer_id;
			rc = contact_in_duplicates(&in, 0, &c->dupes);
			if (rc != DB_OK || c->dupes.nrows > 0) {
				contact_in_free(&in);
				rc = rc != DB_OK ? rc : refuse(c, 409, "duplicate");
				goto out;
			}
		}
		rc = contact_create(c->r, &in, "lead_conversion", &c->contact_id);
		contact_in_free(&in);
		if (rc != DB_OK)
			goto out;
	}
	if (c->mode != CM_NONE) {
		/* a new contact gets the customer as primary; an existing one keeps its own */
		rc = link_add(c->r, c->contact_id, LINK_CUSTOMER, c->customer_id, !c->use_contact, &link_id);
		if (rc != DB_OK && rc != 409)
			goto out;
	}
	/* the contact keeps its link to the lead it came from (primary when there is no customer) */
	rc = link_add(c->r, c->contact_id, LINK_LEAD, c->lead_id, c->mode == CM_NONE, &link_id);
	if (rc != DB_OK && rc != 409)
		goto out;
	if ((rc = db_exec(stmts[STMT_MARK], DB_ARGS(A_INT(c->contact_id),
	    c->mode != CM_NONE ? A_INT(c->customer_id) : A_NULL, A_INT(c->r->who.user_id), A_INT(c->lead_id)), NULL)) != DB_OK)
		goto out;
	{
		char id[24];
		snprintf(id, sizeof id, "%lld", c->contact_id);
		if ((rc = history_add(c->r, "lead", c->lead_id, "convert", "contact", NULL, id)) != DB_OK)
			goto out;
		snprintf(id, sizeof id, "%lld", c->lead_id);
		rc = history_add(c->r, "contact", c->contact_id, "convert", "lead", NULL, id);
	}
out:
	db_res_free(&lead);
	return rc;
}

static int convert_run(struct convert *c)
{
	int rc;

	memset(&c->dupes, 0, sizeof c->dupes);
	rc = db_txn(convert_txn, c);
	if (c->status)
		return c->status;
	return rc;
}

/* Page values shared by the form and its answers: the lead, the mapping, customer candidates. */
static int convert_page(struct req *r, int status, const struct convert *c)
{
	static const char *const dcols[] = { "id", "first_name", "last_name", "email", "mobile_phone", "work_phone" };
	static const char *const ccols[] = { "id", "name", "city", "exact" };
	char phrase[WORD_BUF], words[WORDS_MAX_QUERY][WORD_BUF];
	struct db_res row, res;
	const char *company;
	int rc;

	if ((rc = entity_load(&lead_entity, r->ids[0], 0, &row)) != DB_OK)
		return rc;
	if (row.nrows == 0 || db_val(&row, 0, LX_ANONYMIZED_AT)) {
		db_res_free(&row);
		return 404;
	}
	entity_page_row(&lead_entity, r, "Record", &row);
	page_set(r, "Record.converted_contact_id", db_val(&row, 0, LX_CONVERTED_CONTACT));
	company = db_val(&row, 0, LF_COMPANY);
	if (company && *company && words_query(company, phrase, words) > 0) {
		if ((rc = db_exec(stmts[STMT_SAME_NAME], DB_ARGS(A_STR(company), A_STR(phrase)), &res)) != DB_OK) {
			db_res_free(&row);
			return rc;
		}
		page_set_rows(r, "Convert.Candidates", &res, ccols, 4);
		/* default: the existing customer of exactly that name, else a new one */
		if (!c)
			page_set(r, "Convert.Mode", res.nrows && db_ll(&res, 0, 3) ? "existing" : "new");
		if (!c && res.nrows && db_ll(&res, 0, 3))
			page_set(r, "Convert.CustomerId", db_val(&res, 0, 0));
		db_res_free(&res);
	} else if (!c) {
		page_set(r, "Convert.Mode", "none");
	}
	db_res_free(&row);
	if (c) {
		page_set(r, "Convert.Mode", c->mode == CM_NEW ? "new" : c->mode == CM_EXISTING ? "existing" : "none");
		if (c->customer_id)
			page_set_int(r, "Convert.CustomerId", c->customer_id);
		page_set_rows(r, "Convert.Duplicates", &c->dupes, dcols, 6);
		page_set_errors(r, c->err.e, c->err.n < MAX_FORM_ERRORS ? c->err.n : MAX_FORM_ERRORS);
		page_set_int(r, "Form.ErrorCount", c->err.n);
		if (c->code)
			page_set(r, "Convert.Refused", c->code);
	}
	page_set(r, "Page.Title", lang_str(r, "Lead.ConvertTitle"));
	return page_render(r, status, "connections/lead_convert.cs");
}

int lead_convert_page(struct req *r)
{
	return convert_page(r, 200, NULL);
}

static const char *const modes[] = { "none", "new", "existing", NULL };

static const struct field convert_fields[] = {
	{ "customer", V_ENUM, F_REQUIRED, 0, 0, modes },
	{ "customer_id", V_ID, 0, 0, 0, NULL },
	{ "contact_id", V_ID, 0, 0, 0, NULL },
	{ "create_anyway", V_BOOL, 0, 0, 0, NULL },
};

/* Reads the conversion options; returns the number of errors. */
static int convert_read(struct req *r, struct convert *c, struct ferr *errs)
{
	struct fval v[4];
	int n = validate_fields(r, convert_fields, 4, v, errs);

	memset(c, 0, sizeof *c);
	c->r = r;
	c->lead_id = r->ids[0];
	if (n > 0)
		return n;
	c->mode = str_eq(v[0].s, "new") ? CM_NEW : str_eq(v[0].s, "existing") ? CM_EXISTING : CM_NONE;
	c->customer_id = v[1].present ? v[1].i : 0;
	c->use_contact = v[2].present ? v[2].i : 0;
	c->create_anyway = (int)v[3].i;
	if (c->mode == CM_EXISTING && !c->customer_id)
		errs[n++] = (struct ferr){ "customer_id", "Required" };
	if (c->mode != CM_EXISTING)
		c->customer_id = 0;
	return n;
}

int lead_convert_post(struct req *r)
{
	struct convert c;
	struct ferr errs[MAX_FORM_ERRORS];
	char loc[96];
	int rc, nerr = convert_read(r, &c, errs);

	if (nerr > 0) {
		page_set_errors(r, errs, nerr);
		page_set_int(r, "Form.ErrorCount", nerr);
		return convert_page(r, 422, NULL);
	}
	/* the form's "use this contact" button carries contact_id; "create anyway" its flag */
	rc = convert_run(&c);
	if (rc == DB_OK) {
		log_msg(LOG_INFO, "lead %lld converted into contact %lld by %s", c.lead_id, c.contact_id, r->who.login);
		snprintf(loc, sizeof loc, "/contacts/%lld?converted=1", c.contact_id);
		resp_redirect(r, loc);
		rc = 0;
	} else if (rc == 409 || rc == 422) {
		rc = convert_page(r, rc, &c);
	}
	db_res_free(&c.dupes);
	return rc;
}

int lead_api_convert(struct req *r)
{
	struct convert c;
	struct ferr errs[MAX_FORM_ERRORS];
	int rc, nerr;

	if (!r->json)
		return 400;
	if ((nerr = convert_read(r, &c, errs)) > 0) {
		resp_json_invalid(r, errs, nerr);
		return 0;
	}
	rc = convert_run(&c);
	if (rc == DB_OK) {
		json_object *o = json_object_new_object();
		struct db_res row;
		json_object_object_add(o, "contact_id", json_object_new_int64(c.contact_id));
		json_object_object_add(o, "customer_id", c.mode != CM_NONE ? json_object_new_int64(c.customer_id) : NULL);
		if ((rc = contact_load(c.contact_id, 0, &row)) == DB_OK) {
			if (row.nrows)
				json_object_object_add(o, "contact", contact_json(&row));
			db_res_free(&row);
		}
		resp_json(r, 201, o);
		rc = 0;
	} else if (rc == 409 && str_eq(c.code, "duplicate")) {
		json_object *cands = json_object_new_array(), *err, *body;
		for (size_t i = 0; i < c.dupes.nrows; i++) {
			json_object *it = json_object_new_object();
			json_object_object_add(it, "id", json_object_new_int64(db_ll(&c.dupes, i, DC_ID)));
			json_object_object_add(it, "first_name", json_object_new_string(db_val(&c.dupes, i, DC_FIRST_NAME) ?: ""));
			json_object_object_add(it, "last_name", json_object_new_string(db_val(&c.dupes, i, DC_LAST_NAME) ?: ""));
			json_object_object_add(it, "email", db_val(&c.dupes, i, DC_EMAIL) ? json_object_new_string(db_val(&c.dupes, i, DC_EMAIL)) : NULL);
			json_object_array_add(cands, it);
		}
		err = json_object_new_object();
		json_object_object_add(err, "code", json_object_new_string("duplicate"));
		json_object_object_add(err, "message", json_object_new_string(
		    "Likely duplicates exist: convert into one of them with contact_id, or repeat with create_anyway."));
		json_object_object_add(err, "candidates", cands);
		body = json_object_new_object();
		json_object_object_add(body, "error", err);
		resp_json(r, 409, body);
		rc = 0;
	} else if (rc == 409) {
		resp_json_error(r, 409, "already_converted", "The lead has been converted already.", NULL);
		rc = 0;
	} else if (rc == 422) {
		resp_json_invalid(r, c.err.e, c.err.n < MAX_FORM_ERRORS ? c.err.n : MAX_FORM_ERRORS);
		rc = 0;
	}
	db_res_free(&c.dupes);
	return rc;
}

/* ---- anonymize ---- */

struct anon {
	struct req *r;
	long long   id;
	int         status;
};

static int anon_txn(void *p)
{
	struct anon *a = p;
	struct db_res res;
	int rc;

	a->status = 0;
	if ((rc = db_exec(stmts[STMT_ANON], DB_ARGS(A_INT(a->r->who.user_id), A_INT(a->id)), &res)) != DB_OK)
		return rc;
	if (res.affected == 0) {
		db_res_free(&res);
		a->status = 404;
		return DB_ERR;
	}
	db_res_free(&res);
	/* old values in the history are personal data too; one row keeps that it happened */
	if ((rc = db_exec(stmts[STMT_ANON_HISTORY], DB_ARGS(A_INT(a->id)), NULL)) != DB_OK)
		return rc;
	if ((rc = history_add(a->r, "lead", a->id, "anonymize", NULL, NULL, NULL)) != DB_OK)
		return rc;
	return words_drop(WORDS_LEAD, a->id);
}

static int anonymize(struct req *r)
{
	struct anon a = { r, r->ids[0], 0 };
	int rc = db_txn(anon_txn, &a);

	if (a.status)
		return a.status;
	if (rc == DB_OK)
		log_msg(LOG_INFO, "lead %lld anonymized by %s", r->ids[0], r->who.login);
	return rc;
}

int lead_anonymize_page(struct req *r)
{
	struct db_res row;
	int rc;

	if ((rc = entity_load(&lead_entity, r->ids[0], 0, &row)) != DB_OK)
		return rc;
	if (row.nrows == 0 || db_val(&row, 0, LX_ANONYMIZED_AT)) {
		db_res_free(&row);
		return 404;
	}
	entity_page_row(&lead_entity, r, "Record", &row);
	db_res_free(&row);
	page_set(r, "Confirm.Kind", "lead");
	page_set(r, "Confirm.Action", "anonymize");
	page_set(r, "Confirm.Path", "/connections/leads");
	page_set(r, "Page.Title", lang_str(r, "Lead.AnonymizeTitle"));
	return page_render(r, 200, "connections/confirm.cs");
}

int lead_anonymize_post(struct req *r)
{
	char loc[96];
	int rc = anonymize(r);

	if (rc != DB_OK)
		return rc;
	snprintf(loc, sizeof loc, "/connections/leads/%lld", r->ids[0]);
	resp_redirect(r, loc);
	return 0;
}

int lead_api_anonymize(struct req *r)
{
	struct db_res row;
	int rc = anonymize(r);

	if (rc != DB_OK)
		return rc;
	if ((rc = entity_load(&lead_entity, r->ids[0], 0, &row)) != DB_OK)
		return rc;
	rc = row.nrows ? 0 : 404;
	if (row.nrows)
		resp_json(r, 200, entity_json(&lead_entity, &row));
	db_res_free(&row);
	return rc;
}
