/* adminlog.h — the admin history: one row per settings change (who, when, area, action, target, details). */
#ifndef CRM_ADMINLOG_H
#define CRM_ADMINLOG_H

#include "http.h"

/* Records one change by r's user; call inside the transaction of the change. details must never
 * hold a password or a token (it is shown to every admin). Returns a db_rc. */
int adminlog_add(struct req *r, const char *area, const char *action, long long target_id,
    const char *target, const char *details);

#endif
