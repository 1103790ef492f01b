/* test_render.c — templates: hostile values are escaped everywhere; golden output of the error page. */
#include "unit.h"
#include "app.h"
#include "render.h"

#include <stdlib.h>

static struct app tapp;
static struct module tmod = { "contacts", 0, NULL, 0, NULL };

static int setup(void)
{
	if (tapp.lang[0])
		return 0;
	tapp.module = &tmod;
	snprintf(tapp.tmpl_dir, sizeof tapp.tmpl_dir, "%s/templates", getenv("CRM_ROOT") ? getenv("CRM_ROOT") : ".");
	return lang_load(&tapp);
}

static void req_init(struct req *r, const char *lang)
{
	memset(r, 0, sizeof *r);
	r->app = &tapp;
	r->lang = lang;
	r->path = strdup("/contacts");
	r->who.kind = AUTH_SESSION;
	r->who.roles = ROLE_ADMIN;
	strcpy(r->who.login, "admin");
	strcpy(r->who.name, "<b>Admin</b>");
	strcpy(r->who.csrf, "c5rf\"><x");
}

TEST(list_template_escapes_hostile_values)
{
	struct req r;
	const char *evil = "<script>alert(1)</script>\"'&";
	CHECK(setup() == 0);
	req_init(&r, "en");
	page_set(&r, "List.Total", "1");
	page_set(&r, "List.Shown", "1");
	page_set(&r, "List.Q", evil);
	page_set(&r, "List.Rows.0.last_name", evil);
	page_set(&r, "List.Rows.0.first_name", "<img src=x onerror=alert(1)>");
	page_set(&r, "List.Rows.0.customer", evil);
	page_set(&r, "List.Rows.0.status", "draft");
	page_set(&r, "List.Next", "/contacts?after=\"><script>");
	CHECK(page_render(&r, 200, "contacts/list.cs") == 0);
	CHECK(r.resp.body.data && strstr(r.resp.body.data, "<table class=\"list\">"));
	CHECK(strstr(r.resp.body.data, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	CHECK(strstr(r.resp.body.data, "<script>") == NULL);
	CHECK(strstr(r.resp.body.data, "<img src=x") == NULL);
	CHECK(strstr(r.resp.body.data, "<b>Admin</b>") == NULL);
	CHECK(strstr(r.resp.body.data, "c5rf\"><x") == NULL);
	CHECK(strstr(r.resp.body.data, "Draft") != NULL);
	req_free(&r);
}

TEST(italian_strings_replace_english)
{
	struct req r;
	CHECK(setup() == 0);
	req_init(&r, "it");
	page_set(&r, "List.Total", "0");
	CHECK(page_render(&r, 200, "contacts/list.cs") == 0);
	CHECK(strstr(r.resp.body.data, "<html lang=\"it\">") != NULL);
	CHECK(strstr(r.resp.body.data, "Contatti") != NULL);
	CHECK(strstr(r.resp.body.data, "Nessun contatto corrisponde.") != NULL);
	CHECK_STR(lang_str(&r, "Login.Wrong"), "Utente o password errati.");
	req_free(&r);
}

/* Counts leaves under `node` (named `path`) that en lacks, printing each. */
static int missing_in(HDF *en, HDF *node, const char *path)
{
	int n = 0;
	char sub[512];
	for (HDF *k = hdf_obj_child(node); k; k = hdf_obj_next(k)) {
		snprintf(sub, sizeof sub, "%s.%s", path, hdf_obj_name(k));
		if (hdf_obj_child(k)) {
			n += missing_in(en, k, sub);
		} else if (!hdf_get_value(en, sub, NULL)) {
			fprintf(stderr, "    missing in en: %s\n", sub);
			n++;
		}
	}
	return n;
}

TEST(every_italian_key_exists_in_english)
{
	/* Italian may lag behind English, never the reverse: a key only in it.hdf is a typo. */
	HDF *en = NULL, *it = NULL;
	char path[1200];
	int missing = 0;
	CHECK(setup() == 0);
	hdf_init(&en);
	hdf_init(&it);
	snprintf(path, sizeof path, "%s/lang/en.hdf", tapp.tmpl_dir);
	NEOERR *e1 = hdf_read_file(en, path);
	snprintf(path, sizeof path, "%s/lang/it.hdf", tapp.tmpl_dir);
	NEOERR *e2 = hdf_read_file(it, path);
	CHECK(e1 == STATUS_OK && e2 == STATUS_OK);
	nerr_ignore(&e1);
	nerr_ignore(&e2);
	missing = missing_in(en, hdf_get_obj(it, "Lang"), "Lang");
	CHECK(missing == 0);
	hdf_destroy(&en);
	hdf_destroy(&it);
}

/* ClearSilver reads an unclosed "Lang {" block without an error and silently nests every later
 * string under it (a merge once lost all settings strings that way): braces must balance and
 * every top-level block must be Lang. */
TEST(language_files_have_balanced_blocks)
{
	static const char *const files[] = { "en.hdf", "it.hdf" };
	char path[1200], line[2048];

	CHECK(setup() == 0);
	for (size_t f = 0; f < 2; f++) {
		FILE *fp;
		int depth = 0, ok = 1;
		snprintf(path, sizeof path, "%s/lang/%s", tapp.tmpl_dir, files[f]);
		CHECK((fp = fopen(path, "r")) != NULL);
		if (!fp)
			continue;
		while (fgets(line, sizeof line, fp)) {
			size_t n = strlen(line);
			while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' '))
				line[--n] = '\0';
			if (n > 0 && line[n - 1] == '{') {
				if (depth == 0 && strcmp(line, "Lang {") != 0)
					ok = 0;
				depth++;
			} else if (strcmp(line + strspn(line, " "), "}") == 0) {
				depth--;
			}
			if (depth < 0)
				ok = 0;
		}
		fclose(fp);
		CHECK(ok && depth == 0);
	}
}

TEST(error_page_matches_golden_file)
{
	struct req r;
	char path[1200];
	FILE *f;
	struct buf want = { 0 };
	char chunk[4096];
	size_t n;

	CHECK(setup() == 0);
	req_init(&r, "en");
	r.who.kind = AUTH_NONE;
	r.who.csrf[0] = '\0';
	resp_error(&r, 404, NULL);
	CHECK(r.resp.status == 404);
	snprintf(path, sizeof path, "%s/../tests/templates/error-404.html", tapp.tmpl_dir);
	if (getenv("UPDATE_GOLDEN") && (f = fopen(path, "wb")) != NULL) {
		fwrite(r.resp.body.data, 1, r.resp.body.len, f);
		fclose(f);
	}
	f = fopen(path, "rb");
	CHECK(f != NULL);
	if (f) {
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_append(&want, chunk, n);
		fclose(f);
		CHECK(want.data && r.resp.body.data && strcmp(want.data, r.resp.body.data) == 0);
	}
	buf_free(&want);
	req_free(&r);
}
