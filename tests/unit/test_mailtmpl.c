/* test_mailtmpl.c — the email-template placeholder parser, validator and renderer (no database). */
#include "unit.h"
#include "mailtmpl.h"

#include <stdlib.h>

static int check(const char *code, const char *text, int subject, char *bad)
{
	return mailtmpl_check(code, text, subject, bad, 80);
}

TEST(mailtmpl_accepts_whitelisted_placeholders_with_blanks_and_single_braces)
{
	char bad[80];
	CHECK(check("portal_access", "Hello {{contact.first_name}}, {{ portal.link }} {x} }", 0, bad) == MT_OK);
	CHECK(check("ticket_created", "Ticket {{ticket.number}}: {{ticket.subject}}", 1, bad) == MT_OK);
	CHECK(check("password_reset", "{{reset.link}}\n{{reset.expires}}\n{{contact.email}}", 0, bad) == MT_OK);
}

TEST(mailtmpl_refuses_unknown_placeholder_and_names_it)
{
	char bad[80];
	CHECK(check("portal_access", "Hi {{contact.first_name}} {{ticket.number}}", 0, bad) == MT_UNKNOWN);
	CHECK_STR(bad, "ticket.number");
	CHECK(check("password_reset", "{{portal.link}}", 0, bad) == MT_UNKNOWN);
	CHECK_STR(bad, "portal.link");
	CHECK(check("no_such_code", "{{contact.email}}", 0, bad) == MT_UNKNOWN);
}

TEST(mailtmpl_refuses_unbalanced_braces)
{
	char bad[80];
	CHECK(check("portal_access", "Hello {{contact.first_name", 0, bad) == MT_UNBALANCED);
	CHECK(check("portal_access", "Hello contact.first_name}}", 0, bad) == MT_UNBALANCED);
	CHECK(check("portal_access", "{{ {{contact.email}}", 0, bad) == MT_UNBALANCED);
	CHECK(check("portal_access", "{{contact.email}}}}", 0, bad) == MT_UNBALANCED);
	CHECK(check("portal_access", "{{", 0, bad) == MT_UNBALANCED);
}

TEST(mailtmpl_refuses_bad_names_empty_and_multiline_subjects)
{
	char bad[80];
	CHECK(check("portal_access", "{{}}", 0, bad) == MT_BADNAME);
	CHECK(check("portal_access", "{{ contact first }}", 0, bad) == MT_BADNAME);
	CHECK(check("portal_access", "{{<script>}}", 0, bad) == MT_BADNAME);
	CHECK_STR(bad, "<script>");
	CHECK(check("portal_access", "   ", 1, bad) == MT_EMPTY);
	CHECK(check("portal_access", "", 0, bad) == MT_EMPTY);
	CHECK(check("portal_access", "Two\nlines", 1, bad) == MT_NEWLINE);
	CHECK(check("portal_access", "Two\r\nlines", 0, bad) == MT_OK);
	CHECK(check("portal_access", "bad \x01 control", 0, bad) == MT_TEXT);
	CHECK(check("portal_access", "bad \xff utf8", 1, bad) == MT_TEXT);
}

TEST(mailtmpl_limits_subject_and_body_length)
{
	char bad[80], *s = malloc(MAILTMPL_MAX_BODY + 2);
	memset(s, 'a', MAILTMPL_MAX_BODY + 1);
	s[MAILTMPL_MAX_SUBJECT] = '\0';
	CHECK(check("portal_access", s, 1, bad) == MT_OK);
	s[MAILTMPL_MAX_SUBJECT] = 'a';
	s[MAILTMPL_MAX_SUBJECT + 1] = '\0';
	CHECK(check("portal_access", s, 1, bad) == MT_TOOLONG);
	s[MAILTMPL_MAX_SUBJECT + 1] = 'a';
	s[MAILTMPL_MAX_BODY + 1] = '\0';
	CHECK(check("portal_access", s, 0, bad) == MT_TOOLONG);
	free(s);
}

TEST(mailtmpl_expand_fills_values_and_drops_unknown_placeholders)
{
	struct mailtmpl_var vars[] = {
		{ "contact.first_name", "Anna" }, { "portal.link", "https://p.example/x?t=1" },
		{ "ticket.number", "T-1" },	/* not on portal_access's whitelist: never used */
	};
	struct buf out = { 0 };
	CHECK(mailtmpl_expand("portal_access", "Hi {{contact.first_name}} {{ contact.last_name }}: {{portal.link}} {{ticket.number}}!",
	    0, vars, 3, &out) == 0);
	CHECK_STR(out.data, "Hi Anna : https://p.example/x?t=1 !");
	buf_free(&out);
}

TEST(mailtmpl_expand_keeps_values_literal_and_one_line_in_subjects)
{
	struct mailtmpl_var vars[] = { { "contact.first_name", "A {{portal.link}}\r\nBcc: x@evil" }, { "portal.link", "L" } };
	struct buf out = { 0 };
	CHECK(mailtmpl_expand("portal_access", "Hi {{contact.first_name}}", 1, vars, 2, &out) == 0);
	CHECK_STR(out.data, "Hi A {{portal.link}}  Bcc: x@evil");
	buf_reset(&out);
	CHECK(mailtmpl_expand("portal_access", "Hi {{contact.first_name}}", 0, vars, 2, &out) == 0);
	CHECK_STR(out.data, "Hi A {{portal.link}}\r\nBcc: x@evil");
	buf_free(&out);
}

TEST(mailtmpl_expand_of_broken_text_appends_nothing)
{
	struct buf out = { 0 };
	buf_puts(&out, "kept");
	CHECK(mailtmpl_expand("portal_access", "Hi {{contact.first_name", 0, NULL, 0, &out) < 0);
	CHECK_STR(out.data, "kept");
	buf_free(&out);
}

TEST(mailtmpl_every_code_offers_contact_and_site_placeholders)
{
	CHECK(mailtmpl_ncodes == 4);
	for (size_t i = 0; i < mailtmpl_ncodes; i++) {
		CHECK(mailtmpl_allowed(mailtmpl_codes[i].code, "contact.first_name", 18));
		CHECK(mailtmpl_allowed(mailtmpl_codes[i].code, "site.name", 9));
		CHECK(!mailtmpl_allowed(mailtmpl_codes[i].code, "contact.first_nam", 17));
	}
	CHECK(mailtmpl_find("portal_access") != NULL);
	CHECK(mailtmpl_find("PORTAL_ACCESS") == NULL);
}
