/* fuzz_multipart.c — form_boundary + form_parse_multipart. Input: the Content-Type value, '\n', then the body. */
#include "fuzz.h"
#include "form.h"

#include <string.h>

/* memmem without relying on _GNU_SOURCE in the harness */
static const char *find(const char *h, size_t hl, const char *n, size_t nl)
{
	if (nl == 0)
		return h;
	for (size_t i = 0; i + nl <= hl; i++)
		if (memcmp(h + i, n, nl) == 0)
			return h + i;
	return NULL;
}

static void check_boundary(const char *ctype, const char *b)
{
	size_t n = strlen(b);
	char *exact;

	FUZZ_ASSERT(n >= 1 && n <= 70);
	FUZZ_ASSERT(strstr(ctype, b) != NULL);
	/* the bound on the output buffer holds exactly: n+1 fits, n does not */
	exact = malloc(n + 1);
	FUZZ_ASSERT(exact != NULL);
	FUZZ_ASSERT(form_boundary(ctype, exact, n + 1) == 0 && strcmp(exact, b) == 0);
	FUZZ_ASSERT(form_boundary(ctype, exact, n) < 0);
	free(exact);
}

static void parse(const char *body, size_t len, const char *boundary)
{
	struct params ps = { 0 };
	char crlfdelim[84];
	int cl = snprintf(crlfdelim, sizeof crlfdelim, "\r\n--%s", boundary);
	int rc = form_parse_multipart(&ps, body, len, boundary);

	FUZZ_ASSERT(rc == FORM_OK || rc == FORM_BAD || rc == FORM_TOO_MANY);
	FUZZ_ASSERT(ps.n <= FORM_MAX_PARAMS);
	for (size_t i = 0; i < ps.n; i++) {
		const struct param *p = &ps.v[i];
		FUZZ_ASSERT(p->name && p->name[0] != '\0');
		FUZZ_ASSERT(p->value && p->value[p->value_len] == '\0');
		FUZZ_ASSERT(p->value_len <= len);
		/* a part's data never runs over the next delimiter */
		FUZZ_ASSERT(find(p->value, p->value_len, crlfdelim, (size_t)cl) == NULL);
		if (p->filename)
			(void)strlen(p->filename);
		if (p->ctype)
			(void)strlen(p->ctype);
	}
	params_free(&ps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hl = nl ? (size_t)(nl - data) : size;
	char *ctype = fuzz_cstr(data, hl);
	size_t blen = nl ? size - hl - 1 : 0;
	char *body = fuzz_exact(nl ? nl + 1 : data, blen);	/* no terminator: reads must stay in len */
	char boundary[80];

	if (form_boundary(ctype, boundary, sizeof boundary) == 0) {
		check_boundary(ctype, boundary);
		parse(body, blen, boundary);
	} else {
		/* still exercise the body with a fixed boundary */
		parse(body, blen, "xYz");
	}
	FUZZ_ASSERT(form_boundary(NULL, boundary, sizeof boundary) < 0);
	free(body);
	free(ctype);
	return 0;
}
