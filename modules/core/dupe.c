/* dupe.c — likely duplicates of a contact, by the keys a person is recognized by. */
#include "dupe.h"

#include <stddef.h>

#include "contact.h"

enum stmt { STMT_IN_DUPES, STMT_GROUPS, STMT_MEMBERS_EMAIL, STMT_MEMBERS_MOBILE, STMT_MEMBERS_WORK,
	STMT_MEMBERS_NAME, STMT__MAX };

#define MEMBER_COLS "SELECT id, first_name, last_name, email, mobile_phone, work_phone FROM contacts "
#define MEMBER_END "AND deleted_at IS NULL AND anonymized_at IS NULL ORDER BY id LIMIT 20"

/* One indexed lookup per key; the collation makes email and name comparisons case- and
 * accent-insensitive, phone numbers are compared in their normalized digits. The name key includes the customer
 * when the path knows the new contact's (an existing) customer: then only a contact whose primary link is that
 * customer matches by name (two "Mario Rossi" of two companies are two people). The union is a derived table
 * joined to contacts: as "id IN (… UNION …)" MariaDB ran it as a dependent subquery, a scan of the whole
 * table per lookup (12 ms a row on an import at 70k contacts). */
static const char *const stmts[STMT__MAX] = {
	[STMT_IN_DUPES] =
	    "SELECT c.id, c.first_name, c.last_name, c.email, c.mobile_phone, c.work_phone FROM ("
	    "SELECT id FROM contacts WHERE email IN (?, ?) "
	    "UNION SELECT id FROM contacts WHERE email_2 IN (?, ?) "
	    "UNION SELECT id FROM contacts WHERE mobile_phone_norm IN (?, ?, ?) "
	    "UNION SELECT id FROM contacts WHERE work_phone_norm IN (?, ?, ?) "
	    "UNION SELECT id FROM contacts WHERE mobile_phone_2_norm IN (?, ?, ?) "
	    "UNION SELECT n.id FROM contacts n WHERE n.last_name = ? AND n.first_name = ? AND (? IS NULL OR EXISTS ("
	    "SELECT 1 FROM connections p WHERE p.contact_id = n.id AND p.is_primary = 1 AND p.customer_id = ?))"
	    ") m JOIN contacts c ON c.id = m.id "
	    "WHERE c.deleted_at IS NULL AND c.anonymized_at IS NULL AND c.id <> ? "
	    "ORDER BY c.last_name, c.first_name, c.id LIMIT 10",
	/* Each key grouped on its own index alone (index-only scans, no row reads); the bin is left out when the
	 * members are read (by the same indexes), so a group can turn out smaller than counted here. */
	[STMT_GROUPS] =
	    "(SELECT 'email', email, '', COUNT(*) n FROM contacts WHERE email > '' "
	    " GROUP BY email HAVING n > 1 ORDER BY n DESC, email LIMIT ?) "
	    "UNION ALL (SELECT 'mobile', mobile_phone_norm, '', COUNT(*) n FROM contacts WHERE mobile_phone_norm > '' "
	    " GROUP BY mobile_phone_norm HAVING n > 1 ORDER BY n DESC, mobile_phone_norm LIMIT ?) "
	    "UNION ALL (SELECT 'work', work_phone_norm, '', COUNT(*) n FROM contacts WHERE work_phone_norm > '' "
	    " GROUP BY work_phone_norm HAVING n > 1 ORDER BY n DESC, work_phone_norm LIMIT ?) "
	    "UNION ALL (SELECT 'name', last_name, first_name, COUNT(*) n FROM contacts WHERE last_name > '' AND first_name > '' "
	    " GROUP BY last_name, first_name HAVING n > 1 ORDER BY n DESC, last_name, first_name LIMIT ?)",
	[STMT_MEMBERS_EMAIL] = MEMBER_COLS "WHERE email = ? " MEMBER_END,
	[STMT_MEMBERS_MOBILE] = MEMBER_COLS "WHERE mobile_phone_norm = ? " MEMBER_END,
	[STMT_MEMBERS_WORK] = MEMBER_COLS "WHERE work_phone_norm = ? " MEMBER_END,
	[STMT_MEMBERS_NAME] = MEMBER_COLS "WHERE last_name = ? AND first_name = ? " MEMBER_END,
};

static struct db_arg opt(const char *s)
{
	return s && *s ? A_STR(s) : A_NULL;
}

int contact_in_duplicates(const struct contact_in *in, long long exclude_id, struct db_res *out)
{
	const char *fn = in->v[CF_FIRST_NAME], *ln = in->v[CF_LAST_NAME];
	int names = fn && *fn && ln && *ln;
	struct db_arg e1 = opt(in->v[CF_EMAIL]), e2 = opt(in->v[CF_EMAIL_2]);
	struct db_arg p1 = opt(in->norm[0]), p2 = opt(in->norm[1]), p3 = opt(in->norm[2]);

	struct db_arg cu = in->customer_id > 0 ? A_INT(in->customer_id) : A_NULL;

	return db_exec(stmts[STMT_IN_DUPES], DB_ARGS(e1, e2, e1, e2, p1, p2, p3, p1, p2, p3, p1, p2, p3,
	    names ? A_STR(ln) : A_NULL, names ? A_STR(fn) : A_NULL, cu, cu, A_INT(exclude_id)), out);
}

json_object *dupe_candidates_json(const struct db_res *d)
{
	static const char *const names[DC__N] = { "id", "first_name", "last_name", "email", "mobile_phone", "work_phone" };
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < d->nrows; i++) {
		json_object *it = json_object_new_object();
		json_object_object_add(it, "id", json_object_new_int64(db_ll(d, i, DC_ID)));
		for (int c = DC_FIRST_NAME; c < DC__N; c++) {
			const char *v = db_val(d, i, (size_t)c);
			json_object_object_add(it, names[c], v ? json_object_new_string(v) : NULL);
		}
		json_object_array_add(arr, it);
	}
	return arr;
}

int dupe_groups(int limit, struct db_res *out)
{
	return db_exec(stmts[STMT_GROUPS], DB_ARGS(A_INT(limit), A_INT(limit), A_INT(limit), A_INT(limit)), out);
}

int dupe_group_members(const struct db_res *groups, size_t row, struct db_res *out)
{
	const char *kind = db_val(groups, row, DG_KIND), *k1 = db_val(groups, row, DG_KEY);
	const char *k2 = db_val(groups, row, DG_KEY2);

	if (!kind || !k1)
		return DB_ERR;
	if (kind[0] == 'e')
		return db_exec(stmts[STMT_MEMBERS_EMAIL], DB_ARGS(A_STR(k1)), out);
	if (kind[0] == 'm')
		return db_exec(stmts[STMT_MEMBERS_MOBILE], DB_ARGS(A_STR(k1)), out);
	if (kind[0] == 'w')
		return db_exec(stmts[STMT_MEMBERS_WORK], DB_ARGS(A_STR(k1)), out);
	return db_exec(stmts[STMT_MEMBERS_NAME], DB_ARGS(A_STR(k1), A_STR(k2 ? k2 : "")), out);
}
