/* settings.h — the settings module's handlers (crm_admin): one file per settings page, the API in api.c. */
#ifndef CRM_SETTINGS_H
#define CRM_SETTINGS_H

#include "app.h"
#include "db.h"
#include "validate.h"

/* --- common.c: helpers of every settings page --- */
/* Page title (a key under Lang.) and the current tab of the settings sub-navigation. */
void sett_page(struct req *r, const char *tab, const char *title_key);
/* The text of an error message key: "Settings.*" under Lang., anything else under Lang.Valid. */
const char *sett_msg(const struct req *r, const char *msg);
/* Form.Errors.<field> (HTML) or the 422 JSON answer, for keys as sett_msg reads them. */
void sett_errors(struct req *r, const struct ferr *errs, int n);
void sett_json_invalid(struct req *r, const struct ferr *errs, int n);
/* Every value of a repeated form parameter (a checkbox group) or of a JSON array of strings, up to
 * max. *present: the parameter was sent at all (a JSON key, or any form value). -1 on a non-string. */
int  sett_param_list(struct req *r, const char *name, const char **out, int max, int *present);
/* "before" cursor of a newest-first page (?before=ID), or a value above every id. */
long long sett_before(struct req *r);
/* Adds an error to errs (up to MAX_FORM_ERRORS); returns the new count. */
int  sett_err(struct ferr *errs, int n, const char *field, const char *msg);

/* --- users.c: staff users, roles, passwords, API tokens --- */
enum ufield { UF_LOGIN, UF_DISPLAY_NAME, UF_EMAIL, UF_LANGUAGE, UF_ACTIVE, UF__MAX };
extern const struct field user_fields[UF__MAX];

/* A user being written: one owned string per field (NULL = empty) and the role bits. */
struct user_in {
	char    *v[UF__MAX];
	unsigned roles;
};

/* Columns of user_load: login, display_name, email, language, active, roles (comma list), id,
 * created_at, last_seen. */
enum { UC_ROLES = UF__MAX, UC_ID, UC_CREATED_AT, UC_LAST_SEEN };
int  user_load(long long id, struct db_res *out);
/* Every user in user_load's columns, by login (up to 1000). */
int  user_list(struct db_res *out);
/* Fills in from the request (HTML form: every field; JSON: absent keys keep base's values when
 * only_present, else take defaults) and validates; returns the number of errors in errs. */
int  user_in_from_request(struct req *r, struct user_in *in, const struct db_res *base, int only_present,
    struct ferr *errs);
void user_in_free(struct user_in *in);
/* The writes, each one transaction with its admin-history rows. An expected refusal (login taken,
 * the last active admin) returns 422 with errs and nerr filled; a user that is gone, 404. */
int  user_create(struct req *r, struct user_in *in, const char *hash, long long *id, struct ferr *errs, int *nerr);
int  user_update(struct req *r, long long id, struct user_in *in, struct ferr *errs, int *nerr);
/* Sets a password hash and ends the user's sessions; 404 if no such user. */
int  user_set_password(struct req *r, long long id, const char *hash, int generated);
/* Validates a typed password (NULL when fine, else a message key). */
const char *user_password_problem(const char *pw);
/* A random password for "generate" (shown once). */
void user_password_generate(char out[20]);
int  user_token_create(struct req *r, long long uid, const char *label, char token[80], long long *tid);
/* Revokes a token of the user: 404 when it is not theirs or revoked already. */
int  user_token_revoke(struct req *r, long long uid, long long tid);
/* Token rows of a user: id, label, created_at, last_used_at, revoked_at (newest first). */
int  user_tokens(long long uid, struct db_res *out);

int settings_overview_page(struct req *r);
int users_list_page(struct req *r);
int user_new_page(struct req *r);
int user_create_post(struct req *r);
int user_edit_page(struct req *r);
int user_update_post(struct req *r);
int user_password_post(struct req *r);
int user_token_post(struct req *r);
int user_token_revoke_post(struct req *r);

/* --- templates.c: email templates --- */
/* Columns of tmpl_load: id, code, language, subject, body, updated_at, login of the last editor. */
enum { TC_ID, TC_CODE, TC_LANG, TC_SUBJECT, TC_BODY, TC_UPDATED_AT, TC_UPDATED_BY };
int  tmpl_load(long long id, struct db_res *out);
/* Every template in tmpl_load's columns (portal_access first). */
int  tmpl_list(struct db_res *out);
/* A template error shown next to its field: the text names the offending placeholder. */
struct tmpl_err {
	const char *field;	/* "subject" or "body" */
	char        text[400];
};
/* Validates both texts of code's template; returns the number of errors (0..2). */
int  tmpl_validate(const struct req *r, const char *code, const char *subject, const char *body,
    struct tmpl_err errs[2]);
/* Stores new texts with an admin-history row; 404 when the row is gone. */
int  tmpl_save(struct req *r, const struct db_res *row, const char *subject, const char *body);
/* The placeholders of a template as a JSON array. */
json_object *tmpl_placeholders_json(const char *code);

int templates_list_page(struct req *r);
int template_edit_page(struct req *r);
int template_update_post(struct req *r);

/* --- rules.c: contact rules --- */
int rules_page(struct req *r);
int rules_post(struct req *r);

/* --- outbox.c, history.c --- */
int outbox_page(struct req *r);
int outbox_retry_post(struct req *r);
int history_page(struct req *r);

/* --- api.c: /api/v1/settings/users and /email-templates --- */
int api_users_list(struct req *r);
int api_user_create(struct req *r);
int api_user_get(struct req *r);
int api_user_patch(struct req *r);
int api_token_create(struct req *r);
int api_token_delete(struct req *r);
int api_templates_list(struct req *r);
int api_template_get(struct req *r);
int api_template_patch(struct req *r);

/* Additional fields (fields.c) */
int settings_fields_page(struct req *r);
int settings_field_new_page(struct req *r);
int settings_field_create_post(struct req *r);
int settings_field_examples_page(struct req *r);
int settings_field_example_post(struct req *r);
int settings_field_edit_page(struct req *r);
int settings_field_update_post(struct req *r);
int settings_field_move_post(struct req *r);
int settings_field_active_post(struct req *r);
int settings_field_delete_page(struct req *r);
int settings_field_delete_post(struct req *r);
int settings_api_fields(struct req *r);
int settings_api_field_create(struct req *r);
int settings_api_field_get(struct req *r);
int settings_api_field_patch(struct req *r);
/* One admin history row (who, when, area "field"/"consent", item, action, detail), in the caller's transaction. */
int settings_log(struct req *r, const char *area, long long item_id, const char *action, const char *detail);

/* Consents (consents.c) */
int settings_consents_page(struct req *r);
int settings_consent_new_page(struct req *r);
int settings_consent_create_post(struct req *r);
int settings_consent_edit_page(struct req *r);
int settings_consent_update_post(struct req *r);
int settings_api_consents(struct req *r);
int settings_api_consent_create(struct req *r);
int settings_api_consent_get(struct req *r);
int settings_api_consent_patch(struct req *r);

extern const struct module settings_module;

#endif
