/* dupe.h — likely duplicates of a contact: one lookup every entry path calls before creating. */
#ifndef CRM_DUPE_H
#define CRM_DUPE_H
#include "db.h"

enum dupe_col { DC_ID, DC_FIRST_NAME, DC_LAST_NAME, DC_EMAIL, DC_MOBILE, DC_WORK, DC__N };

/* Contacts (not in the bin, not anonymized, not exclude_id) sharing an email address
 * (either slot, case-insensitive), a normalized phone number, or first and last name
 * (case- and accent-insensitive). Any argument may be NULL or "". Up to 10 rows. */
int contact_duplicates(const char *email, const char *phone_norm, const char *first_name,
    const char *last_name, long long exclude_id, struct db_res *out);
#endif
