/* extras.c — additional fields and consents on the staff contact form, the contact page and the API body. */
#include "contacts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

enum stmt { STMT_CONSENT_HISTORY, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_CONSENT_HISTORY] =
	    "SELECT e.at, c.code, c.title_en, c.title_it, e.granted, e.version, e.actor, e.source "
	    "FROM consent_events e JOIN consents c ON c.id = e.consent_id WHERE e.contact_id = ? "
	    "ORDER BY e.id DESC LIMIT 200",
};

int contact_extras_parse(struct req *r, long long id, struct contact_extras *x, struct contact_in *in)
{
	int form = r->json == NULL, rc;

	memset(x, 0, sizeof *x);
	if ((rc = custom_defs_load(&x->defs, 0)) != DB_OK || (rc = consent_defs_load(&x->cdefs, 0)) != DB_OK)
		return rc;
	if ((rc = custom_in_init(&x->custom, &x->defs, id, form ? CTX_BACKOFFICE : CTX_ALL, form)) != DB_OK ||
	    (rc = consent_in_init(&x->consents, &x->cdefs, id, form ? "form" : "api")) != DB_OK)
		return rc;
	if (form) {
		custom_in_from_form(&x->custom, r);
		consent_in_from_form(&x->consents, r);
	} else {
		json_object *o;
		if (json_object_object_get_ex(r->json, "custom", &o))
			custom_in_from_json(&x->custom, o);
		if (json_object_object_get_ex(r->json, "consents", &o))
			consent_in_from_json(&x->consents, o);
	}
	in->custom = &x->custom;
	in->consents = &x->consents;
	return DB_OK;
}

void contact_extras_free(struct contact_extras *x)
{
	custom_in_free(&x->custom);
	consent_in_free(&x->consents);
	custom_defs_free(&x->defs);
	consent_defs_free(&x->cdefs);
}

static const char *input_kind(enum cf_type t)
{
	switch (t) {
	case CFT_LONGTEXT: return "textarea";
	case CFT_NUMBER: return "number";
	case CFT_DECIMAL: return "decimal";
	case CFT_DATE: return "date";
	case CFT_CHECKBOX: return "checkbox";
	case CFT_PICKLIST: return "select";
	case CFT_EMAIL: return "email";
	case CFT_PHONE: return "tel";
	case CFT_URL: return "url";
	default: return "text";
	}
}

