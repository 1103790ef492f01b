/* fuzz_render.c — contacts/list.cs and login.cs rendered with hostile values in every variable: they must
 * render, and no value may reach the HTML unescaped. Input: byte 0 flags (1 Italian, 2 signed in, 4 admin,
 * 8 also set Page.*, 16 force List.Shown, 32 login.cs instead of the list), then values separated by NUL
 * bytes: the request path, the login (also the CSRF token), the user's name, then one value for each
 * data name the templates read (see discover(); FUZZ_RENDER_LIST=1 prints them in order).
 *
 * The check: each page is rendered twice, once with the values as given and once with every '<', '>', '"'
 * and '\'' in them replaced by a control byte (which keeps every if:, == and numeric test the same).
 * Escaped output holds those characters only from the template, so both renders must contain each of them
 * equally often; any var: printed raw would add one. The page must also never hold "<script". */
#include "fuzz.h"
#include "app.h"
#include "render.h"

#include <strings.h>

#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif

/* The pages rendered; flag bit 32 picks the second. */
static const char *const pages[] = { "contacts/list.cs", "login.cs" };

#define MAX_NAMES 512
#define MAX_LOOPS 32
#define MAX_ROWS 3

/* The data names the templates read, found by scanning them (and what they include) at start-up, so
 * that a variable added to a template is fuzzed without touching this file: every Upper.Case.name in a
 * <?cs ?> tag except Lang.* and Config.*, base[...] with every string literal of the templates, and for
 * each:row = Coll, Coll.N.field for every row.field used (N < MAX_ROWS). Sorted, so the order is stable. */
static char *names[MAX_NAMES];
static size_t nnames;
static struct { char var[64], coll[128]; } loops[MAX_LOOPS];
static size_t nloops;
static char *bases[64], *literals[256], *loopfields[128];
static size_t nbases, nliterals, nloopfields;
static char *files_seen[32];
static size_t nfiles;

static int add_unique(char **v, size_t *n, size_t max, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(v[i], s) == 0)
			return 0;
	if (*n >= max) {
		/* never fuzz fewer names than the templates read without saying so */
		fprintf(stderr, "fuzz_render: more than %lu entries (at \"%s\"): raise the limits\n", (unsigned long)max, s);
		abort();
	}
	v[(*n)++] = strdup(s);
	FUZZ_ASSERT(v[*n - 1] != NULL);
	return 1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = '\0';
	fclose(f);
	return s;
}

