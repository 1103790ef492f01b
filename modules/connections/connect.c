/* connect.c — the connect search (leads and customers by name, two tabs with counts) and
 * connect / disconnect / primary, as pages that work without JavaScript and as the API. */
#include "conn.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "contact.h"
#include "db.h"
#include "link.h"
#include "render.h"
#include "util.h"
#include "validate.h"
#include "words.h"

#define SEARCH_LIMIT 20	/* results shown per tab */
#define SEARCH_ROWS  101	/* matching words read per kind (the statements' LIMIT) */
#define COUNT_CAP    100

/* One word is a prefix range on the word index; two to six words must each start a word of the
 * name, in any order (the rarest drives the range, the others are a LIKE on the names column of
 * the same row: every word of the entity, so no second seek);
 * more words must appear in the order typed (a phrase over the stored name suffixes).
 * The search is two statements whatever is typed:
 *  - the ids: one branch per kind reads matches in the order of the word index (kind, word, id) on
 *    the index alone (the clustered row holds names and hidden, the recycle-bin flag), so a short
 *    prefix stops after SEARCH_ROWS rows instead of sorting every match. The same rows give the
 *    tab's count: exact when fewer than SEARCH_ROWS words match, else "100+" (a connect search
 *    wants one more letter typed, not a census). An entity with two matching words appears twice
 *    and is folded in C;
 *  - the rows shown: the first SEARCH_LIMIT ids of each kind by primary key.
 * Joining every one of the 101 matches to its entity (and asking per match whether the contact is
 * already connected) cost 0.5 ms of MariaDB per kind; whether a result is connected now comes
 * from the contact's links, which the page reads anyway. */
#define IDS_BRANCH(K, WHERE) "(SELECT " K ", w.target_id FROM search_words w WHERE w.kind = " K " AND w.hidden = 0 " \
	"AND " WHERE " ORDER BY w.word, w.target_id LIMIT 101)"
#define WORDS_WHERE "w.word LIKE ? AND (? = '%' OR w.names LIKE ?) AND (? = '%' OR w.names LIKE ?) " \
	"AND (? = '%' OR w.names LIKE ?) AND (? = '%' OR w.names LIKE ?) AND (? = '%' OR w.names LIKE ?)"
#define IN20 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define ESTIMATE(K) "SELECT 1 FROM search_words WHERE kind = " K " AND word LIKE ?"
#define ESTIMATE2(K) ESTIMATE(K) " UNION ALL " ESTIMATE(K)
#define ESTIMATE3(K) ESTIMATE2(K) " UNION ALL " ESTIMATE(K)
#define ESTIMATE4(K) ESTIMATE3(K) " UNION ALL " ESTIMATE(K)
#define ESTIMATE5(K) ESTIMATE4(K) " UNION ALL " ESTIMATE(K)
#define ESTIMATE6(K) ESTIMATE5(K) " UNION ALL " ESTIMATE(K)

