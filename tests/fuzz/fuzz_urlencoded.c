/* fuzz_urlencoded.c — form_parse_urlencoded and url_decode on arbitrary bytes: no crash or leak, sane pairs, encode/decode round trip. */
#include "fuzz.h"
#include "form.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_exact(data, size);	/* not terminated: the parsers must honour len */
	struct params ps = { 0 };
	int rc = form_parse_urlencoded(&ps, s, size);

	FUZZ_ASSERT(rc == FORM_OK || rc == FORM_BAD || rc == FORM_TOO_MANY);
	FUZZ_ASSERT(ps.n <= FORM_MAX_PARAMS && ps.n <= ps.cap);
	for (size_t i = 0; i < ps.n; i++) {
		const struct param *p = &ps.v[i];
		const struct param *first = params_get(&ps, p->name);
		FUZZ_ASSERT(p->name && p->name[0] != '\0');
		/* url_decode refuses %00, so a value never hides bytes behind a NUL */
		FUZZ_ASSERT(p->value && strlen(p->value) == p->value_len);
		FUZZ_ASSERT(p->filename == NULL && p->ctype == NULL);
		FUZZ_ASSERT(first != NULL && first <= p);
	}
	params_free(&ps);
	FUZZ_ASSERT(ps.v == NULL && ps.n == 0 && ps.cap == 0);

	for (int plus = 0; plus <= 1; plus++) {
		size_t n = (size_t)-1, n2 = (size_t)-1;
		struct buf enc = { 0 };
		char *d = url_decode(s, size, plus, &n), *d2;

		if (!d)
			continue;
		FUZZ_ASSERT(n <= size && strlen(d) == n);
		if (!plus && !memchr(s, '%', size))
			FUZZ_ASSERT(n == size && memcmp(d, s, n) == 0);
		/* what buf_urlenc writes (next links) decodes back to the same bytes */
		FUZZ_ASSERT(buf_urlenc(&enc, d) == 0);
		d2 = url_decode(enc.data ? enc.data : "", enc.len, 1, &n2);
		FUZZ_ASSERT(d2 != NULL && n2 == n && memcmp(d, d2, n) == 0);
		free(d2);
		buf_free(&enc);
		free(d);
	}
	free(s);
	return 0;
}
