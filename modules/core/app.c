/* app.c — the FastCGI program: master/worker processes, request loop and the
 * dispatcher that enforces login, permission and CSRF before any handler runs. */
#include "app.h"
#include "auth.h"
#include "db.h"
#include "mail.h"
#include "render.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcgiapp.h>
#include <sodium.h>

static volatile sig_atomic_t stopping, busy;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/* A worker idle in accept() leaves at once; a busy one finishes its request. */
static void on_worker_term(int sig)
{
	(void)sig;
	stopping = 1;
	if (!busy)
		_exit(0);
}

int app_stopping(void)
{
	return stopping != 0;
}

int route_match(const char *pat, const char *path, long long *ids, int *nids)
{
	*nids = 0;
	while (*pat && *path) {
		if (*pat == '#') {
			long long v = 0;
			int digits = 0;
			if (*path == '0')
				return 0;
			while (*path >= '0' && *path <= '9') {
				if (++digits > 15)
					return 0;
				v = v * 10 + (*path++ - '0');
			}
			if (!digits || *nids >= MAX_PATH_IDS)
				return 0;
			ids[(*nids)++] = v;
			pat++;
			continue;
		}
		if (*pat++ != *path++)
			return 0;
	}
	/* A trailing slash is the same page. */
	if (*path == '/' && path[1] == '\0')
		path++;
	return *pat == '\0' && *path == '\0';
}

static const char *error_code(int status)
{
	switch (status) {
	case 400: return "bad_request";
	case 401: return "unauthorized";
	case 403: return "forbidden";
	case 404: return "not_found";
	case 405: return "method_not_allowed";
	case 409: return "conflict";
	case 413: return "too_large";
	case 415: return "unsupported_media_type";
	case 422: return "invalid";
	case 429: return "throttled";
	case 503: return "unavailable";
	default:  return "internal";
	}
}

/* Error answers never show internals: a fixed message per code. */
void resp_error(struct req *r, int status, const char *code)
{
	char key[64];
	const char *msg;

	if (!code)
		code = error_code(status);
	snprintf(key, sizeof key, "Error.%s", code);
	msg = lang_str(r, key);
	buf_reset(&r->resp.body);
	if (r->is_api || !r->app || !r->app->lang[0]) {
		resp_json_error(r, status, code, msg, NULL);
		return;
	}
	page_set(r, "Error.Code", code);
	page_set_int(r, "Error.Status", status);
	page_set(r, "Error.Message", msg);
	page_set(r, "Page.Title", lang_str(r, "Error.Title"));
	if (page_render(r, status, "error.cs") != 0) {
		r->resp.status = status;
		r->resp.ctype = "text/plain; charset=utf-8";
		buf_printf(&r->resp.body, "%d %s\n", status, http_reason(status));
	}
}

static int handler_result(struct req *r, int rc)
{
	if (rc == 0)
		return 0;
	if (r->resp.sent) {
		/* a streamed answer cannot turn into an error page: it ends short, and the log says why */
		log_msg(LOG_ERR, "streamed answer cut short (%d): %s %s", rc, r->method, r->path);
		return rc;
	}
	if (rc == DB_GONE)
		rc = 503;
	else if (rc < 0)
		rc = 500;
	resp_error(r, rc, NULL);
	return rc;
}

static int csrf_ok(struct req *r)
{
	const char *sent = req_env(r, "HTTP_X_CSRF_TOKEN");

	if (!sent)
		sent = req_param(r, "csrf_token");
	if (r->who.kind == AUTH_TOKEN)
		return 1;	/* bearer tokens are not sent by browsers on their own */
	if (r->who.kind == AUTH_SESSION || r->who.kind == AUTH_PORTAL)
		return str_ct_eq(sent, r->who.csrf);
	/* Anonymous forms (login): double-submit cookie. */
	return str_ct_eq(sent, req_cookie(r, CSRF_COOKIE));
}

