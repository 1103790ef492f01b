/* rules.c — contact rules (crm_admin): which built-in fields are mandatory and which count for
 * master-data completeness; a changed completeness rule re-evaluates every contact's status in
 * batches after the response (modules/core/refresh.c), never inside the request. */
#include "settings.h"
#include "adminlog.h"
#include "contact.h"
#include "refresh.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GROUPS 8

enum stmt { STMT_GET, STMT_PUT, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_GET] = "SELECT v, updated_at FROM settings WHERE k = ?",
	[STMT_PUT] = "INSERT INTO settings (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)",
};

/* Flags always hold a value and user_id follows is_user: neither can be required or counted. */
static int eligible(int i)
{
	return !contact_field_is_flag(i) && i != CF_USER_ID;
}

static int field_of(const char *name, size_t len)
{
	for (int i = 0; i < CF__MAX; i++)
		if (eligible(i) && strlen(contact_fields[i].name) == len && !strncmp(contact_fields[i].name, name, len))
			return i;
	return -1;
}

/* A setting's value and when it changed (both owned by the caller; NULL when absent). */
static int setting_get(const char *k, char **v, char **at)
{
	struct db_res res;
	int rc = db_exec(stmts[STMT_GET], DB_ARGS(A_STR(k)), &res);
	*v = NULL;
	if (at)
		*at = NULL;
	if (rc != DB_OK)
		return rc;
	if (res.nrows) {
		*v = xstrdup(db_val(&res, 0, 0));
		if (at)
			*at = xstrdup(db_val(&res, 0, 1));
	}
	db_res_free(&res);
	return DB_OK;
}

/* Marks mandatory[i] for each field of a comma list. */
static void parse_mandatory(const char *s, int *mandatory)
{
	while (s && *s) {
		size_t n = strcspn(s, ",");
		int f = field_of(s, n);
		if (f >= 0)
			mandatory[f] = 1;
		s += n;
		if (*s == ',')
			s++;
	}
}

/* group[i] = 1-based number of the group holding field i (0 = does not count). */
static void parse_groups(const char *s, int *group)
{
	int g = 0;
	while (s && *s && g < MAX_GROUPS) {
		size_t glen = strcspn(s, ",");
		const char *q = s, *end = s + glen;
		int any = 0;
		while (q < end) {
			size_t alen = strcspn(q, "|,");
			int f;
			if (alen > (size_t)(end - q))
				alen = (size_t)(end - q);
			f = field_of(q, alen);
			if (f >= 0 && !group[f]) {
				group[f] = g + 1;
				any = 1;
			}
			q += alen;
			if (*q == '|')
				q++;
		}
		if (any)
			g++;
		s = end;
		if (*s == ',')
			s++;
	}
}

/* The rule strings of the arrays, in the field table's order (the caller frees both buffers). */
static void build(const int *mandatory, const int *group, struct buf *m, struct buf *c)
{
	for (int i = 0; i < CF__MAX; i++)
		if (mandatory[i])
			buf_printf(m, "%s%s", m->len ? "," : "", contact_fields[i].name);
	for (int g = 1; g <= MAX_GROUPS; g++) {
		int first = 1;
		for (int i = 0; i < CF__MAX; i++)
			if (group[i] == g) {
				buf_printf(c, "%s%s", first ? (c->len ? "," : "") : "|", contact_fields[i].name);
				first = 0;
			}
	}
	if (!m->data)
		buf_puts(m, "");
	if (!c->data)
		buf_puts(c, "");
}

static int render(struct req *r, int status, const int *mandatory, const int *group,
    const struct ferr *errs, int nerr)
{
	char key[96], *state = NULL, *at = NULL;
	int n = 0, rc;

	for (int i = 0; i < CF__MAX; i++) {
		if (!eligible(i))
			continue;
		snprintf(key, sizeof key, "Rules.Fields.%d.name", n);
		page_set(r, key, contact_fields[i].name);
		snprintf(key, sizeof key, "Rules.Fields.%d.mandatory", n);
		page_set_int(r, key, mandatory[i]);
		snprintf(key, sizeof key, "Rules.Fields.%d.group", n);
		page_set_int(r, key, group[i]);
		n++;
	}
	for (int g = 1; g <= MAX_GROUPS; g++) {
		snprintf(key, sizeof key, "Rules.GroupNumbers.%d", g);
		page_set_int(r, key, g);
		for (int i = 0, k = 0; i < CF__MAX; i++)
			if (group[i] == g) {
				snprintf(key, sizeof key, "Rules.Groups.%d.%d", g, k++);
				page_set(r, key, contact_fields[i].name);
			}
	}
	/* Progress of the background re-evaluation: "queued", "running LAST MAX" or "done CHANGED". */
	if ((rc = setting_get("contact.status_refresh", &state, &at)) != DB_OK)
		return rc;
	if (state) {
		long long a = 0, b = 0;
		char word[16] = "";
		if (sscanf(state, "%15s %lld %lld", word, &a, &b) >= 1) {
			page_set(r, "Rules.Refresh.state", word);
			page_set_int(r, "Rules.Refresh.a", a);
			page_set_int(r, "Rules.Refresh.b", b);
		}
		page_set(r, "Rules.Refresh.at", at);
	}
	free(state);
	free(at);
	sett_errors(r, errs, nerr);
	if (str_eq(req_param(r, "saved"), "1"))
		page_set(r, "Notice", lang_str(r, "Settings.Saved"));
	sett_page(r, "rules", "Settings.Rules");
	return page_render(r, status, "settings/rules.cs");
}

