/* http.h — one request and its response: parsed inputs, the authenticated
 * principal, and a response buffered in full before anything is sent. */
#ifndef CRM_HTTP_H
#define CRM_HTTP_H

#include <stddef.h>
#include <json-c/json.h>
#include <ClearSilver.h>

#include "form.h"
#include "perm.h"
#include "util.h"

struct app;

enum auth_kind { AUTH_NONE, AUTH_SESSION, AUTH_TOKEN, AUTH_PORTAL };

/* Who is asking. Filled by the dispatcher before any handler runs. */
struct principal {
	enum auth_kind kind;
	long long      user_id;		/* staff user, or portal account id */
	long long      contact_id;	/* portal: the contact */
	unsigned       roles;		/* ROLE_* bits */
	char           login[191];
	char           name[201];
	char           csrf[65];
	char           session_hash[65];
	/* portal: a session refused by the access window (the session is ended); why and the dates */
	char           denied[16];
	char           access_start[11], access_end[11];
};

struct response {
	int          status;
	const char  *ctype;
	struct buf   headers;	/* extra header lines, each ending in \r\n */
	struct buf   body;
	int          sent;
};

#define MAX_PATH_IDS 4

struct req {
	struct app       *app;
	void             *fcgi;		/* FCGX_Request*, NULL in unit tests */
	char            **envp;
	const char       *method;
	char             *path;		/* decoded path, no query */
	const char       *query;
	const char       *ctype;
	const char       *remote_addr;
	long              content_length;
	int               https;
	int               is_api;	/* path under /api/ : JSON in and out */
	int               is_head;
	struct params     params;	/* query string + form body */
	struct params     cookies;
	char             *body;
	size_t            body_len;
	json_object      *json;		/* parsed JSON body (object) or NULL */
	struct principal  who;
	const char       *lang;		/* "en" or "it" */
	long long         ids[MAX_PATH_IDS];
	int               nids;
	int               route;	/* index of the matched route */
	HDF              *hdf;		/* created lazily for HTML pages */
	struct response   resp;
	int               mail_queued;	/* deliver the outbox after the response */
	/* Longer work that must not delay the answer (e.g. re-evaluating every contact's status):
	 * run by the worker once the response is sent, before the next request. */
	void            (*after_response)(struct req *r);
};

const char *req_env(const struct req *r, const char *name);
/* A parameter from the JSON body (scalars as text), else the query/form. */
const char *req_param(const struct req *r, const char *name);
const char *req_cookie(const struct req *r, const char *name);
/* Parses everything from the environment and body; returns 0 or an HTTP status. */
int  req_parse(struct req *r, long max_body);
void req_free(struct req *r);

void resp_header(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void resp_cookie(struct req *r, const char *name, const char *value, long max_age);
void resp_redirect(struct req *r, const char *location);
/* JSON body; takes ownership of obj. */
void resp_json(struct req *r, int status, json_object *obj);
/* The API error object of SPEC §7; fields may be NULL (ownership taken). */
void resp_json_error(struct req *r, int status, const char *code, const char *message, json_object *fields);
/* An error for whichever kind of request this is: JSON or an HTML page. */
void resp_error(struct req *r, int status, const char *code);
/* Streaming (large exports): sends status, resp.ctype, the security headers and resp.headers now, without a
 * Content-Length; the handler then writes the body in pieces and returns 0 (an error after this point can only
 * cut the answer short). Without FastCGI (unit tests) the pieces collect in resp.body. Both return -1 once the
 * client is gone. */
int  resp_stream_begin(struct req *r);
int  resp_stream_write(struct req *r, const char *data, size_t len);
/* Status line text for a code. */
const char *http_reason(int status);
/* 1 if s is a safe local redirect target ("/x", not "//x", no scheme, no control chars). */
int  http_local_path(const char *s);

#endif