enum stmt { STMT_IDS_PHRASE, STMT_IDS_WORDS, STMT_SHOWN, STMT_ESTIMATE,	/* + words estimated - 2 */
	STMT_CONTACT = STMT_ESTIMATE + WORDS_MAX_QUERY - 1, STMT_LINKS, STMT_LINK,
	STMT_CONTACT_LINKS, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	/* the usual case: the words as typed start a suffix of the name (one index range per kind) */
	[STMT_IDS_PHRASE] = IDS_BRANCH("1", "w.word LIKE ?") " UNION ALL " IDS_BRANCH("2", "w.word LIKE ?"),
	/* every word anywhere in the name, in any order: each kind's rarest word drives its range */
	[STMT_IDS_WORDS] = IDS_BRANCH("1", WORDS_WHERE) " UNION ALL " IDS_BRANCH("2", WORDS_WHERE),
	/* unused id slots are NULL, which matches nothing */
	[STMT_SHOWN] =
	    "SELECT 1, id, name, type, city, email FROM customers WHERE id IN " IN20 " AND deleted_at IS NULL "
	    "UNION ALL SELECT 2, id, NULLIF(TRIM(CONCAT(first_name, ' ', last_name)), ''), company, status, email "
	    "FROM leads WHERE id IN " IN20 " AND deleted_at IS NULL AND anonymized_at IS NULL",
	/* how many index rows each word prefix has, as the optimizer estimates it from a few index
	 * dives (column 9, "rows", one row per branch in order): no row is read, and the estimate ranks
	 * words well (within 2x measured at 1,000,000 contacts, where counting "co%" up to 2,000 read
	 * 4,000 rows). The words of customers, then the same words of leads: one statement per number of
	 * words estimated (planning twelve branches with NULL slots cost twice as much as four). */
	[STMT_ESTIMATE] = "EXPLAIN " ESTIMATE2("1") " UNION ALL " ESTIMATE2("2"),
	"EXPLAIN " ESTIMATE3("1") " UNION ALL " ESTIMATE3("2"),
	"EXPLAIN " ESTIMATE4("1") " UNION ALL " ESTIMATE4("2"),
	"EXPLAIN " ESTIMATE5("1") " UNION ALL " ESTIMATE5("2"),
	"EXPLAIN " ESTIMATE6("1") " UNION ALL " ESTIMATE6("2"),
	[STMT_CONTACT] =
	    "SELECT id, first_name, last_name, status, version FROM contacts "
	    "WHERE id = ? AND deleted_at IS NULL AND anonymized_at IS NULL",
	[STMT_LINKS] =
	    "SELECT cn.id, cn.contact_id, IF(cn.customer_id IS NULL, 'lead', 'customer'), "
	    "COALESCE(cn.customer_id, cn.lead_id), "
	    "COALESCE(cu.name, NULLIF(TRIM(CONCAT(ld.first_name, ' ', ld.last_name, ' ', ld.company)), '')), "
	    "cn.is_primary, cn.created_at, COALESCE(cu.deleted_at, ld.deleted_at) "
	    "FROM connections cn LEFT JOIN customers cu ON cu.id = cn.customer_id "
	    "LEFT JOIN leads ld ON ld.id = cn.lead_id WHERE cn.contact_id = ? ORDER BY cn.is_primary DESC, cn.id",
	/* the search page's contact and its links in one statement: no link is one row of NULLs. Ordered in C
	 * (links_order): an ORDER BY here made MariaDB build a temporary table per search (165 vs 90 us). */
	[STMT_CONTACT_LINKS] =
	    "SELECT c.id, c.first_name, c.last_name, c.status, cn.id, cn.contact_id, "
	    "IF(cn.customer_id IS NULL, 'lead', 'customer'), COALESCE(cn.customer_id, cn.lead_id), "
	    "COALESCE(cu.name, NULLIF(TRIM(CONCAT(ld.first_name, ' ', ld.last_name, ' ', ld.company)), '')), "
	    "cn.is_primary, cn.created_at, COALESCE(cu.deleted_at, ld.deleted_at) "
	    "FROM contacts c LEFT JOIN connections cn ON cn.contact_id = c.id "
	    "LEFT JOIN customers cu ON cu.id = cn.customer_id LEFT JOIN leads ld ON ld.id = cn.lead_id "
	    "WHERE c.id = ? AND c.deleted_at IS NULL AND c.anonymized_at IS NULL",
	[STMT_LINK] =
	    "SELECT cn.id, cn.contact_id, IF(cn.customer_id IS NULL, 'lead', 'customer'), "
	    "COALESCE(cn.customer_id, cn.lead_id), "
	    "COALESCE(cu.name, NULLIF(TRIM(CONCAT(ld.first_name, ' ', ld.last_name, ' ', ld.company)), '')), "
	    "cn.is_primary, cn.created_at, COALESCE(cu.deleted_at, ld.deleted_at) "
	    "FROM connections cn LEFT JOIN customers cu ON cu.id = cn.customer_id "
	    "LEFT JOIN leads ld ON ld.id = cn.lead_id WHERE cn.id = ?",
};

