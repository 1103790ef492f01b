/* document.c — documents: sniffing, durable storage under app.uploads, checksums, shares, downloads. */
#include "document.h"
#include "app.h"
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

enum stmt {
	STMT_INSERT, STMT_SHARE_CONTACT, STMT_SHARE_CUSTOMER, STMT_UNSHARE_CONTACT, STMT_UNSHARE_CUSTOMER,
	STMT_LOAD, STMT_VISIBLE, STMT_LIST_PORTAL, STMT_LIST_CONTACT, STMT_LIST_CUSTOMER, STMT_LIST_TICKET, STMT__MAX
};

#define DOC_COLS "d.id, d.original_name, d.kind, d.size, d.created_at, "
#define DOC_TAIL ", d.ticket_id, IF(d.ticket_id IS NULL, NULL, CONCAT('T-', LPAD(d.ticket_id, 6, '0'))) FROM documents d "

/* Its own upload, attached to one of its tickets, shared with the contact, or with a customer the contact
 * is connected to. */
#define PORTAL_SEES \
	"(d.uploaded_by_contact_id = ? OR d.ticket_id IN (SELECT t.id FROM tickets t WHERE t.contact_id = ?) " \
	"OR EXISTS (SELECT 1 FROM document_shares s WHERE s.document_id = d.id " \
	"AND (s.contact_id = ? OR s.customer_id IN (SELECT cn.customer_id FROM connections cn " \
	"WHERE cn.contact_id = ? AND cn.customer_id IS NOT NULL))))"

static const char *const stmts[STMT__MAX] = {
	[STMT_INSERT] =
	    "INSERT INTO documents (stored_name, original_name, kind, mime, size, sha256, contact_id, customer_id, "
	    "ticket_id, uploaded_by_user_id, uploaded_by_contact_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_SHARE_CONTACT] =
	    "INSERT IGNORE INTO document_shares (document_id, contact_id, shared_by) "
	    "SELECT d.id, c.id, ? FROM documents d JOIN contacts c ON c.id = ? WHERE d.id = ?",
	[STMT_SHARE_CUSTOMER] =
	    "INSERT IGNORE INTO document_shares (document_id, customer_id, shared_by) "
	    "SELECT d.id, cu.id, ? FROM documents d JOIN customers cu ON cu.id = ? WHERE d.id = ?",
	[STMT_UNSHARE_CONTACT] = "DELETE FROM document_shares WHERE document_id = ? AND contact_id = ?",
	[STMT_UNSHARE_CUSTOMER] = "DELETE FROM document_shares WHERE document_id = ? AND customer_id = ?",
	[STMT_LOAD] = "SELECT stored_name, original_name, mime, size FROM documents WHERE id = ?",
	[STMT_VISIBLE] = "SELECT 1 FROM documents d WHERE d.id = ? AND " PORTAL_SEES,
	[STMT_LIST_PORTAL] =
	    "SELECT " DOC_COLS "0" DOC_TAIL "WHERE " PORTAL_SEES " ORDER BY d.id DESC LIMIT 500",
	[STMT_LIST_CONTACT] =
	    "SELECT " DOC_COLS "EXISTS (SELECT 1 FROM document_shares s WHERE s.document_id = d.id AND s.contact_id = ?)"
	    DOC_TAIL "WHERE d.contact_id = ? OR d.uploaded_by_contact_id = ? OR d.id IN "
	    "(SELECT s.document_id FROM document_shares s WHERE s.contact_id = ?) ORDER BY d.id DESC LIMIT 500",
	[STMT_LIST_CUSTOMER] =
	    "SELECT " DOC_COLS "EXISTS (SELECT 1 FROM document_shares s WHERE s.document_id = d.id AND s.customer_id = ?)"
	    DOC_TAIL "WHERE d.customer_id = ? OR d.id IN "
	    "(SELECT s.document_id FROM document_shares s WHERE s.customer_id = ?) ORDER BY d.id DESC LIMIT 500",
	[STMT_LIST_TICKET] = "SELECT " DOC_COLS "0" DOC_TAIL "WHERE d.ticket_id = ? ORDER BY d.id LIMIT 500",
};

static int has_ext(const char *name, const char *ext)
{
	size_t n = name ? strlen(name) : 0, e = strlen(ext);
	return n > e && name[n - e - 1] == '.' && strcasecmp(name + n - e, ext) == 0;
}