static void pick_language(struct req *r)
{
	const char *c = req_cookie(r, LANG_COOKIE), *al = req_env(r, "HTTP_ACCEPT_LANGUAGE");
	if (str_eq(c, "it") || str_eq(c, "en"))
		r->lang = str_eq(c, "it") ? "it" : "en";
	else
		r->lang = al && strncmp(al, "it", 2) == 0 ? "it" : "en";
}

static const struct route *find_route(struct req *r, int *method_mismatch)
{
	const struct module *m = r->app->module;
	const struct route *tables[2] = { m->routes, m->portal ? NULL : core_staff_routes };
	size_t sizes[2] = { m->nroutes, m->portal ? 0 : core_staff_nroutes };
	const char *method = r->is_head ? "GET" : r->method;

	*method_mismatch = 0;
	for (int t = 0; t < 2; t++)
		for (size_t i = 0; tables[t] && i < sizes[t]; i++) {
			const struct route *rt = &tables[t][i];
			if (!rt->pattern || !route_match(rt->pattern, r->path, r->ids, &r->nids))
				continue;
			if (strcmp(rt->method, method) == 0) {
				r->route = (int)i;
				return rt;
			}
			*method_mismatch = 1;
		}
	return NULL;
}

void app_dispatch(struct app *a, struct req *r)
{
	const struct route *rt;
	int mismatch, rc;

	r->app = a;
	pick_language(r);
	rt = find_route(r, &mismatch);
	if (!rt && !mismatch) {
		resp_error(r, 404, NULL);
		return;
	}
	rc = a->module->portal ? auth_portal(r) : auth_staff(r);
	if (rc != DB_OK) {
		handler_result(r, rc);
		return;
	}
	if (!rt) {
		/* A state-changing request on a known path is CSRF-checked before
		 * it is told the method is wrong, so probing learns nothing. */
		if (strcmp(r->method, "GET") != 0 && !r->is_head && r->who.kind != AUTH_NONE && !csrf_ok(r))
			resp_error(r, 403, "csrf");
		else
			resp_error(r, 405, NULL);
		return;
	}
	if (rt->perm != PERM_PUBLIC) {
		int need_portal = rt->perm == PERM_PORTAL;
		int signed_in = need_portal ? r->who.kind == AUTH_PORTAL :
		    (r->who.kind == AUTH_SESSION || r->who.kind == AUTH_TOKEN);
		if (!signed_in && need_portal && r->who.denied[0] && a->module->denied) {
			handler_result(r, a->module->denied(r));
			return;
		}
		if (!signed_in) {
			if (r->is_api || strcmp(r->method, "GET") != 0) {
				resp_error(r, 401, NULL);
			} else {
				struct buf loc = { 0 };
				buf_puts(&loc, "/login?next=");
				buf_urlenc(&loc, r->path);
				resp_redirect(r, loc.data);
				buf_free(&loc);
			}
			return;
		}
		if (!perm_allows(rt->perm, r->who.roles)) {
			log_msg(LOG_INFO, "forbidden: user %lld %s %s", r->who.user_id, r->method, r->path);
			resp_error(r, 403, NULL);
			return;
		}
	}
	if (strcmp(r->method, "GET") != 0 && !r->is_head && !csrf_ok(r)) {
		log_msg(LOG_INFO, "csrf refused: %s %s from %s", r->method, r->path, r->remote_addr);
		resp_error(r, 403, "csrf");
		return;
	}
	rc = rt->handler(r);
	if (db_in_txn()) {
		log_msg(LOG_ERR, "handler left a transaction open: %s %s", r->method, r->path);
		db_rollback();
	}
	handler_result(r, rc);
}

/* Status, type, length (unless streamed), the security headers and the handler's own headers. */
static void head_lines(struct req *r, struct buf *h, int with_length)
{
	int st = r->resp.status ? r->resp.status : 200;

	buf_printf(h, "Status: %d %s\r\n", st, http_reason(st));
	buf_printf(h, "Content-Type: %s\r\n", r->resp.ctype ? r->resp.ctype : "text/html; charset=utf-8");
	if (with_length)
		buf_printf(h, "Content-Length: %lu\r\n", (unsigned long)r->resp.body.len);
	buf_puts(h, "Content-Security-Policy: default-src 'self'; img-src 'self' data:; "
	    "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
	    "frame-ancestors 'none'; form-action 'self'\r\n");
	buf_puts(h, "X-Frame-Options: DENY\r\nX-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: same-origin\r\nCache-Control: no-store\r\n");
	if (r->resp.headers.len)
		buf_append(h, r->resp.headers.data, r->resp.headers.len);
	buf_puts(h, "\r\n");
}