/* columns of STMT_SHOWN */
enum { SC_KIND, SC_ID, SC_NAME, SC_DETAIL, SC_DETAIL2, SC_EMAIL };

struct search {
	char          phrase[WORD_BUF];
	char          words[WORDS_MAX_QUERY][WORD_BUF];
	int           nwords;
	struct db_res shown;			/* STMT_SHOWN's rows, both kinds */
	long long     ids[2][SEARCH_LIMIT];	/* [0] customers, [1] leads: the first ids in index order */
	size_t        nids[2];
	size_t        row[2][SEARCH_LIMIT];	/* the results shown, in order: rows of shown */
	size_t        nkeep[2];			/* (an id deleted since it was read has none) */
	long long     count[2];
	int           more[2];
};

struct word_args {
	char other[2][WORDS_MAX_QUERY - 1][WORD_BUF + 2];
};

/* One kind's branch of STMT_IDS_WORDS: the driving word, then the others as patterns on names. */
static size_t word_args(const struct search *s, const int *order, char other[][WORD_BUF + 2], struct db_arg *a,
    size_t n)
{
	a[n++] = A_STR(s->words[order[0]]);
	for (int w = 1; w < WORDS_MAX_QUERY; w++) {
		words_other(s->words[order[w]], other[w - 1]);
		a[n++] = A_STR(other[w - 1]);	/* "%" (an unused slot) skips the LIKE: it is not free */
		a[n++] = A_STR(other[w - 1]);
	}
	return n;
}

/* Orders the words of each kind so that the one with the fewest index rows comes first: it drives
 * the range and the others filter its rows (a common word such as "officine" first would read
 * thousands of rows for a name that has a rare word too). Ties keep the longest word first. Words
 * of one or two letters ("s", "co") are not estimated while the query has a longer one: they are
 * never the rarest; when only one word is left, it drives without an estimate. One EXPLAIN estimates
 * the other words of both kinds. */
#define EXPLAIN_ID   0	/* the "id" column of EXPLAIN: the branch, from 1 */
#define EXPLAIN_ROWS 8	/* the "rows" column */

/* The estimates of words searched lately, per worker: how common a word is changes slowly, and a
 * search typed letter by letter, or the same company's name asked again, repeats its words. Each is
 * an EXPLAIN of a few hundred microseconds and a round trip less. A stale estimate can only pick a
 * slower driving word, never other results. Kept ESTIMATE_TTL seconds; the oldest entry goes first. */
#define ESTIMATE_CACHE 256
#define ESTIMATE_TTL   300
static struct estimate {
	int       kind;	/* 0: a free slot */
	char      word[WORD_BUF];
	long long rows;
	time_t    at;
} estimates[ESTIMATE_CACHE];
static size_t estimate_next;

static int estimate_get(int kind, const char *word, time_t now, long long *rows)
{
	for (size_t i = 0; i < ESTIMATE_CACHE; i++)
		if (estimates[i].kind == kind && now - estimates[i].at < ESTIMATE_TTL && !strcmp(estimates[i].word, word)) {
			*rows = estimates[i].rows;
			return 1;
		}
	return 0;
}

static void estimate_put(int kind, const char *word, time_t now, long long rows)
{
	struct estimate *e = &estimates[estimate_next];
	estimate_next = (estimate_next + 1) % ESTIMATE_CACHE;
	e->kind = kind;
	snprintf(e->word, sizeof e->word, "%s", word);
	e->rows = rows;
	e->at = now;
}

