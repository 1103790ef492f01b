/* routes.c — the settings program's pages: one enum, one index-aligned route table. */
#include "settings.h"

enum page {
	PAGE_OVERVIEW,
	PAGE__MAX
};

static const struct route routes[PAGE__MAX] = {
	[PAGE_OVERVIEW] = { "GET", "/settings", PERM_ADMIN, settings_overview_page },
};

const struct module settings_module = { "settings", 0, routes, PAGE__MAX };
