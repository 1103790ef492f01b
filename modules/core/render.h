/* render.h — HTML through ClearSilver (every var: HTML-escaped) and language strings. */
#ifndef CRM_RENDER_H
#define CRM_RENDER_H

#include "http.h"
#include "db.h"
#include "validate.h"

/* The request's data set, created on first use with Lang, User, CSRF, Page. */
HDF  *page_hdf(struct req *r);
void  page_set(struct req *r, const char *name, const char *value);
void  page_set_int(struct req *r, const char *name, long long v);
/* Form errors next to their fields: Form.Errors.<field> = message. */
void  page_set_errors(struct req *r, const struct ferr *errs, int n);
/* Rows of a result as Prefix.N.<names[c]> (column c), for `each:` loops. */
void  page_set_rows(struct req *r, const char *prefix, const struct db_res *res,
    const char *const *names, size_t ncols);
/* The 422 JSON answer with one localized message per invalid field. */
void  resp_json_invalid(struct req *r, const struct ferr *errs, int n);
/* Renders templates/<tmpl> into the response body with the given status. */
int   page_render(struct req *r, int status, const char *tmpl);
/* A string of the request's language ("Error.NotFound" under Lang.). */
const char *lang_str(const struct req *r, const char *key);
/* Loads templates/lang/en.hdf and it.hdf once per process. */
int   lang_load(struct app *a);

#endif