static int ident_start(int c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
static int ident_char(int c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '.'; }

/* pass 0: includes and each: loops; pass 1: names, bases, literals, loop fields */
static void scan_file(const char *tmpl_dir, const char *file, int pass)
{
	char path[1400], tok[256];
	char *text, *p;

	if (pass == 0 && add_unique(files_seen, &nfiles, 32, file) != 1)
		return;
	snprintf(path, sizeof path, "%s/%s", tmpl_dir, file);
	if (!(text = slurp(path))) {
		fprintf(stderr, "fuzz_render: cannot read %s\n", path);
		abort();
	}
	for (p = strstr(text, "<?cs"); p; p = strstr(p, "<?cs")) {
		char *end = strstr(p, "?>");
		if (!end)
			break;
		*end = '\0';
		p += 4;
		if (p[strspn(p, " \t\r\n")] == '#') {	/* a comment */
			p = end + 2;
			continue;
		}
		while (*p) {
			size_t n = 0;
			if (*p == '"') {
				char *q = strchr(p + 1, '"');
				if (!q)
					break;
				n = (size_t)(q - p - 1);
				if (n > 0 && n < sizeof tok) {
					memcpy(tok, p + 1, n);
					tok[n] = '\0';
					if (pass == 0 && strstr(p - 9 > text ? p - 9 : text, "include:") && strstr(tok, ".cs"))
						scan_file(tmpl_dir, tok, 0);
					else if (pass == 1 && ident_start((unsigned char)tok[0]) && strspn(tok,
					    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") == n)
						add_unique(literals, &nliterals, 256, tok);
				}
				p = q + 1;
				continue;
			}
			if (!ident_start((unsigned char)*p) || (p > text && ident_char((unsigned char)p[-1]))) {
				p++;
				continue;
			}
			while (ident_char((unsigned char)p[n]))
				n++;
			if (n >= sizeof tok) {
				p += n;
				continue;
			}
			memcpy(tok, p, n);
			tok[n] = '\0';
			p += n;
			if (*p == ':')
				continue;	/* var:, if:, each: ... */
			if (pass == 0) {
				/* each:VAR = COLL */
				if (p - n - 5 >= text && strncmp(p - n - 5, "each:", 5) == 0 && nloops < MAX_LOOPS) {
					char *q = p;
					size_t m = 0;
					while (*q == ' ' || *q == '=')
						q++;
					while (ident_char((unsigned char)q[m]))
						m++;
					if (m > 0 && m < sizeof loops[0].coll && n < sizeof loops[0].var) {
						snprintf(loops[nloops].var, sizeof loops[0].var, "%s", tok);
						memcpy(loops[nloops].coll, q, m);
						loops[nloops].coll[m] = '\0';
						nloops++;
					}
				}
				continue;
			}
			if (tok[0] >= 'A' && tok[0] <= 'Z') {
				if (strncmp(tok, "Lang", 4) == 0 && (tok[4] == '.' || tok[4] == '\0'))
					continue;
				if (strncmp(tok, "Config.", 7) == 0)
					continue;
				if (*p == '[')
					add_unique(bases, &nbases, 64, tok);
				else
					add_unique(names, &nnames, MAX_NAMES, tok);
			} else if (strchr(tok, '.')) {
				add_unique(loopfields, &nloopfields, 128, tok);
			}
		}
		p = end + 2;
	}
	free(text);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void discover(const char *tmpl_dir)
{
	char buf[512];

	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
		scan_file(tmpl_dir, pages[i], 0);
	for (size_t i = 0; i < nfiles; i++)
		scan_file(tmpl_dir, files_seen[i], 1);
	for (size_t b = 0; b < nbases; b++)
		for (size_t l = 0; l < nliterals; l++) {
			snprintf(buf, sizeof buf, "%s.%s", bases[b], literals[l]);
			add_unique(names, &nnames, MAX_NAMES, buf);
		}
	for (size_t f = 0; f < nloopfields; f++) {
		const char *dot = strchr(loopfields[f], '.');
		for (size_t l = 0; l < nloops; l++) {
			if (strncmp(loopfields[f], loops[l].var, (size_t)(dot - loopfields[f])) != 0 ||
			    loops[l].var[dot - loopfields[f]] != '\0' || strncmp(loops[l].coll, "Lang", 4) == 0)
				continue;
			for (int row = 0; row < MAX_ROWS; row++) {
				snprintf(buf, sizeof buf, "%s.%d%s", loops[l].coll, row, dot);
				add_unique(names, &nnames, MAX_NAMES, buf);
			}
		}
	}
	qsort(names, nnames, sizeof names[0], cmp_str);
	if (getenv("FUZZ_RENDER_LIST"))
		for (size_t i = 0; i < nnames; i++)
			printf("%s\n", names[i]);
}

static struct app app;
static struct module mod = { "contacts", 0, NULL, 0, NULL };

static void setup(void)
{
	const char *root = getenv("CRM_ROOT") ? getenv("CRM_ROOT") : FUZZ_ROOT;

	if (app.lang[0])
		return;
	app.module = &mod;
	snprintf(app.tmpl_dir, sizeof app.tmpl_dir, "%s/templates", root);
	if (lang_load(&app) != 0) {
		fprintf(stderr, "fuzz_render: cannot load %s/lang (set CRM_ROOT)\n", app.tmpl_dir);
		abort();
	}
	discover(app.tmpl_dir);
	if (nnames < 10) {
		fprintf(stderr, "fuzz_render: only %lu names found in the templates\n", (unsigned long)nnames);
		abort();
	}
}

/* The characters markup is made of; the safe render maps them one-to-one onto control bytes that no
 * template literal or language key holds, so every test in the templates comes out the same. */
static const char markup[] = "<>\"'";

static char *prepare(const char *s, int safe)
{
	char *d = strdup(s);
	FUZZ_ASSERT(d != NULL);
	for (char *p = d; *p; p++) {
		const char *m = strchr(markup, *p);
		if (*p >= 1 && *p <= 4)
			*p = 5;	/* keep the mapping one-to-one */
		else if (safe && m)
			*p = (char)(1 + (m - markup));
	}
	return d;
}

static void count(const char *html, size_t n[4])
{
	memset(n, 0, 4 * sizeof n[0]);
	for (const char *p = html; *p; p++) {
		const char *m = strchr(markup, *p);
		if (m)
			n[m - markup]++;
	}
}

/* Renders tmpl with the values (made safe when asked) into a new string the caller frees. */
static char *render(const char *tmpl, uint8_t flags, char **val, size_t nval, int safe)
{
	struct req r;
	char *fixed[3], *out;
	int rc;

	for (size_t i = 0; i < 3; i++)
		fixed[i] = prepare(i < nval ? val[i] : "", safe);
	memset(&r, 0, sizeof r);
	r.app = &app;
	r.lang = (flags & 1) ? "it" : "en";
	/* what page_hdf copies from the request itself */
	r.path = fixed[0];
	if (flags & 2) {
		r.who.kind = AUTH_SESSION;
		r.who.roles = (flags & 4) ? ROLE_ADMIN : 0;
		snprintf(r.who.login, sizeof r.who.login, "%s", fixed[1]);
		snprintf(r.who.name, sizeof r.who.name, "%s", fixed[2]);
	}
	snprintf(r.who.csrf, sizeof r.who.csrf, "%s", fixed[1]);
	free(fixed[1]);
	free(fixed[2]);
	for (size_t i = 3; i < nval && i - 3 < nnames; i++) {
		const char *name = names[i - 3];
		char *v;
		/* unless flag 8, leave Page.*, User.* and CSRF as page_hdf set them, as the handlers do */
		if (!(flags & 8) && (strncmp(name, "Page.", 5) == 0 || strncmp(name, "User.", 5) == 0 ||
		    strcmp(name, "CSRF") == 0))
			continue;
		v = prepare(val[i], safe);
		page_set(&r, name, v);
		free(v);
	}
	if (flags & 16)
		page_set(&r, "List.Shown", "1");
	rc = page_render(&r, 200, tmpl);
	FUZZ_ASSERT(rc == 0);	/* hostile values must not break a page */
	FUZZ_ASSERT(r.resp.body.data != NULL && r.resp.body.len > 0);
	out = r.resp.body.data;
	r.resp.body.data = NULL;
	r.resp.body.len = r.resp.body.cap = 0;
	req_free(&r);	/* frees r.path */
	return out;
}

static void check(const char *tmpl, uint8_t flags, char **val, size_t nval)
{
	char *raw = render(tmpl, flags, val, nval, 0), *safe;
	size_t nr[4], ns[4];
	int special = 0;

	FUZZ_ASSERT(strcasestr(raw, "<script") == NULL);
	for (size_t i = 0; i < nval && !special; i++)
		special = strpbrk(val[i], markup) != NULL;
	if (!special) {
		free(raw);
		return;	/* the second render would be the same */
	}
	safe = render(tmpl, flags, val, nval, 1);
	count(raw, nr);
	count(safe, ns);
	if (memcmp(nr, ns, sizeof nr) != 0) {
		fprintf(stderr, "fuzz_render: %s: '<' '>' '\"' '\\'' counted %zu %zu %zu %zu with the values, "
		    "%zu %zu %zu %zu without: a value is printed unescaped\n", tmpl,
		    nr[0], nr[1], nr[2], nr[3], ns[0], ns[1], ns[2], ns[3]);
		abort();
	}
	free(raw);
	free(safe);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *val[MAX_NAMES + 3];
	size_t nval = 0;
	uint8_t flags;

	setup();
	if (size == 0)
		return 0;
	flags = data[0];
	data++;
	size--;
	while (nval < 3 + nnames && (val[nval] = fuzz_next(&data, &size, '\0')) != NULL)
		nval++;
	check(pages[(flags & 32) ? 1 : 0], flags, val, nval);
	for (size_t i = 0; i < nval; i++)
		free(val[i]);
	return 0;
}
