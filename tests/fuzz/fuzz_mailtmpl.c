/* fuzz_mailtmpl.c — the email-template placeholder parser, validator and expansion on any text.
 * Input: byte 0 picks the template code (low 2 bits) and subject or body (bit 2); the rest is the text.
 * Invariants: pieces lie inside the input and are well formed; the canonical form of a parsed text
 * parses to the same pieces; a valid text expands, and no expansion ever leaves "{{" in a mail. */
#include "fuzz.h"
#include "mailtmpl.h"
#include "util.h"

#define MAX_PIECES 4096

struct piece {
	int         ph;
	const char *p;
	size_t      n;
};

struct collect {
	const char  *base;
	size_t       len;
	struct piece v[MAX_PIECES];
	size_t       n;
	int          overflow;
};

static int collect_cb(void *ctx, int is_placeholder, const char *p, size_t n)
{
	struct collect *c = ctx;
	FUZZ_ASSERT(p >= c->base && p + n <= c->base + c->len);
	FUZZ_ASSERT(n > 0);
	if (is_placeholder) {
		FUZZ_ASSERT(n <= MAILTMPL_MAX_NAME);
		for (size_t i = 0; i < n; i++)
			FUZZ_ASSERT((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '_' || p[i] == '.');
	} else {
		/* a literal run never holds placeholder syntax */
		for (size_t i = 0; i + 1 < n; i++)
			FUZZ_ASSERT(!(p[i] == '{' && p[i + 1] == '{') && !(p[i] == '}' && p[i + 1] == '}'));
	}
	if (c->n >= MAX_PIECES) {
		c->overflow = 1;
		return 0;
	}
	c->v[c->n].ph = is_placeholder;
	c->v[c->n].p = p;
	c->v[c->n].n = n;
	c->n++;
	return 0;
}

static int stop_cb(void *ctx, int is_placeholder, const char *p, size_t n)
{
	(void)ctx; (void)p; (void)n;
	return is_placeholder ? 99 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const codes[] = { "portal_access", "ticket_created", "ticket_updated", "password_reset" };
	static struct collect a, b;
	static const struct mailtmpl_var vars[] = {
		{ "contact.first_name", "Anna" }, { "contact.last_name", "" }, { "contact.email", "a@example.com" },
		{ "portal.link", "https://p.example/set?t=1" }, { "ticket.number", "T-1" }, { "reset.link", NULL },
		{ "comment.body", "line one\nline two\r\n" }, { "site.name", "CRM" },
	};
	const char *code;
	char *text, *exact, bad[MAILTMPL_MAX_NAME + 8];
	struct buf canon = { 0 }, out = { 0 };
	size_t off, len;
	int subject, rc, check_rc;

	if (size < 1)
		return 0;
	code = codes[data[0] & 3];
	subject = (data[0] >> 2) & 1;
	text = fuzz_cstr(data + 1, size - 1);
	len = strlen(text);

	/* the parser on an exact-size copy (no terminator), so a read past the end is seen */
	exact = fuzz_exact((const uint8_t *)text, len);
	memset(&a, 0, sizeof a);
	a.base = exact;
	a.len = len;
	rc = mailtmpl_parse(exact, len, collect_cb, &a, &off);
	FUZZ_ASSERT(rc == MT_OK || rc == MT_UNBALANCED || rc == MT_BADNAME);
	if (rc != MT_OK) {
		FUZZ_ASSERT(off + 1 < len + 1 && len >= 2);
		FUZZ_ASSERT((exact[off] == '{' && exact[off + 1] == '{') || (exact[off] == '}' && exact[off + 1] == '}'));
	}
	/* a callback's non-zero answer stops the parse and is passed on */
	{
		int s = mailtmpl_parse(exact, len, stop_cb, NULL, &off);
		FUZZ_ASSERT(s == rc || s == 99);
	}
	if (rc == MT_OK && !a.overflow) {
		/* canonical form: literals and {{name}}; it parses to the same pieces */
		for (size_t i = 0; i < a.n; i++) {
			if (a.v[i].ph)
				buf_puts(&canon, "{{");
			buf_append(&canon, a.v[i].p, a.v[i].n);
			if (a.v[i].ph)
				buf_puts(&canon, "}}");
		}
		if (!canon.data)
			buf_puts(&canon, "");
		memset(&b, 0, sizeof b);
		b.base = canon.data;
		b.len = canon.len;
		FUZZ_ASSERT(mailtmpl_parse(canon.data, canon.len, collect_cb, &b, &off) == MT_OK);
		FUZZ_ASSERT(b.n == a.n);
		for (size_t i = 0; i < a.n; i++)
			FUZZ_ASSERT(b.v[i].ph == a.v[i].ph && b.v[i].n == a.v[i].n && !memcmp(b.v[i].p, a.v[i].p, a.v[i].n));
	}

	/* the validator: a result for every text, the offending name cut and terminated */
	memset(bad, 'x', sizeof bad);
	check_rc = mailtmpl_check(code, text, subject, bad, sizeof bad);
	FUZZ_ASSERT(check_rc >= MT_OK && check_rc <= MT_UNKNOWN);
	FUZZ_ASSERT(memchr(bad, '\0', sizeof bad) != NULL);
	if (check_rc == MT_OK) {
		FUZZ_ASSERT(rc == MT_OK);
		FUZZ_ASSERT(utf8_valid_text(text, len, !subject));
		FUZZ_ASSERT(!subject || !strpbrk(text, "\r\n"));
	}

	/* expansion: succeeds exactly when the text parses; nothing of the syntax survives */
	buf_puts(&out, "");
	rc = mailtmpl_expand(code, text, subject, vars, sizeof vars / sizeof vars[0], &out);
	FUZZ_ASSERT(rc == 0 || rc == -1);
	if (check_rc == MT_OK)
		FUZZ_ASSERT(rc == 0);
	if (rc == 0)
		FUZZ_ASSERT(strstr(out.data, "{{") == NULL);
	else
		FUZZ_ASSERT(out.len == 0);
	if (subject && rc == 0)
		FUZZ_ASSERT(strlen(out.data) == out.len);

	buf_free(&canon);
	buf_free(&out);
	free(exact);
	free(text);
	return 0;
}