int resp_stream_begin(struct req *r)
{
	FCGX_Request *fr = r->fcgi;
	struct buf h = { 0 };
	int rc = 0;

	r->resp.sent = 1;
	buf_reset(&r->resp.body);
	if (!fr)
		return 0;	/* unit tests and fuzzing: the body collects what would be sent */
	/* nginx would otherwise hold the whole answer before passing it on */
	buf_puts(&r->resp.headers, "X-Accel-Buffering: no\r\n");
	head_lines(r, &h, 0);
	if (FCGX_PutStr(h.data, (int)h.len, fr->out) < 0)
		rc = -1;
	buf_free(&h);
	return rc;
}

int resp_stream_write(struct req *r, const char *data, size_t len)
{
	FCGX_Request *fr = r->fcgi;

	if (!fr) {
		buf_append(&r->resp.body, data, len);
		return 0;
	}
	if (r->is_head || !len)
		return 0;
	while (len) {
		int n = len > (1u << 20) ? 1 << 20 : (int)len;
		if (FCGX_PutStr(data, n, fr->out) < 0 || FCGX_FFlush(fr->out) < 0)
			return -1;	/* the client went away */
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static void send_response(FCGX_Request *fr, struct req *r)
{
	struct buf h = { 0 };

	if (r->resp.sent && r->fcgi)
		return;	/* streamed: headers and body went out while the handler ran */
	head_lines(r, &h, 1);
	FCGX_PutStr(h.data, (int)h.len, fr->out);
	if (!r->is_head && r->resp.body.len)
		FCGX_PutStr(r->resp.body.data, (int)r->resp.body.len, fr->out);
	buf_free(&h);
}

static void serve(struct app *a, int listen_fd)
{
	FCGX_Request fr;

	if (FCGX_InitRequest(&fr, listen_fd, 0) != 0) {
		log_msg(LOG_ERR, "FCGX_InitRequest failed");
		return;
	}
	(void)db_open(&a->cfg);	/* a database that is down now is retried per request */
	while (!stopping && FCGX_Accept_r(&fr) >= 0) {
		struct req r;
		int rc;

		busy = 1;
		memset(&r, 0, sizeof r);
		r.app = a;
		r.fcgi = &fr;
		r.envp = fr.envp;
		rc = req_parse(&r, a->cfg.max_body);
		if (rc) {
			pick_language(&r);
			resp_error(&r, rc, NULL);
		} else {
			app_dispatch(a, &r);
		}
		send_response(&fr, &r);
		FCGX_Finish_r(&fr);
		if (r.mail_queued)
			mail_flush(&a->cfg, 5, NULL);
		if (r.after_response && !stopping)
			r.after_response(&r);
		req_free(&r);
		busy = 0;
	}
	FCGX_Free(&fr, 1);
	db_close();
}

int app_init(struct app *a, const struct module *m, const char *config_path)
{
	memset(a, 0, sizeof *a);
	a->module = m;
	if (sodium_init() < 0) {
		log_msg(LOG_ERR, "libsodium failed to initialise");
		return -1;
	}
	if (config_load(&a->cfg, config_path) < 0)
		return -1;
	snprintf(a->tmpl_dir, sizeof a->tmpl_dir, "%s/templates", a->cfg.root);
	return lang_load(a);
}

void app_free(struct app *a)
{
	for (int i = 0; i < 2; i++)
		if (a->lang[i])
			hdf_destroy(&a->lang[i]);
	config_free(&a->cfg);
}

static int open_listener(const char *addr)
{
	int fd;
	if (str_starts(addr, "unix:")) {
		const char *path = addr + 5;
		unlink(path);
		fd = FCGX_OpenSocket(path, 128);
		if (fd >= 0)
			chmod(path, 0666);
		return fd;
	}
	return FCGX_OpenSocket(addr, 128);
}

static pid_t spawn_worker(struct app *a, int fd)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_worker_term;
		sigaction(SIGTERM, &sa, NULL);
		signal(SIGINT, SIG_IGN);	/* Ctrl-C reaches the master, which stops us */
		serve(a, fd);
		app_free(a);
		_exit(0);
	}
	return pid;
}