static int rarest_first(const struct search *s, int order[2][WORDS_MAX_QUERY])
{
	int n = s->nwords < WORDS_MAX_QUERY ? s->nwords : WORDS_MAX_QUERY, est[WORDS_MAX_QUERY], ne = 0, missing = 0;
	time_t now;
	long long rows[2][WORDS_MAX_QUERY];
	struct db_arg a[2 * WORDS_MAX_QUERY];
	struct db_res res;
	int rc;

	for (int w = 0; w < n; w++)
		if (!(w > 0 && strlen(s->words[w]) <= 3 && strlen(s->words[0]) > 3))	/* 2 letters + % */
			est[ne++] = w;
	for (int k = 0; k < 2; k++)
		for (int w = 0; w < WORDS_MAX_QUERY; w++) {
			rows[k][w] = -1;	/* not estimated */
			order[k][w] = w;
		}
	if (ne < 2)
		return DB_OK;	/* the longest word (words[0]) drives */
	now = time(NULL);
	for (int k = 0; k < 2; k++)
		for (int j = 0; j < ne; j++)
			if (!estimate_get(k + 1, s->words[est[j]], now, &rows[k][est[j]]))
				missing = 1;
	if (missing) {
		for (int k = 0; k < 2; k++)
			for (int j = 0; j < ne; j++) {
				a[k * ne + j] = A_STR(s->words[est[j]]);
				rows[k][est[j]] = -1;
			}
		if ((rc = db_exec(stmts[STMT_ESTIMATE + ne - 2], a, (size_t)(2 * ne), &res)) != DB_OK)
			return rc;
		for (size_t i = 0; i < res.nrows; i++) {
			long long b = db_val(&res, i, EXPLAIN_ID) ? db_ll(&res, i, EXPLAIN_ID) - 1 : -1;
			if (b < 0 || b >= 2 * ne)
				continue;
			/* no estimate (an empty range is still one row): as common as can be */
			rows[b / ne][est[b % ne]] = db_val(&res, i, EXPLAIN_ROWS) ? db_ll(&res, i, EXPLAIN_ROWS) : LLONG_MAX;
			estimate_put((int)(b / ne) + 1, s->words[est[b % ne]], now, rows[b / ne][est[b % ne]]);
		}
		db_res_free(&res);
	}
	for (int k = 0; k < 2; k++) {
		int best = 0;
		for (int w = 1; w < n; w++)
			if (rows[k][w] >= 0 && (rows[k][best] < 0 || rows[k][w] < rows[k][best] ||
			    (rows[k][w] == rows[k][best] && strlen(s->words[w]) > strlen(s->words[best]))))
				best = w;
		order[k][0] = best;
		order[k][best] = 0;
	}
	return DB_OK;
}

/* Folds the matched ids of each kind (an entity with two matching words comes twice): count them
 * all, keep the first SEARCH_LIMIT. A branch that read its LIMIT has more matches than it read. */
static void fold_ids(struct search *s, const struct db_res *ids)
{
	long long seen[2][SEARCH_ROWS];
	size_t nseen[2] = { 0, 0 }, read[2] = { 0, 0 };

	for (size_t i = 0; i < ids->nrows; i++) {
		int k = db_ll(ids, i, 0) == 1 ? 0 : 1;
		long long id = db_ll(ids, i, 1);
		size_t j;
		read[k]++;
		for (j = 0; j < nseen[k] && seen[k][j] != id; j++)
			;
		if (j < nseen[k] || nseen[k] == SEARCH_ROWS)
			continue;
		seen[k][nseen[k]++] = id;
		if (s->nids[k] < SEARCH_LIMIT)
			s->ids[k][s->nids[k]++] = id;
	}
	for (int k = 0; k < 2; k++) {
		s->more[k] = read[k] >= SEARCH_ROWS;
		s->count[k] = nseen[k] > COUNT_CAP ? COUNT_CAP : (long long)nseen[k];
	}
}

