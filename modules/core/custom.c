/* custom.c — additional contact fields: definitions, typed validation, writes with history, JSON. */
#include "custom.h"
#include "consent.h"
#include "contact.h"
#include "db.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const custom_type_names[CFT__MAX] = {
	[CFT_TEXT] = "text", [CFT_LONGTEXT] = "longtext", [CFT_NUMBER] = "number", [CFT_DECIMAL] = "decimal",
	[CFT_DATE] = "date", [CFT_CHECKBOX] = "checkbox", [CFT_PICKLIST] = "picklist", [CFT_EMAIL] = "email",
	[CFT_PHONE] = "phone", [CFT_URL] = "url",
};

const char *const custom_ctx_names[CTX__COUNT] = { "backoffice-crm-contacts", "list", "portal", "export" };

enum stmt { STMT_DEFS, STMT_OPTIONS, STMT_VALUES, STMT_UPSERT, STMT_DELETE, STMT_ERASE, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_DEFS] =
	    "SELECT id, field_key, label_en, label_it, type, required, default_value, sort_order, "
	    "ctx_backoffice, ctx_list, ctx_portal, ctx_export, active FROM custom_fields "
	    "WHERE active = 1 OR ? = 1 ORDER BY sort_order, id",
	[STMT_OPTIONS] =
	    "SELECT o.field_id, o.id, o.option_key, o.label_en, o.label_it, o.active FROM custom_field_options o "
	    "JOIN custom_fields f ON f.id = o.field_id WHERE f.active = 1 OR ? = 1 "
	    "ORDER BY o.field_id, o.sort_order, o.id",
	[STMT_VALUES] = "SELECT field_id, v_text, v_long FROM contact_custom WHERE contact_id = ?",
	[STMT_UPSERT] =
	    "INSERT INTO contact_custom (contact_id, field_id, v_text, v_num, v_date, v_long) VALUES (?, ?, ?, ?, ?, ?) "
	    "ON DUPLICATE KEY UPDATE v_text = VALUES(v_text), v_num = VALUES(v_num), v_date = VALUES(v_date), "
	    "v_long = VALUES(v_long)",
	[STMT_DELETE] = "DELETE FROM contact_custom WHERE contact_id = ? AND field_id = ?",
	[STMT_ERASE] = "DELETE FROM contact_custom WHERE contact_id = ?",
};

int custom_type_from_name(const char *s)
{
	for (int i = 0; s && i < CFT__MAX; i++)
		if (!strcmp(s, custom_type_names[i]))
			return i;
	return -1;
}

int custom_key_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > CUSTOM_KEY_MAX || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void custom_defs_free(struct custom_defs *d)
{
	for (size_t i = 0; d->v && i < d->n; i++) {
		struct custom_def *f = &d->v[i];
		free(f->key);
		free(f->label_en);
		free(f->label_it);
		free(f->def_value);
		for (size_t k = 0; k < f->nopts; k++) {
			free(f->opts[k].key);
			free(f->opts[k].label_en);
			free(f->opts[k].label_it);
		}
		free(f->opts);
	}
	free(d->v);
	memset(d, 0, sizeof *d);
}

