/* ticket.h — support tickets of contacts (SPEC §4): open, comment, change status/assignment/priority, each
 * in one transaction with its notification mails queued in the outbox (to the contact unless
 * block_auto_emails, and to the assigned staff user). Shared by the portal and the contacts program. */
#ifndef CRM_TICKET_H
#define CRM_TICKET_H

#include "db.h"
#include "http.h"

extern const char *const ticket_statuses[];	/* open, in_progress, waiting, closed */
extern const char *const ticket_categories[];	/* question, problem, request, complaint, other */
extern const char *const ticket_priorities[];	/* low, normal, high, urgent */

/* Columns of ticket_load, in order. */
enum tcol {
	TC_ID, TC_NUMBER, TC_CONTACT_ID, TC_CUSTOMER_ID, TC_SUBJECT, TC_DESCRIPTION, TC_CATEGORY, TC_PRIORITY,
	TC_STATUS, TC_ASSIGNED_USER_ID, TC_CREATED_AT, TC_UPDATED_AT, TC_CLOSED_AT, TC_CONTACT_NAME,
	TC_CUSTOMER_NAME, TC_ASSIGNED_NAME, TC__MAX
};
extern const char *const ticket_cols[TC__MAX];	/* HDF names of the columns */

struct ticket_new {
	long long   contact_id;
	const char *subject, *description, *category, *priority;
	long long   assigned_user_id;	/* 0 = nobody */
};

/* Opens a ticket for t->contact_id (by the portal contact or a staff user, from r->who); *id gets the id. */
int ticket_create(struct req *r, const struct ticket_new *t, long long *id);
/* Loads one ticket; with contact_id > 0 only if it belongs to that contact (rows = 0 otherwise). */
int ticket_load(long long id, long long contact_id, struct db_res *out);
/* Adds a comment by r->who; a comment of the contact reopens a closed or waiting ticket. */
int ticket_comment(struct req *r, long long id, const char *body);
/* Changes status (NULL = unchanged), assignment (-1 = unchanged, 0 = nobody) and priority (NULL = unchanged);
 * records each change in the thread and notifies. */
int ticket_change(struct req *r, long long id, const char *status, long long assigned_user_id, const char *priority);
/* Sets Prefix.N.* rows of the thread (comments and events) for the page. */
int ticket_thread_page(struct req *r, long long id, const char *prefix);
/* Sets Prefix.N.* rows: the contact's tickets, newest first (id, number, subject, status, priority, updated_at). */
int ticket_list_page(struct req *r, long long contact_id, const char *prefix);

#endif
