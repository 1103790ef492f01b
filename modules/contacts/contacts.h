/* contacts.h — the contacts module's handlers. */
#ifndef CRM_CONTACTS_H
#define CRM_CONTACTS_H

#include "app.h"
#include "db.h"

int contacts_list_page(struct req *r);
int contacts_api_list(struct req *r);

int contact_new_page(struct req *r);
int contact_create_post(struct req *r);
int contact_edit_page(struct req *r);
int contact_update_post(struct req *r);
int contact_view_page(struct req *r);
int contact_delete_page(struct req *r);
int contact_delete_post(struct req *r);
int contact_bin_page(struct req *r);
int contact_restore_post(struct req *r);
int contact_purge_page(struct req *r);
int contact_purge_post(struct req *r);

int contacts_api_create(struct req *r);
int contacts_api_get(struct req *r);
int contacts_api_patch(struct req *r);
int contacts_api_delete(struct req *r);
int contacts_api_restore(struct req *r);

int contact_anonymize_page(struct req *r);
int contact_anonymize_post(struct req *r);
int contact_login_page(struct req *r);
int contact_login_post(struct req *r);
int contact_comment_post(struct req *r);
int contacts_api_activity(struct req *r);
int contacts_api_comment(struct req *r);
int contacts_api_anonymize(struct req *r);
int contacts_api_login(struct req *r);
/* Contact.id/first_name/last_name/email of a loaded row, for confirmation pages. */
void contact_page_name(struct req *r, const struct db_res *row);
/* History and comments of a contact, newest first (at, actor, action, field, old, new, body). */
int contact_activity(long long id, int limit, struct db_res *out);

int lists_index_page(struct req *r);
int lists_create_post(struct req *r);
int lists_show_page(struct req *r);
int contacts_bulk_post(struct req *r);
int lists_api_index(struct req *r);
int lists_api_create(struct req *r);
int lists_api_members(struct req *r);

extern const struct module contacts_module;

#endif