int custom_defs_load(struct custom_defs *d, int with_inactive)
{
	struct db_res res, opts;
	int rc;

	memset(d, 0, sizeof *d);
	if ((rc = db_exec(stmts[STMT_DEFS], DB_ARGS(A_INT(with_inactive ? 1 : 0)), &res)) != DB_OK)
		return rc;
	if ((rc = db_exec(stmts[STMT_OPTIONS], DB_ARGS(A_INT(with_inactive ? 1 : 0)), &opts)) != DB_OK) {
		db_res_free(&res);
		return rc;
	}
	d->v = calloc(res.nrows ? res.nrows : 1, sizeof *d->v);
	for (size_t i = 0; d->v && i < res.nrows; i++) {
		struct custom_def *f = &d->v[d->n];
		int t = custom_type_from_name(db_val(&res, i, 4));
		if (t < 0)
			continue;
		f->id = db_ll(&res, i, 0);
		f->key = dup_or_null(db_val(&res, i, 1));
		f->label_en = dup_or_null(db_val(&res, i, 2));
		f->label_it = dup_or_null(db_val(&res, i, 3));
		f->type = (enum cf_type)t;
		f->required = db_ll(&res, i, 5) != 0;
		f->def_value = db_val(&res, i, 6) && *db_val(&res, i, 6) ? xstrdup(db_val(&res, i, 6)) : NULL;
		f->sort_order = (int)db_ll(&res, i, 7);
		for (int c = 0; c < CTX__COUNT; c++)
			if (db_ll(&res, i, (size_t)(8 + c)))
				f->ctx |= 1u << c;
		f->active = db_ll(&res, i, 12) != 0;
		snprintf(f->api_name, sizeof f->api_name, "custom.%s", f->key ? f->key : "");
		snprintf(f->form_name, sizeof f->form_name, "custom_%s", f->key ? f->key : "");
		for (size_t k = 0; k < opts.nrows; k++)
			if (db_ll(&opts, k, 0) == f->id)
				f->nopts++;
		if (f->nopts) {
			size_t o = 0;
			f->opts = calloc(f->nopts, sizeof *f->opts);
			for (size_t k = 0; f->opts && k < opts.nrows; k++)
				if (db_ll(&opts, k, 0) == f->id) {
					f->opts[o].id = db_ll(&opts, k, 1);
					f->opts[o].key = dup_or_null(db_val(&opts, k, 2));
					f->opts[o].label_en = dup_or_null(db_val(&opts, k, 3));
					f->opts[o].label_it = dup_or_null(db_val(&opts, k, 4));
					f->opts[o].active = db_ll(&opts, k, 5) != 0;
					o++;
				}
			if (!f->opts)
				f->nopts = 0;
		}
		d->n++;
	}
	db_res_free(&res);
	db_res_free(&opts);
	return d->v ? DB_OK : DB_ERR;
}

const struct custom_def *custom_def_find(const struct custom_defs *d, const char *key)
{
	for (size_t i = 0; key && i < d->n; i++)
		if (!strcmp(d->v[i].key, key))
			return &d->v[i];
	return NULL;
}

const char *custom_label(const struct custom_def *f, const char *lang)
{
	if (str_eq(lang, "it") && f->label_it && *f->label_it)
		return f->label_it;
	return f->label_en ? f->label_en : f->key;
}

static const struct custom_option *option_find(const struct custom_def *f, const char *key)
{
	for (size_t k = 0; key && k < f->nopts; k++)
		if (!strcmp(f->opts[k].key, key))
			return &f->opts[k];
	return NULL;
}

const char *custom_option_label(const struct custom_def *f, const char *key, const char *lang)
{
	const struct custom_option *o = option_find(f, key);
	if (!o)
		return key;
	if (str_eq(lang, "it") && o->label_it && *o->label_it)
		return o->label_it;
	return o->label_en;
}

/* A decimal that fits DECIMAL(20,6), canonical: no leading or trailing zeros, '.' as separator. */
static int decimal_canon(const char *s, char *out, size_t outsz)
{
	const char *p = s, *ip, *fp = NULL;
	size_t ni = 0, nf = 0;
	int neg = 0;
	char ibuf[24], fbuf[8];

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	ip = p;
	while (isdigit((unsigned char)*p))
		p++, ni++;
	if (*p == '.' || *p == ',') {
		fp = ++p;
		while (isdigit((unsigned char)*p))
			p++, nf++;
	}
	if (*p || ni + nf == 0 || nf > 6)
		return -1;
	while (ni > 0 && *ip == '0')
		ip++, ni--;
	if (ni > 14)
		return -1;
	while (nf > 0 && fp[nf - 1] == '0')
		nf--;
	snprintf(ibuf, sizeof ibuf, "%.*s", (int)ni, ni ? ip : "0");
	snprintf(fbuf, sizeof fbuf, "%.*s", (int)nf, fp ? fp : "");
	if (!ni && !nf)
		neg = 0;
	snprintf(out, outsz, "%s%s%s%s", neg ? "-" : "", ni ? ibuf : "0", nf ? "." : "", fbuf);
	return 0;
}