/* Runs both searches; with no word in q, both are empty. Returns a db_rc. */
static int search_run(struct search *s, const char *q)
{
	struct db_arg a[2 * (2 * WORDS_MAX_QUERY - 1)];
	struct db_res ids;
	size_t n = 0;
	int rc;

	memset(s, 0, sizeof *s);
	if (!q || (s->nwords = words_query(q, s->phrase, s->words)) == 0)
		return DB_OK;
	if (s->nwords == 1 || s->nwords > WORDS_MAX_QUERY) {
		/* one word, or more words than the any-order statement has slots: in the order typed */
		rc = db_exec(stmts[STMT_IDS_PHRASE], DB_ARGS(A_STR(s->phrase), A_STR(s->phrase)), &ids);
	} else {
		int order[2][WORDS_MAX_QUERY];
		struct word_args wa = { 0 };	/* filled by word_args before it is bound */
		if ((rc = rarest_first(s, order)) != DB_OK)
			return rc;
		for (int k = 0; k < 2; k++)
			n = word_args(s, order[k], wa.other[k], a, n);
		rc = db_exec(stmts[STMT_IDS_WORDS], a, n, &ids);
	}
	if (rc != DB_OK)
		return rc;
	fold_ids(s, &ids);
	db_res_free(&ids);
	if (s->nids[0] + s->nids[1] == 0)
		return DB_OK;
	{
		struct db_arg b[2 * SEARCH_LIMIT];
		for (int k = 0; k < 2; k++)
			for (size_t i = 0; i < SEARCH_LIMIT; i++)
				b[k * SEARCH_LIMIT + i] = i < s->nids[k] ? A_INT(s->ids[k][i]) : A_NULL;
		if ((rc = db_exec(stmts[STMT_SHOWN], b, 2 * SEARCH_LIMIT, &s->shown)) != DB_OK)
			return rc;
	}
	/* back into index order; an entity deleted since the ids were read is left out */
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < s->nids[k]; i++) {
			for (size_t j = 0; j < s->shown.nrows; j++)
				if (db_ll(&s->shown, j, SC_KIND) == k + 1 && db_ll(&s->shown, j, SC_ID) == s->ids[k][i]) {
					s->row[k][s->nkeep[k]++] = j;
					break;
				}
		}
	return DB_OK;
}

static void search_free(struct search *s)
{
	db_res_free(&s->shown);
}

#define CL_LINK 4	/* STMT_CONTACT_LINKS: the link's columns from here, as STMT_LINKS has them */

/* Whether the contact's links (STMT_CONTACT_LINKS rows: target, its id) include this one: the
 * result shows "connected" instead of CONNECT. */
static int is_linked(const struct db_res *links, int k, long long id)
{
	for (size_t i = 0; i < links->nrows; i++)
		if (db_val(links, i, CL_LINK) && db_ll(links, i, CL_LINK + 3) == id &&
		    str_eq(db_val(links, i, CL_LINK + 2), k == 0 ? "customer" : "lead"))
			return 1;
	return 0;
}

/* The rows of STMT_CONTACT_LINKS in the order the page lists links: the primary first, then by id. */
static void links_order(const struct db_res *links, size_t *ord)
{
	for (size_t i = 0; i < links->nrows; i++) {
		size_t j = i;
		long long prim = db_ll(links, i, CL_LINK + 5), id = db_ll(links, i, CL_LINK);
		for (; j > 0; j--) {
			long long pp = db_ll(links, ord[j - 1], CL_LINK + 5), pid = db_ll(links, ord[j - 1], CL_LINK);
			if (pp > prim || (pp == prim && pid < id))
				break;
			ord[j] = ord[j - 1];
		}
		ord[j] = i;
	}
}

static const struct field search_fields[] = {
	{ "q", V_TEXT, 0, 0, 200, NULL },
	{ "contact_id", V_ID, 0, 0, 0, NULL },
	{ "tab", V_ENUM, 0, 0, 0, (const char *const[]){ "customers", "leads", NULL } },
};

