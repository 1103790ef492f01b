/* fuzz_vcard.c — vCard reading: any bytes give cards whose values are valid UTF-8 C strings, dates are
 * YYYY-MM-DD, languages two letters; writing a parsed card and reading it back gives the same values. */
#include "fuzz.h"
#include "csv.h"
#include "vcard.h"

static int utf8_ok(const char *s)
{
	size_t n, l;
	const char *enc;
	char *t = csv_to_utf8(s, strlen(s), &l, &enc);
	n = strcmp(enc, "utf-8") == 0 && l == strlen(s);
	free(t);
	return (int)n;
}

struct again {
	const struct vcard *want;
	int                 seen;
};

static int check_again(void *ctx, struct vcard *c, size_t card)
{
	struct again *a = ctx;
	(void)card;
	a->seen++;
	/* names, emails and phones survive a write and a read (as long as they carry no line breaks) */
	for (int i = VC_FIRST; i <= VC_WORK; i++)
		if (a->want->v[i] && !strpbrk(a->want->v[i], "\r\n,;\\") && a->want->v[i][0] != ' ')
			FUZZ_ASSERT(c->v[i] && strcmp(c->v[i], a->want->v[i]) == 0);
	return 0;
}

static int check(void *ctx, struct vcard *c, size_t card)
{
	struct buf b = { 0 };
	const char *v[VC__N];
	struct again a = { c, 0 };
	(void)ctx;
	(void)card;
	for (int i = 0; i < VC__N; i++) {
		v[i] = c->v[i];
		if (c->v[i])
			FUZZ_ASSERT(utf8_ok(c->v[i]));
	}
	if (c->v[VC_BDAY])
		FUZZ_ASSERT(strlen(c->v[VC_BDAY]) == 10 && c->v[VC_BDAY][4] == '-' && c->v[VC_BDAY][7] == '-');
	if (c->v[VC_LANG])
		FUZZ_ASSERT(strlen(c->v[VC_LANG]) == 2);
	vcard_write(&b, 4, v);
	FUZZ_ASSERT(vcard_parse(b.data, b.len, check_again, &a) == 1 && a.seen == 1);
	buf_free(&b);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FUZZ_ASSERT(vcard_parse((const char *)data, size, check, NULL) >= 0);
	return 0;
}
