/* document.h — uploaded documents (SPEC §4): content sniffed against a whitelist, stored under app.uploads
 * with a random name (temp file, fsync, rename, then the database row; the file is removed when the row is
 * not written), SHA-256 checksum, sharing with a contact or a whole customer, downloads as attachments. */
#ifndef CRM_DOCUMENT_H
#define CRM_DOCUMENT_H

#include <stddef.h>

#include "db.h"
#include "http.h"

/* What the bytes are, from their first bytes (and, for zip containers, the entries they name): "pdf", "png",
 * "jpeg", "gif", "txt", "csv", "docx", "xlsx", "odt", "ods"; NULL when not on the whitelist. The uploader's
 * file name only picks between txt/csv. *mime gets the type to serve it with. Pure: unit-tested. */
const char *doc_sniff(const unsigned char *data, size_t len, const char *filename, const char **mime);

/* The display name of an upload: the last path component, control characters, quotes and backslashes
 * removed, at most 200 bytes of valid UTF-8; "document" when nothing is left. Writes into out. */
void doc_clean_name(const char *filename, char *out, size_t outsz);

struct doc_new {
	const char *data;
	size_t      len;
	const char *filename;
	long long   contact_id, customer_id, ticket_id;	/* 0 = none */
	int         share_contact, share_customer;	/* also share with that contact / customer */
};

/* Stores an upload by r->who (portal contact or staff user). Returns DB_OK with *id set, DB_OK with *id = 0
 * and *err set to a Valid.* key (FileEmpty, FileTooLarge, FileType, FileStore, FileNoSpace: the disk is full)
 * when refused or when the disk failed (logged; nothing half-stored), or a negative db_rc.  doc_error_status()
 * gives the HTTP status of each key. */
int doc_store(struct req *r, const struct doc_new *d, long long *id, const char **err);
/* The status of a refused upload: 413 too large, 415 type, 507 disk full, 500 other storage failure, else 422. */
int doc_error_status(const char *err);

/* 1 in *visible when the portal contact may see the document: it uploaded it, or it is shared with the contact
 * or with one of its customers. */
int doc_portal_visible(long long id, long long contact_id, int *visible);
/* Answers the file as an attachment (Content-Disposition, its sniffed type; nosniff is on every answer).
 * Returns 0, 404 when the row or the file is gone, or a db_rc. */
int doc_send(struct req *r, long long id);
/* Shares (on) or unshares with a contact or a customer (one of the ids is > 0). */
int doc_share(struct req *r, long long id, long long contact_id, long long customer_id, int on);

/* Lists for pages, as Prefix.N.{id,name,kind,size,created_at,shared,ticket_id,ticket_number}. */
int doc_list_portal(struct req *r, long long contact_id, const char *prefix);
int doc_list_contact(struct req *r, long long contact_id, const char *prefix);
int doc_list_customer(struct req *r, long long customer_id, const char *prefix);
int doc_list_ticket(struct req *r, long long ticket_id, const char *prefix);

#endif
