/* mail.h — the outbox (SPEC §5): queue in the caller's transaction, deliver over SMTP with libcurl. */
#ifndef CRM_MAIL_H
#define CRM_MAIL_H

struct config;

/* Queues one mail; call inside the transaction of the change that causes it. */
int  mail_queue(const char *to, const char *subject, const char *body,
    long long contact_id, const char *tmpl);
/* Claims and delivers up to max due mails (FOR UPDATE SKIP LOCKED, so several
 * workers and hosts can flush at once). Returns a db_rc; counts in *sent. */
/* Appends s as the text of a header: as is when it is printable ASCII, else as RFC 2047 encoded
 * words (UTF-8, base64, never splitting a character), folded; line breaks never get through. */
struct buf;
void mail_header_text(struct buf *b, const char *s);
int  mail_flush(const struct config *cfg, int max, int *sent);

#endif
