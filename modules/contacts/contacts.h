/* contacts.h — the contacts module's handlers. */
#ifndef CRM_CONTACTS_H
#define CRM_CONTACTS_H

#include "app.h"
#include "consent.h"
#include "contact.h"
#include "custom.h"
#include "db.h"

int contacts_list_page(struct req *r);
/* tickets.c: the staff ticket page */
int ticket_view_page(struct req *r);
int ticket_reply_post(struct req *r);
int ticket_change_post(struct req *r);
/* documents.c: staff documents */
int document_upload_post(struct req *r);
int document_download_page(struct req *r);
int document_share_post(struct req *r);
int contacts_api_list(struct req *r);
/* Streams every contact of the list the request's filters, search and sort select (the parameters of
 * GET /api/v1/contacts; limit ignored), in the list's order: "select FROM <the list> p STRAIGHT_JOIN contacts c
 * ON c.id = p.id tail", one call of fn per row until it returns non-zero. Memory stays the same whatever the
 * number of rows. Returns 0, 422 (invalid filters, JSON error already answered), a db_rc, or fn's value. */
struct db_stream;
int contacts_list_stream(struct req *r, const char *select, const char *tail,
    int (*fn)(void *ctx, const struct db_stream *s), void *ctx);

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

/* Additional fields and consents of one contact write (extras.c). Ownership: the caller frees with
 * contact_extras_free, also after a failed parse. */
struct contact_extras {
	struct custom_defs  defs;
	struct consent_defs cdefs;
	struct custom_in    custom;
	struct consent_in   consents;
};
/* Loads the active definitions and the contact's stored values (id 0: a new contact), parses the request (API:
 * the "custom" and "consents" objects; form: custom_KEY and consent_CODE of the staff form) and attaches the
 * result to in. Returns a db_rc. */
int  contact_extras_parse(struct req *r, long long id, struct contact_extras *x, struct contact_in *in);
void contact_extras_free(struct contact_extras *x);
/* Form.Custom.* and Form.Consents.* for the contact form: stored values (or defaults for a new contact), or the
 * submitted ones when the form comes back after a POST. */
int  contact_extras_form(struct req *r, long long id, int from_request);
/* Custom.*, Consents.* and ConsentHistory.* for the contact page; labels of custom fields in History.*. */
int  contact_extras_view(struct req *r, long long id);
/* Conflict.Mine.N (from index first on) for the submitted additional fields and consents. */
void contact_extras_conflict(struct req *r, int first);

/* export.c: the filtered list as streamed CSV; one contact's data-subject export as JSON (API, and as a download). */
int contacts_api_export(struct req *r);
int contacts_api_subject_export(struct req *r);
int contact_subject_export_page(struct req *r);
int contact_vcard_page(struct req *r);

/* dupes.c: the duplicates report over the whole database. */
int contacts_duplicates_page(struct req *r);

/* import.c: CSV import over the API, one transaction per file; a dry run rolls back. */
int contacts_api_import(struct req *r);
int contacts_import_page(struct req *r);
int contacts_import_post(struct req *r);

/* merge.c: merge two contacts (side-by-side page, POST, API) and undo a merge. */
int contact_merge_page(struct req *r);
int contact_merge_post(struct req *r);
int contact_merge_undo_page(struct req *r);
int contact_merge_undo_post(struct req *r);
int contacts_api_merge(struct req *r);
int contacts_api_merge_undo(struct req *r);
/* Merges.* of a contact page: the merges into it, newest first. */
int contact_merges_view(struct req *r, long long id);
/* imports.c: staged import jobs (upload, mapping, batches after the response, progress, revert, refused rows). */
int imports_list_page(struct req *r);
int imports_upload_post(struct req *r);
int imports_job_page(struct req *r);
int imports_mapping_page(struct req *r);
int imports_mapping_post(struct req *r);
int imports_run_post(struct req *r);
int imports_resume_post(struct req *r);
int imports_revert_page(struct req *r);
int imports_revert_post(struct req *r);
int imports_refused_csv(struct req *r);
/* POST /api/v1/contacts/import?staged=1: the file as a staged job with the automatic mapping, started at once
 * (202 with the job); GET /api/v1/contacts/imports/ID: its state. */
int imports_api_stage(struct req *r, const char *data, size_t len, int dry, const char *ondup);
int imports_api_get(struct req *r);

extern const struct module contacts_module;

#endif
