/* form.c — urlencoded, cookie and multipart parsing into flat name/value lists.
 * We parse by hand instead of with ClearSilver's cgi_parse because that maps
 * user-chosen names onto HDF paths ("a.b" nests, long names truncate) and we
 * want a flat list checked against per-page whitelists. */
#include "form.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

char *url_decode(const char *s, size_t len, int plus_space, size_t *outlen)
{
	char *out = malloc(len + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		if (c == '+' && plus_space) {
			c = ' ';
		} else if (c == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
			i += 2;
		}
		if (c == 0) {
			free(out);
			return NULL;
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}

int params_add(struct params *ps, const char *name, size_t nlen, const char *val, size_t vlen)
{
	struct param *p;

	if (ps->n >= FORM_MAX_PARAMS)
		return FORM_TOO_MANY;
	if (ps->n == ps->cap) {
		size_t ncap = ps->cap ? ps->cap * 2 : 16;
		struct param *nv = realloc(ps->v, ncap * sizeof *nv);
		if (!nv)
			return FORM_BAD;
		ps->v = nv;
		ps->cap = ncap;
	}
	p = &ps->v[ps->n++];
	memset(p, 0, sizeof *p);
	p->name = xstrndup(name, nlen);
	p->value = xstrndup(val, vlen);
	p->value_len = vlen;
	return FORM_OK;
}

int form_parse_urlencoded(struct params *ps, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start = i, eq = (size_t)-1, nlen = 0, vlen = 0;
		char *name, *val;
		int rc;

		while (i < len && s[i] != '&') {
			if (s[i] == '=' && eq == (size_t)-1)
				eq = i;
			i++;
		}
		if (i > start) {
			size_t nend = eq == (size_t)-1 ? i : eq;
			name = url_decode(s + start, nend - start, 1, &nlen);
			val = eq == (size_t)-1 ? xstrdup("") :
			    url_decode(s + eq + 1, i - eq - 1, 1, &vlen);
			if (eq == (size_t)-1)
				vlen = 0;
			if (!name || !val || nlen == 0) {
				free(name);
				free(val);
				if (!name || !val)
					return FORM_BAD;
				i++;
				continue;
			}
			rc = params_add(ps, name, nlen, val, vlen);
			free(name);
			free(val);
			if (rc)
				return rc;
		}
		i++;
	}
	return FORM_OK;
}

int form_parse_cookies(struct params *ps, const char *s)
{
	if (!s)
		return FORM_OK;
	while (*s) {
		const char *k, *ke, *v, *ve;
		while (*s == ' ' || *s == ';' || *s == '\t')
			s++;
		k = s;
		while (*s && *s != '=' && *s != ';')
			s++;
		ke = s;
		if (*s != '=') {
			continue;
		}
		v = ++s;
		while (*v == ' ' || *v == '\t')
			v++;
		s = v;
		while (*s && *s != ';')
			s++;
		ve = s;
		while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (ve - v >= 2 && *v == '"' && ve[-1] == '"') {
			v++;
			ve--;
		}
		if (ke > k) {
			int rc = params_add(ps, k, (size_t)(ke - k), v, (size_t)(ve - v));
			if (rc)
				return rc;
		}
	}
	return FORM_OK;
}

int form_boundary(const char *ctype, char *out, size_t outsz)
{
	const char *p = ctype ? strcasestr(ctype, "boundary=") : NULL;
	size_t n = 0;

	if (!p)
		return -1;
	p += 9;
	if (*p == '"') {
		p++;
		while (p[n] && p[n] != '"')
			n++;
	} else {
		while (p[n] && p[n] != ';' && p[n] != ' ' && p[n] != '\t')
			n++;
	}
	if (n == 0 || n > 70 || n + 1 > outsz)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

static const char *memfind(const char *h, size_t hl, const char *n, size_t nl)
{
	if (nl == 0 || hl < nl)
		return NULL;
	for (const char *p = h; p + nl <= h + hl; p++) {
		p = memchr(p, n[0], (size_t)(h + hl - p));
		if (!p || p + nl > h + hl)
			return NULL;
		if (memcmp(p, n, nl) == 0)
			return p;
	}
	return NULL;
}

/* Finds attribute attr="..." in a Content-Disposition header line. */
static char *disp_attr(const char *line, size_t len, const char *attr)
{
	size_t al = strlen(attr);
	for (size_t i = 0; i + al + 1 < len; i++) {
		if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == ';') &&
		    strncasecmp(line + i, attr, al) == 0 && line[i + al] == '=') {
			const char *v = line + i + al + 1, *e = line + len;
			const char *ve;
			if (v < e && *v == '"') {
				v++;
				ve = memchr(v, '"', (size_t)(e - v));
				if (!ve)
					return NULL;
			} else {
				ve = v;
				while (ve < e && *ve != ';')
					ve++;
			}
			return xstrndup(v, (size_t)(ve - v));
		}
	}
	return NULL;
}

int form_parse_multipart(struct params *ps, const char *body, size_t len, const char *boundary)
{
	char delim[80];
	size_t dl;
	const char *p, *end = body + len;

	dl = (size_t)snprintf(delim, sizeof delim, "--%s", boundary);
	if (dl >= sizeof delim)
		return FORM_BAD;
	p = memfind(body, len, delim, dl);
	if (!p)
		return FORM_BAD;
	p += dl;
	for (;;) {
		const char *hdr_end, *next, *line;
		char *name = NULL, *filename = NULL, *ctype = NULL;
		size_t datalen;
		int rc;

		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return FORM_OK;	/* closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return FORM_BAD;
		p += 2;
		hdr_end = memfind(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hdr_end)
			return FORM_BAD;
		for (line = p; line < hdr_end;) {
			const char *le = memfind(line, (size_t)(hdr_end + 2 - line), "\r\n", 2);
			size_t ll = (size_t)(le - line);
			if (ll > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
				free(name);
				free(filename);
				name = disp_attr(line, ll, "name");
				filename = disp_attr(line, ll, "filename");
			} else if (ll > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
				const char *v = line + 13;
				while (v < le && *v == ' ')
					v++;
				free(ctype);
				ctype = xstrndup(v, (size_t)(le - v));
			}
			line = le + 2;
		}
		p = hdr_end + 4;
		{
			char crlfdelim[84];
			size_t cl = (size_t)snprintf(crlfdelim, sizeof crlfdelim, "\r\n%s", delim);
			next = memfind(p, (size_t)(end - p), crlfdelim, cl);
			if (!next) {
				free(name); free(filename); free(ctype);
				return FORM_BAD;
			}
			datalen = (size_t)(next - p);
			if (!name || !*name) {
				free(name); free(filename); free(ctype);
				p = next + cl;
				continue;
			}
			rc = params_add(ps, name, strlen(name), p, datalen);
			if (rc) {
				free(name); free(filename); free(ctype);
				return rc;
			}
			ps->v[ps->n - 1].filename = filename;
			ps->v[ps->n - 1].ctype = ctype;
			free(name);
			p = next + cl;
		}
	}
}

const struct param *params_get(const struct params *ps, const char *name)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].name, name) == 0)
			return &ps->v[i];
	return NULL;
}

void params_free(struct params *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->v[i].name);
		free(ps->v[i].value);
		free(ps->v[i].filename);
		free(ps->v[i].ctype);
	}
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->cap = 0;
}
