/* consent.h — consents (SPEC §3): definitions with versioned texts, the current state per contact, and every
 * grant or withdrawal recorded with time, text version, actor and source. Same pattern as custom.h:
 *   consent_defs_load(&defs, 0); consent_in_init(&in, &defs, contact_id, "form"|"api"|"portal"|"import");
 *   consent_in_set / consent_in_from_form / consent_in_from_json; contact_in.consents = &in;
 * contact_validate() reports unknown codes, contact_create/update() record the changes. */
#ifndef CRM_CONSENT_H
#define CRM_CONSENT_H

#include <json-c/json.h>

#include "http.h"
#include "validate.h"

struct consent_def {
	long long id;
	char     *code, *title_en, *title_it, *text_en, *text_it;	/* texts of the current version */
	int       version, active, sort_order;
	char      form_name[64];	/* "consent_CODE": form parameter and list filter */
	char      api_name[64];		/* "consents.CODE": API error key */
};

struct consent_defs {
	struct consent_def *v;
	size_t              n;
};

int  consent_defs_load(struct consent_defs *d, int with_inactive);
void consent_defs_free(struct consent_defs *d);
const struct consent_def *consent_def_find(const struct consent_defs *d, const char *code);
const char *consent_title(const struct consent_def *c, const char *lang);
const char *consent_text(const struct consent_def *c, const char *lang);

/* Current state of a contact: granted[i] (0/1) and the version of the latest grant (version may be NULL). */
int  consent_state_load(long long contact_id, const struct consent_defs *d, int *granted, int *version);

/* Consent changes of one contact, index-aligned with defs->v. */
struct consent_in {
	const struct consent_defs *defs;
	const char *source;	/* "form", "api", "portal", "import" */
	int         for_form;
	int        *given, *want;	/* given: the path said granted (want=1) or not (want=0) */
	int        *granted, *version;	/* stored state */
	struct ferr perr[8];
	char        perr_name[8][72];
	int         nperr;
};

int  consent_in_init(struct consent_in *in, const struct consent_defs *defs, long long contact_id, const char *source);
void consent_in_free(struct consent_in *in);
/* Grants (1) or withdraws (0) one consent by code; an unknown or inactive code is an error (-1). */
int  consent_in_set(struct consent_in *in, const char *code, int granted);
/* Every active consent from the form's checkboxes consent_CODE (unticked = not granted). */
void consent_in_from_form(struct consent_in *in, struct req *r);
/* The API's "consents" object {code: true | false}. */
void consent_in_from_json(struct consent_in *in, json_object *obj);
/* Appends the parse errors (unknown codes, non-boolean values). */
void consent_validate(struct consent_in *in, struct ferr *errs, int *nerr);
/* 1 if a given state differs from the stored one. */
int  consent_in_changes(const struct consent_in *in);
/* Records every change (event row with the current text version, actor and source; state row); in the caller's
 * transaction. The actor is the staff user, or the contact itself when r is a portal request. */
int  consent_write(struct req *r, long long contact_id, struct consent_in *in);
/* Deletes the contact's consent states and events (anonymize). */
int  consent_erase(long long contact_id);
/* {code: true|false} of the active consents. */
json_object *consent_json(const struct consent_defs *d, const int *granted);

#endif
