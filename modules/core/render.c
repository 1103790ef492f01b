/* render.c — ClearSilver rendering with html auto-escaping, and the language files. */
#include "render.h"
#include "app.h"

#include <stdio.h>
#include <string.h>

static void consume(NEOERR **err, const char *what)
{
	if (*err == STATUS_OK)
		return;
	{
		STRING s;
		string_init(&s);
		nerr_error_traceback(*err, &s);
		log_msg(LOG_ERR, "%s: %s", what, s.buf ? s.buf : "?");
		string_clear(&s);
		nerr_ignore(err);
	}
}

int lang_load(struct app *a)
{
	char path[1200];
	NEOERR *err;
	const char *files[2][2] = { { "en", NULL }, { "en", "it" } };

	for (int i = 0; i < 2; i++) {
		if ((err = hdf_init(&a->lang[i])) != STATUS_OK) {
			consume(&err, "lang");
			return -1;
		}
		for (int j = 0; j < 2 && files[i][j]; j++) {
			snprintf(path, sizeof path, "%s/lang/%s.hdf", a->tmpl_dir, files[i][j]);
			if ((err = hdf_read_file(a->lang[i], path)) != STATUS_OK) {
				consume(&err, path);
				return -1;
			}
		}
	}
	return 0;
}

static HDF *lang_root(const struct req *r)
{
	if (!r->app || !r->app->lang[0])
		return NULL;
	return r->app->lang[str_eq(r->lang, "it") ? 1 : 0];
}

const char *lang_str(const struct req *r, const char *key)
{
	HDF *l = lang_root(r);
	const char *v = l ? hdf_get_valuef(l, "Lang.%s", key) : NULL;
	return v ? v : key;
}

HDF *page_hdf(struct req *r)
{
	NEOERR *err;
	HDF *h;

	if (r->hdf)
		return r->hdf;
	if ((err = hdf_init(&r->hdf)) != STATUS_OK) {
		consume(&err, "hdf_init");
		return NULL;
	}
	h = r->hdf;
	hdf_set_value(h, "Page.Lang", r->lang ? r->lang : "en");
	hdf_set_value(h, "Page.Path", r->path ? r->path : "/");
	if (r->app)
		hdf_set_value(h, "Page.Module", r->app->module->name);
	if (r->who.kind != AUTH_NONE) {
		hdf_set_value(h, "User.Login", r->who.login);
		hdf_set_value(h, "User.Name", r->who.name[0] ? r->who.name : r->who.login);
		hdf_set_int_value(h, "User.Admin", (r->who.roles & ROLE_ADMIN) != 0);
		hdf_set_int_value(h, "User.Work", perm_allows(PERM_WORK, r->who.roles));
		hdf_set_int_value(h, "User.Manage", perm_allows(PERM_MANAGE, r->who.roles));
	}
	if (r->who.csrf[0])
		hdf_set_value(h, "CSRF", r->who.csrf);
	return h;
}

void page_set(struct req *r, const char *name, const char *value)
{
	HDF *h = page_hdf(r);
	NEOERR *err;
	if (!h)
		return;
	err = hdf_set_value(h, name, value ? value : "");
	consume(&err, "page_set");
}

void page_set_int(struct req *r, const char *name, long long v)
{
	char n[32];
	snprintf(n, sizeof n, "%lld", v);
	page_set(r, name, n);
}

void page_set_errors(struct req *r, const struct ferr *errs, int n)
{
	char key[160];
	for (int i = 0; i < n && i < MAX_FORM_ERRORS; i++) {
		char lk[96];
		snprintf(key, sizeof key, "Form.Errors.%s", errs[i].field);
		snprintf(lk, sizeof lk, "Valid.%s", errs[i].msg);
		page_set(r, key, lang_str(r, lk));
	}
	if (n > 0)
		page_set_int(r, "Form.ErrorCount", n);
}

void page_set_rows(struct req *r, const char *prefix, const struct db_res *res,
    const char *const *names, size_t ncols)
{
	char key[160];
	for (size_t i = 0; i < res->nrows; i++)
		for (size_t c = 0; c < ncols; c++) {
			snprintf(key, sizeof key, "%s.%lu.%s", prefix, (unsigned long)i, names[c]);
			page_set(r, key, db_val(res, i, c));
		}
}

void resp_json_invalid(struct req *r, const struct ferr *errs, int n)
{
	json_object *fields = json_object_new_object();
	for (int i = 0; i < n && i < MAX_FORM_ERRORS; i++) {
		char key[64];
		snprintf(key, sizeof key, "Valid.%s", errs[i].msg);
		json_object_object_add(fields, errs[i].field, json_object_new_string(lang_str(r, key)));
	}
	resp_json_error(r, 422, "invalid", lang_str(r, "Error.invalid"), fields);
}