int conn_search_page(struct req *r)
{
	static const char *const lcols[] = { "link_id", "contact_id", "target", "target_id", "name", "primary",
		"created_at", "deleted_at" };
	struct fval v[3];
	struct ferr errs[MAX_FORM_ERRORS];
	struct search s;
	struct db_res links = { 0 };
	size_t *ord;
	char key[80];
	int rc, nerr = validate_fields(r, search_fields, 3, v, errs);

	if (nerr > 0 && !v[1].present)
		return 404;
	if (nerr > 0)
		page_set_errors(r, errs, nerr);
	if (v[1].present) {
		/* connecting for a contact: its name, its links, CONNECT buttons */
		if ((rc = db_exec(stmts[STMT_CONTACT_LINKS], DB_ARGS(A_INT(v[1].i)), &links)) != DB_OK)
			return rc;
		if (links.nrows == 0) {
			db_res_free(&links);
			return 404;
		}
		page_set(r, "Contact.id", db_val(&links, 0, 0));
		page_set(r, "Contact.first_name", db_val(&links, 0, 1));
		page_set(r, "Contact.last_name", db_val(&links, 0, 2));
		page_set(r, "Contact.status", db_val(&links, 0, 3));
		if ((ord = calloc(links.nrows, sizeof *ord)) == NULL) {
			db_res_free(&links);
			return DB_ERR;
		}
		links_order(&links, ord);
		for (size_t i = 0; i < links.nrows && db_val(&links, ord[i], CL_LINK); i++)
			for (size_t c = 0; c < 8; c++) {
				snprintf(key, sizeof key, "Links.%lu.%s", (unsigned long)i, lcols[c]);
				page_set(r, key, db_val(&links, ord[i], CL_LINK + c));
			}
		free(ord);
	}
	if ((rc = search_run(&s, nerr ? NULL : v[0].present ? v[0].s : NULL)) != DB_OK) {
		search_free(&s);
		db_res_free(&links);
		return rc;
	}
	for (int k = 0; k < 2; k++) {
		const char *grp = k == 0 ? "Customers" : "Leads";
		static const char *const names[] = { "id", "name", "detail", "detail2", "email" };
		for (size_t i = 0; i < s.nkeep[k]; i++) {
			size_t row = s.row[k][i];
			for (size_t c = 0; c < 5; c++) {
				snprintf(key, sizeof key, "Search.%s.%lu.%s", grp, (unsigned long)i, names[c]);
				page_set(r, key, db_val(&s.shown, row, SC_ID + c));
			}
			snprintf(key, sizeof key, "Search.%s.%lu.connected", grp, (unsigned long)i);
			page_set(r, key, is_linked(&links, k, db_ll(&s.shown, row, SC_ID)) ? "1" : "0");
		}
		snprintf(key, sizeof key, "Search.%sCount", grp);
		page_set(r, key, s.more[k] ? "100+" : "");
		if (!s.more[k])
			page_set_int(r, key, s.count[k]);
	}
	page_set_int(r, "Search.Done", s.nwords > 0);
	page_set(r, "Search.Q", v[0].present && !nerr ? v[0].s : "");
	/* the tab with results opens first unless the user chose one */
	page_set(r, "Search.Tab", v[2].present ? v[2].s : (s.nkeep[0] == 0 && s.nkeep[1] > 0) ? "leads" : "customers");
	search_free(&s);
	db_res_free(&links);
	page_set(r, "Page.Title", lang_str(r, "Conn.SearchTitle"));
	return page_render(r, 200, "connections/search.cs");
}

static json_object *group_json(const struct search *s, int k)
{
	json_object *g = json_object_new_object(), *items = json_object_new_array();

	for (size_t i = 0; i < s->nkeep[k]; i++) {
		const struct db_res *rs = &s->shown;
		size_t row = s->row[k][i];
		json_object *it = json_object_new_object();
		json_object_object_add(it, "id", json_object_new_int64(db_ll(rs, row, SC_ID)));
		json_object_object_add(it, "name", json_object_new_string(db_val(rs, row, SC_NAME) ?: ""));
		if (k == 0) {
			json_object_object_add(it, "type", json_object_new_string(db_val(rs, row, SC_DETAIL) ?: ""));
			json_object_object_add(it, "city", db_val(rs, row, SC_DETAIL2) ? json_object_new_string(db_val(rs, row, SC_DETAIL2)) : NULL);
		} else {
			json_object_object_add(it, "company", json_object_new_string(db_val(rs, row, SC_DETAIL) ?: ""));
			json_object_object_add(it, "status", json_object_new_string(db_val(rs, row, SC_DETAIL2) ?: ""));
		}
		json_object_object_add(it, "email", db_val(rs, row, SC_EMAIL) ? json_object_new_string(db_val(rs, row, SC_EMAIL)) : NULL);
		json_object_array_add(items, it);
	}
	json_object_object_add(g, "count", json_object_new_int64(s->count[k]));
	json_object_object_add(g, "more", json_object_new_boolean(s->more[k]));
	json_object_object_add(g, "items", items);
	return g;
}

