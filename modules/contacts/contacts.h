/* contacts.h — the contacts module's handlers. */
#ifndef CRM_CONTACTS_H
#define CRM_CONTACTS_H

#include "app.h"

int contacts_list_page(struct req *r);
int contacts_api_list(struct req *r);

extern const struct module contacts_module;

#endif