static NEOERR *render_out(void *ctx, char *s)
{
	if (buf_puts((struct buf *)ctx, s) < 0)
		return nerr_raise(NERR_NOMEM, "out of memory");
	return STATUS_OK;
}

/* Parsed templates, kept by the worker: parsing a page with the layout and macros it includes took
 * 0.15 ms, six times as long as rendering it. ClearSilver renders a parse tree as often as asked;
 * each render gets the page's own data (cs->hdf) and language (cs->global_hdf), and a tree whose
 * render failed is dropped, so nothing half-done is reused. The parse-time data (the escaping mode
 * and the template path) is the same for every page, so the trees are parsed against one HDF.
 * A tree takes about 200 KB (each holds its own copy of the layout and macros): the worker keeps the
 * TMPL_CACHE pages it rendered last, 2 MB at most, and parses any other page as before. */
#define TMPL_CACHE 10
static struct tmpl { char name[96]; CSPARSE *cs; unsigned long used; } tmpls[TMPL_CACHE];
static HDF *parse_hdf;
static unsigned long tmpl_clock;

static NEOERR *tmpl_get(const struct app *a, const char *name, CSPARSE **out, struct tmpl **slot)
{
	NEOERR *err = STATUS_OK;
	struct tmpl *t = &tmpls[0];
	CSPARSE *cs = NULL;

	*slot = NULL;
	for (int i = 0; i < TMPL_CACHE; i++) {
		if (tmpls[i].cs && strcmp(tmpls[i].name, name) == 0) {
			tmpls[i].used = ++tmpl_clock;
			*out = tmpls[i].cs;
			*slot = &tmpls[i];
			return STATUS_OK;
		}
		if (!t->cs)
			continue;	/* an empty slot found already */
		if (!tmpls[i].cs || tmpls[i].used < t->used)
			t = &tmpls[i];	/* empty, or used longest ago */
	}
	if (!parse_hdf) {
		err = hdf_init(&parse_hdf);
		/* Escape every var: by default; read by cs_init. */
		if (err == STATUS_OK)
			err = hdf_set_value(parse_hdf, "Config.VarEscapeMode", "html");
		if (err == STATUS_OK && a)
			err = hdf_set_value(parse_hdf, "hdf.loadpaths.0", a->tmpl_dir);
		if (err != STATUS_OK) {
			hdf_destroy(&parse_hdf);
			return err;
		}
	}
	err = cs_init(&cs, parse_hdf);
	if (err == STATUS_OK)
		err = cgi_register_strfuncs(cs);
	if (err == STATUS_OK)
		err = cs_parse_file(cs, name);
	if (err != STATUS_OK) {
		cs_destroy(&cs);
		return err;
	}
	*out = cs;
	if (strlen(name) < sizeof t->name) {	/* else parsed for this page only */
		cs_destroy(&t->cs);
		snprintf(t->name, sizeof t->name, "%s", name);
		t->cs = cs;
		t->used = ++tmpl_clock;
		*slot = t;
	}
	return STATUS_OK;
}

int page_render(struct req *r, int status, const char *tmpl)
{
	CSPARSE *cs = NULL;
	struct tmpl *slot;
	HDF *h = page_hdf(r);
	NEOERR *err;

	if (!h)
		return 500;
	buf_reset(&r->resp.body);
	err = tmpl_get(r->app, tmpl, &cs, &slot);
	if (err == STATUS_OK) {
		cs->hdf = h;
		/* Lang.* is read from the worker's language tree, which ClearSilver consults for any name
		 * the page's own data lacks: copying its 2,000 nodes into every page cost more than the page. */
		cs->global_hdf = lang_root(r);
		cs->locals = NULL;
		err = cs_render(cs, &r->resp.body, render_out);
		cs->hdf = parse_hdf;
		cs->global_hdf = NULL;
		cs->locals = NULL;
		if (err != STATUS_OK || !slot) {
			if (slot)
				slot->cs = NULL;
			cs_destroy(&cs);
		}
	}
	if (err != STATUS_OK) {
		consume(&err, tmpl);
		buf_reset(&r->resp.body);
		return 500;
	}
	{
		/* Template comments and macro definitions leave blank lines before <!DOCTYPE>. */
		size_t skip = 0;
		while (skip < r->resp.body.len && (r->resp.body.data[skip] == '\n' || r->resp.body.data[skip] == ' '))
			skip++;
		if (skip) {
			memmove(r->resp.body.data, r->resp.body.data + skip, r->resp.body.len - skip + 1);
			r->resp.body.len -= skip;
		}
	}
	r->resp.status = status;
	r->resp.ctype = "text/html; charset=utf-8";
	return 0;
}
