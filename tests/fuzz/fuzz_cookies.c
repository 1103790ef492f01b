/* fuzz_cookies.c — form_parse_cookies on any Cookie header: no crash or leak, names and values well cut. */
#include "fuzz.h"
#include "form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct params ps = { 0 };
	int rc = form_parse_cookies(&ps, s);

	FUZZ_ASSERT(rc == FORM_OK || rc == FORM_TOO_MANY);
	FUZZ_ASSERT(ps.n <= FORM_MAX_PARAMS);
	for (size_t i = 0; i < ps.n; i++) {
		const struct param *p = &ps.v[i];
		size_t nl = strlen(p->name);
		FUZZ_ASSERT(nl > 0 && !strpbrk(p->name, "=;"));
		FUZZ_ASSERT(!strchr(" \t", p->name[0]) && !strchr(" \t", p->name[nl - 1]));
		FUZZ_ASSERT(strlen(p->value) == p->value_len && !strchr(p->value, ';'));
		FUZZ_ASSERT(strstr(s, p->name) != NULL && strstr(s, p->value) != NULL);
		FUZZ_ASSERT(params_get(&ps, p->name) != NULL);
	}
	params_free(&ps);

	/* no Cookie header at all */
	FUZZ_ASSERT(form_parse_cookies(&ps, NULL) == FORM_OK && ps.n == 0);
	params_free(&ps);
	free(s);
	return 0;
}
