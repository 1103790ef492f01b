/* consent.c — consents: definitions with their current text, state per contact, grant/withdraw events. */
#include "consent.h"
#include "custom.h"
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum stmt { STMT_DEFS, STMT_STATE, STMT_EVENT, STMT_SET_STATE, STMT_ERASE_STATE, STMT_ERASE_EVENTS, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_DEFS] =
	    "SELECT c.id, c.code, c.title_en, c.title_it, v.text_en, v.text_it, c.version, c.active, c.sort_order "
	    "FROM consents c LEFT JOIN consent_versions v ON v.consent_id = c.id AND v.version = c.version "
	    "WHERE c.active = 1 OR ? = 1 ORDER BY c.sort_order, c.id",
	[STMT_STATE] = "SELECT consent_id, granted, version FROM contact_consents WHERE contact_id = ?",
	[STMT_EVENT] =
	    "INSERT INTO consent_events (contact_id, consent_id, granted, version, actor_user_id, actor_contact_id, "
	    "actor, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_SET_STATE] =
	    "INSERT INTO contact_consents (contact_id, consent_id, granted, version) VALUES (?, ?, ?, ?) "
	    "ON DUPLICATE KEY UPDATE granted = VALUES(granted), version = VALUES(version), changed_at = NOW(3)",
	[STMT_ERASE_STATE] = "DELETE FROM contact_consents WHERE contact_id = ?",
	[STMT_ERASE_EVENTS] = "DELETE FROM consent_events WHERE contact_id = ?",
};

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

void consent_defs_free(struct consent_defs *d)
{
	for (size_t i = 0; d->v && i < d->n; i++) {
		free(d->v[i].code);
		free(d->v[i].title_en);
		free(d->v[i].title_it);
		free(d->v[i].text_en);
		free(d->v[i].text_it);
	}
	free(d->v);
	memset(d, 0, sizeof *d);
}

int consent_defs_load(struct consent_defs *d, int with_inactive)
{
	struct db_res res;
	int rc;

	memset(d, 0, sizeof *d);
	if ((rc = db_exec(stmts[STMT_DEFS], DB_ARGS(A_INT(with_inactive ? 1 : 0)), &res)) != DB_OK)
		return rc;
	d->v = calloc(res.nrows ? res.nrows : 1, sizeof *d->v);
	for (size_t i = 0; d->v && i < res.nrows; i++) {
		struct consent_def *c = &d->v[d->n++];
		c->id = db_ll(&res, i, 0);
		c->code = dup_or_empty(db_val(&res, i, 1));
		c->title_en = dup_or_empty(db_val(&res, i, 2));
		c->title_it = dup_or_empty(db_val(&res, i, 3));
		c->text_en = dup_or_empty(db_val(&res, i, 4));
		c->text_it = dup_or_empty(db_val(&res, i, 5));
		c->version = (int)db_ll(&res, i, 6);
		c->active = db_ll(&res, i, 7) != 0;
		c->sort_order = (int)db_ll(&res, i, 8);
		snprintf(c->form_name, sizeof c->form_name, "consent_%s", c->code);
		snprintf(c->api_name, sizeof c->api_name, "consents.%s", c->code);
	}
	db_res_free(&res);
	return d->v ? DB_OK : DB_ERR;
}

const struct consent_def *consent_def_find(const struct consent_defs *d, const char *code)
{
	for (size_t i = 0; code && i < d->n; i++)
		if (!strcmp(d->v[i].code, code))
			return &d->v[i];
	return NULL;
}

const char *consent_title(const struct consent_def *c, const char *lang)
{
	return str_eq(lang, "it") && *c->title_it ? c->title_it : c->title_en;
}

const char *consent_text(const struct consent_def *c, const char *lang)
{
	return str_eq(lang, "it") && *c->text_it ? c->text_it : c->text_en;
}

int consent_state_load(long long contact_id, const struct consent_defs *d, int *granted, int *version)
{
	struct db_res res;
	int rc;

	for (size_t i = 0; i < d->n; i++) {
		granted[i] = 0;
		if (version)
			version[i] = 0;
	}
	if (!contact_id)
		return DB_OK;
	if ((rc = db_exec(stmts[STMT_STATE], DB_ARGS(A_INT(contact_id)), &res)) != DB_OK)
		return rc;
	for (size_t r = 0; r < res.nrows; r++)
		for (size_t i = 0; i < d->n; i++)
			if (d->v[i].id == db_ll(&res, r, 0)) {
				granted[i] = db_ll(&res, r, 1) != 0;
				if (version)
					version[i] = (int)db_ll(&res, r, 2);
			}
	db_res_free(&res);
	return DB_OK;
}