/* Surrounding blanks go (and trailing line breaks of long text); NULL when nothing is left. */
static char *trim_value(const char *s, int longtext)
{
	size_t b = 0, e;
	if (!s)
		return NULL;
	if (!longtext)
		while (s[b] == ' ' || s[b] == '\t')
			b++;
	e = strlen(s);
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || (longtext && (s[e - 1] == '\n' || s[e - 1] == '\r'))))
		e--;
	if (s[b + strspn(s + b, " \t\r\n")] == '\0' || e <= b)
		return NULL;
	return xstrndup(s + b, e - b);
}

const char *custom_value_check(const struct custom_def *f, const char *raw, char **out)
{
	struct field vf = { "custom", V_TEXT, 0, 0, 255, NULL };
	struct fval fv;
	const char *msg = NULL;
	char *v, buf[48];

	*out = NULL;
	if (f->type == CFT_CHECKBOX) {
		vf.type = V_BOOL;
		if ((msg = validate_one(&vf, raw ? raw : "", &fv)) != NULL)
			return msg;
		*out = fv.i ? xstrdup("1") : NULL;
		return NULL;
	}
	v = trim_value(raw, f->type == CFT_LONGTEXT);
	if (!v)
		return NULL;
	switch (f->type) {
	case CFT_TEXT: vf.type = V_TEXT; vf.max = 255; break;
	case CFT_LONGTEXT: vf.type = V_LONGTEXT; vf.max = 60000; break;
	case CFT_DATE: vf.type = V_DATE; break;
	case CFT_EMAIL: vf.type = V_EMAIL; break;
	case CFT_PHONE: vf.type = V_PHONE; break;
	case CFT_URL: vf.type = V_URL; break;
	case CFT_PICKLIST: vf.type = V_TEXT; vf.max = CUSTOM_KEY_MAX; break;
	case CFT_NUMBER: vf.type = V_INT; vf.min = -99999999999999LL; vf.max = 99999999999999LL; break;
	case CFT_DECIMAL: vf.type = V_TEXT; break;
	default: break;
	}
	msg = validate_one(&vf, v, &fv);
	if (!msg && f->type == CFT_URL && strlen(v) > 255)
		msg = "TooLong";
	if (!msg && f->type == CFT_PICKLIST && !option_find(f, v))
		msg = "Choice";
	if (!msg && f->type == CFT_NUMBER) {
		snprintf(buf, sizeof buf, "%lld", fv.i);
		free(v);
		v = xstrdup(buf);
	}
	if (!msg && f->type == CFT_DECIMAL) {
		if (decimal_canon(v, buf, sizeof buf) < 0) {
			msg = "Decimal";
		} else {
			free(v);
			v = xstrdup(buf);
		}
	}
	if (msg) {
		free(v);
		return msg;
	}
	*out = v;
	return NULL;
}

void custom_vals_free(char **vals, size_t n)
{
	for (size_t i = 0; vals && i < n; i++) {
		free(vals[i]);
		vals[i] = NULL;
	}
}

int custom_load(long long contact_id, const struct custom_defs *defs, char **vals)
{
	struct db_res res;
	int rc;

	for (size_t i = 0; i < defs->n; i++)
		vals[i] = NULL;
	if (!contact_id)
		return DB_OK;
	if ((rc = db_exec(stmts[STMT_VALUES], DB_ARGS(A_INT(contact_id)), &res)) != DB_OK)
		return rc;
	for (size_t r = 0; r < res.nrows; r++)
		for (size_t i = 0; i < defs->n; i++)
			if (defs->v[i].id == db_ll(&res, r, 0) && !vals[i]) {
				const char *v = db_val(&res, r, defs->v[i].type == CFT_LONGTEXT ? 2 : 1);
				vals[i] = v ? xstrdup(v) : NULL;
			}
	db_res_free(&res);
	return DB_OK;
}

int custom_in_init(struct custom_in *in, const struct custom_defs *defs, long long contact_id, unsigned ctx, int for_form)
{
	size_t n = defs->n ? defs->n : 1;

	memset(in, 0, sizeof *in);
	in->defs = defs;
	in->ctx = ctx;
	in->for_form = for_form;
	in->creating = contact_id == 0;
	in->raw = calloc(n, sizeof *in->raw);
	in->stored = calloc(n, sizeof *in->stored);
	in->val = calloc(n, sizeof *in->val);
	if (!in->raw || !in->stored || !in->val)
		return DB_ERR;
	return custom_load(contact_id, defs, in->stored);
}