int conn_api_search(struct req *r)
{
	struct fval v[3];
	struct ferr errs[MAX_FORM_ERRORS];
	struct search s;
	json_object *o;
	int rc, nerr = validate_fields(r, search_fields, 3, v, errs);

	if (nerr > 0) {
		resp_json_invalid(r, errs, nerr);
		return 0;
	}
	if ((rc = search_run(&s, v[0].present ? v[0].s : NULL)) != DB_OK) {
		search_free(&s);
		return rc;
	}
	o = json_object_new_object();
	json_object_object_add(o, "leads", group_json(&s, 1));
	json_object_object_add(o, "customers", group_json(&s, 0));
	search_free(&s);
	resp_json(r, 200, o);
	return 0;
}

/* ---- connect, disconnect, primary ---- */

static const struct field connect_fields[] = {
	{ "contact_id", V_ID, F_REQUIRED, 0, 0, NULL },
	{ "target", V_ENUM, F_REQUIRED, 0, 0, (const char *const[]){ "customer", "lead", NULL } },
	{ "target_id", V_ID, F_REQUIRED, 0, 0, NULL },
	{ "primary", V_BOOL, 0, 0, 0, NULL },
	{ "return_to", V_LOCALPATH, 0, 0, 500, NULL },
};

/* Where a connect/disconnect form returns: the page it came from, else the contact page. */
static void back(struct req *r, const struct fval *return_to, long long contact_id, const char *note)
{
	char loc[560];

	if (return_to && return_to->present)
		snprintf(loc, sizeof loc, "%s", return_to->s);
	else
		snprintf(loc, sizeof loc, "/contacts/%lld%s", contact_id, note);
	resp_redirect(r, loc);
}

int conn_connect_post(struct req *r)
{
	struct fval v[5];
	struct ferr errs[MAX_FORM_ERRORS];
	long long link_id;
	int rc, nerr = validate_fields(r, connect_fields, 5, v, errs);

	if (nerr > 0)
		return 422;
	rc = link_add(r, v[0].i, link_target_from(v[1].s), v[2].i, (int)v[3].i, &link_id);
	if (rc == 409)
		rc = DB_OK;	/* connected already: the page shows it */
	if (rc != DB_OK)
		return rc;
	back(r, &v[4], v[0].i, "?connected=1#connections");
	return 0;
}

static const struct field back_fields[] = { { "return_to", V_LOCALPATH, 0, 0, 500, NULL } };

int conn_disconnect_post(struct req *r)
{
	struct fval v[1];
	struct ferr errs[MAX_FORM_ERRORS];
	long long contact_id = 0;
	int rc;

	if (validate_fields(r, back_fields, 1, v, errs) > 0)
		return 422;
	if ((rc = link_remove(r, r->ids[0], &contact_id)) != DB_OK)
		return rc;
	back(r, &v[0], contact_id, "?disconnected=1#connections");
	return 0;
}

int conn_primary_post(struct req *r)
{
	struct fval v[1];
	struct ferr errs[MAX_FORM_ERRORS];
	long long contact_id = 0;
	int rc;

	if (validate_fields(r, back_fields, 1, v, errs) > 0)
		return 422;
	if ((rc = link_set_primary(r, r->ids[0], &contact_id)) != DB_OK)
		return rc;
	back(r, &v[0], contact_id, "#connections");
	return 0;
}

