/* test_core.c — routing, the permission matrix, configuration, escaping, passwords. */
#include "unit.h"
#include "app.h"
#include "auth.h"
#include "config.h"
#include "perm.h"
#include "util.h"

TEST(routes_match_ids_and_trailing_slash)
{
	long long ids[MAX_PATH_IDS];
	int n;
	CHECK(route_match("/contacts", "/contacts", ids, &n) && n == 0);
	CHECK(route_match("/contacts", "/contacts/", ids, &n));
	CHECK(route_match("/api/v1/contacts/#/restore", "/api/v1/contacts/42/restore", ids, &n) && n == 1 && ids[0] == 42);
	CHECK(!route_match("/contacts/#", "/contacts/0", ids, &n));
	CHECK(!route_match("/contacts/#", "/contacts/12a", ids, &n));
	CHECK(!route_match("/contacts/#", "/contacts/-1", ids, &n));
	CHECK(!route_match("/contacts/#", "/contacts/1234567890123456", ids, &n));
	CHECK(!route_match("/contacts", "/contactsx", ids, &n));
	CHECK(!route_match("/contacts", "/contacts//", ids, &n));
}

TEST(permission_matrix_follows_spec)
{
	CHECK(perm_allows(PERM_WORK, ROLE_MARKETEER));
	CHECK(!perm_allows(PERM_WORK, 0));
	CHECK(perm_allows(PERM_MANAGE, ROLE_MANAGER));
	CHECK(!perm_allows(PERM_MANAGE, ROLE_SALES));
	CHECK(perm_allows(PERM_MARKETING, ROLE_SALES));
	CHECK(!perm_allows(PERM_MARKETING, ROLE_ADMIN));
	CHECK(!perm_allows(PERM_MARKETING, ROLE_MARKETEER));
	CHECK(perm_allows(PERM_EXPORT, ROLE_MARKETEER));
	CHECK(perm_allows(PERM_ADMIN, ROLE_ADMIN | ROLE_SALES));
	CHECK(!perm_allows(PERM_ADMIN, ROLE_MANAGER));
	CHECK(roles_from_list("crm_sales,crm_admin") == (ROLE_SALES | ROLE_ADMIN));
	CHECK(roles_from_list("crm_sales,bogus") == ROLE_SALES);
	CHECK(roles_from_list(NULL) == 0);
}

TEST(config_reads_keys_and_defaults)
{
	struct config c;
	CHECK(config_parse_string(&c, "db.name = crmtest\napp.root = /srv/crm\nsession.ttl = 10\n") == 0);
	CHECK_STR(c.db_name, "crmtest");
	CHECK_STR(c.root, "/srv/crm");
	CHECK_STR(c.db_host, "127.0.0.1");
	CHECK(c.db_port == 3306);
	CHECK(c.session_ttl == 60);	/* clamped */
	config_free(&c);
	CHECK(config_parse_string(&c, "db.name = x\n") < 0);	/* app.root is required */
	config_free(&c);
}

TEST(html_escaping_covers_quotes)
{
	struct buf b = { 0 };
	buf_html(&b, "<a href=\"x\" onclick='y'>&</a>");
	CHECK_STR(b.data, "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
	buf_free(&b);
	buf_urlenc(&b, "/a b?c=d&é");
	CHECK_STR(b.data, "%2Fa%20b%3Fc%3Dd%26%C3%A9");
	buf_free(&b);
}

TEST(constant_time_compare_and_numbers)
{
	long long v;
	CHECK(str_ct_eq("abc", "abc"));
	CHECK(!str_ct_eq("abc", "abd"));
	CHECK(!str_ct_eq("", ""));
	CHECK(!str_ct_eq(NULL, "a"));
	CHECK(parse_ll("42", 0, 100, &v) == 0 && v == 42);
	CHECK(parse_ll(" 42", 0, 100, &v) < 0);
	CHECK(parse_ll("42 ", 0, 100, &v) < 0);
	CHECK(parse_ll("", 0, 100, &v) < 0);
}

TEST(passwords_hash_with_argon2id_and_verify)
{
	char h[128];
	CHECK(password_hash("correct horse", h) == 0);
	CHECK(strncmp(h, "$argon2id$", 10) == 0);
	CHECK(password_verify(h, "correct horse"));
	CHECK(!password_verify(h, "correct horsE"));
	CHECK(!password_verify("", "x"));
	CHECK(!password_verify(NULL, "x"));
}

TEST(tokens_are_random_hex_and_hashes_stable)
{
	char a[65], b[65], h[65];
	rand_hex(a, 32);
	rand_hex(b, 32);
	CHECK(strlen(a) == 64 && strcmp(a, b) != 0);
	sha256_hex("abc", 3, h);
	CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
