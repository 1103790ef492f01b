/* settings.h — the settings module's handlers (crm_admin): one file per settings page. */
#ifndef CRM_SETTINGS_H
#define CRM_SETTINGS_H

#include "app.h"

int settings_overview_page(struct req *r);

extern const struct module settings_module;

#endif