static int contains(const unsigned char *d, size_t len, const char *needle)
{
	return memmem(d, len, needle, strlen(needle)) != NULL;
}

const char *doc_sniff(const unsigned char *d, size_t len, const char *filename, const char **mime)
{
	*mime = NULL;
	if (len >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return *mime = "application/pdf", "pdf";
	if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return *mime = "image/png", "png";
	if (len >= 3 && memcmp(d, "\xff\xd8\xff", 3) == 0)
		return *mime = "image/jpeg", "jpeg";
	if (len >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
		return *mime = "image/gif", "gif";
	if (len >= 4 && memcmp(d, "PK\x03\x04", 4) == 0) {
		/* An OpenDocument file starts with its uncompressed "mimetype" entry; OOXML names its parts. */
		if (len > 38 && memcmp(d + 30, "mimetype", 8) == 0) {
			if (contains(d + 38, len - 38 < 80 ? len - 38 : 80, "application/vnd.oasis.opendocument.text"))
				return *mime = "application/vnd.oasis.opendocument.text", "odt";
			if (contains(d + 38, len - 38 < 80 ? len - 38 : 80, "application/vnd.oasis.opendocument.spreadsheet"))
				return *mime = "application/vnd.oasis.opendocument.spreadsheet", "ods";
			return NULL;
		}
		if (contains(d, len, "[Content_Types].xml") && contains(d, len, "word/"))
			return *mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx";
		if (contains(d, len, "[Content_Types].xml") && contains(d, len, "xl/"))
			return *mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx";
		return NULL;
	}
	/* Text: valid UTF-8 without NUL or control characters other than tab and line breaks. */
	if (len > 0 && utf8_valid_text((const char *)d, len, 1)) {
		if (has_ext(filename, "csv"))
			return *mime = "text/csv; charset=utf-8", "csv";
		return *mime = "text/plain; charset=utf-8", "txt";
	}
	return NULL;
}

void doc_clean_name(const char *filename, char *out, size_t outsz)
{
	const char *base = filename ? filename : "";
	size_t n = 0;

	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	for (const unsigned char *p = (const unsigned char *)base; *p && n + 1 < outsz && n < 200; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\' || *p == ';')
			continue;
		out[n++] = (char)*p;
	}
	out[n] = '\0';
	/* Cut back to the last whole UTF-8 character, then drop anything not valid. */
	while (n > 0 && !utf8_valid_text(out, n, 0))
		out[--n] = '\0';
	if (!n || !strcmp(out, ".") || !strcmp(out, ".."))
		snprintf(out, outsz, "document");
}

/* Writes the bytes to dir/.tmp-NAME, fsyncs, renames to dir/NAME and fsyncs the directory: after it returns 0
 * the file is durable under its final name; on failure nothing is left behind.  Returns -2 when the disk (or
 * the quota) is full, so the uploader can be told that rather than "try again". */
static int write_durable(const char *dir, const char *name, const char *data, size_t len)
{
	char tmp[4096], final[4096];
	size_t off = 0;
	int fd, dfd, full = 0;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s/.tmp-%s", dir, name) >= sizeof tmp ||
	    (size_t)snprintf(final, sizeof final, "%s/%s", dir, name) >= sizeof final)
		return -1;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) < 0) {
		log_msg(LOG_ERR, "upload: cannot create %s: %s", tmp, strerror(errno));
		return errno == ENOSPC || errno == EDQUOT ? -2 : -1;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			/* a short write that stops at 0 is a full disk as well */
			if (w == 0)
				errno = ENOSPC;
			log_msg(LOG_ERR, "upload: write %s: %s", tmp, strerror(errno));
			full = errno == ENOSPC || errno == EDQUOT;
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) < 0) {
		log_msg(LOG_ERR, "upload: fsync %s: %s", tmp, strerror(errno));
		full = errno == ENOSPC || errno == EDQUOT;
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		log_msg(LOG_ERR, "upload: close %s: %s", tmp, strerror(errno));
		full = errno == ENOSPC || errno == EDQUOT;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, final) < 0) {
		log_msg(LOG_ERR, "upload: rename %s: %s", tmp, strerror(errno));
		goto fail;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return full ? -2 : -1;
}

struct store_ctx {
	struct req              *r;
	const struct doc_new    *d;
	const char              *stored, *name, *kind, *mime, *sha;
	long long                id;
};

