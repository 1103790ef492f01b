/* test_vcard.c — vCard reading: folding, quoted-printable with a charset, groups, TYPE parameters; writing folds. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "vcard.h"

struct got {
	struct vcard c[3];
	int          n;
};

static int keep(void *ctx, struct vcard *c, size_t card)
{
	struct got *g = ctx;
	(void)card;
	if (g->n < 3) {
		g->c[g->n++] = *c;
		memset(c, 0, sizeof *c);	/* the values are ours now */
	}
	return 0;
}

static void got_free(struct got *g)
{
	for (int i = 0; i < g->n; i++)
		vcard_free(&g->c[i]);
}

TEST(vcard_unfolds_lines_and_reads_groups_and_types)
{
	const char *s = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ro\r\n ssi;Anna;;;\r\nitem1.EMAIL;type=INTERNET:a@x.it\r\n"
	    "TEL;type=WORK:02 1\r\nTEL;type=CELL:333 1\r\nTEL:444\r\nX-UNKNOWN:ignored\r\nEND:VCARD\r\n";
	struct got g = { .n = 0 };
	CHECK(vcard_parse(s, strlen(s), keep, &g) == 1);
	CHECK_STR(g.c[0].v[VC_LAST], "Rossi");
	CHECK_STR(g.c[0].v[VC_FIRST], "Anna");
	CHECK_STR(g.c[0].v[VC_EMAIL], "a@x.it");
	CHECK_STR(g.c[0].v[VC_WORK], "02 1");
	CHECK_STR(g.c[0].v[VC_MOBILE], "333 1");
	CHECK_STR(g.c[0].v[VC_MOBILE2], "444");
	got_free(&g);
}

TEST(vcard_decodes_quoted_printable_with_soft_breaks_and_latin1)
{
	const char *s = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=F6rg\n"
	    "NOTE;ENCODING=QUOTED-PRINTABLE:a=0D=0Ab=\nc\nBDAY:19800203\nLANG:it-IT\nEND:VCARD\n";
	struct got g = { .n = 0 };
	CHECK(vcard_parse(s, strlen(s), keep, &g) == 1);
	CHECK_STR(g.c[0].v[VC_LAST], "M\xC3\xBCller");
	CHECK_STR(g.c[0].v[VC_FIRST], "J\xC3\xB6rg");
	CHECK_STR(g.c[0].v[VC_NOTE], "a\r\nbc");
	CHECK_STR(g.c[0].v[VC_BDAY], "1980-02-03");
	CHECK_STR(g.c[0].v[VC_LANG], "it");
	got_free(&g);
}

TEST(vcard_quoted_printable_named_in_a_value_is_not_an_encoding)
{
	/* found by fuzz_vcard: the words in a value and a value ending in '=' made the reader join END:VCARD
	 * to the line as a quoted-printable soft break, and the card was lost */
	const char *s = "BEGIN:VCARD\r\nVERSION:4.0\r\nN:M=;ENCODING=QUOTED-PRINTABLE;;;\r\n"
	    "FN:ENCODING=QUOTED-PRINTABLE M=\r\nEND:VCARD\r\n";
	struct got g = { .n = 0 };
	CHECK(vcard_parse(s, strlen(s), keep, &g) == 1);
	CHECK_STR(g.c[0].v[VC_LAST], "M=");
	CHECK_STR(g.c[0].v[VC_FIRST], "ENCODING=QUOTED-PRINTABLE");
	got_free(&g);
}

TEST(vcard_survives_hostile_input)
{
	const char *bad[] = { "", "BEGIN:VCARD", "BEGIN:VCARD\r\nN:;;;;;;;;\r\nTEL:tel:\r\nBDAY:--0203\r\nEND:VCARD",
		"END:VCARD\r\nBEGIN:VCARD\r\n:\r\n;;;:\r\nEND:VCARD\r\n", "BEGIN:VCARD\r\nNOTE;QUOTED-PRINTABLE:=\r\n=\r\n=" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct got g = { .n = 0 };
		CHECK(vcard_parse(bad[i], strlen(bad[i]), keep, &g) >= 0);
		for (int k = 0; k < g.n; k++)
			CHECK(!g.c[k].v[VC_BDAY] && !g.c[k].v[VC_MOBILE]);
		got_free(&g);
	}
}

TEST(vcard_write_escapes_and_folds_at_75_bytes)
{
	struct buf b = { 0 };
	const char *v[VC__N] = { 0 };
	v[VC_FIRST] = "Anna";
	v[VC_LAST] = "Rossi";
	v[VC_NOTE] = "x;y,z\nwith a long text that is certainly longer than seventy-five bytes in all";
	vcard_write(&b, 4, v);
	CHECK(b.data && strstr(b.data, "N:Rossi;Anna;;;\r\n"));
	CHECK(b.data && strstr(b.data, "NOTE:x\\;y\\,z\\nwith"));
	for (char *l = b.data, *e; l && (e = strstr(l, "\r\n")); l = e + 2)
		CHECK(e - l <= 75);
	buf_free(&b);
}
