/* routes.c — the contacts program's pages: one enum, one index-aligned route table. */
#include "contacts.h"

enum page {
	PAGE_LIST,
	PAGE_API_LIST,
	PAGE__MAX
};

static const struct route routes[PAGE__MAX] = {
	[PAGE_LIST]     = { "GET", "/contacts", PERM_WORK, contacts_list_page },
	[PAGE_API_LIST] = { "GET", "/api/v1/contacts", PERM_WORK, contacts_api_list },
};

const struct module contacts_module = { "contacts", 0, routes, PAGE__MAX };