static int store_txn(void *p)
{
	struct store_ctx *c = p;
	const struct doc_new *d = c->d;
	int portal = c->r->who.kind == AUTH_PORTAL, rc;
	struct db_res res;

	rc = db_exec(stmts[STMT_INSERT], DB_ARGS(A_STR(c->stored), A_STR(c->name), A_STR(c->kind), A_STR(c->mime),
	    A_INT((long long)d->len), A_STR(c->sha), d->contact_id ? A_INT(d->contact_id) : A_NULL,
	    d->customer_id ? A_INT(d->customer_id) : A_NULL, d->ticket_id ? A_INT(d->ticket_id) : A_NULL,
	    portal ? A_NULL : A_INT(c->r->who.user_id), portal ? A_INT(c->r->who.contact_id) : A_NULL), &res);
	if (rc != DB_OK)
		return rc;
	c->id = (long long)res.insert_id;
	db_res_free(&res);
	if (d->share_contact && d->contact_id &&
	    (rc = doc_share(c->r, c->id, d->contact_id, 0, 1)) != DB_OK)
		return rc;
	if (d->share_customer && d->customer_id &&
	    (rc = doc_share(c->r, c->id, 0, d->customer_id, 1)) != DB_OK)
		return rc;
	return DB_OK;
}

int doc_store(struct req *r, const struct doc_new *d, long long *id, const char **err)
{
	const struct config *cfg = &r->app->cfg;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char sha[65], stored[65], name[256], path[4096];
	const char *mime, *kind;
	struct store_ctx c;
	int rc;

	*id = 0;
	*err = NULL;
	if (!d->data || d->len == 0)
		return *err = "FileEmpty", DB_OK;
	if ((long)d->len > cfg->max_upload)
		return *err = "FileTooLarge", DB_OK;
	if ((kind = doc_sniff((const unsigned char *)d->data, d->len, d->filename, &mime)) == NULL)
		return *err = "FileType", DB_OK;
	if (!cfg->uploads || !*cfg->uploads) {
		log_msg(LOG_ERR, "upload refused: app.uploads is not configured");
		return *err = "FileStore", DB_OK;
	}
	crypto_hash_sha256(digest, (const unsigned char *)d->data, d->len);
	hex_encode(digest, sizeof digest, sha);
	rand_hex(stored, 32);
	doc_clean_name(d->filename, name, sizeof name);
	if ((rc = write_durable(cfg->uploads, stored, d->data, d->len)) < 0)
		return *err = rc == -2 ? "FileNoSpace" : "FileStore", DB_OK;
	c = (struct store_ctx){ r, d, stored, name, kind, mime, sha, 0 };
	if ((rc = db_txn(store_txn, &c)) != DB_OK) {
		/* No row: the file must not stay behind as an orphan. */
		snprintf(path, sizeof path, "%s/%s", cfg->uploads, stored);
		unlink(path);
		return rc;
	}
	*id = c.id;
	return DB_OK;
}

int doc_error_status(const char *err)
{
	return !strcmp(err, "FileTooLarge") ? 413 : !strcmp(err, "FileType") ? 415 :
	    !strcmp(err, "FileNoSpace") ? 507 : !strcmp(err, "FileStore") ? 500 : 422;
}

int doc_portal_visible(long long id, long long contact_id, int *visible)
{
	struct db_res res;
	int rc = db_exec(stmts[STMT_VISIBLE], DB_ARGS(A_INT(id), A_INT(contact_id), A_INT(contact_id),
	    A_INT(contact_id), A_INT(contact_id)), &res);
	*visible = 0;
	if (rc != DB_OK)
		return rc;
	*visible = res.nrows > 0;
	db_res_free(&res);
	return DB_OK;
}

