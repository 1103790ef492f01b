/* mail.c — outbox delivery: claim a row, send it with libcurl SMTP, record the result, back off on failure. */
#include "mail.h"
#include "config.h"
#include "db.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curl/curl.h>

enum stmt {
	STMT_QUEUE,
	STMT_CLAIM_PICK,
	STMT_CLAIM_MARK,
	STMT_SENT,
	STMT_FAILED,
	STMT_RECLAIM,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_QUEUE] = "INSERT INTO outbox (to_addr, subject, body, contact_id, template) VALUES (?, ?, ?, ?, ?)",
	[STMT_CLAIM_PICK] =
	    "SELECT id, to_addr, subject, body, attempts FROM outbox "
	    "WHERE status = 'queued' AND next_attempt_at <= NOW() ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
	[STMT_CLAIM_MARK] = "UPDATE outbox SET status = 'sending', claimed_at = NOW() WHERE id = ?",
	[STMT_SENT] = "UPDATE outbox SET status = 'sent', sent_at = NOW(), attempts = attempts + 1, last_error = NULL WHERE id = ?",
	/* Back off 1, 2, 4 … minutes, capped at 6 hours; give up after 12 attempts. */
	[STMT_FAILED] =
	    "UPDATE outbox SET last_error = ?, status = IF(attempts + 1 >= 12, 'failed', 'queued'), "
	    "next_attempt_at = NOW() + INTERVAL LEAST(360, POW(2, attempts)) MINUTE, "
	    "attempts = attempts + 1 WHERE id = ?",
	/* A sender that died mid-delivery: put its claim back after 10 minutes. */
	[STMT_RECLAIM] =
	    "UPDATE outbox SET status = 'queued' WHERE status = 'sending' AND claimed_at < NOW() - INTERVAL 10 MINUTE",
};

int mail_queue(const char *to, const char *subject, const char *body, long long contact_id, const char *tmpl)
{
	return db_exec(stmts[STMT_QUEUE], DB_ARGS(A_STR(to), A_STR(subject), A_STR(body),
	    contact_id > 0 ? A_INT(contact_id) : A_NULL, A_STR(tmpl)), NULL);
}

struct upload {
	const char *data;
	size_t      len, off;
};

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct upload *u = ud;
	size_t n = size * nmemb;
	if (n > u->len - u->off)
		n = u->len - u->off;
	memcpy(ptr, u->data + u->off, n);
	u->off += n;
	return n;
}

/* Header values must not carry line breaks (header injection). */
static void header_safe(struct buf *b, const char *s)
{
	for (; *s; s++)
		if (*s != '\r' && *s != '\n')
			buf_append(b, s, 1);
}

void mail_header_text(struct buf *b, const char *s)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	int plain = 1;

	for (const unsigned char *q = p; *q; q++)
		if (*q >= 0x80 || *q < 0x20 || *q == 0x7f)
			plain = 0;
	if (plain) {
		buf_puts(b, s);
		return;
	}
	/* RFC 2047 encoded words of at most 39 bytes (52 base64 characters, 64 with the frame), each
	 * ending on a whole UTF-8 character, folded onto continuation lines; line breaks are dropped */
	while (*p) {
		unsigned char chunk[48];
		size_t n = 0;
		while (*p && n < 39) {
			size_t len = 1;
			if (*p == '\r' || *p == '\n') {
				p++;
				continue;
			}
			while (p[len] && (p[len] & 0xC0) == 0x80 && len < 4)
				len++;
			if (n + len > 39)
				break;
			memcpy(chunk + n, p, len);
			n += len;
			p += len;
		}
		if (n == 0)
			break;
		if (b->len && b->data[b->len - 1] != ' ')
			buf_puts(b, "\r\n ");
		buf_puts(b, "=?UTF-8?B?");
		for (size_t i = 0; i < n; i += 3) {
			unsigned v = (unsigned)chunk[i] << 16 | (i + 1 < n ? (unsigned)chunk[i + 1] << 8 : 0) |
			    (i + 2 < n ? chunk[i + 2] : 0);
			char out[4] = { b64[v >> 18 & 63], b64[v >> 12 & 63], i + 1 < n ? b64[v >> 6 & 63] : '=',
				i + 2 < n ? b64[v & 63] : '=' };
			buf_append(b, out, 4);
		}
		buf_puts(b, "?=");
	}
}