static json_object *link_json(const struct db_res *res, size_t i)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(db_ll(res, i, 0)));
	json_object_object_add(o, "contact_id", json_object_new_int64(db_ll(res, i, 1)));
	json_object_object_add(o, "target", json_object_new_string(db_val(res, i, 2)));
	json_object_object_add(o, "target_id", json_object_new_int64(db_ll(res, i, 3)));
	json_object_object_add(o, "name", json_object_new_string(db_val(res, i, 4) ?: ""));
	json_object_object_add(o, "is_primary", json_object_new_boolean(db_val(res, i, 5) != NULL));
	json_object_object_add(o, "created_at", json_object_new_string(db_val(res, i, 6) ?: ""));
	json_object_object_add(o, "target_in_recycle_bin", json_object_new_boolean(db_val(res, i, 7) != NULL));
	return o;
}

static int answer_link(struct req *r, int status, long long link_id)
{
	struct db_res res;
	int rc = db_exec(stmts[STMT_LINK], DB_ARGS(A_INT(link_id)), &res);

	if (rc != DB_OK)
		return rc;
	if (res.nrows == 0) {
		db_res_free(&res);
		return 404;
	}
	resp_json(r, status, link_json(&res, 0));
	db_res_free(&res);
	return 0;
}

int conn_api_list(struct req *r)
{
	static const struct field f[] = { { "contact_id", V_ID, F_REQUIRED, 0, 0, NULL } };
	struct fval v[1];
	struct ferr errs[MAX_FORM_ERRORS];
	struct db_res res;
	json_object *o, *items;
	int rc, nerr = validate_fields(r, f, 1, v, errs);

	if (nerr > 0) {
		resp_json_invalid(r, errs, nerr);
		return 0;
	}
	if ((rc = db_exec(stmts[STMT_CONTACT], DB_ARGS(A_INT(v[0].i)), &res)) != DB_OK)
		return rc;
	if (res.nrows == 0) {
		db_res_free(&res);
		return 404;
	}
	db_res_free(&res);
	if ((rc = db_exec(stmts[STMT_LINKS], DB_ARGS(A_INT(v[0].i)), &res)) != DB_OK)
		return rc;
	items = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++)
		json_object_array_add(items, link_json(&res, i));
	db_res_free(&res);
	o = json_object_new_object();
	json_object_object_add(o, "items", items);
	resp_json(r, 200, o);
	return 0;
}

int conn_api_create(struct req *r)
{
	struct fval v[5];
	struct ferr errs[MAX_FORM_ERRORS];
	long long link_id = 0;
	int rc, nerr;

	if (!r->json)
		return 400;
	nerr = validate_fields(r, connect_fields, 4, v, errs);
	if (nerr > 0) {
		resp_json_invalid(r, errs, nerr);
		return 0;
	}
	rc = link_add(r, v[0].i, link_target_from(v[1].s), v[2].i, (int)v[3].i, &link_id);
	if (rc == 409) {
		resp_json_error(r, 409, "already_connected", "The contact is already connected to this target.", NULL);
		return 0;
	}
	if (rc != DB_OK)
		return rc;
	return answer_link(r, 201, link_id);
}

int conn_api_delete(struct req *r)
{
	long long contact_id;
	int rc = link_remove(r, r->ids[0], &contact_id);

	if (rc != DB_OK)
		return rc;
	r->resp.status = 204;
	r->resp.ctype = "application/json";
	return 0;
}

int conn_api_patch(struct req *r)
{
	static const struct field f[] = { { "is_primary", V_BOOL, F_REQUIRED, 0, 0, NULL } };
	struct fval v[1];
	struct ferr errs[MAX_FORM_ERRORS];
	long long contact_id;
	int rc, nerr;

	if (!r->json)
		return 400;
	nerr = validate_fields(r, f, 1, v, errs);
	if (nerr == 0 && !v[0].i && nerr < MAX_FORM_ERRORS)
		errs[nerr++] = (struct ferr){ "is_primary", "PrimaryOnlyTrue" };
	if (nerr > 0) {
		resp_json_invalid(r, errs, nerr);
		return 0;
	}
	if ((rc = link_set_primary(r, r->ids[0], &contact_id)) != DB_OK)
		return rc;
	return answer_link(r, 200, r->ids[0]);
}