/* The master forks the workers, replaces any that die, and stops them all on SIGTERM. */
static int run_master(struct app *a, const char *addr, int nworkers)
{
	pid_t *kids;
	int fd = open_listener(addr);
	struct sigaction sa;

	if (fd < 0) {
		log_msg(LOG_ERR, "cannot listen on %s: %s", addr, strerror(errno));
		return 1;
	}
	if (nworkers < 1 || nworkers > 256)
		nworkers = 2;
	kids = calloc((size_t)nworkers, sizeof *kids);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (int i = 0; i < nworkers; i++)
		kids[i] = spawn_worker(a, fd);
	log_msg(LOG_INFO, "listening on %s with %d workers", addr, nworkers);
	while (!stopping) {
		int status;
		pid_t dead = waitpid(-1, &status, 0);
		if (dead < 0) {
			if (errno == EINTR)
				continue;
			sleep(1);
			continue;
		}
		for (int i = 0; i < nworkers; i++)
			if (kids[i] == dead && !stopping) {
				log_msg(LOG_WARN, "worker %d exited (status %d), restarting", (int)dead, status);
				usleep(100000);
				kids[i] = spawn_worker(a, fd);
			}
	}
	for (int i = 0; i < nworkers; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	for (int i = 0; i < nworkers; i++) {
		/* Workers blocked in accept() leave on SIGTERM; wait up to 5 s. */
		for (int t = 0; kids[i] > 0 && t < 50; t++) {
			if (waitpid(kids[i], NULL, WNOHANG) == kids[i]) {
				kids[i] = 0;
				break;
			}
			usleep(100000);
		}
		if (kids[i] > 0) {
			kill(kids[i], SIGKILL);
			waitpid(kids[i], NULL, 0);
		}
	}
	if (str_starts(addr, "unix:"))
		unlink(addr + 5);
	close(fd);
	free(kids);
	log_msg(LOG_INFO, "stopped");
	return 0;
}

int crm_main(int argc, char **argv, const struct module *m)
{
	const char *config = NULL, *listen_addr = NULL;
	int workers = 2, rc;
	struct app a;

	log_set_program(m->name);
	if (argc == 2 && !strcmp(argv[1], "--routes")) {
		/* The route table as TSV (method, pattern, permission): the tests derive
		 * the CSRF and permission checks of every route from it. */
		static const char *const perm_names[PERM__MAX] = { "public", "login", "work", "manage",
			"marketing", "export", "admin", "portal" };
		const struct route *tables[2] = { m->routes, m->portal ? NULL : core_staff_routes };
		size_t sizes[2] = { m->nroutes, m->portal ? 0 : core_staff_nroutes };
		for (int t = 0; t < 2; t++)
			for (size_t i = 0; tables[t] && i < sizes[t]; i++)
				printf("%s\t%s\t%s\n", tables[t][i].method, tables[t][i].pattern, perm_names[tables[t][i].perm]);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			config = argv[++i];
		else if (!strcmp(argv[i], "--listen") && i + 1 < argc)
			listen_addr = argv[++i];
		else if (!strcmp(argv[i], "--workers") && i + 1 < argc)
			workers = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: %s [--config FILE] [--listen unix:PATH|HOST:PORT] [--workers N]\n", argv[0]);
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0 || app_init(&a, m, config) < 0)
		return 1;
	if (listen_addr) {
		rc = run_master(&a, listen_addr, workers);
	} else {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_worker_term;
		sigaction(SIGTERM, &sa, NULL);
		serve(&a, 0);
		rc = 0;
	}
	app_free(&a);
	return rc;
}
