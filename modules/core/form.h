/* form.h — the hand-written request parsers: urlencoded pairs, cookies, multipart. Pure functions, fuzzed. */
#ifndef CRM_FORM_H
#define CRM_FORM_H

#include <stddef.h>

/* One decoded name/value pair. For a multipart file part, filename is set and
 * value/value_len hold the file's bytes (value is NUL-terminated too). */
struct param {
	char   *name;
	char   *value;
	size_t  value_len;
	char   *filename;
	char   *ctype;
};

struct params {
	struct param *v;
	size_t        n;
	size_t        cap;
};

#define FORM_MAX_PARAMS 1000

enum form_rc { FORM_OK = 0, FORM_BAD = -1, FORM_TOO_MANY = -2 };

/* Percent-decodes s[0..len) ('+' as space when plus_space) into a new string.
 * Returns NULL when the result would hold a NUL byte. *outlen gets the length. */
char *url_decode(const char *s, size_t len, int plus_space, size_t *outlen);
/* Parses an application/x-www-form-urlencoded string, appending to ps. */
int   form_parse_urlencoded(struct params *ps, const char *s, size_t len);
/* Parses a Cookie header ("a=b; c=d"), appending to ps. Values are not decoded. */
int   form_parse_cookies(struct params *ps, const char *s);
/* Parses a multipart/form-data body with the given boundary. */
int   form_parse_multipart(struct params *ps, const char *body, size_t len, const char *boundary);
/* Extracts the boundary parameter from a Content-Type value into out. */
int   form_boundary(const char *ctype, char *out, size_t outsz);

const struct param *params_get(const struct params *ps, const char *name);
int   params_add(struct params *ps, const char *name, size_t nlen, const char *val, size_t vlen);
void  params_free(struct params *ps);

#endif
