/* profile.c — the contact's own profile in the portal: its name, phones, job title and language, the
 * additional fields with the portal context, and its consents (granted or withdrawn with source "portal").
 * Written through contact_update, so validation, history, version check and consent events are the same
 * as on every other path; the login email is shown, not edited here. */
#include "portal.h"
#include "app.h"
#include "consent.h"
#include "contact.h"
#include "custom.h"
#include "db.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The built-in fields a contact may edit itself. */
static const enum cfield editable[] = { CF_FIRST_NAME, CF_LAST_NAME, CF_JOB_TITLE, CF_MOBILE_PHONE,
	CF_WORK_PHONE, CF_LANGUAGE };
#define NEDITABLE (sizeof editable / sizeof editable[0])

static const struct field version_field = { "version", V_INT, F_REQUIRED, 1, 9007199254740991LL, NULL };

/* Sets Prefix.I.Name. */
static void setf(struct req *r, const char *v, const char *prefix, size_t i, const char *name)
{
	char key[96];
	snprintf(key, sizeof key, "%s.%lu.%s", prefix, (unsigned long)i, name);
	page_set(r, key, v);
}

/* Fills the page: fields (stored, or the request's values after an error), custom fields, consents. */
static int profile_page(struct req *r, int status, const struct db_res *row, const struct ferr *errs, int n,
    int from_request)
{
	struct custom_defs defs;
	struct consent_defs cdefs;
	char **vals = NULL, key[96];
	int *granted = NULL, *version = NULL, rc;
	size_t k = 0;

	for (size_t i = 0; i < NEDITABLE; i++) {
		const char *name = contact_fields[editable[i]].name;
		snprintf(key, sizeof key, "Profile.%s", name);
		page_set(r, key, from_request ? req_param(r, name) : db_val(row, 0, editable[i]));
	}
	page_set(r, "Profile.email", db_val(row, 0, CF_EMAIL));
	page_set(r, "Profile.version", db_val(row, 0, CM_VERSION));
	if ((rc = custom_defs_load(&defs, 0)) != DB_OK)
		return rc;
	vals = calloc(defs.n ? defs.n : 1, sizeof *vals);
	if (!vals || (rc = custom_load(r->who.contact_id, &defs, vals)) != DB_OK) {
		rc = rc != DB_OK ? rc : DB_ERR;
		goto out;
	}
	for (size_t i = 0; i < defs.n; i++) {
		const struct custom_def *f = &defs.v[i];
		const char *v = from_request ? req_param(r, f->form_name) : vals[i];
		if (!(f->ctx & CTX_PORTAL))
			continue;
		setf(r, f->form_name, "Custom", k, "name");
		setf(r, custom_label(f, r->lang), "Custom", k, "label");
		setf(r, custom_type_names[f->type], "Custom", k, "type");
		setf(r, v ? v : "", "Custom", k, "value");
		for (size_t o = 0; o < f->nopts; o++) {
			if (!f->opts[o].active && !str_eq(v, f->opts[o].key))
				continue;
			snprintf(key, sizeof key, "Custom.%lu.options.%lu.key", (unsigned long)k, (unsigned long)o);
			page_set(r, key, f->opts[o].key);
			snprintf(key, sizeof key, "Custom.%lu.options.%lu.label", (unsigned long)k, (unsigned long)o);
			page_set(r, key, str_eq(r->lang, "it") && f->opts[o].label_it && *f->opts[o].label_it ?
			    f->opts[o].label_it : f->opts[o].label_en);
		}
		k++;
	}
	if ((rc = consent_defs_load(&cdefs, 0)) != DB_OK)
		goto out;
	granted = calloc(cdefs.n ? cdefs.n : 1, sizeof *granted);
	version = calloc(cdefs.n ? cdefs.n : 1, sizeof *version);
	if (!granted || !version || (rc = consent_state_load(r->who.contact_id, &cdefs, granted, version)) != DB_OK) {
		rc = rc != DB_OK ? rc : DB_ERR;
		consent_defs_free(&cdefs);
		goto out;
	}
	for (size_t i = 0; i < cdefs.n; i++) {
		const struct consent_def *c = &cdefs.v[i];
		setf(r, c->form_name, "Consents", i, "name");
		setf(r, consent_title(c, r->lang), "Consents", i, "title");
		setf(r, consent_text(c, r->lang), "Consents", i, "text");
		setf(r, granted[i] ? "1" : "0", "Consents", i, "granted");
	}
	consent_defs_free(&cdefs);
	if (n)
		page_set_errors(r, errs, n);
	page_set(r, "Page.Title", lang_str(r, "Profile.Title"));
	page_set(r, "Page.Tab", "profile");
	if (str_eq(req_param(r, "saved"), "1"))
		page_set(r, "Profile.Saved", "1");
	rc = page_render(r, status, "portal/profile.cs");
out:
	if (vals)
		custom_vals_free(vals, defs.n);
	free(vals);
	free(granted);
	free(version);
	custom_defs_free(&defs);
	return rc;
}