int rules_page(struct req *r)
{
	int mandatory[CF__MAX] = { 0 }, group[CF__MAX] = { 0 }, rc;
	char *m, *c;

	if ((rc = setting_get("contact.mandatory", &m, NULL)) != DB_OK)
		return rc;
	if ((rc = setting_get("contact.complete", &c, NULL)) != DB_OK) {
		free(m);
		return rc;
	}
	parse_mandatory(m, mandatory);
	parse_groups(c ? c : CONTACT_COMPLETE_DEFAULT, group);
	free(m);
	free(c);
	return render(r, 200, mandatory, group, NULL, 0);
}

static void refresh_after(struct req *r)
{
	long long seen = 0, changed = 0;
	(void)r;
	if (status_refresh_all(app_stopping, &seen, &changed) != DB_OK)
		log_msg(LOG_ERR, "contact status re-evaluation failed; run: crmctl contacts refresh-status");
}

struct save_ctx {
	struct req *r;
	const char *m, *c;
	int         complete_changed;
};

static int save_txn(void *p)
{
	struct save_ctx *s = p;
	char *old_m = NULL, *old_c = NULL;
	struct buf d = { 0 };
	int rc;

	if ((rc = setting_get("contact.mandatory", &old_m, NULL)) != DB_OK)
		return rc;
	if ((rc = setting_get("contact.complete", &old_c, NULL)) != DB_OK)
		goto out;
	s->complete_changed = !str_eq(old_c ? old_c : CONTACT_COMPLETE_DEFAULT, s->c);
	if (!str_eq(old_m ? old_m : "", s->m))
		buf_printf(&d, "mandatory: %s → %s", old_m && *old_m ? old_m : "—", *s->m ? s->m : "—");
	if (s->complete_changed)
		buf_printf(&d, "%scomplete: %s → %s", d.len ? "; " : "", old_c ? old_c : CONTACT_COMPLETE_DEFAULT, s->c);
	if (!d.len)
		goto out;	/* nothing changed: nothing to write or record */
	if ((rc = db_exec(stmts[STMT_PUT], DB_ARGS(A_STR("contact.mandatory"), A_STR(s->m)), NULL)) != DB_OK ||
	    (rc = db_exec(stmts[STMT_PUT], DB_ARGS(A_STR("contact.complete"), A_STR(s->c)), NULL)) != DB_OK)
		goto out;
	if (s->complete_changed && (rc = status_refresh_queue()) != DB_OK)
		goto out;
	rc = adminlog_add(s->r, "rules", "update", 0, "contact", d.data);
out:
	free(old_m);
	free(old_c);
	buf_free(&d);
	return rc;
}

int rules_post(struct req *r)
{
	int mandatory[CF__MAX] = { 0 }, group[CF__MAX] = { 0 }, nerr = 0, n, present, any = 0, rc;
	const char *names[CF__MAX + 1];
	struct ferr errs[MAX_FORM_ERRORS];
	struct buf m = { 0 }, c = { 0 };

	n = sett_param_list(r, "mandatory", names, CF__MAX + 1, &present);
	if (n < 0)
		nerr = sett_err(errs, nerr, "mandatory", "Choice");
	for (int i = 0; i < n; i++) {
		int f = field_of(names[i], strlen(names[i]));
		if (f < 0) {
			nerr = sett_err(errs, nerr, "mandatory", "Choice");
			break;
		}
		mandatory[f] = 1;
	}
	for (int i = 0; i < CF__MAX; i++) {
		char pname[80];
		const char *v;
		long long g;
		if (!eligible(i))
			continue;
		snprintf(pname, sizeof pname, "group_%s", contact_fields[i].name);
		v = req_param(r, pname);
		if (!v || !*v)
			continue;
		if (parse_ll(v, 0, MAX_GROUPS, &g) < 0) {
			nerr = sett_err(errs, nerr, "groups", "Choice");
			break;
		}
		group[i] = (int)g;
		any |= g > 0;
	}
	if (!any && nerr == 0)
		nerr = sett_err(errs, nerr, "groups", "Settings.Err.NoGroups");
	if (nerr)
		return render(r, 422, mandatory, group, errs, nerr);
	build(mandatory, group, &m, &c);
	{
		struct save_ctx s = { r, m.data, c.data, 0 };
		rc = db_txn(save_txn, &s);
		if (rc == DB_OK) {
			log_msg(LOG_INFO, "contact rules changed by %s (mandatory: %s; complete: %s)", r->who.login, m.data, c.data);
			if (s.complete_changed)
				r->after_response = refresh_after;
			resp_redirect(r, "/settings/rules?saved=1");
		}
	}
	buf_free(&m);
	buf_free(&c);
	return rc;
}
