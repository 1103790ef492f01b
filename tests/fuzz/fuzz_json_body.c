/* fuzz_json_body.c — an API request with a JSON body through req_parse (json-c tokener, depth 32), req_param and validate_fields.
 * req_parse reads the FastCGI environment through FCGX_GetParam, which only scans a "NAME=value" array, and
 * skips read_body when there is no FastCGI request: so the body parser is reached exactly as in production. */
#include "fuzz.h"
#include "http.h"
#include "validate.h"

static const char *const kinds[] = { "lead", "customer", NULL };

static const struct field fields[] = {
	{ "first_name", V_TEXT, F_REQUIRED, 0, 100, NULL },
	{ "notes", V_LONGTEXT, 0, 0, 0, NULL },
	{ "email", V_EMAIL, 0, 0, 0, NULL },
	{ "mobile_phone", V_PHONE, 0, 0, 0, NULL },
	{ "birthdate", V_PAST_DATE, 0, 0, 0, NULL },
	{ "customer_id", V_ID, 0, 0, 0, NULL },
	{ "limit", V_INT, 0, 1, 200, NULL },
	{ "active", V_BOOL, 0, 0, 0, NULL },
	{ "kind", V_ENUM, 0, 0, 0, kinds },
	{ "language", V_LANG, 0, 0, 0, NULL },
	{ "timezone", V_TIMEZONE, 0, 0, 0, NULL },
	{ "website", V_URL, 0, 0, 0, NULL },
	{ "amount", V_DECIMAL, 0, 0, 0, NULL },
	{ "next", V_LOCALPATH, 0, 0, 0, NULL },
};
#define NFIELDS (sizeof fields / sizeof fields[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char cl[64];
	char *envp[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/contacts", "CONTENT_TYPE=application/json",
	    cl, "REMOTE_ADDR=127.0.0.1", NULL };
	struct req r;
	struct fval v[NFIELDS];
	struct ferr errs[MAX_FORM_ERRORS];
	int rc, nerr;

	snprintf(cl, sizeof cl, "CONTENT_LENGTH=%lu", (unsigned long)size);
	memset(&r, 0, sizeof r);
	r.envp = envp;
	/* exact size, no terminator (read_body adds one; the parser must not need it) */
	r.body = fuzz_exact(data, size);
	r.body_len = size;

	rc = req_parse(&r, 20L * 1024 * 1024);
	FUZZ_ASSERT(rc == 0 || rc == 400);
	FUZZ_ASSERT(r.is_api && strcmp(r.path, "/api/v1/contacts") == 0);
	if (rc == 0 && size > 0) {
		struct json_object_iterator it, end;
		const char *text;
		char *copy;
		json_object *again;

		FUZZ_ASSERT(r.json != NULL && json_object_is_type(r.json, json_type_object));
		/* every key, whatever its bytes, can be asked for */
		it = json_object_iter_begin(r.json);
		end = json_object_iter_end(r.json);
		for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
			const char *k = json_object_iter_peek_name(&it), *val = req_param(&r, k);
			if (val)
				(void)strlen(val);
		}
		FUZZ_ASSERT(req_param(&r, "no such key \x01") == NULL);
		/* What we would send back parses again. json-c (not strict) takes numbers such as 007 or 1e
		 * and saturates huge integers, so the text may change once; after that it must be stable. */
		text = json_object_to_json_string_ext(r.json, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		FUZZ_ASSERT(text != NULL);
		again = json_tokener_parse(text);
		FUZZ_ASSERT(again != NULL);
		copy = strdup(json_object_to_json_string_ext(again, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		FUZZ_ASSERT(copy != NULL);
		json_object_put(again);
		again = json_tokener_parse(copy);
		FUZZ_ASSERT(again != NULL);
		FUZZ_ASSERT(strcmp(copy, json_object_to_json_string_ext(again,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)) == 0);
		json_object_put(again);
		free(copy);
	}
	if (rc == 0) {
		nerr = validate_fields(&r, fields, NFIELDS, v, errs);
		FUZZ_ASSERT(nerr >= 0 && (size_t)nerr <= NFIELDS);
		for (int i = 0; i < nerr; i++)
			FUZZ_ASSERT(errs[i].field && errs[i].msg);
		for (size_t i = 0; i < NFIELDS; i++)
			if (v[i].present && v[i].s)
				(void)strlen(v[i].s);
	}
	req_free(&r);
	return 0;
}
