/* http.c — request parsing from the FastCGI environment and response building. */
#include "http.h"
#include "app.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcgiapp.h>

const char *req_env(const struct req *r, const char *name)
{
	return r->envp ? FCGX_GetParam(name, r->envp) : NULL;
}

const char *req_param(const struct req *r, const char *name)
{
	const struct param *p;

	if (r->json) {
		json_object *v;
		if (!json_object_object_get_ex(r->json, name, &v) || v == NULL)
			return NULL;
		switch (json_object_get_type(v)) {
		case json_type_string: case json_type_int: case json_type_double:
			return json_object_get_string(v);
		case json_type_boolean:
			return json_object_get_boolean(v) ? "1" : "0";
		default:
			return NULL;
		}
	}
	p = params_get(&r->params, name);
	return p ? p->value : NULL;
}

const char *req_cookie(const struct req *r, const char *name)
{
	const struct param *p = params_get(&r->cookies, name);
	return p ? p->value : NULL;
}

static int read_body(struct req *r)
{
	size_t want = (size_t)r->content_length, got = 0;

	r->body = malloc(want + 1);
	if (!r->body)
		return 500;
	while (got < want) {
		int n = FCGX_GetStr(r->body + got, (int)(want - got), ((FCGX_Request *)r->fcgi)->in);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	r->body[got] = '\0';
	r->body_len = got;
	return got == want ? 0 : 400;
}

/* Parses the body once it is in memory (also used by tests and the fuzzer). */
static int parse_body(struct req *r)
{
	const char *ct = r->ctype ? r->ctype : "";

	if (!r->body || r->body_len == 0)
		return 0;
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		return form_parse_urlencoded(&r->params, r->body, r->body_len) == FORM_OK ? 0 : 400;
	if (strncasecmp(ct, "multipart/form-data", 19) == 0) {
		char boundary[80];
		if (form_boundary(ct, boundary, sizeof boundary) < 0)
			return 400;
		return form_parse_multipart(&r->params, r->body, r->body_len, boundary) == FORM_OK ? 0 : 400;
	}
	if (strncasecmp(ct, "text/csv", 8) == 0 || strncasecmp(ct, "text/vcard", 10) == 0 ||
	    strncasecmp(ct, "text/x-vcard", 12) == 0)
		return 0;	/* an import file: the handler reads r->body as it is */
	if (strncasecmp(ct, "application/json", 16) == 0) {
		struct json_tokener *tok = json_tokener_new_ex(32);
		json_object *o;
		if (!tok)
			return 500;
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
		o = json_tokener_parse_ex(tok, r->body, (int)r->body_len);
		size_t end = json_tokener_get_parse_end(tok);
		while (end < r->body_len && r->body[end] && strchr(" \t\r\n", r->body[end]))
			end++;
		if (json_tokener_get_error(tok) != json_tokener_success ||
		    end != r->body_len || !json_object_is_type(o, json_type_object)) {
			json_object_put(o);
			json_tokener_free(tok);
			return 400;
		}
		json_tokener_free(tok);
		/* A "\u0000" inside a value would silently cut it short as a C string: refuse. */
		json_object_object_foreach(o, key, val) {
			(void)key;
			if (json_object_is_type(val, json_type_string) &&
			    strlen(json_object_get_string(val)) != (size_t)json_object_get_string_len(val)) {
				json_object_put(o);
				return 400;
			}
		}
		r->json = o;
		return 0;
	}
	return 415;
}

int req_parse(struct req *r, long max_body)
{
	const char *uri, *cl, *q;
	size_t plen;
	int rc;

	r->method = req_env(r, "REQUEST_METHOD");
	if (!r->method)
		r->method = "GET";
	r->is_head = strcmp(r->method, "HEAD") == 0;
	uri = req_env(r, "REQUEST_URI");
	if (!uri || *uri != '/')
		uri = "/";
	q = strchr(uri, '?');
	plen = q ? (size_t)(q - uri) : strlen(uri);
	r->path = url_decode(uri, plen, 0, NULL);
	if (!r->path || !utf8_valid_text(r->path, strlen(r->path), 0)) {
		free(r->path);
		r->path = xstrdup("/");
		return 400;
	}
	r->is_api = str_starts(r->path, "/api/");
	r->query = req_env(r, "QUERY_STRING");
	r->ctype = req_env(r, "CONTENT_TYPE");
	r->remote_addr = req_env(r, "REMOTE_ADDR");
	if (!r->remote_addr)
		r->remote_addr = "";
	r->https = str_eq(req_env(r, "HTTPS"), "on") || str_eq(req_env(r, "HTTPS"), "1");
	if (r->query && form_parse_urlencoded(&r->params, r->query, strlen(r->query)) != FORM_OK)
		return 400;
	if (form_parse_cookies(&r->cookies, req_env(r, "HTTP_COOKIE")) != FORM_OK)
		return 400;
	cl = req_env(r, "CONTENT_LENGTH");
	if (cl && *cl) {
		long long n;
		if (parse_ll(cl, 0, 1LL << 40, &n) < 0)
			return 400;
		if (n > max_body)
			return 413;
		r->content_length = (long)n;
	}
	if (r->content_length > 0 && r->fcgi && (rc = read_body(r)) != 0)
		return rc;
	return parse_body(r);
}

void req_free(struct req *r)
{
	params_free(&r->params);
	params_free(&r->cookies);
	free(r->path);
	free(r->body);
	if (r->json)
		json_object_put(r->json);
	if (r->hdf)
		hdf_destroy(&r->hdf);
	buf_free(&r->resp.headers);
	buf_free(&r->resp.body);
}

void resp_header(struct req *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&r->resp.headers, fmt, ap);
	va_end(ap);
	buf_puts(&r->resp.headers, "\r\n");
}

void resp_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	int secure = r->https || (r->app && r->app->cfg.secure_cookies);
	resp_header(r, "Set-Cookie: %s=%s; Path=/; HttpOnly; SameSite=Lax%s; Max-Age=%ld",
	    name, value, secure ? "; Secure" : "", max_age);
}

void resp_redirect(struct req *r, const char *location)
{
	r->resp.status = 303;
	r->resp.ctype = "text/plain; charset=utf-8";
	resp_header(r, "Location: %s", location);
	buf_reset(&r->resp.body);
}

void resp_json(struct req *r, int status, json_object *obj)
{
	const char *s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	r->resp.status = status;
	r->resp.ctype = "application/json";
	buf_reset(&r->resp.body);
	buf_puts(&r->resp.body, s);
	json_object_put(obj);
}

void resp_json_error(struct req *r, int status, const char *code, const char *message, json_object *fields)
{
	json_object *root = json_object_new_object(), *e = json_object_new_object();
	json_object_object_add(e, "code", json_object_new_string(code));
	json_object_object_add(e, "message", json_object_new_string(message ? message : ""));
	if (fields)
		json_object_object_add(e, "fields", fields);
	json_object_object_add(root, "error", e);
	resp_json(r, status, root);
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	case 507: return "Insufficient Storage";
	default:  return status >= 500 ? "Internal Server Error" : "Error";
	}
}

int http_local_path(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	return strlen(s) < 1000;
}
