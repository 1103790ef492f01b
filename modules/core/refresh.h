/* refresh.h — re-evaluating the derived status of every contact in batches, after the completeness
 * rule changed: run after the settings response (no request waits for it) or by crmctl. */
#ifndef CRM_REFRESH_H
#define CRM_REFRESH_H

#define REFRESH_BATCH 500

/* Re-evaluates up to limit contacts with id > after, in one transaction (rows locked while they are
 * read and written, so a concurrent edit's own status write comes after ours). *last gets the last
 * id seen (unchanged when none is left), *changed is increased by the rows whose status changed.
 * Returns a db_rc. */
int status_refresh_batch(long long after, int limit, long long *last, long long *changed);

/* Runs batches over the whole table, recording progress in the setting contact.status_refresh
 * ("running LAST_ID MAX_ID", then "done CHANGED"). stop (may be NULL) is asked between batches;
 * returning 1 leaves the work half done and recorded as such. Returns a db_rc. */
int status_refresh_all(int (*stop)(void), long long *seen, long long *changed);

/* Marks a refresh as queued (call in the transaction that changes the rule). */
int status_refresh_queue(void);

#endif
