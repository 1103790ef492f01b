/* fuzz_validate.c — validate_one for every enum vtype, phone_normalize, date_valid, http_local_path, and the
 * additional fields' custom_value_check for every type (a canonical value checks again to itself).
 * Input: byte 0 flags, bytes 1-2 the V_INT range and text limit, byte 3 the phone buffer size, then the value. */
#include "fuzz.h"
#include "custom.h"
#include "validate.h"
#include "http.h"
#include "util.h"

#include <ctype.h>

static const char *const choices[] = { "lead", "customer", "partner", "a b", NULL };

static int all_digits(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static void check(const struct field *f, const char *s)
{
	struct fval out;
	const char *msg;
	size_t len = strlen(s);

	memset(&out, 0xa5, sizeof out);
	msg = validate_one(f, s, &out);
	FUZZ_ASSERT(out.s == s);
	if (msg) {
		/* a message is a key under Lang.Valid.: short, plain */
		FUZZ_ASSERT(strlen(msg) > 0 && strlen(msg) < 32 && !strchr(msg, '.'));
		return;
	}
	if (f->type == V_BOOL) {
		FUZZ_ASSERT(out.present == 1 && (out.i == 0 || out.i == 1));
		return;
	}
	/* empty means nothing but blanks (spaces, tabs, line breaks) */
	FUZZ_ASSERT(!out.present || len > 0);
	if (!out.present) {
		FUZZ_ASSERT(strspn(s, " \t\r\n") == len && !(f->flags & F_REQUIRED));
		return;
	}
	FUZZ_ASSERT(utf8_valid_text(s, len, f->type == V_LONGTEXT));
	switch (f->type) {
	case V_TEXT:
		FUZZ_ASSERT(len <= (f->max > 0 ? (size_t)f->max : 255));
		FUZZ_ASSERT(!strchr(s, '\n') && !strchr(s, '\r'));
		break;
	case V_LONGTEXT:
		FUZZ_ASSERT(len <= (f->max > 0 ? (size_t)f->max : 65535));
		break;
	case V_INT:
		FUZZ_ASSERT(out.i >= f->min && out.i <= f->max);
		break;
	case V_ID:
		FUZZ_ASSERT(out.i >= 1 && out.i <= 9007199254740991LL);
		break;
	case V_DATE:
	case V_PAST_DATE:
		FUZZ_ASSERT(len == 10 && date_valid(s));
		break;
	case V_EMAIL: {
		const char *at = strchr(s, '@');
		FUZZ_ASSERT(at && at != s && !strchr(at + 1, '@') && len <= 254 && !strstr(s, ".."));
		FUZZ_ASSERT(!strpbrk(s, "<>\"\\ ,;:()[]"));
		break;
	}
	case V_PHONE:
		FUZZ_ASSERT(len <= 40 && strlen(out.norm) < sizeof out.norm);
		FUZZ_ASSERT(all_digits(out.norm[0] == '+' ? out.norm + 1 : out.norm));
		FUZZ_ASSERT(strlen(out.norm) >= 5);
		break;
	case V_ENUM: {
		int found = 0;
		for (const char *const *c = choices; *c; c++)
			found |= strcmp(*c, s) == 0;
		FUZZ_ASSERT(found);
		break;
	}
	case V_TIMEZONE:
		FUZZ_ASSERT(s[0] != '/' && !strstr(s, "..") && len <= 64);
		break;
	case V_LANG:
		FUZZ_ASSERT(len == 2 && islower((unsigned char)s[0]) && islower((unsigned char)s[1]));
		break;
	case V_URL:
		FUZZ_ASSERT(strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0);
		FUZZ_ASSERT(!strpbrk(s, "<>\"\\ \t"));
		break;
	case V_DECIMAL:
		FUZZ_ASSERT(strspn(s, "+-0123456789.,") == len);
		break;
	case V_LOCALPATH:
		FUZZ_ASSERT(s[0] == '/' && s[1] != '/' && s[1] != '\\' && !strchr(s, '\\'));
		break;
	case V_BOOL:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t hdr[4] = { 0, 0, 0, 0 };
	size_t h = size < 4 ? size : 4;
	char *s, *pbuf;
	size_t psz;

	memcpy(hdr, data, h);
	s = fuzz_cstr(data + h, size - h);

	for (int t = V_TEXT; t <= V_LOCALPATH; t++) {
		struct field deflt = { "f", (enum vtype)t, 0, 0, 0, choices };
		struct field fuzzed = { "f", (enum vtype)t, (hdr[0] & 1) ? F_REQUIRED : 0,
		    (long long)(int8_t)hdr[1] * ((hdr[0] & 2) ? 1000000000000LL : 1),
		    (long long)(int8_t)hdr[1] + hdr[2] * ((hdr[0] & 4) ? 1000000000000LL : 1),
		    (hdr[0] & 8) ? NULL : choices };
		check(&deflt, s);
		check(&fuzzed, s);
	}

	/* additional fields: a value is refused with a Lang.Valid key, or canonical (checking it again gives itself) */
	{
		struct custom_option opts[2] = { { 1, "gold", "Gold", "Oro", 1 }, { 2, "a_b", "A b", "", 0 } };
		for (int t = 0; t < CFT__MAX; t++) {
			struct custom_def d;
			char *out = NULL, *again = NULL;
			const char *msg;
			memset(&d, 0, sizeof d);
			d.type = (enum cf_type)t;
			d.opts = opts;
			d.nopts = 2;
			msg = custom_value_check(&d, s, &out);
			if (msg) {
				FUZZ_ASSERT(out == NULL && strlen(msg) > 0 && strlen(msg) < 32 && !strchr(msg, '.'));
				continue;
			}
			if (!out)
				continue;
			FUZZ_ASSERT(*out && utf8_valid_text(out, strlen(out), t == CFT_LONGTEXT));
			FUZZ_ASSERT(t == CFT_LONGTEXT || strlen(out) <= 255);
			FUZZ_ASSERT(custom_value_check(&d, out, &again) == NULL && again && !strcmp(again, out));
			if (t == CFT_CHECKBOX)
				FUZZ_ASSERT(!strcmp(out, "1"));
			if (t == CFT_DATE)
				FUZZ_ASSERT(date_valid(out));
			if (t == CFT_NUMBER || t == CFT_DECIMAL)
				FUZZ_ASSERT(strspn(out, "-0123456789.") == strlen(out) && strlen(out) <= 22);
			free(out);
			free(again);
		}
		if (custom_key_valid(s))
			FUZZ_ASSERT(strlen(s) <= CUSTOM_KEY_MAX && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s));
	}

	/* phone_normalize must stay inside the buffer it is given */
	psz = (size_t)(hdr[3] % 40) + 1;
	pbuf = malloc(psz);
	FUZZ_ASSERT(pbuf != NULL);
	if (phone_normalize(s, pbuf, psz) == 0)
		FUZZ_ASSERT(strlen(pbuf) < psz);
	free(pbuf);

	if (date_valid(s)) {
		int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
		FUZZ_ASSERT(strlen(s) == 10 && y >= 1800 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
	}
	if (http_local_path(s))
		FUZZ_ASSERT(s[0] == '/' && s[1] != '/' && !strpbrk(s, "\\\r\n\t") && strlen(s) < 1000);
	FUZZ_ASSERT(!http_local_path(NULL));
	free(s);
	return 0;
}