void custom_in_free(struct custom_in *in)
{
	if (in->defs) {
		custom_vals_free(in->raw, in->defs->n);
		custom_vals_free(in->stored, in->defs->n);
		custom_vals_free(in->val, in->defs->n);
	}
	free(in->raw);
	free(in->stored);
	free(in->val);
	memset(in, 0, sizeof *in);
}

static void parse_error(struct custom_in *in, const char *key, const char *msg)
{
	if (in->nperr >= (int)(sizeof in->perr / sizeof in->perr[0]))
		return;
	snprintf(in->perr_name[in->nperr], sizeof in->perr_name[in->nperr], in->for_form ? "custom_%.60s" : "custom.%.60s",
	    key);
	in->perr[in->nperr].field = in->perr_name[in->nperr];
	in->perr[in->nperr].msg = msg;
	in->nperr++;
}

int custom_in_set(struct custom_in *in, const char *key, const char *raw)
{
	for (size_t i = 0; key && i < in->defs->n; i++)
		if (in->defs->v[i].active && !strcmp(in->defs->v[i].key, key)) {
			free(in->raw[i]);
			in->raw[i] = xstrdup(raw ? raw : "");
			return 0;
		}
	parse_error(in, key && utf8_valid_text(key, strlen(key), 0) ? key : "?", "UnknownField");
	return -1;
}

void custom_in_from_form(struct custom_in *in, struct req *r)
{
	for (size_t i = 0; i < in->defs->n; i++) {
		const struct custom_def *f = &in->defs->v[i];
		const char *v;
		if (!f->active || !(f->ctx & in->ctx))
			continue;
		v = req_param(r, f->form_name);
		free(in->raw[i]);
		in->raw[i] = xstrdup(v ? v : (f->type == CFT_CHECKBOX ? "0" : ""));
	}
}

void custom_in_from_json(struct custom_in *in, json_object *obj)
{
	if (!obj)
		return;
	if (!json_object_is_type(obj, json_type_object)) {
		parse_error(in, "", "Object");
		in->perr[in->nperr - 1].field = "custom";
		return;
	}
	json_object_object_foreach(obj, key, val) {
		const char *s;
		char buf[8];
		switch (json_object_get_type(val)) {
		case json_type_null:
			s = "";
			break;
		case json_type_boolean:
			snprintf(buf, sizeof buf, "%d", json_object_get_boolean(val) ? 1 : 0);
			s = buf;
			break;
		case json_type_string:
			s = json_object_get_string(val);
			if (strlen(s) != (size_t)json_object_get_string_len(val)) {
				parse_error(in, key, "Text");
				continue;
			}
			break;
		case json_type_int:
		case json_type_double:
			s = json_object_get_string(val);
			break;
		default:
			parse_error(in, key, "Type");
			continue;
		}
		(void)custom_in_set(in, key, s);
	}
}

void custom_validate(struct custom_in *in, struct ferr *errs, int *nerr)
{
	for (int k = 0; k < in->nperr; k++) {
		if (*nerr < MAX_FORM_ERRORS)
			errs[*nerr] = in->perr[k];
		(*nerr)++;
	}
	for (size_t i = 0; i < in->defs->n; i++) {
		const struct custom_def *f = &in->defs->v[i];
		const char *msg = NULL;
		char *v = NULL;
		free(in->val[i]);
		in->val[i] = NULL;
		if (!f->active) {
			in->val[i] = dup_or_null(in->stored[i]);	/* hidden: kept as stored */
			continue;
		}
		if (in->raw[i]) {
			msg = custom_value_check(f, in->raw[i], &v);
			if (!msg && v && f->type == CFT_PICKLIST && !option_find(f, v)->active &&
			    !str_eq(in->stored[i], v))
				msg = "Choice";	/* an inactive option stays where it is, but is not chosen anew */
		} else if (in->creating) {
			v = dup_or_null(f->def_value);
		} else {
			v = dup_or_null(in->stored[i]);
		}
		if (!msg && !v && f->required && (f->ctx & in->ctx))
			msg = "Required";
		if (msg) {
			free(v);
			if (*nerr < MAX_FORM_ERRORS) {
				errs[*nerr].field = in->for_form ? f->form_name : f->api_name;
				errs[*nerr].msg = msg;
			}
			(*nerr)++;
			continue;
		}
		in->val[i] = v;
	}
}

