/* routes.c — the settings program's pages: one enum, one index-aligned route table. */
#include "settings.h"

enum page {
	PAGE_OVERVIEW,
	/* users and roles, API tokens */
	PAGE_USERS,
	PAGE_USER_NEW,
	PAGE_USER_CREATE,
	PAGE_USER_EDIT,
	PAGE_USER_UPDATE,
	PAGE_USER_PASSWORD,
	PAGE_USER_TOKEN,
	PAGE_USER_TOKEN_REVOKE,
	/* email templates, contact rules, outbox, admin history */
	PAGE_TEMPLATES,
	PAGE_TEMPLATE_EDIT,
	PAGE_TEMPLATE_UPDATE,
	PAGE_RULES,
	PAGE_RULES_SAVE,
	PAGE_OUTBOX,
	PAGE_OUTBOX_RETRY,
	PAGE_HISTORY,
	/* API: users and email templates */
	PAGE_API_USERS,
	PAGE_API_USER_CREATE,
	PAGE_API_USER,
	PAGE_API_USER_PATCH,
	PAGE_API_TOKEN_CREATE,
	PAGE_API_TOKEN_DELETE,
	PAGE_API_TEMPLATES,
	PAGE_API_TEMPLATE,
	PAGE_API_TEMPLATE_PATCH,
	PAGE__MAX
};

static const struct route routes[PAGE__MAX] = {
	[PAGE_OVERVIEW] = { "GET", "/settings", PERM_ADMIN, settings_overview_page },
	[PAGE_USERS]             = { "GET", "/settings/users", PERM_ADMIN, users_list_page },
	[PAGE_USER_NEW]          = { "GET", "/settings/users/new", PERM_ADMIN, user_new_page },
	[PAGE_USER_CREATE]       = { "POST", "/settings/users", PERM_ADMIN, user_create_post },
	[PAGE_USER_EDIT]         = { "GET", "/settings/users/#", PERM_ADMIN, user_edit_page },
	[PAGE_USER_UPDATE]       = { "POST", "/settings/users/#", PERM_ADMIN, user_update_post },
	[PAGE_USER_PASSWORD]     = { "POST", "/settings/users/#/password", PERM_ADMIN, user_password_post },
	[PAGE_USER_TOKEN]        = { "POST", "/settings/users/#/tokens", PERM_ADMIN, user_token_post },
	[PAGE_USER_TOKEN_REVOKE] = { "POST", "/settings/users/#/tokens/#/revoke", PERM_ADMIN, user_token_revoke_post },
	[PAGE_TEMPLATES]         = { "GET", "/settings/email-templates", PERM_ADMIN, templates_list_page },
	[PAGE_TEMPLATE_EDIT]     = { "GET", "/settings/email-templates/#", PERM_ADMIN, template_edit_page },
	[PAGE_TEMPLATE_UPDATE]   = { "POST", "/settings/email-templates/#", PERM_ADMIN, template_update_post },
	[PAGE_RULES]             = { "GET", "/settings/rules", PERM_ADMIN, rules_page },
	[PAGE_RULES_SAVE]        = { "POST", "/settings/rules", PERM_ADMIN, rules_post },
	[PAGE_OUTBOX]            = { "GET", "/settings/outbox", PERM_ADMIN, outbox_page },
	[PAGE_OUTBOX_RETRY]      = { "POST", "/settings/outbox/#/retry", PERM_ADMIN, outbox_retry_post },
	[PAGE_HISTORY]           = { "GET", "/settings/history", PERM_ADMIN, history_page },
	[PAGE_API_USERS]          = { "GET", "/api/v1/settings/users", PERM_ADMIN, api_users_list },
	[PAGE_API_USER_CREATE]    = { "POST", "/api/v1/settings/users", PERM_ADMIN, api_user_create },
	[PAGE_API_USER]           = { "GET", "/api/v1/settings/users/#", PERM_ADMIN, api_user_get },
	[PAGE_API_USER_PATCH]     = { "PATCH", "/api/v1/settings/users/#", PERM_ADMIN, api_user_patch },
	[PAGE_API_TOKEN_CREATE]   = { "POST", "/api/v1/settings/users/#/tokens", PERM_ADMIN, api_token_create },
	[PAGE_API_TOKEN_DELETE]   = { "DELETE", "/api/v1/settings/users/#/tokens/#", PERM_ADMIN, api_token_delete },
	[PAGE_API_TEMPLATES]      = { "GET", "/api/v1/settings/email-templates", PERM_ADMIN, api_templates_list },
	[PAGE_API_TEMPLATE]       = { "GET", "/api/v1/settings/email-templates/#", PERM_ADMIN, api_template_get },
	[PAGE_API_TEMPLATE_PATCH] = { "PATCH", "/api/v1/settings/email-templates/#", PERM_ADMIN, api_template_patch },
};

const struct module settings_module = { "settings", 0, routes, PAGE__MAX };
