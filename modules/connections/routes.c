/* routes.c — the connections program's pages: one enum, one index-aligned route table.
 * Customers and leads share their handlers (records.c); the wrappers pick which. */
#include "conn.h"

#define RECORD_HANDLERS(P, U) \
	static int P##_list(struct req *r) { return rec_list_page(r, &U); } \
	static int P##_new(struct req *r) { return rec_new_page(r, &U); } \
	static int P##_create(struct req *r) { return rec_create_post(r, &U); } \
	static int P##_view(struct req *r) { return rec_view_page(r, &U); } \
	static int P##_edit(struct req *r) { return rec_edit_page(r, &U); } \
	static int P##_update(struct req *r) { return rec_update_post(r, &U); } \
	static int P##_delete_confirm(struct req *r) { return rec_delete_page(r, &U); } \
	static int P##_delete(struct req *r) { return rec_delete_post(r, &U); } \
	static int P##_restore(struct req *r) { return rec_restore_post(r, &U); } \
	static int P##_purge_confirm(struct req *r) { return rec_purge_page(r, &U); } \
	static int P##_purge(struct req *r) { return rec_purge_post(r, &U); } \
	static int P##_api_list(struct req *r) { return rec_api_list(r, &U); } \
	static int P##_api_create(struct req *r) { return rec_api_create(r, &U); } \
	static int P##_api_get(struct req *r) { return rec_api_get(r, &U); } \
	static int P##_api_patch(struct req *r) { return rec_api_patch(r, &U); } \
	static int P##_api_delete(struct req *r) { return rec_api_delete(r, &U); }

RECORD_HANDLERS(customer, customer_ui)
RECORD_HANDLERS(lead, lead_ui)

enum page {
	PAGE_OVERVIEW, PAGE_BIN, PAGE_SEARCH, PAGE_CONNECT, PAGE_DISCONNECT, PAGE_PRIMARY,
	PAGE_CU_LIST, PAGE_CU_NEW, PAGE_CU_CREATE, PAGE_CU_VIEW, PAGE_CU_EDIT, PAGE_CU_UPDATE,
	PAGE_CU_DELETE_CONFIRM, PAGE_CU_DELETE, PAGE_CU_RESTORE, PAGE_CU_PURGE_CONFIRM, PAGE_CU_PURGE,
	PAGE_LD_LIST, PAGE_LD_NEW, PAGE_LD_CREATE, PAGE_LD_VIEW, PAGE_LD_EDIT, PAGE_LD_UPDATE,
	PAGE_LD_DELETE_CONFIRM, PAGE_LD_DELETE, PAGE_LD_RESTORE, PAGE_LD_PURGE_CONFIRM, PAGE_LD_PURGE,
	PAGE_LD_CONVERT_FORM, PAGE_LD_CONVERT, PAGE_LD_ANON_CONFIRM, PAGE_LD_ANON,
	PAGE_API_CU_LIST, PAGE_API_CU_CREATE, PAGE_API_CU_GET, PAGE_API_CU_PATCH, PAGE_API_CU_DELETE,
	PAGE_API_CU_CONTACTS,
	PAGE_API_LD_LIST, PAGE_API_LD_CREATE, PAGE_API_LD_GET, PAGE_API_LD_PATCH, PAGE_API_LD_DELETE,
	PAGE_API_LD_CONVERT, PAGE_API_LD_ANON,
	PAGE_API_SEARCH, PAGE_API_LINKS, PAGE_API_CONNECT, PAGE_API_DISCONNECT, PAGE_API_PRIMARY,
	PAGE__MAX
};