int custom_in_changes(const struct custom_in *in)
{
	for (size_t i = 0; i < in->defs->n; i++)
		if (in->val[i] || in->stored[i])
			if (!(in->val[i] && in->stored[i] && !strcmp(in->val[i], in->stored[i])))
				return 1;
	return 0;
}

int custom_write(struct req *r, long long contact_id, struct custom_in *in)
{
	int rc;

	for (size_t i = 0; i < in->defs->n; i++) {
		const struct custom_def *f = &in->defs->v[i];
		const char *o = in->stored[i], *n = in->val[i];
		if (!f->active || (!o && !n) || (o && n && !strcmp(o, n)))
			continue;
		if (!n) {
			rc = db_exec(stmts[STMT_DELETE], DB_ARGS(A_INT(contact_id), A_INT(f->id)), NULL);
		} else {
			int num = f->type == CFT_NUMBER || f->type == CFT_DECIMAL || f->type == CFT_CHECKBOX;
			rc = db_exec(stmts[STMT_UPSERT], DB_ARGS(A_INT(contact_id), A_INT(f->id),
			    f->type == CFT_LONGTEXT ? A_NULL : A_STR(n), num ? A_STR(n) : A_NULL,
			    f->type == CFT_DATE ? A_STR(n) : A_NULL, f->type == CFT_LONGTEXT ? A_STR(n) : A_NULL), NULL);
		}
		if (rc != DB_OK)
			return rc;
		if ((rc = history_add(r, "contact", contact_id, in->creating ? "create" : "update", f->api_name, o, n)) != DB_OK)
			return rc;
	}
	return DB_OK;
}

int custom_erase(long long contact_id)
{
	return db_exec(stmts[STMT_ERASE], DB_ARGS(A_INT(contact_id)), NULL);
}

json_object *custom_json(const struct custom_defs *defs, char *const *vals, unsigned ctx)
{
	json_object *o = json_object_new_object();
	for (size_t i = 0; i < defs->n; i++) {
		const struct custom_def *f = &defs->v[i];
		const char *v = vals[i];
		json_object *j = NULL;
		if (!f->active || !(f->ctx & ctx))
			continue;
		if (f->type == CFT_CHECKBOX)
			j = json_object_new_boolean(v != NULL);
		else if (!v)
			j = NULL;
		else if (f->type == CFT_NUMBER)
			j = json_object_new_int64(strtoll(v, NULL, 10));
		else if (f->type == CFT_DECIMAL)
			j = json_object_new_double_s(strtod(v, NULL), v);
		else
			j = json_object_new_string(v);
		json_object_object_add(o, f->key, j);
	}
	return o;
}

int contact_extras_json(json_object *o, long long id)
{
	struct custom_defs defs;
	struct consent_defs cdefs;
	char **vals;
	int *granted, rc;

	if ((rc = custom_defs_load(&defs, 0)) != DB_OK)
		return rc;
	vals = calloc(defs.n ? defs.n : 1, sizeof *vals);
	if (!vals || (rc = custom_load(id, &defs, vals)) != DB_OK) {
		free(vals);
		custom_defs_free(&defs);
		return rc != DB_OK ? rc : DB_ERR;
	}
	json_object_object_add(o, "custom", custom_json(&defs, vals, CTX_ALL));
	custom_vals_free(vals, defs.n);
	free(vals);
	custom_defs_free(&defs);
	if ((rc = consent_defs_load(&cdefs, 0)) != DB_OK)
		return rc;
	granted = calloc(cdefs.n ? cdefs.n : 1, sizeof *granted);
	if (!granted || (rc = consent_state_load(id, &cdefs, granted, NULL)) != DB_OK) {
		free(granted);
		consent_defs_free(&cdefs);
		return rc != DB_OK ? rc : DB_ERR;
	}
	json_object_object_add(o, "consents", consent_json(&cdefs, granted));
	free(granted);
	consent_defs_free(&cdefs);
	return DB_OK;
}