static void setf(struct req *r, const char *value, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void setf(struct req *r, const char *value, const char *fmt, ...)
{
	char key[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(key, sizeof key, fmt, ap);
	va_end(ap);
	page_set(r, key, value);
}

int contact_extras_form(struct req *r, long long id, int from_request)
{
	struct custom_defs defs;
	struct consent_defs cdefs;
	char **vals = NULL;
	int *granted = NULL, *version = NULL, rc, n = 0;

	if ((rc = custom_defs_load(&defs, 0)) != DB_OK)
		return rc;
	vals = calloc(defs.n ? defs.n : 1, sizeof *vals);
	if (!vals) {
		rc = DB_ERR;
		goto out;
	}
	if (!from_request && (rc = custom_load(id, &defs, vals)) != DB_OK)
		goto out;
	for (size_t i = 0; i < defs.n; i++) {
		const struct custom_def *f = &defs.v[i];
		const char *v;
		int m = 0;
		if (!(f->ctx & CTX_BACKOFFICE))
			continue;
		if (from_request)
			v = req_param(r, f->form_name);
		else
			v = id ? vals[i] : f->def_value;
		setf(r, f->form_name, "Form.Custom.%d.name", n);
		setf(r, f->key, "Form.Custom.%d.key", n);
		setf(r, custom_label(f, r->lang), "Form.Custom.%d.label", n);
		setf(r, input_kind(f->type), "Form.Custom.%d.kind", n);
		setf(r, v ? v : "", "Form.Custom.%d.value", n);
		setf(r, f->required ? "1" : "0", "Form.Custom.%d.required", n);
		if (f->type == CFT_CHECKBOX)
			setf(r, v && *v && strcmp(v, "0") ? "1" : "0", "Form.Custom.%d.value", n);
		for (size_t k = 0; k < f->nopts; k++) {
			/* inactive options only where they are the value already */
			if (!f->opts[k].active && !str_eq(v, f->opts[k].key))
				continue;
			setf(r, f->opts[k].key, "Form.Custom.%d.options.%d.key", n, m);
			setf(r, custom_option_label(f, f->opts[k].key, r->lang), "Form.Custom.%d.options.%d.label", n, m);
			m++;
		}
		n++;
	}
	if ((rc = consent_defs_load(&cdefs, 0)) != DB_OK)
		goto out;
	granted = calloc(cdefs.n ? cdefs.n : 1, sizeof *granted);
	version = calloc(cdefs.n ? cdefs.n : 1, sizeof *version);
	if (!granted || !version || (rc = consent_state_load(id, &cdefs, granted, version)) != DB_OK) {
		rc = rc != DB_OK ? rc : DB_ERR;
		consent_defs_free(&cdefs);
		goto out;
	}
	for (size_t i = 0; i < cdefs.n; i++) {
		const struct consent_def *c = &cdefs.v[i];
		int checked = from_request ? req_param(r, c->form_name) && strcmp(req_param(r, c->form_name), "0") : granted[i];
		char num[16];
		setf(r, c->form_name, "Form.Consents.%lu.name", (unsigned long)i);
		setf(r, c->code, "Form.Consents.%lu.code", (unsigned long)i);
		setf(r, consent_title(c, r->lang), "Form.Consents.%lu.title", (unsigned long)i);
		setf(r, consent_text(c, r->lang), "Form.Consents.%lu.text", (unsigned long)i);
		setf(r, checked ? "1" : "0", "Form.Consents.%lu.checked", (unsigned long)i);
		snprintf(num, sizeof num, "%d", c->version);
		setf(r, num, "Form.Consents.%lu.version", (unsigned long)i);
		if (granted[i]) {
			snprintf(num, sizeof num, "%d", version[i]);
			setf(r, num, "Form.Consents.%lu.granted_version", (unsigned long)i);
		}
	}
	consent_defs_free(&cdefs);
	rc = DB_OK;
out:
	free(granted);
	free(version);
	if (vals)
		custom_vals_free(vals, defs.n);
	free(vals);
	custom_defs_free(&defs);
	return rc;
}

/* Labels for custom-field rows of the activity feed (History.N.field = "custom.KEY"). */
static void history_labels(struct req *r, const struct custom_defs *all)
{
	HDF *h = page_hdf(r);
	HDF *node = h ? hdf_get_obj(h, "History") : NULL;

	for (HDF *c = node ? hdf_obj_child(node) : NULL; c; c = hdf_obj_next(c)) {
		const char *field = hdf_get_value(c, "field", NULL);
		const struct custom_def *f;
		if (!field || !str_starts(field, "custom."))
			continue;
		f = custom_def_find(all, field + 7);
		hdf_set_value(c, "label", f ? custom_label(f, r->lang) : field + 7);
	}
}

int contact_extras_view(struct req *r, long long id)
{
	static const char *const hcols[] = { "at", "code", "title_en", "title_it", "granted", "version", "actor", "source" };
	struct custom_defs defs;
	struct consent_defs cdefs;
	struct db_res res;
	char **vals = NULL, num[16];
	int *granted = NULL, *version = NULL, rc, n = 0;

	if ((rc = custom_defs_load(&defs, 1)) != DB_OK)
		return rc;
	history_labels(r, &defs);
	vals = calloc(defs.n ? defs.n : 1, sizeof *vals);
	if (!vals || (rc = custom_load(id, &defs, vals)) != DB_OK) {
		rc = rc != DB_OK ? rc : DB_ERR;
		goto out;
	}
	for (size_t i = 0; i < defs.n; i++) {
		const struct custom_def *f = &defs.v[i];
		const char *v = vals[i];
		if (!f->active || !(f->ctx & CTX_BACKOFFICE))
			continue;
		setf(r, f->key, "Custom.%d.key", n);
		setf(r, custom_label(f, r->lang), "Custom.%d.label", n);
		setf(r, custom_type_names[f->type], "Custom.%d.type", n);
		if (f->type == CFT_PICKLIST && v)
			v = custom_option_label(f, v, r->lang);
		setf(r, v ? v : "", "Custom.%d.value", n);
		n++;
	}
	if ((rc = consent_defs_load(&cdefs, 0)) != DB_OK)
		goto out;
	granted = calloc(cdefs.n ? cdefs.n : 1, sizeof *granted);
	version = calloc(cdefs.n ? cdefs.n : 1, sizeof *version);
	if (!granted || !version || (rc = consent_state_load(id, &cdefs, granted, version)) != DB_OK) {
		rc = rc != DB_OK ? rc : DB_ERR;
		consent_defs_free(&cdefs);
		goto out;
	}
	for (size_t i = 0; i < cdefs.n; i++) {
		const struct consent_def *c = &cdefs.v[i];
		setf(r, c->code, "Consents.%lu.code", (unsigned long)i);
		setf(r, consent_title(c, r->lang), "Consents.%lu.title", (unsigned long)i);
		setf(r, consent_text(c, r->lang), "Consents.%lu.text", (unsigned long)i);
		setf(r, granted[i] ? "1" : "0", "Consents.%lu.granted", (unsigned long)i);
		snprintf(num, sizeof num, "%d", granted[i] ? version[i] : c->version);
		setf(r, num, "Consents.%lu.version", (unsigned long)i);
		snprintf(num, sizeof num, "%d", c->version);
		setf(r, num, "Consents.%lu.current", (unsigned long)i);
	}
	consent_defs_free(&cdefs);
	if ((rc = db_exec(stmts[STMT_CONSENT_HISTORY], DB_ARGS(A_INT(id)), &res)) != DB_OK)
		goto out;
	page_set_rows(r, "ConsentHistory", &res, hcols, 8);
	for (size_t i = 0; i < res.nrows; i++) {
		const char *it = db_val(&res, i, 3);
		setf(r, str_eq(r->lang, "it") && it && *it ? it : db_val(&res, i, 2), "ConsentHistory.%lu.title", (unsigned long)i);
	}
	db_res_free(&res);
	rc = DB_OK;
out:
	free(granted);
	free(version);
	if (vals)
		custom_vals_free(vals, defs.n);
	free(vals);
	custom_defs_free(&defs);
	return rc;
}

void contact_extras_conflict(struct req *r, int first)
{
	int n = first;
	for (size_t i = 0; i < r->params.n; i++) {
		const struct param *p = &r->params.v[i];
		const char *key = str_starts(p->name, "custom_") ? p->name + 7 :
		    str_starts(p->name, "consent_") ? p->name + 8 : NULL;
		if (!key || !custom_key_valid(key))
			continue;
		setf(r, p->name, "Conflict.Mine.%d.name", n);
		setf(r, p->value, "Conflict.Mine.%d.value", n);
		n++;
	}
}
