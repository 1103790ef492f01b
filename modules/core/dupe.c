/* dupe.c — likely duplicates of a contact, by the keys a person is recognized by. */
#include "dupe.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"

enum stmt { STMT_IN_DUPES, STMT_GROUPS, STMT_MEMBERS_EMAIL, STMT_MEMBERS_MOBILE, STMT_MEMBERS_WORK,
	STMT_MEMBERS_NAME, STMT_PRE_EMAILS, STMT_PRE_PHONES, STMT_PRE_NAMES, STMT__MAX };

/* The batch lookups of dupe_prefilter: PRE_KEYS values (NULL-padded) a statement; names PRE_NAMES pairs.
 * Each value is an equality range of its index, and the optimizer's estimate dived into the index once per
 * value before the lookup itself did: on an import, those dives were an eighth of MariaDB's time. The index is
 * named (a lookup by key has no better plan) and the estimate comes from the index statistics instead
 * (eq_range_index_dive_limit=1; without FORCE INDEX, statistics that count NULLs chose a table scan). */
#define PRE_KEYS 200
#define PRE_NAMES 100
#define Q5 "?, ?, ?, ?, ?"
#define Q50 Q5 ", " Q5 ", " Q5 ", " Q5 ", " Q5 ", " Q5 ", " Q5 ", " Q5 ", " Q5 ", " Q5
#define Q200 Q50 ", " Q50 ", " Q50 ", " Q50
#define NO_DIVES "SET STATEMENT eq_range_index_dive_limit = 1 FOR "
#define LIVE " AND deleted_at IS NULL AND anonymized_at IS NULL"
#define NAME_PAIR "(last_name = ? AND first_name = ?)"
#define NAME_PAIRS_5 NAME_PAIR " OR " NAME_PAIR " OR " NAME_PAIR " OR " NAME_PAIR " OR " NAME_PAIR
#define NAME_PAIRS_25 NAME_PAIRS_5 " OR " NAME_PAIRS_5 " OR " NAME_PAIRS_5 " OR " NAME_PAIRS_5 " OR " NAME_PAIRS_5
#define NAME_PAIRS_100 NAME_PAIRS_25 " OR " NAME_PAIRS_25 " OR " NAME_PAIRS_25 " OR " NAME_PAIRS_25

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
	[STMT_PRE_EMAILS] =
	    NO_DIVES "SELECT email FROM contacts FORCE INDEX (contacts_email) WHERE email IN (" Q200 ")" LIVE
	    " UNION SELECT email_2 FROM contacts FORCE INDEX (contacts_email2) WHERE email_2 IN (" Q200 ")" LIVE,
	[STMT_PRE_PHONES] =
	    NO_DIVES "SELECT mobile_phone_norm FROM contacts FORCE INDEX (contacts_mobile) "
	    "WHERE mobile_phone_norm IN (" Q200 ")" LIVE
	    " UNION SELECT mobile_phone_2_norm FROM contacts FORCE INDEX (contacts_mobile2) "
	    "WHERE mobile_phone_2_norm IN (" Q200 ")" LIVE
	    " UNION SELECT work_phone_norm FROM contacts FORCE INDEX (contacts_work) WHERE work_phone_norm IN (" Q200 ")" LIVE,
	[STMT_PRE_NAMES] =
	    NO_DIVES "SELECT last_name, first_name FROM contacts FORCE INDEX (contacts_name) WHERE (" NAME_PAIRS_100 ")" LIVE,
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

/* ---------------------------------------------------------------- batch prefilter */

/* Latin-1 letters U+00C0..U+00FF to their base letter, as the accent-insensitive collation compares them;
 * '*' where it does not compare them as one ASCII letter (ligatures, ß, ð, þ, ø, ×, ÷). */
static const char latin1_base[] = "aaaaaa*ceeeeiiii*nooooo**uuuuy**aaaaaa*ceeeeiiii*nooooo**uuuuy*y";

/* s folded for comparison ("k" + kind + folded text, malloc'd), or NULL when the folding is not certain to agree
 * with the collation. */
