/* mail.h — the outbox (SPEC §5): queue in the caller's transaction, deliver over SMTP with libcurl. */
#ifndef CRM_MAIL_H
#define CRM_MAIL_H

struct config;

/* Queues one mail; call inside the transaction of the change that causes it. */
int  mail_queue(const char *to, const char *subject, const char *body,
    long long contact_id, const char *tmpl);
/* Claims and delivers up to max due mails (FOR UPDATE SKIP LOCKED, so several
 * workers and hosts can flush at once). Returns a db_rc; counts in *sent. */
int  mail_flush(const struct config *cfg, int max, int *sent);

#endif
