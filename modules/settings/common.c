/* common.c — helpers shared by the settings pages: title and tab, error messages, repeated parameters, paging. */
#include "settings.h"
#include "render.h"

#include <stdio.h>
#include <string.h>

void sett_page(struct req *r, const char *tab, const char *title_key)
{
	page_set(r, "Settings.Tab", tab);
	page_set(r, "Page.Title", lang_str(r, title_key));
}

const char *sett_msg(const struct req *r, const char *msg)
{
	char key[96];
	if (str_starts(msg, "Settings."))
		return lang_str(r, msg);
	snprintf(key, sizeof key, "Valid.%s", msg);
	return lang_str(r, key);
}

int sett_err(struct ferr *errs, int n, const char *field, const char *msg)
{
	if (n < MAX_FORM_ERRORS) {
		errs[n].field = field;
		errs[n].msg = msg;
	}
	return n + 1;
}

void sett_errors(struct req *r, const struct ferr *errs, int n)
{
	char key[160];
	for (int i = 0; i < n && i < MAX_FORM_ERRORS; i++) {
		snprintf(key, sizeof key, "Form.Errors.%s", errs[i].field);
		page_set(r, key, sett_msg(r, errs[i].msg));
	}
	if (n > 0)
		page_set_int(r, "Form.ErrorCount", n);
}

void sett_json_invalid(struct req *r, const struct ferr *errs, int n)
{
	json_object *fields = json_object_new_object();
	for (int i = 0; i < n && i < MAX_FORM_ERRORS; i++)
		json_object_object_add(fields, errs[i].field, json_object_new_string(sett_msg(r, errs[i].msg)));
	resp_json_error(r, 422, "invalid", lang_str(r, "Error.invalid"), fields);
}

int sett_param_list(struct req *r, const char *name, const char **out, int max, int *present)
{
	int n = 0;

	*present = 0;
	if (r->json) {
		json_object *a;
		if (!json_object_object_get_ex(r->json, name, &a))
			return 0;
		*present = 1;
		if (a == NULL)
			return 0;	/* null: none */
		if (!json_object_is_type(a, json_type_array))
			return -1;
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			json_object *v = json_object_array_get_idx(a, i);
			if (!json_object_is_type(v, json_type_string))
				return -1;
			if (n < max)
				out[n++] = json_object_get_string(v);
			else
				return -1;
		}
		return n;
	}
	for (size_t i = 0; i < r->params.n; i++) {
		if (strcmp(r->params.v[i].name, name) != 0)
			continue;
		*present = 1;
		if (!*r->params.v[i].value)
			continue;	/* the hidden "none" marker of an empty checkbox group */
		if (n >= max)
			return -1;
		out[n++] = r->params.v[i].value;
	}
	return n;
}

long long sett_before(struct req *r)
{
	long long v;
	if (parse_ll(req_param(r, "before"), 1, 9007199254740991LL, &v) < 0)
		return 9007199254740991LL;
	return v;
}
