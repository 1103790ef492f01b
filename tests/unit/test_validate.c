/* test_validate.c — the typed validators used at the edge. */
#include "unit.h"
#include "validate.h"
#include "http.h"

static const char *check(enum vtype t, const char *s)
{
	struct field f = { "x", t, 0, 0, 0, NULL };
	struct fval v;
	return validate_one(&f, s, &v);
}

TEST(dates_must_be_real_calendar_days)
{
	CHECK(check(V_DATE, "2024-02-29") == NULL);
	CHECK(check(V_DATE, "2023-02-29") != NULL);
	CHECK(check(V_DATE, "2023-13-01") != NULL);
	CHECK(check(V_DATE, "23-01-01") != NULL);
	CHECK(check(V_DATE, "2023-1-01") != NULL);
	CHECK(check(V_PAST_DATE, "2999-01-01") != NULL);
	CHECK(check(V_PAST_DATE, "1980-05-17") == NULL);
}

TEST(emails_are_checked)
{
	CHECK(check(V_EMAIL, "mario.rossi@esempio.it") == NULL);
	CHECK(check(V_EMAIL, "a+b@sub.example.co.uk") == NULL);
	CHECK(check(V_EMAIL, "no-at-sign.example.com") != NULL);
	CHECK(check(V_EMAIL, "two@@example.com") != NULL);
	CHECK(check(V_EMAIL, "x@localhost") != NULL);
	CHECK(check(V_EMAIL, "a b@example.com") != NULL);
	CHECK(check(V_EMAIL, "a@example.com\r\nBcc: x@y.z") != NULL);
	CHECK(check(V_EMAIL, ".a@example.com") != NULL);
}

TEST(phones_normalize_to_digits)
{
	char out[24];
	CHECK(phone_normalize("+39 (02) 1234-567", out, sizeof out) == 0);
	CHECK_STR(out, "+39021234567");
	CHECK(phone_normalize("0044 20 7946 0018", out, sizeof out) == 0);
	CHECK_STR(out, "+442079460018");
	CHECK(phone_normalize("12", out, sizeof out) < 0);
	CHECK(phone_normalize("call me", out, sizeof out) < 0);
	CHECK(check(V_PHONE, "' OR 1=1 --") != NULL);
}

TEST(enums_accept_only_listed_values)
{
	static const char *const choices[] = { "any", "email", NULL };
	struct field f = { "p", V_ENUM, 0, 0, 0, choices };
	struct fval v;
	CHECK(validate_one(&f, "email", &v) == NULL);
	CHECK(validate_one(&f, "EMAIL", &v) != NULL);
	CHECK(validate_one(&f, "fax", &v) != NULL);
}

TEST(required_fields_refuse_empty)
{
	struct field f = { "n", V_TEXT, F_REQUIRED, 0, 10, NULL };
	struct fval v;
	CHECK_STR(validate_one(&f, "", &v), "Required");
	CHECK_STR(validate_one(&f, "01234567890", &v), "TooLong");
	CHECK(validate_one(&f, "ok", &v) == NULL);
	CHECK(v.present);
}

TEST(text_refuses_control_characters_and_bad_utf8)
{
	CHECK(check(V_TEXT, "Niccolò") == NULL);
	CHECK(check(V_TEXT, "bell\x07") != NULL);
	CHECK(check(V_TEXT, "line\nbreak") != NULL);
	CHECK(check(V_LONGTEXT, "line\nbreak") == NULL);
	CHECK(check(V_TEXT, "\xc3\x28") != NULL);
	CHECK(check(V_TEXT, "\xed\xa0\x80") != NULL);	/* surrogate */
	CHECK(check(V_TEXT, "\xc0\xaf") != NULL);	/* overlong */
}

TEST(integers_respect_range)
{
	struct field f = { "limit", V_INT, 0, 1, 500, NULL };
	struct fval v;
	CHECK(validate_one(&f, "50", &v) == NULL && v.i == 50);
	CHECK(validate_one(&f, "0", &v) != NULL);
	CHECK(validate_one(&f, "501", &v) != NULL);
	CHECK(validate_one(&f, "5x", &v) != NULL);
	CHECK(validate_one(&f, "99999999999999999999999", &v) != NULL);
}

TEST(timezones_languages_urls)
{
	CHECK(check(V_TIMEZONE, "Europe/Rome") == NULL);
	CHECK(check(V_TIMEZONE, "Mars/Olympus") != NULL);
	CHECK(check(V_TIMEZONE, "../../etc/passwd") != NULL);
	CHECK(check(V_LANG, "it") == NULL);
	CHECK(check(V_LANG, "xx") != NULL);
	CHECK(check(V_URL, "https://www.example.com/a?b=c") == NULL);
	CHECK(check(V_URL, "javascript:alert(1)") != NULL);
	CHECK(check(V_BOOL, "on") == NULL);
	CHECK(check(V_BOOL, "maybe") != NULL);
}

TEST(redirect_targets_must_be_local)
{
	CHECK(http_local_path("/contacts?q=1"));
	CHECK(!http_local_path("//evil.example/"));
	CHECK(!http_local_path("/\\evil.example"));
	CHECK(!http_local_path("http://evil.example/"));
	CHECK(!http_local_path("/a\r\nSet-Cookie: x=y"));
	CHECK(!http_local_path(""));
}

TEST(phone_normalize_refuses_a_buffer_too_small)
{
	char one[1], two[2];
	CHECK(phone_normalize("+39 02 1234567", one, sizeof one) < 0);
	CHECK(phone_normalize("+39 02 1234567", two, sizeof two) < 0);
}
