/* portalacct.h — portal accounts of contacts (SPEC §4): created when portal_user is switched on, single-use
 * password links (access and reset) mailed through the outbox, sessions ended when access goes, and the
 * access-window rule that sign-in and every later portal request apply. */
#ifndef CRM_PORTALACCT_H
#define CRM_PORTALACCT_H

#include "http.h"

struct contact_in;
struct contact_err;

/* Why a contact may not use the portal: '' when it may, else the first failing condition (Gone, Inactive,
 * NoPortal, NotYet, Ended), as the first column; then support_start_date, support_end_date. Needs the
 * contact as `c`. Shared by sign-in and auth_portal so both apply exactly the same rule. */
#define PORTAL_DENIED_SQL \
	"CASE WHEN c.deleted_at IS NOT NULL OR c.anonymized_at IS NOT NULL THEN 'Gone' " \
	"WHEN c.active = 0 THEN 'Inactive' WHEN c.portal_user = 0 THEN 'NoPortal' " \
	"WHEN c.support_start_date IS NOT NULL AND c.support_start_date > UTC_DATE() THEN 'NotYet' " \
	"WHEN c.support_end_date IS NOT NULL AND c.support_end_date < UTC_DATE() THEN 'Ended' " \
	"ELSE '' END, c.support_start_date, c.support_end_date"

#define PORTAL_ACCESS_HOURS 168	/* an access link (portal enabled) stays valid 7 days */
#define PORTAL_RESET_HOURS  2	/* a "forgot password" link 2 hours */
#define PORTAL_PASSWORD_MIN 10	/* characters */

/* Called by contact_validate on a whole record: portal_user needs a valid email that no other contact's
 * portal login uses. Adds errors under "email". Returns a db_rc. */
int portal_validate(const struct contact_in *in, long long self_id, struct contact_err *err);

/* Called inside the transaction that wrote the contact (was_on: portal_user before the change). Creates the
 * account when portal_user is on (login = email) and queues the "Registration and access data" mail with a
 * fresh link when access was switched on; keeps the login equal to the email; ends the sessions when
 * portal_user or active is off. Returns a db_rc (DB_DUP when the email became another account's login). */
int portal_sync(struct req *r, long long contact_id, const struct contact_in *in, int was_on);

/* Ends every portal session of the contact (deactivate, delete, anonymize). */
int portal_end_sessions(long long contact_id);

/* Issues a single-use link ("access" or "reset") for an account and queues its mail (portal_access or
 * password_reset, in the contact's language). Call inside a transaction. */
int portal_link_issue(struct req *r, long long account_id, const char *purpose);

/* Looks up an unspent, unexpired link token (the value from the mail). *account_id = 0 when none. With
 * for_update the token row is locked (call inside a transaction). */
int portal_token_find(const char *token, int for_update, long long *account_id);

/* Inside a transaction: stores the new password hash, spends every open link of the account and ends its
 * sessions except keep_session_hash (may be NULL). */
int portal_password_store(long long account_id, const char *hash, const char *keep_session_hash);

#endif
