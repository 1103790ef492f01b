/* api.c — one contact over the JSON API (SPEC §7): create, read, patch with version, delete, restore. */
#include "contacts.h"

#include <stdio.h>
#include <string.h>

#include "consent.h"
#include "contact.h"
#include "custom.h"
#include "db.h"
#include "dupe.h"
#include "render.h"

static int answer_contact(struct req *r, long long id, int status)
{
	struct db_res row;
	int rc = contact_load(id, 0, &row);
	if (rc != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return 404;
	}
	{
		json_object *o = contact_json(&row);
		db_res_free(&row);
		if ((rc = contact_extras_json(o, id)) != DB_OK) {
			json_object_put(o);
			return rc;
		}
		resp_json(r, status, o);
	}
	return 0;
}

/* "create_anyway": true (or 1) in the body: the caller has seen the candidates and creates a new contact. */
static int create_anyway(struct req *r)
{
	const char *v = req_param(r, "create_anyway");
	return str_eq(v, "true") || str_eq(v, "1");
}

int contacts_api_create(struct req *r)
{
	struct contact_in in;
	struct contact_err err;
	struct contact_extras x;
	long long id = 0;
	int rc;

	if (!r->json)
		return 415;
	err.n = 0;
	contact_in_from_request(&in, r, NULL, 0);
	if ((rc = contact_extras_parse(r, 0, &x, &in)) == DB_OK && (rc = contact_validate(&in, 0, &err)) == DB_OK &&
	    err.n == 0 && !create_anyway(r)) {
		/* the same keys as every entry path: likely duplicates are offered before anything is created */
		struct db_res d;
		if ((rc = contact_in_duplicates(&in, 0, &d)) == DB_OK && d.nrows) {
			json_object *root = json_object_new_object(), *e = json_object_new_object();
			json_object_object_add(e, "code", json_object_new_string("duplicate"));
			json_object_object_add(e, "message", json_object_new_string(lang_str(r, "Dupe.Found")));
			json_object_object_add(e, "candidates", dupe_candidates_json(&d));
			json_object_object_add(root, "error", e);
			resp_json(r, 409, root);
			db_res_free(&d);
			contact_in_free(&in);
			contact_extras_free(&x);
			return 0;
		}
		if (rc == DB_OK)
			db_res_free(&d);
	}
	if (rc == DB_OK && err.n == 0)
		rc = contact_create(r, &in, "api", &id);
	contact_in_free(&in);
	if (rc == DB_OK && err.n)
		resp_json_invalid(r, err.e, err.n);
	contact_extras_free(&x);	/* after the answer: error keys point into it */
	if (rc != DB_OK || err.n)
		return rc;
	{
		char loc[64];
		snprintf(loc, sizeof loc, "/api/v1/contacts/%lld", id);
		resp_header(r, "Location: %s", loc);
	}
	return answer_contact(r, id, 201);
}

int contacts_api_get(struct req *r)
{
	return answer_contact(r, r->ids[0], 200);
}

int contacts_api_patch(struct req *r)
{
	struct contact_in in;
	struct contact_err err;
	struct contact_extras x;
	struct db_res old;
	const char *ver;
	long long version;
	int rc;

	if (!r->json)
		return 415;
	ver = req_param(r, "version");
	if (parse_ll(ver, 1, 1LL << 31, &version) < 0) {
		json_object *fields = json_object_new_object();
		json_object_object_add(fields, "version", json_object_new_string(lang_str(r, "Valid.Version")));
		resp_json_error(r, 422, "invalid", lang_str(r, "Error.invalid"), fields);
		return 0;
	}
	if ((rc = contact_load(r->ids[0], 0, &old)) != DB_OK)
		return rc;
	if (old.nrows == 0 || db_val(&old, 0, CM_ANONYMIZED_AT)) {
		db_res_free(&old);
		return 404;
	}
	err.n = 0;
	contact_in_from_request(&in, r, &old, 1);
	if ((rc = contact_extras_parse(r, r->ids[0], &x, &in)) == DB_OK &&
	    (rc = contact_validate(&in, r->ids[0], &err)) == DB_OK && err.n == 0)
		rc = contact_update(r, r->ids[0], version, &in, &old);
	contact_in_free(&in);
	db_res_free(&old);
	if (rc == DB_OK && err.n)
		resp_json_invalid(r, err.e, err.n);
	contact_extras_free(&x);	/* after the answer: error keys point into it */
	if (rc == 409) {
		resp_json_error(r, 409, "conflict", lang_str(r, "Error.conflict"), NULL);
		return 0;
	}
	if (rc != DB_OK || err.n)
		return rc;
	return answer_contact(r, r->ids[0], 200);
}

int contacts_api_delete(struct req *r)
{
	int rc = contact_delete(r, r->ids[0]);
	if (rc != DB_OK)
		return rc;
	r->resp.status = 204;
	r->resp.ctype = "application/json";
	return 0;
}

int contacts_api_restore(struct req *r)
{
	int rc = contact_restore(r, r->ids[0]);
	if (rc != DB_OK)
		return rc;
	return answer_contact(r, r->ids[0], 200);
}