static const struct route routes[PAGE__MAX] = {
	[PAGE_OVERVIEW]          = { "GET", "/connections", PERM_WORK, conn_overview_page },
	[PAGE_BIN]               = { "GET", "/connections/bin", PERM_ADMIN, conn_bin_page },
	[PAGE_SEARCH]            = { "GET", "/connections/search", PERM_WORK, conn_search_page },
	[PAGE_CONNECT]           = { "POST", "/connections/connect", PERM_WORK, conn_connect_post },
	[PAGE_DISCONNECT]        = { "POST", "/connections/#/delete", PERM_WORK, conn_disconnect_post },
	[PAGE_PRIMARY]           = { "POST", "/connections/#/primary", PERM_WORK, conn_primary_post },

	[PAGE_CU_LIST]           = { "GET", "/connections/customers", PERM_WORK, customer_list },
	[PAGE_CU_NEW]            = { "GET", "/connections/customers/new", PERM_WORK, customer_new },
	[PAGE_CU_CREATE]         = { "POST", "/connections/customers", PERM_WORK, customer_create },
	[PAGE_CU_VIEW]           = { "GET", "/connections/customers/#", PERM_WORK, customer_view },
	[PAGE_CU_EDIT]           = { "GET", "/connections/customers/#/edit", PERM_WORK, customer_edit },
	[PAGE_CU_UPDATE]         = { "POST", "/connections/customers/#", PERM_WORK, customer_update },
	[PAGE_CU_DELETE_CONFIRM] = { "GET", "/connections/customers/#/delete", PERM_MANAGE, customer_delete_confirm },
	[PAGE_CU_DELETE]         = { "POST", "/connections/customers/#/delete", PERM_MANAGE, customer_delete },
	[PAGE_CU_RESTORE]        = { "POST", "/connections/customers/#/restore", PERM_ADMIN, customer_restore },
	[PAGE_CU_PURGE_CONFIRM]  = { "GET", "/connections/customers/#/purge", PERM_ADMIN, customer_purge_confirm },
	[PAGE_CU_PURGE]          = { "POST", "/connections/customers/#/purge", PERM_ADMIN, customer_purge },

	[PAGE_LD_LIST]           = { "GET", "/connections/leads", PERM_WORK, lead_list },
	[PAGE_LD_NEW]            = { "GET", "/connections/leads/new", PERM_WORK, lead_new },
	[PAGE_LD_CREATE]         = { "POST", "/connections/leads", PERM_WORK, lead_create },
	[PAGE_LD_VIEW]           = { "GET", "/connections/leads/#", PERM_WORK, lead_view },
	[PAGE_LD_EDIT]           = { "GET", "/connections/leads/#/edit", PERM_WORK, lead_edit },
	[PAGE_LD_UPDATE]         = { "POST", "/connections/leads/#", PERM_WORK, lead_update },
	[PAGE_LD_DELETE_CONFIRM] = { "GET", "/connections/leads/#/delete", PERM_MANAGE, lead_delete_confirm },
	[PAGE_LD_DELETE]         = { "POST", "/connections/leads/#/delete", PERM_MANAGE, lead_delete },
	[PAGE_LD_RESTORE]        = { "POST", "/connections/leads/#/restore", PERM_ADMIN, lead_restore },
	[PAGE_LD_PURGE_CONFIRM]  = { "GET", "/connections/leads/#/purge", PERM_ADMIN, lead_purge_confirm },
	[PAGE_LD_PURGE]          = { "POST", "/connections/leads/#/purge", PERM_ADMIN, lead_purge },
	[PAGE_LD_CONVERT_FORM]   = { "GET", "/connections/leads/#/convert", PERM_WORK, lead_convert_page },
	[PAGE_LD_CONVERT]        = { "POST", "/connections/leads/#/convert", PERM_WORK, lead_convert_post },
	[PAGE_LD_ANON_CONFIRM]   = { "GET", "/connections/leads/#/anonymize", PERM_MANAGE, lead_anonymize_page },
	[PAGE_LD_ANON]           = { "POST", "/connections/leads/#/anonymize", PERM_MANAGE, lead_anonymize_post },

	[PAGE_API_CU_LIST]       = { "GET", "/api/v1/customers", PERM_WORK, customer_api_list },
	[PAGE_API_CU_CREATE]     = { "POST", "/api/v1/customers", PERM_WORK, customer_api_create },
	[PAGE_API_CU_GET]        = { "GET", "/api/v1/customers/#", PERM_WORK, customer_api_get },
	[PAGE_API_CU_PATCH]      = { "PATCH", "/api/v1/customers/#", PERM_WORK, customer_api_patch },
	[PAGE_API_CU_DELETE]     = { "DELETE", "/api/v1/customers/#", PERM_MANAGE, customer_api_delete },
	[PAGE_API_CU_CONTACTS]   = { "GET", "/api/v1/customers/#/contacts", PERM_WORK, customer_contacts_api },

	[PAGE_API_LD_LIST]       = { "GET", "/api/v1/leads", PERM_WORK, lead_api_list },
	[PAGE_API_LD_CREATE]     = { "POST", "/api/v1/leads", PERM_WORK, lead_api_create },
	[PAGE_API_LD_GET]        = { "GET", "/api/v1/leads/#", PERM_WORK, lead_api_get },
	[PAGE_API_LD_PATCH]      = { "PATCH", "/api/v1/leads/#", PERM_WORK, lead_api_patch },
	[PAGE_API_LD_DELETE]     = { "DELETE", "/api/v1/leads/#", PERM_MANAGE, lead_api_delete },
	[PAGE_API_LD_CONVERT]    = { "POST", "/api/v1/leads/#/convert", PERM_WORK, lead_api_convert },
	[PAGE_API_LD_ANON]       = { "POST", "/api/v1/leads/#/anonymize", PERM_MANAGE, lead_api_anonymize },

	[PAGE_API_SEARCH]        = { "GET", "/api/v1/connections/search", PERM_WORK, conn_api_search },
	[PAGE_API_LINKS]         = { "GET", "/api/v1/connections", PERM_WORK, conn_api_list },
	[PAGE_API_CONNECT]       = { "POST", "/api/v1/connections", PERM_WORK, conn_api_create },
	[PAGE_API_DISCONNECT]    = { "DELETE", "/api/v1/connections/#", PERM_WORK, conn_api_delete },
	[PAGE_API_PRIMARY]       = { "PATCH", "/api/v1/connections/#", PERM_WORK, conn_api_patch },
};

const struct module connections_module = { "connections", 0, routes, PAGE__MAX, NULL };