int consent_in_init(struct consent_in *in, const struct consent_defs *defs, long long contact_id, const char *source)
{
	size_t n = defs->n ? defs->n : 1;

	memset(in, 0, sizeof *in);
	in->defs = defs;
	in->source = source;
	in->given = calloc(n, sizeof *in->given);
	in->want = calloc(n, sizeof *in->want);
	in->granted = calloc(n, sizeof *in->granted);
	in->version = calloc(n, sizeof *in->version);
	if (!in->given || !in->want || !in->granted || !in->version)
		return DB_ERR;
	return consent_state_load(contact_id, defs, in->granted, in->version);
}

void consent_in_free(struct consent_in *in)
{
	free(in->given);
	free(in->want);
	free(in->granted);
	free(in->version);
	memset(in, 0, sizeof *in);
}

static void parse_error(struct consent_in *in, const char *code, const char *msg)
{
	if (in->nperr >= (int)(sizeof in->perr / sizeof in->perr[0]))
		return;
	snprintf(in->perr_name[in->nperr], sizeof in->perr_name[in->nperr], in->for_form ? "consent_%.60s" : "consents.%.60s",
	    code && utf8_valid_text(code, strlen(code), 0) ? code : "?");
	in->perr[in->nperr].field = in->perr_name[in->nperr];
	in->perr[in->nperr].msg = msg;
	in->nperr++;
}

int consent_in_set(struct consent_in *in, const char *code, int granted)
{
	for (size_t i = 0; code && i < in->defs->n; i++)
		if (in->defs->v[i].active && !strcmp(in->defs->v[i].code, code)) {
			in->given[i] = 1;
			in->want[i] = granted != 0;
			return 0;
		}
	parse_error(in, code, "UnknownConsent");
	return -1;
}

void consent_in_from_form(struct consent_in *in, struct req *r)
{
	in->for_form = 1;
	for (size_t i = 0; i < in->defs->n; i++) {
		const char *v;
		if (!in->defs->v[i].active)
			continue;
		v = req_param(r, in->defs->v[i].form_name);
		in->given[i] = 1;
		in->want[i] = v && *v && strcmp(v, "0") != 0;
	}
}

void consent_in_from_json(struct consent_in *in, json_object *obj)
{
	if (!obj)
		return;
	if (!json_object_is_type(obj, json_type_object)) {
		parse_error(in, "", "Object");
		in->perr[in->nperr - 1].field = "consents";
		return;
	}
	json_object_object_foreach(obj, code, val) {
		if (!json_object_is_type(val, json_type_boolean)) {
			parse_error(in, code, "Bool");
			continue;
		}
		(void)consent_in_set(in, code, json_object_get_boolean(val));
	}
}

void consent_validate(struct consent_in *in, struct ferr *errs, int *nerr)
{
	for (int k = 0; k < in->nperr; k++) {
		if (*nerr < MAX_FORM_ERRORS)
			errs[*nerr] = in->perr[k];
		(*nerr)++;
	}
}

int consent_in_changes(const struct consent_in *in)
{
	for (size_t i = 0; i < in->defs->n; i++)
		if (in->given[i] && in->want[i] != in->granted[i])
			return 1;
	return 0;
}

int consent_write(struct req *r, long long contact_id, struct consent_in *in)
{
	int portal = r->who.kind == AUTH_PORTAL, rc;

	for (size_t i = 0; i < in->defs->n; i++) {
		const struct consent_def *c = &in->defs->v[i];
		if (!in->given[i] || in->want[i] == in->granted[i] || !c->active)
			continue;
		/* A withdrawal keeps the version of the grant it ends; a grant takes the current text's. */
		int version = in->want[i] ? c->version : (in->version[i] ? in->version[i] : c->version);
		rc = db_exec(stmts[STMT_EVENT], DB_ARGS(A_INT(contact_id), A_INT(c->id), A_INT(in->want[i]), A_INT(version),
		    portal || !r->who.user_id ? A_NULL : A_INT(r->who.user_id), portal ? A_INT(r->who.contact_id) : A_NULL,
		    A_STR(portal ? "" : r->who.login), A_STR(in->source ? in->source : "form")), NULL);
		if (rc != DB_OK)
			return rc;
		rc = db_exec(stmts[STMT_SET_STATE], DB_ARGS(A_INT(contact_id), A_INT(c->id), A_INT(in->want[i]), A_INT(version)), NULL);
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

int consent_erase(long long contact_id)
{
	int rc = db_exec(stmts[STMT_ERASE_EVENTS], DB_ARGS(A_INT(contact_id)), NULL);
	if (rc != DB_OK)
		return rc;
	return db_exec(stmts[STMT_ERASE_STATE], DB_ARGS(A_INT(contact_id)), NULL);
}

json_object *consent_json(const struct consent_defs *d, const int *granted)
{
	json_object *o = json_object_new_object();
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].active)
			json_object_object_add(o, d->v[i].code, json_object_new_boolean(granted[i]));
	return o;
}
