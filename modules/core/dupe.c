/* dupe.c — likely duplicates of a contact, by the keys a person is recognized by. */
#include "dupe.h"

#include <stddef.h>

/* One indexed lookup per key; the collation makes email and name comparisons case- and
 * accent-insensitive, phone numbers are compared in their normalized digits. */
static const char *const SQL_DUPES =
    "SELECT c.id, c.first_name, c.last_name, c.email, c.mobile_phone, c.work_phone FROM contacts c WHERE c.id IN ("
    "SELECT id FROM contacts WHERE email = ? "
    "UNION SELECT id FROM contacts WHERE email_2 = ? "
    "UNION SELECT id FROM contacts WHERE mobile_phone_norm = ? "
    "UNION SELECT id FROM contacts WHERE work_phone_norm = ? "
    "UNION SELECT id FROM contacts WHERE mobile_phone_2_norm = ? "
    "UNION SELECT id FROM contacts WHERE last_name = ? AND first_name = ?) "
    "AND c.deleted_at IS NULL AND c.anonymized_at IS NULL AND c.id <> ? "
    "ORDER BY c.last_name, c.first_name, c.id LIMIT 10";

static struct db_arg opt(const char *s)
{
	return s && *s ? A_STR(s) : A_NULL;
}

int contact_duplicates(const char *email, const char *phone_norm, const char *first_name,
    const char *last_name, long long exclude_id, struct db_res *out)
{
	/* a name matches only when both parts are known: "Rossi" alone is not a person */
	int names = first_name && *first_name && last_name && *last_name;

	return db_exec(SQL_DUPES, DB_ARGS(opt(email), opt(email), opt(phone_norm), opt(phone_norm),
	    opt(phone_norm), names ? A_STR(last_name) : A_NULL, names ? A_STR(first_name) : A_NULL,
	    A_INT(exclude_id)), out);
}