static int smtp_send(const struct config *cfg, const char *to, const char *subject,
    const char *body, char *err, size_t errsz)
{
	struct buf msg = { 0 };
	struct upload u;
	struct curl_slist *rcpt = NULL;
	char date[64], id[33], from_env[300], to_env[300];
	time_t now = time(NULL);
	struct tm tm;
	CURL *c;
	CURLcode rc;

	if (!cfg->smtp_url || !*cfg->smtp_url) {
		snprintf(err, errsz, "mail.smtp_url is not configured");
		return -1;
	}
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	rand_hex(id, 16);
	buf_printf(&msg, "Date: %s\r\nFrom: ", date);
	header_safe(&msg, cfg->mail_from);
	buf_puts(&msg, "\r\nTo: ");
	header_safe(&msg, to);
	buf_puts(&msg, "\r\nSubject: ");
	mail_header_text(&msg, subject);
	buf_printf(&msg, "\r\nMessage-ID: <%s@crm>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", id);
	for (const char *p = body; *p; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			buf_puts(&msg, "\r\n");
		else
			buf_append(&msg, p, 1);
	}
	buf_puts(&msg, "\r\n");
	u.data = msg.data;
	u.len = msg.len;
	u.off = 0;
	snprintf(from_env, sizeof from_env, "<%s>", cfg->mail_from);
	snprintf(to_env, sizeof to_env, "<%s>", to);
	if ((c = curl_easy_init()) == NULL) {
		buf_free(&msg);
		snprintf(err, errsz, "curl init failed");
		return -1;
	}
	rcpt = curl_slist_append(rcpt, to_env);
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from_env);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		snprintf(err, errsz, "%s", curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	buf_free(&msg);
	return rc == CURLE_OK ? 0 : -1;
}

/* The claimed row's outcome; a lock conflict is retried, since a row left 'sending' would wait
 * 10 minutes for STMT_RECLAIM (and a sent mail could go out twice). */
static int record_outcome(const char *sql, const struct db_arg *args, size_t nargs)
{
	int rc = DB_RETRY;

	for (int attempt = 0; attempt < 5 && rc == DB_RETRY; attempt++) {
		if (attempt) {
			struct timespec ts = { 0, 20000000L * attempt };
			nanosleep(&ts, NULL);
		}
		rc = db_exec(sql, args, nargs, NULL);
	}
	return rc;
}

int mail_flush(const struct config *cfg, int max, int *sent)
{
	int n = 0, rc = DB_OK, conflicts = 0;

	if (sent)
		*sent = 0;
	(void)db_exec(stmts[STMT_RECLAIM], DB_NOARGS, NULL);
	while (n < max) {
		struct db_res res;
		long long id;
		char err[300];
		char *to, *subject, *body;

		/* READ COMMITTED: the pick locks only the row it takes, no gaps of outbox_due. Under
		 * REPEATABLE READ two claimers' gap locks deadlocked against each other's status update. */
		if ((rc = db_exec_text("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")) != DB_OK ||
		    (rc = db_begin()) != DB_OK)
			return rc;
		if ((rc = db_exec(stmts[STMT_CLAIM_PICK], DB_NOARGS, &res)) != DB_OK) {
			db_rollback();
			if (rc == DB_RETRY && ++conflicts < 3)
				continue;
			return rc;
		}
		if (res.nrows == 0) {
			db_res_free(&res);
			db_rollback();
			break;
		}
		id = db_ll(&res, 0, 0);
		if ((rc = db_exec(stmts[STMT_CLAIM_MARK], DB_ARGS(A_INT(id)), NULL)) != DB_OK ||
		    (rc = db_commit()) != DB_OK) {
			db_res_free(&res);
			db_rollback();
			if (rc == DB_RETRY && ++conflicts < 3)
				continue;
			return rc;
		}
		to = xstrdup(db_val(&res, 0, 1));
		subject = xstrdup(db_val(&res, 0, 2));
		body = xstrdup(db_val(&res, 0, 3));
		db_res_free(&res);
		if (smtp_send(cfg, to, subject, body, err, sizeof err) == 0) {
			rc = record_outcome(stmts[STMT_SENT], DB_ARGS(A_INT(id)));
			if (sent)
				(*sent)++;
		} else {
			log_msg(LOG_WARN, "mail %lld to %s not delivered: %s", id, to, err);
			rc = record_outcome(stmts[STMT_FAILED], DB_ARGS(A_STR(err), A_INT(id)));
		}
		free(to);
		free(subject);
		free(body);
		if (rc != DB_OK)
			return rc;
		n++;
	}
	return DB_OK;
}