static char *fold_key(char kind, const char *a, const char *b)
{
	size_t la = strlen(a), lb = b ? strlen(b) : 0, n = 0;
	char *o = malloc(la + lb + 3);
	const char *parts[2] = { a, b };

	if (!o)
		return NULL;
	o[n++] = kind;
	for (int k = 0; k < 2 && parts[k]; k++) {
		const unsigned char *p = (const unsigned char *)parts[k];
		if (k)
			o[n++] = '\x01';
		while (*p) {
			if (*p < 0x80) {
				if (*p < 0x20 || *p == 0x7f)
					goto uncertain;
				o[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
				p++;
			} else if ((p[0] == 0xC3) && p[1] >= 0x80 && p[1] <= 0xBF) {
				char c = latin1_base[(p[1] - 0x80) + 0x00];
				if (c == '*')
					goto uncertain;
				o[n++] = c;
				p += 2;
			} else {
				goto uncertain;
			}
		}
	}
	o[n] = '\0';
	return o;
uncertain:
	free(o);
	return NULL;
}

struct keyref {
	char  *key;
	size_t row;
};

static int keyref_cmp(const void *x, const void *y)
{
	const struct keyref *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	return c ? c : a->row < b->row ? -1 : a->row > b->row;
}

/* Flags every row holding key (from the database); 0 if no row holds it (the folding disagreed). */
static int flag_holders(const struct keyref *refs, size_t nrefs, const char *key, unsigned char *need)
{
	size_t lo = 0, hi = nrefs;
	int found = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(refs[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < nrefs && !strcmp(refs[lo].key, key); lo++) {
		need[refs[lo].row] = 1;
		found = 1;
	}
	return found;
}

static int given(const char *s)
{
	return s && *s;
}

int dupe_prefilter(const struct dupe_keys *rows, size_t n, unsigned char *need)
{
	struct keyref *refs = calloc(n * 6 + 1, sizeof *refs);
	size_t nrefs = 0, first_uncertain = n;
	int rc = DB_OK, all = 0;

	if (!refs)
		return DB_ERR;
	memset(need, 0, n);
	for (size_t i = 0; i < n; i++) {
		const struct dupe_keys *k = &rows[i];
		int uncertain = 0;
		for (int e = 0; e < 2; e++)
			if (given(k->email[e])) {
				char *f = fold_key('e', k->email[e], NULL);
				if (!f)
					uncertain = 1;
				else
					refs[nrefs++] = (struct keyref){ f, i };
			}
		for (int p = 0; p < 3; p++)
			if (given(k->phone[p])) {
				char *f = fold_key('p', k->phone[p], NULL);
				if (!f)
					uncertain = 1;
				else
					refs[nrefs++] = (struct keyref){ f, i };
			}
		if (given(k->first) && given(k->last)) {
			char *f = fold_key('n', k->last, k->first);
			if (!f)
				uncertain = 1;
			else
				refs[nrefs++] = (struct keyref){ f, i };
		}
		if (uncertain && first_uncertain == n)
			first_uncertain = i;
	}
	/* a row whose keys cannot be folded may match any later row: from there on, every row is looked up */
	for (size_t i = first_uncertain; i < n; i++)
		need[i] = 1;
	qsort(refs, nrefs, sizeof *refs, keyref_cmp);
	/* an earlier row of the batch with the same key */
	for (size_t i = 1; i < nrefs; i++)
		if (!strcmp(refs[i].key, refs[i - 1].key))
			need[refs[i].row] = 1;
	/* the database: distinct keys of each kind, PRE_KEYS (names: PRE_NAMES) a statement */
	for (char kind = 'e'; kind && !all && rc == DB_OK; kind = kind == 'e' ? 'p' : kind == 'p' ? 'n' : 0) {
		size_t i = 0;
		while (i < nrefs && !all && rc == DB_OK) {
			struct db_arg a[PRE_KEYS * 3];
			size_t m = 0, per = kind == 'n' ? PRE_NAMES : PRE_KEYS;
			struct db_res res;
			for (; i < nrefs && m < per; i++) {
				if (refs[i].key[0] != kind || (i && !strcmp(refs[i].key, refs[i - 1].key)))
					continue;
				if (kind == 'n') {
					/* the original values (the collation compares them): found again from the row */
					const struct dupe_keys *k = &rows[refs[i].row];
					a[2 * m] = A_STR(k->last);
					a[2 * m + 1] = A_STR(k->first);
				} else {
					const struct dupe_keys *k = &rows[refs[i].row];
					const char *v = NULL;
					if (kind == 'e') {
						for (int e = 0; e < 2 && !v; e++)
							if (given(k->email[e])) {
								char *f = fold_key('e', k->email[e], NULL);
								if (f && !strcmp(f, refs[i].key))
									v = k->email[e];
								free(f);
							}
					} else {
						v = refs[i].key + 1;
					}
					a[m] = A_STR(v);
				}
				m++;
			}
			if (!m)
				continue;
			if (kind == 'n') {
				for (size_t j = m; j < PRE_NAMES; j++)
					a[2 * j] = a[2 * j + 1] = A_NULL;
				rc = db_exec(stmts[STMT_PRE_NAMES], a, PRE_NAMES * 2, &res);
			} else {
				size_t copies = kind == 'e' ? 2 : 3;
				for (size_t j = m; j < PRE_KEYS; j++)
					a[j] = A_NULL;
				for (size_t c = 1; c < copies; c++)
					memcpy(a + c * PRE_KEYS, a, PRE_KEYS * sizeof *a);
				rc = db_exec(stmts[kind == 'e' ? STMT_PRE_EMAILS : STMT_PRE_PHONES], a, PRE_KEYS * copies, &res);
			}
			if (rc != DB_OK)
				break;
			for (size_t r = 0; r < res.nrows && !all; r++) {
				char *f = fold_key(kind, db_val(&res, r, 0) ? db_val(&res, r, 0) : "",
				    kind == 'n' ? (db_val(&res, r, 1) ? db_val(&res, r, 1) : "") : NULL);
				if (!f || !flag_holders(refs, nrefs, f, need))
					all = 1;	/* matched by the collation in a way the folding does not see */
				free(f);
			}
			db_res_free(&res);
		}
	}
	if (all)
		memset(need, 1, n);
	for (size_t i = 0; i < nrefs; i++)
		free(refs[i].key);
	free(refs);
	return rc;
}
