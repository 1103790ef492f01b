/* custom.h — additional contact fields (SPEC §3): definitions, one validation of raw values for every entry
 * path (staff form, API; later import and portal), writes with history in the caller's transaction, JSON.
 *
 * Use from an entry path (ownership: the caller owns defs and in, and frees both):
 *   struct custom_defs defs; struct custom_in in;
 *   custom_defs_load(&defs, 0);                      active definitions, once per request
 *   custom_in_init(&in, &defs, contact_id, CTX_…, 0); stored values of the contact (0: a new contact)
 *   custom_in_set(&in, "vip", "1") / custom_in_from_form(&in, r) / custom_in_from_json(&in, obj);
 *   contact_in.custom = &in;                         contact_validate() and contact_create/update() do the rest
 */
#ifndef CRM_CUSTOM_H
#define CRM_CUSTOM_H

#include <json-c/json.h>

#include "http.h"
#include "validate.h"

enum cf_type {
	CFT_TEXT, CFT_LONGTEXT, CFT_NUMBER, CFT_DECIMAL, CFT_DATE, CFT_CHECKBOX, CFT_PICKLIST,
	CFT_EMAIL, CFT_PHONE, CFT_URL, CFT__MAX
};
/* The type names of the database, the API and the settings form, index-aligned with enum cf_type. */
extern const char *const custom_type_names[CFT__MAX];
int custom_type_from_name(const char *s);	/* -1 if unknown */

/* Visibility contexts (bits) and their names in the API. */
enum { CTX_BACKOFFICE = 1u, CTX_LIST = 2u, CTX_PORTAL = 4u, CTX_EXPORT = 8u, CTX_ALL = 15u };
#define CTX__COUNT 4
extern const char *const custom_ctx_names[CTX__COUNT];	/* "backoffice-crm-contacts", "list", "portal", "export" */

#define CUSTOM_KEY_MAX 50

struct custom_option {
	long long id;
	char     *key, *label_en, *label_it;
	int       active;
};

struct custom_def {
	long long             id;
	char                 *key, *label_en, *label_it, *def_value;	/* def_value: canonical or NULL */
	enum cf_type          type;
	int                   required, sort_order, active;
	unsigned              ctx;
	struct custom_option *opts;
	size_t                nopts;
	char                  api_name[64];		/* "custom.KEY": history field and API error key */
	char                  form_name[64];		/* "custom_KEY": form parameter and HTML error key */
};

struct custom_defs {
	struct custom_def *v;
	size_t             n;
};

/* Loads the definitions (only active ones unless with_inactive) with their options, in display order. */
int  custom_defs_load(struct custom_defs *d, int with_inactive);
void custom_defs_free(struct custom_defs *d);
const struct custom_def *custom_def_find(const struct custom_defs *d, const char *key);
const char *custom_label(const struct custom_def *f, const char *lang);
/* The label of a picklist option in lang (the key itself for an unknown option). */
const char *custom_option_label(const struct custom_def *f, const char *key, const char *lang);
/* 1 if s is a valid field, option or consent key: [a-z][a-z0-9_]*, at most CUSTOM_KEY_MAX characters. */
int  custom_key_valid(const char *s);

/* Checks one raw value against a definition's type. Returns NULL when valid (then *out is the canonical text,
 * malloc'd, or NULL for an empty value / unticked checkbox), else a key under Lang.Valid. Any active or
 * inactive option is accepted for a picklist here; custom_validate refuses new uses of inactive options. */
const char *custom_value_check(const struct custom_def *f, const char *raw, char **out);

/* The values of one contact being written, index-aligned with defs->v. */
struct custom_in {
	const struct custom_defs *defs;
	unsigned   ctx;		/* the entry path's contexts: required is enforced for these fields */
	int        creating;	/* defaults fill fields that are not given */
	int        for_form;	/* error keys custom_KEY (HTML) instead of custom.KEY (API) */
	char     **raw;		/* given raw values; NULL = not given (kept, or the default on create) */
	char     **stored;	/* stored canonical values; NULL = none */
	char     **val;		/* after custom_validate: the canonical value to store */
	struct ferr perr[8];	/* parse errors: unknown key, value of the wrong JSON type */
	char       perr_name[8][72];
	int        nperr;
};

/* Sets up in for a contact (0: a new one) and loads its stored values. Returns a db_rc. */
int  custom_in_init(struct custom_in *in, const struct custom_defs *defs, long long contact_id, unsigned ctx, int for_form);
void custom_in_free(struct custom_in *in);
/* Gives one raw value by key ("" clears). An unknown or inactive key is a parse error; returns -1 then. */
int  custom_in_set(struct custom_in *in, const char *key, const char *raw);
/* Every active field of in->ctx from the form parameters custom_KEY (an unticked checkbox clears). */
void custom_in_from_form(struct custom_in *in, struct req *r);
/* The API's "custom" object: {key: string | number | boolean | null}; only the keys present are given. */
void custom_in_from_json(struct custom_in *in, json_object *obj);
/* 1 if any field is given with a value different from the stored one. */
int  custom_in_changes(const struct custom_in *in);
/* Validates every field (type, picklist option, required, default on create); appends errors to errs/nerr. */
void custom_validate(struct custom_in *in, struct ferr *errs, int *nerr);
/* Writes the changed values with one history row each; call inside the caller's transaction. */
int  custom_write(struct req *r, long long contact_id, struct custom_in *in);

/* A contact's stored canonical values, index-aligned with defs (each malloc'd or NULL). Returns a db_rc. */
int  custom_load(long long contact_id, const struct custom_defs *defs, char **vals);
void custom_vals_free(char **vals, size_t n);
/* Deletes every value of a contact (anonymize), in the caller's transaction. */
int  custom_erase(long long contact_id);
/* {key: value} of the active fields of the ctx mask: numbers, booleans, strings, null. */
json_object *custom_json(const struct custom_defs *defs, char *const *vals, unsigned ctx);
/* Adds "custom" and "consents" of contact id to a contact's JSON object (API, later export and portal). */
int  contact_extras_json(json_object *o, long long id);

#endif
