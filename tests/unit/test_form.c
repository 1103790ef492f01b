/* test_form.c — the hand-written parsers: urlencoded, cookies, multipart. */
#include "unit.h"
#include "form.h"

#include <stdlib.h>

TEST(urlencoded_decodes_plus_and_percent)
{
	struct params ps = { 0 };
	const char *q = "q=Mario+Rossi&x=%3Cb%3E&empty=&flag";
	CHECK(form_parse_urlencoded(&ps, q, strlen(q)) == FORM_OK);
	CHECK_STR(params_get(&ps, "q")->value, "Mario Rossi");
	CHECK_STR(params_get(&ps, "x")->value, "<b>");
	CHECK_STR(params_get(&ps, "empty")->value, "");
	CHECK_STR(params_get(&ps, "flag")->value, "");
	params_free(&ps);
}

TEST(urlencoded_keeps_dotted_names_flat)
{
	struct params ps = { 0 };
	const char *q = "a.b=1&Query.x=2";
	CHECK(form_parse_urlencoded(&ps, q, strlen(q)) == FORM_OK);
	CHECK_STR(params_get(&ps, "a.b")->value, "1");
	CHECK_STR(params_get(&ps, "Query.x")->value, "2");
	CHECK(params_get(&ps, "a") == NULL);
	params_free(&ps);
}

TEST(urlencoded_refuses_nul_bytes)
{
	struct params ps = { 0 };
	const char *q = "login=admin%00evil";
	CHECK(form_parse_urlencoded(&ps, q, strlen(q)) == FORM_BAD);
	params_free(&ps);
}

TEST(urlencoded_keeps_malformed_percent_literally)
{
	struct params ps = { 0 };
	const char *q = "a=100%&b=%zz&c=%4";
	CHECK(form_parse_urlencoded(&ps, q, strlen(q)) == FORM_OK);
	CHECK_STR(params_get(&ps, "a")->value, "100%");
	CHECK_STR(params_get(&ps, "b")->value, "%zz");
	CHECK_STR(params_get(&ps, "c")->value, "%4");
	params_free(&ps);
}

TEST(urlencoded_limits_parameter_count)
{
	struct params ps = { 0 };
	size_t n = (FORM_MAX_PARAMS + 5) * 4;
	char *q = malloc(n + 1), *p = q;
	for (int i = 0; i < FORM_MAX_PARAMS + 5; i++) {
		memcpy(p, "a=1&", 4);
		p += 4;
	}
	*p = '\0';
	CHECK(form_parse_urlencoded(&ps, q, n) == FORM_TOO_MANY);
	params_free(&ps);
	free(q);
}

TEST(cookies_parse_with_spaces_and_quotes)
{
	struct params ps = { 0 };
	CHECK(form_parse_cookies(&ps, "crm_session=abc; crm_lang=\"it\";junk; x = y ") == FORM_OK);
	CHECK_STR(params_get(&ps, "crm_session")->value, "abc");
	CHECK_STR(params_get(&ps, "crm_lang")->value, "it");
	CHECK_STR(params_get(&ps, "x")->value, "y");
	CHECK(params_get(&ps, "junk") == NULL);
	params_free(&ps);
}

TEST(multipart_reads_fields_and_files)
{
	struct params ps = { 0 };
	char boundary[80];
	const char *ct = "multipart/form-data; boundary=----XyZ";
	const char *body =
	    "------XyZ\r\nContent-Disposition: form-data; name=\"first_name\"\r\n\r\nGiulia\r\n"
	    "------XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a b.txt\"\r\n"
	    "Content-Type: text/plain\r\n\r\nline1\r\nline2\r\n"
	    "------XyZ--\r\n";
	CHECK(form_boundary(ct, boundary, sizeof boundary) == 0);
	CHECK_STR(boundary, "----XyZ");
	CHECK(form_parse_multipart(&ps, body, strlen(body), boundary) == FORM_OK);
	CHECK_STR(params_get(&ps, "first_name")->value, "Giulia");
	CHECK_STR(params_get(&ps, "doc")->value, "line1\r\nline2");
	CHECK_STR(params_get(&ps, "doc")->filename, "a b.txt");
	CHECK_STR(params_get(&ps, "doc")->ctype, "text/plain");
	params_free(&ps);
}

TEST(multipart_refuses_truncated_body)
{
	struct params ps = { 0 };
	const char *body = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end";
	CHECK(form_parse_multipart(&ps, body, strlen(body), "B") == FORM_BAD);
	params_free(&ps);
}
