/* settings.h — the settings module's handlers (crm_admin): one file per settings page. */
#ifndef CRM_SETTINGS_H
#define CRM_SETTINGS_H

#include "app.h"

int settings_overview_page(struct req *r);

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
/* One admin_log row (who, when, area "field"/"consent", item, action, detail), in the caller's transaction. */
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
