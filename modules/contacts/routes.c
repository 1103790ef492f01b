/* routes.c — the contacts program's pages: one enum, one index-aligned route table. */
#include "contacts.h"

enum page {
	PAGE_LIST,
	PAGE_NEW,
	PAGE_CREATE,
	PAGE_BIN,
	PAGE_VIEW,
	PAGE_EDIT,
	PAGE_UPDATE,
	PAGE_DELETE_CONFIRM,
	PAGE_DELETE,
	PAGE_RESTORE,
	PAGE_API_LIST,
	PAGE_API_CREATE,
	PAGE_API_GET,
	PAGE_API_PATCH,
	PAGE_API_DELETE,
	PAGE_API_RESTORE,
	PAGE__MAX
};

static const struct route routes[PAGE__MAX] = {
	[PAGE_LIST]           = { "GET", "/contacts", PERM_WORK, contacts_list_page },
	[PAGE_NEW]            = { "GET", "/contacts/new", PERM_WORK, contact_new_page },
	[PAGE_CREATE]         = { "POST", "/contacts", PERM_WORK, contact_create_post },
	[PAGE_BIN]            = { "GET", "/contacts/bin", PERM_ADMIN, contact_bin_page },
	[PAGE_VIEW]           = { "GET", "/contacts/#", PERM_WORK, contact_view_page },
	[PAGE_EDIT]           = { "GET", "/contacts/#/edit", PERM_WORK, contact_edit_page },
	[PAGE_UPDATE]         = { "POST", "/contacts/#", PERM_WORK, contact_update_post },
	[PAGE_DELETE_CONFIRM] = { "GET", "/contacts/#/delete", PERM_MANAGE, contact_delete_page },
	[PAGE_DELETE]         = { "POST", "/contacts/#/delete", PERM_MANAGE, contact_delete_post },
	[PAGE_RESTORE]        = { "POST", "/contacts/#/restore", PERM_ADMIN, contact_restore_post },
	[PAGE_API_LIST]       = { "GET", "/api/v1/contacts", PERM_WORK, contacts_api_list },
	[PAGE_API_CREATE]     = { "POST", "/api/v1/contacts", PERM_WORK, contacts_api_create },
	[PAGE_API_GET]        = { "GET", "/api/v1/contacts/#", PERM_WORK, contacts_api_get },
	[PAGE_API_PATCH]      = { "PATCH", "/api/v1/contacts/#", PERM_WORK, contacts_api_patch },
	[PAGE_API_DELETE]     = { "DELETE", "/api/v1/contacts/#", PERM_MANAGE, contacts_api_delete },
	[PAGE_API_RESTORE]    = { "POST", "/api/v1/contacts/#/restore", PERM_ADMIN, contacts_api_restore },
};

const struct module contacts_module = { "contacts", 0, routes, PAGE__MAX };