static int load_self(struct req *r, struct db_res *row)
{
	int rc = contact_load(r->who.contact_id, 0, row);
	if (rc != DB_OK)
		return rc;
	if (row->nrows == 0) {
		db_res_free(row);
		return 404;
	}
	return DB_OK;
}

int h_profile(struct req *r)
{
	struct db_res row;
	int rc = load_self(r, &row);
	if (rc != DB_OK)
		return rc;
	rc = profile_page(r, 200, &row, NULL, 0, 0);
	db_res_free(&row);
	return rc;
}

int h_profile_save(struct req *r)
{
	struct db_res row;
	struct contact_in in;
	struct contact_err err;
	struct custom_defs defs;
	struct consent_defs cdefs;
	struct custom_in cin;
	struct consent_in kin;
	struct fval ver;
	int rc = load_self(r, &row), have_custom = 0, have_consent = 0;

	if (rc != DB_OK)
		return rc;
	memset(&in, 0, sizeof in);
	for (int i = 0; i < CF__MAX; i++) {
		const char *old = db_val(&row, 0, (size_t)i);
		in.v[i] = old && *old ? xstrdup(old) : NULL;
	}
	for (size_t i = 0; i < NEDITABLE; i++) {
		const char *v = req_param(r, contact_fields[editable[i]].name);
		free(in.v[editable[i]]);
		in.v[editable[i]] = v && *v ? xstrdup(v) : NULL;
	}
	if ((rc = custom_defs_load(&defs, 0)) != DB_OK)
		goto out;
	if ((rc = custom_in_init(&cin, &defs, r->who.contact_id, CTX_PORTAL, 1)) != DB_OK) {
		custom_defs_free(&defs);
		goto out;
	}
	have_custom = 1;
	custom_in_from_form(&cin, r);
	in.custom = &cin;
	if ((rc = consent_defs_load(&cdefs, 0)) != DB_OK)
		goto out;
	if ((rc = consent_in_init(&kin, &cdefs, r->who.contact_id, "portal")) != DB_OK) {
		consent_defs_free(&cdefs);
		goto out;
	}
	have_consent = 1;
	consent_in_from_form(&kin, r);
	in.consents = &kin;
	if ((rc = contact_validate(&in, r->who.contact_id, &err)) != DB_OK)
		goto out;
	if (validate_one(&version_field, req_param(r, "version"), &ver) != NULL && err.n < MAX_FORM_ERRORS)
		err.e[err.n++] = (struct ferr){ "version", "Int" };
	if (err.n) {
		rc = profile_page(r, 422, &row, err.e, err.n > MAX_FORM_ERRORS ? MAX_FORM_ERRORS : err.n, 1);
		goto out;
	}
	rc = contact_update(r, r->who.contact_id, ver.i, &in, &row);
	if (rc == 409) {
		struct ferr e = { "version", "ProfileStale" };
		rc = profile_page(r, 409, &row, &e, 1, 0);
		goto out;
	}
	if (rc == DB_OK)
		resp_redirect(r, "/profile?saved=1");
out:
	in.custom = NULL;
	in.consents = NULL;
	contact_in_free(&in);
	if (have_custom) {
		custom_in_free(&cin);
		custom_defs_free(&defs);
	}
	if (have_consent) {
		consent_in_free(&kin);
		consent_defs_free(&cdefs);
	}
	db_res_free(&row);
	return rc;
}