int doc_send(struct req *r, long long id)
{
	struct db_res res;
	struct stat st;
	char path[4096];
	int rc = db_exec(stmts[STMT_LOAD], DB_ARGS(A_INT(id)), &res), fd = -1, status = 0;

	if (rc != DB_OK)
		return rc;
	if (res.nrows == 0 || !r->app->cfg.uploads) {
		db_res_free(&res);
		return 404;
	}
	snprintf(path, sizeof path, "%s/%s", r->app->cfg.uploads, db_val(&res, 0, 0));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
		log_msg(LOG_ERR, "document %lld: cannot open %s: %s", id, path, strerror(errno));
		status = 404;
		goto out;
	}
	buf_reset(&r->resp.body);
	if (buf_grow(&r->resp.body, (size_t)st.st_size + 1) < 0) {
		status = 500;
		goto out;
	}
	while (r->resp.body.len < (size_t)st.st_size) {
		ssize_t n = read(fd, r->resp.body.data + r->resp.body.len, (size_t)st.st_size - r->resp.body.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_msg(LOG_ERR, "document %lld: read %s: %s", id, path, n < 0 ? strerror(errno) : "short file");
			buf_reset(&r->resp.body);
			status = 500;
			goto out;
		}
		r->resp.body.len += (size_t)n;
	}
	r->resp.body.data[r->resp.body.len] = '\0';
	{
		/* An ASCII fallback name plus the RFC 5987 UTF-8 one; doc_clean_name removed quotes and controls. */
		struct buf ascii = { 0 }, enc = { 0 };
		for (const char *p = db_val(&res, 0, 1); *p; p++)
			buf_append(&ascii, (unsigned char)*p < 0x80 ? p : "_", 1);
		buf_urlenc(&enc, db_val(&res, 0, 1));
		resp_header(r, "Content-Disposition: attachment; filename=\"%s\"; filename*=UTF-8''%s",
		    ascii.data ? ascii.data : "document", enc.data ? enc.data : "document");
		buf_free(&ascii);
		buf_free(&enc);
	}
	r->resp.status = 200;
	{
		/* resp.ctype must outlive res: the stored type is matched against the types doc_sniff gives. */
		static const char *const types[] = { "application/pdf", "image/png", "image/jpeg", "image/gif",
			"text/plain; charset=utf-8", "text/csv; charset=utf-8",
			"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", NULL };
		r->resp.ctype = "application/octet-stream";
		for (int i = 0; types[i]; i++)
			if (!strcmp(types[i], db_val(&res, 0, 2)))
				r->resp.ctype = types[i];
	}
out:
	if (fd >= 0)
		close(fd);
	db_res_free(&res);
	return status;
}

int doc_share(struct req *r, long long id, long long contact_id, long long customer_id, int on)
{
	if (contact_id > 0)
		return on ? db_exec(stmts[STMT_SHARE_CONTACT], DB_ARGS(A_INT(r->who.user_id), A_INT(contact_id), A_INT(id)), NULL)
		    : db_exec(stmts[STMT_UNSHARE_CONTACT], DB_ARGS(A_INT(id), A_INT(contact_id)), NULL);
	if (customer_id > 0)
		return on ? db_exec(stmts[STMT_SHARE_CUSTOMER], DB_ARGS(A_INT(r->who.user_id), A_INT(customer_id), A_INT(id)), NULL)
		    : db_exec(stmts[STMT_UNSHARE_CUSTOMER], DB_ARGS(A_INT(id), A_INT(customer_id)), NULL);
	return DB_OK;
}

static const char *const list_cols[] = { "id", "name", "kind", "size", "created_at", "shared", "ticket_id",
	"ticket_number" };

static int list(struct req *r, enum stmt s, const struct db_arg *args, size_t nargs, const char *prefix)
{
	struct db_res res;
	int rc = db_exec(stmts[s], args, nargs, &res);
	if (rc != DB_OK)
		return rc;
	page_set_rows(r, prefix, &res, list_cols, 8);
	db_res_free(&res);
	return DB_OK;
}

int doc_list_portal(struct req *r, long long contact_id, const char *prefix)
{
	return list(r, STMT_LIST_PORTAL, DB_ARGS(A_INT(contact_id), A_INT(contact_id), A_INT(contact_id),
	    A_INT(contact_id)), prefix);
}

int doc_list_contact(struct req *r, long long contact_id, const char *prefix)
{
	return list(r, STMT_LIST_CONTACT, DB_ARGS(A_INT(contact_id), A_INT(contact_id), A_INT(contact_id),
	    A_INT(contact_id)), prefix);
}

int doc_list_customer(struct req *r, long long customer_id, const char *prefix)
{
	return list(r, STMT_LIST_CUSTOMER, DB_ARGS(A_INT(customer_id), A_INT(customer_id), A_INT(customer_id)), prefix);
}

int doc_list_ticket(struct req *r, long long ticket_id, const char *prefix)
{
	return list(r, STMT_LIST_TICKET, DB_ARGS(A_INT(ticket_id)), prefix);
}
