/* routes.c — the settings program's pages: one enum, one index-aligned route table. */
#include "settings.h"

enum page {
	PAGE_OVERVIEW,
	/* additional fields and consents */
	PAGE_FIELDS, PAGE_FIELD_NEW, PAGE_FIELD_CREATE, PAGE_FIELD_EXAMPLES, PAGE_FIELD_EXAMPLE_ADD,
	PAGE_FIELD_EDIT, PAGE_FIELD_UPDATE, PAGE_FIELD_MOVE, PAGE_FIELD_ACTIVE, PAGE_FIELD_DELETE_CONFIRM,
	PAGE_FIELD_DELETE, PAGE_API_FIELDS, PAGE_API_FIELD_CREATE, PAGE_API_FIELD_GET, PAGE_API_FIELD_PATCH,
	PAGE_CONSENTS, PAGE_CONSENT_NEW, PAGE_CONSENT_CREATE, PAGE_CONSENT_EDIT, PAGE_CONSENT_UPDATE,
	PAGE_API_CONSENTS, PAGE_API_CONSENT_CREATE, PAGE_API_CONSENT_GET, PAGE_API_CONSENT_PATCH,
	PAGE__MAX
};

static const struct route routes[PAGE__MAX] = {
	[PAGE_OVERVIEW] = { "GET", "/settings", PERM_ADMIN, settings_overview_page },
	/* additional fields and consents (fields.c, consents.c) */
	[PAGE_FIELDS]               = { "GET", "/settings/fields", PERM_ADMIN, settings_fields_page },
	[PAGE_FIELD_NEW]            = { "GET", "/settings/fields/new", PERM_ADMIN, settings_field_new_page },
	[PAGE_FIELD_CREATE]         = { "POST", "/settings/fields", PERM_ADMIN, settings_field_create_post },
	[PAGE_FIELD_EXAMPLES]       = { "GET", "/settings/fields/examples", PERM_ADMIN, settings_field_examples_page },
	[PAGE_FIELD_EXAMPLE_ADD]    = { "POST", "/settings/fields/examples", PERM_ADMIN, settings_field_example_post },
	[PAGE_FIELD_EDIT]           = { "GET", "/settings/fields/#", PERM_ADMIN, settings_field_edit_page },
	[PAGE_FIELD_UPDATE]         = { "POST", "/settings/fields/#", PERM_ADMIN, settings_field_update_post },
	[PAGE_FIELD_MOVE]           = { "POST", "/settings/fields/#/move", PERM_ADMIN, settings_field_move_post },
	[PAGE_FIELD_ACTIVE]         = { "POST", "/settings/fields/#/active", PERM_ADMIN, settings_field_active_post },
	[PAGE_FIELD_DELETE_CONFIRM] = { "GET", "/settings/fields/#/delete", PERM_ADMIN, settings_field_delete_page },
	[PAGE_FIELD_DELETE]         = { "POST", "/settings/fields/#/delete", PERM_ADMIN, settings_field_delete_post },
	[PAGE_API_FIELDS]           = { "GET", "/api/v1/settings/fields", PERM_ADMIN, settings_api_fields },
	[PAGE_API_FIELD_CREATE]     = { "POST", "/api/v1/settings/fields", PERM_ADMIN, settings_api_field_create },
	[PAGE_API_FIELD_GET]        = { "GET", "/api/v1/settings/fields/#", PERM_ADMIN, settings_api_field_get },
	[PAGE_API_FIELD_PATCH]      = { "PATCH", "/api/v1/settings/fields/#", PERM_ADMIN, settings_api_field_patch },
	[PAGE_CONSENTS]             = { "GET", "/settings/consents", PERM_ADMIN, settings_consents_page },
	[PAGE_CONSENT_NEW]          = { "GET", "/settings/consents/new", PERM_ADMIN, settings_consent_new_page },
	[PAGE_CONSENT_CREATE]       = { "POST", "/settings/consents", PERM_ADMIN, settings_consent_create_post },
	[PAGE_CONSENT_EDIT]         = { "GET", "/settings/consents/#", PERM_ADMIN, settings_consent_edit_page },
	[PAGE_CONSENT_UPDATE]       = { "POST", "/settings/consents/#", PERM_ADMIN, settings_consent_update_post },
	[PAGE_API_CONSENTS]         = { "GET", "/api/v1/settings/consents", PERM_ADMIN, settings_api_consents },
	[PAGE_API_CONSENT_CREATE]   = { "POST", "/api/v1/settings/consents", PERM_ADMIN, settings_api_consent_create },
	[PAGE_API_CONSENT_GET]      = { "GET", "/api/v1/settings/consents/#", PERM_ADMIN, settings_api_consent_get },
	[PAGE_API_CONSENT_PATCH]    = { "PATCH", "/api/v1/settings/consents/#", PERM_ADMIN, settings_api_consent_patch },
};

const struct module settings_module = { "settings", 0, routes, PAGE__MAX };
