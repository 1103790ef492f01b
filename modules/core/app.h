/* app.h — what a module declares (its routes) and what every program shares:
 * the FastCGI loop, the dispatcher, configuration and language data. */
#ifndef CRM_APP_H
#define CRM_APP_H

#include "config.h"
#include "http.h"
#include "perm.h"

/* A handler fills r->resp and returns 0, or returns an HTTP status (>= 400)
 * for the dispatcher to answer with its error page, or a negative db_rc. */
typedef int (*handler_fn)(struct req *r);

/* '#' in a pattern matches one positive integer id, stored in r->ids[]. */
struct route {
	const char *method;
	const char *pattern;
	enum perm   perm;
	handler_fn  handler;
};

struct module {
	const char         *name;	/* "contacts": program, nav entry and template folder */
	int                 portal;	/* 1: portal host (portal sessions, no staff routes) */
	const struct route *routes;
	size_t              nroutes;
	/* portal: the page for a session the access window refused (who.denied), instead of the sign-in redirect */
	handler_fn          denied;
};

struct app {
	const struct module *module;
	struct config        cfg;
	HDF                 *lang[2];	/* [0] en, [1] it (merged over en) */
	char                 tmpl_dir[1024];
};

/* Runs the program: parses argv (--config, --listen, --workers) and serves. */
int  crm_main(int argc, char **argv, const struct module *m);
/* Serves one parsed request (exposed for tests and fuzzing). */
void app_dispatch(struct app *a, struct req *r);
int  app_init(struct app *a, const struct module *m, const char *config_path);
void app_free(struct app *a);

/* Routes every staff program serves: /, /login, /logout, /lang. */
extern const struct route core_staff_routes[];
extern const size_t       core_staff_nroutes;

/* POST /lang: the user's language (cookie, and profile when signed in); staff and portal. */
int  page_lang(struct req *r);

/* 1 once the worker was asked to stop: long after-response work checks it between batches. */
int  app_stopping(void);

/* Matches a path against a pattern, filling ids; 1 on match. */
int  route_match(const char *pattern, const char *path, long long *ids, int *nids);

#endif
