/* fuzz_request.c — a whole request through req_parse (path decoding, query, cookies, body by content type) and route_match.
 * Input lines: REQUEST_METHOD, REQUEST_URI, QUERY_STRING, HTTP_COOKIE, CONTENT_TYPE, then the body (rest of the input). */
#include "fuzz.h"
#include "app.h"
#include "http.h"
#include "util.h"

static const char *const patterns[] = {
	"/", "/login", "/contacts", "/contacts/#", "/contacts/#/edit", "/api/v1/contacts",
	"/api/v1/contacts/#", "/api/v1/customers/#/contacts/#", "/connections/#/#/#/#", "/#/#/#/#/#",
};

static char *env(const char *name, const char *value)
{
	size_t n = strlen(name) + strlen(value) + 2;
	char *s = malloc(n);
	FUZZ_ASSERT(s != NULL);
	snprintf(s, n, "%s=%s", name, value);
	return s;
}

static void match_routes(const char *path)
{
	long long ids[MAX_PATH_IDS];
	int nids;

	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		memset(ids, 0, sizeof ids);
		nids = -1;
		if (route_match(patterns[i], path, ids, &nids)) {
			FUZZ_ASSERT(nids >= 0 && nids <= MAX_PATH_IDS);
			for (int k = 0; k < nids; k++)
				FUZZ_ASSERT(ids[k] >= 1 && ids[k] <= 999999999999999LL);
		}
	}
	for (size_t i = 0; i < core_staff_nroutes; i++)
		if (core_staff_routes[i].pattern)
			(void)route_match(core_staff_routes[i].pattern, path, ids, &nids);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "REQUEST_METHOD", "REQUEST_URI", "QUERY_STRING", "HTTP_COOKIE", "CONTENT_TYPE" };
	char *envp[8] = { NULL }, cl[32];
	int ne = 0, rc;
	struct req r;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *v = fuzz_next(&data, &size, '\n');
		if (!v)
			break;
		envp[ne++] = env(names[i], v);
		free(v);
	}
	snprintf(cl, sizeof cl, "%lu", (unsigned long)size);
	envp[ne++] = env("CONTENT_LENGTH", cl);

	memset(&r, 0, sizeof r);
	r.envp = envp;
	r.body = fuzz_exact(data, size);
	r.body_len = size;
	rc = req_parse(&r, 1L << 20);
	FUZZ_ASSERT(rc == 0 || rc == 400 || rc == 413 || rc == 415 || rc == 500);
	FUZZ_ASSERT(r.path != NULL && r.path[0] == '/');
	FUZZ_ASSERT(r.method != NULL);
	if (rc != 400)
		FUZZ_ASSERT(utf8_valid_text(r.path, strlen(r.path), 0));
	FUZZ_ASSERT(r.is_api == (strncmp(r.path, "/api/", 5) == 0));
	match_routes(r.path);
	for (size_t i = 0; i < r.params.n; i++)
		FUZZ_ASSERT(req_param(&r, r.params.v[i].name) != NULL || r.json != NULL);
	for (size_t i = 0; i < r.cookies.n; i++)
		FUZZ_ASSERT(req_cookie(&r, r.cookies.v[i].name) != NULL);
	(void)req_param(&r, "q");
	(void)req_cookie(&r, "crm_session");
	req_free(&r);
	for (int i = 0; i < ne; i++)
		free(envp[i]);
	return 0;
}
