/* records.c — customers and leads in the staff UI and API: list with word search, filter, sort and
 * keyset paging; form (create, edit), profile with history, recycle bin. One code path for both,
 * driven by struct rec_ui (what differs) and struct entity (fields and writes). */
#include "document.h"
#include "conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "render.h"
#include "util.h"
#include "validate.h"
#include "words.h"

#define COUNT_CAP 10000
#define PAGE_SIZE 50

/* ---- statements ---- */

/* Every word of the query must start a word of the name (w1 from the index range, the others
 * as a LIKE on the names column of the same row); the collation folds case and accents. */
#define WORDS_JOIN(K) "JOIN (SELECT DISTINCT w.target_id FROM search_words w WHERE w.kind = " K \
	" AND w.word LIKE ? AND (? = '%' OR w.names LIKE ?) AND (? = '%' OR w.names LIKE ?) AND (? = '%' OR w.names LIKE ?) AND (? = '%' OR w.names LIKE ?) " \
	"AND (? = '%' OR w.names LIKE ?)) m ON m.target_id = t.id "

#define BY_UPDATED "AND t.updated_at <= ? AND (t.updated_at, t.id) < (?, ?) ORDER BY t.updated_at DESC, t.id DESC LIMIT ?"

#define CU_COLS "SELECT t.id, t.name, t.type, t.city, t.email, t.phone, t.active, " \
	"(SELECT COUNT(*) FROM connections x WHERE x.customer_id = t.id), t.updated_at FROM customers t "
#define CU_WHERE "WHERE t.deleted_at IS NULL AND (? IS NULL OR t.type = ?) "
#define CU_BY_NAME "AND t.name >= ? AND (t.name, t.id) > (?, ?) ORDER BY t.name, t.id LIMIT ?"

static const char *const customer_list_sql[4] = {
	CU_COLS CU_WHERE CU_BY_NAME, CU_COLS WORDS_JOIN("1") CU_WHERE CU_BY_NAME,
	CU_COLS CU_WHERE BY_UPDATED, CU_COLS WORDS_JOIN("1") CU_WHERE BY_UPDATED,
};
static const char *const customer_count_sql[2] = {
	"SELECT COUNT(*) FROM (SELECT 1 FROM customers t " CU_WHERE "LIMIT 10001) x",
	"SELECT COUNT(*) FROM (SELECT 1 FROM customers t " WORDS_JOIN("1") CU_WHERE "LIMIT 10001) x",
};
static const char *const customer_cols[] = { "id", "name", "type", "city", "email", "phone", "active",
	"contacts", "updated_at" };

#define LD_COLS "SELECT t.id, t.first_name, t.last_name, t.company, t.email, t.phone, t.status, " \
	"t.converted_contact_id, t.updated_at FROM leads t "
#define LD_WHERE "WHERE t.deleted_at IS NULL AND (? IS NULL OR t.status = ?) "
#define LD_BY_NAME "AND t.last_name >= ? AND (t.last_name, t.first_name, t.id) > (?, ?, ?) " \
	"ORDER BY t.last_name, t.first_name, t.id LIMIT ?"

static const char *const lead_list_sql[4] = {
	LD_COLS LD_WHERE LD_BY_NAME, LD_COLS WORDS_JOIN("2") LD_WHERE LD_BY_NAME,
	LD_COLS LD_WHERE BY_UPDATED, LD_COLS WORDS_JOIN("2") LD_WHERE BY_UPDATED,
};
static const char *const lead_count_sql[2] = {
	"SELECT COUNT(*) FROM (SELECT 1 FROM leads t " LD_WHERE "LIMIT 10001) x",
	"SELECT COUNT(*) FROM (SELECT 1 FROM leads t " WORDS_JOIN("2") LD_WHERE "LIMIT 10001) x",
};
static const char *const lead_cols[] = { "id", "first_name", "last_name", "company", "email", "phone",
	"status", "converted_contact_id", "updated_at" };

static const char *const customer_types[] = { "customer", "partner", "vendor", "other", NULL };
static const char *const lead_states[] = { "new", "contacted", "qualified", "lost", "converted", NULL };
static const struct field customer_filter = { "type", V_ENUM, 0, 0, 0, customer_types };
static const struct field lead_filter = { "status", V_ENUM, 0, 0, 0, lead_states };

const struct rec_ui customer_ui = {
	&customer_entity, "/connections/customers", "Customer", "customer", customer_list_sql, customer_count_sql,
	"SELECT name, '', updated_at FROM customers WHERE id = ?", "type", &customer_filter,
	customer_cols, sizeof customer_cols / sizeof customer_cols[0],
	"SELECT t.id, t.name, t.deleted_at, u.login FROM customers t LEFT JOIN users u ON u.id = t.deleted_by "
	"WHERE t.deleted_at IS NOT NULL ORDER BY t.deleted_at DESC, t.id DESC LIMIT 500",
};

const struct rec_ui lead_ui = {
	&lead_entity, "/connections/leads", "Lead", "lead", lead_list_sql, lead_count_sql,
	"SELECT last_name, first_name, updated_at FROM leads WHERE id = ?", "status", &lead_filter,
	lead_cols, sizeof lead_cols / sizeof lead_cols[0],
	"SELECT t.id, NULLIF(TRIM(CONCAT(t.first_name, ' ', t.last_name, ' ', t.company)), ''), t.deleted_at, u.login "
	"FROM leads t LEFT JOIN users u ON u.id = t.deleted_by "
	"WHERE t.deleted_at IS NOT NULL AND t.anonymized_at IS NULL ORDER BY t.deleted_at DESC, t.id DESC LIMIT 500",
};

/* Contact names appear in a customer's or lead's history through the id only (see link.c). */
static const char *const SQL_HISTORY =
    "SELECT h.at, h.actor, h.action, h.field, h.old_value, h.new_value, "
    "IF(h.field = 'contact', (SELECT NULLIF(TRIM(CONCAT(c.first_name, ' ', c.last_name)), '') FROM contacts c "
    "  WHERE c.id = CAST(COALESCE(h.new_value, h.old_value) AS UNSIGNED)), NULL) "
    "FROM history h WHERE h.entity = ? AND h.entity_id = ? ORDER BY h.id DESC LIMIT 200";

/* ---- the list ---- */

enum { SORT_NAME, SORT_UPDATED };

static const char *const sorts[] = { "name", "updated", NULL };

enum lp { LP_Q, LP_FILTER, LP_SORT, LP_AFTER, LP_LIMIT, LP__MAX };

struct list_query {
	struct fval v[LP__MAX];
	char        phrase[WORD_BUF], words[WORDS_MAX_QUERY][WORD_BUF];
	char        other[WORDS_MAX_QUERY - 1][WORD_BUF + 2];	/* words 2.. as patterns on names */
	int         nwords, sort;
	long long   limit, after_id;
	char        k1[256], k2[256];
};

/* Validates the list parameters; returns the number of errors. */
static int list_query_read(struct req *r, const struct rec_ui *u, struct list_query *lq, struct ferr *errs)
{
	const struct field fields[LP__MAX] = {
		[LP_Q]      = { "q", V_TEXT, 0, 0, 200, NULL },
		[LP_FILTER] = *u->filter_field,
		[LP_SORT]   = { "sort", V_ENUM, 0, 0, 0, sorts },
		[LP_AFTER]  = { "after", V_ID, 0, 0, 0, NULL },
		[LP_LIMIT]  = { "limit", V_INT, 0, 1, 200, NULL },
	};
	int n = validate_fields(r, fields, LP__MAX, lq->v, errs);
	struct db_res res;

	lq->sort = lq->v[LP_SORT].present && str_eq(lq->v[LP_SORT].s, "updated") ? SORT_UPDATED : SORT_NAME;
	lq->limit = lq->v[LP_LIMIT].present ? lq->v[LP_LIMIT].i : PAGE_SIZE;
	lq->nwords = lq->v[LP_Q].present ? words_query(lq->v[LP_Q].s, lq->phrase, lq->words) : 0;
	for (int w = 1; w < WORDS_MAX_QUERY; w++)
		words_other(lq->words[w], lq->other[w - 1]);
	strcpy(lq->k1, lq->sort == SORT_NAME ? "" : "9999-12-31 23:59:59");
	strcpy(lq->k2, "");
	lq->after_id = lq->sort == SORT_NAME ? 0 : (1LL << 53);
	if (n == 0 && lq->v[LP_AFTER].present) {
		/* the cursor is the last row's id; its sort keys come from the row itself */
		if (db_exec(u->sort_keys_sql, DB_ARGS(A_INT(lq->v[LP_AFTER].i)), &res) != DB_OK)
			return -1;
		if (res.nrows) {
			snprintf(lq->k1, sizeof lq->k1, "%s", db_val(&res, 0, lq->sort == SORT_NAME ? 0 : 2) ?: "");
			snprintf(lq->k2, sizeof lq->k2, "%s", lq->sort == SORT_NAME ? db_val(&res, 0, 1) ?: "" : "");
			lq->after_id = lq->v[LP_AFTER].i;
		}
		db_res_free(&res);
	}
	return n;
}

/* Binds words (when searching), the filter, then the keyset; returns the count. */
static size_t list_args(const struct rec_ui *u, const struct list_query *lq, struct db_arg *a, int with_keyset)
{
	size_t n = 0;

	if (lq->nwords > 0) {
		a[n++] = A_STR(lq->words[0]);
		for (int w = 1; w < WORDS_MAX_QUERY; w++) {
			a[n++] = A_STR(lq->other[w - 1]);	/* "%" (an unused slot) skips the LIKE */
			a[n++] = A_STR(lq->other[w - 1]);
		}
	}
	a[n++] = lq->v[LP_FILTER].present ? A_STR(lq->v[LP_FILTER].s) : A_NULL;
	a[n++] = lq->v[LP_FILTER].present ? A_STR(lq->v[LP_FILTER].s) : A_NULL;
	if (!with_keyset)
		return n;
	a[n++] = A_STR(lq->k1);
	a[n++] = A_STR(lq->k1);
	if (lq->sort == SORT_NAME && u == &lead_ui)
		a[n++] = A_STR(lq->k2);
	a[n++] = A_INT(lq->after_id);
	a[n++] = A_INT(lq->limit + 1);
	return n;
}

/* Runs the page and the capped count. Returns a db_rc. */
static int list_run(const struct rec_ui *u, const struct list_query *lq, struct db_res *rows, long long *total)
{
	struct db_arg a[24];
	struct db_res cnt;
	int q = lq->nwords > 0, rc;
	size_t n = list_args(u, lq, a, 1);

	if ((rc = db_exec(u->list_sql[lq->sort * 2 + q], a, n, rows)) != DB_OK)
		return rc;
	n = list_args(u, lq, a, 0);
	if ((rc = db_exec(u->count_sql[q], a, n, &cnt)) != DB_OK) {
		db_res_free(rows);
		return rc;
	}
	*total = db_ll(&cnt, 0, 0);
	db_res_free(&cnt);
	return DB_OK;
}

static void list_link(struct buf *b, const struct rec_ui *u, const struct list_query *lq, long long after)
{
	buf_printf(b, "%s?sort=%s", u->path, sorts[lq->sort]);
	if (lq->v[LP_Q].present) {
		buf_puts(b, "&q=");
		buf_urlenc(b, lq->v[LP_Q].s);
	}
	if (lq->v[LP_FILTER].present)
		buf_printf(b, "&%s=%s", u->filter, lq->v[LP_FILTER].s);
	if (lq->v[LP_LIMIT].present)
		buf_printf(b, "&limit=%lld", lq->limit);
	if (after)
		buf_printf(b, "&after=%lld", after);
}

int rec_list_page(struct req *r, const struct rec_ui *u)
{
	struct list_query lq;
	struct ferr errs[MAX_FORM_ERRORS];
	struct db_res rows;
	struct buf link = { 0 };
	long long total;
	size_t shown;
	char key[64], tmpl[64];
	int rc, nerr;

	memset(&lq, 0, sizeof lq);
	if ((nerr = list_query_read(r, u, &lq, errs)) < 0)
		return DB_ERR;
	if (nerr > 0) {
		page_set_errors(r, errs, nerr);
		memset(&lq, 0, sizeof lq);
		strcpy(lq.k1, "");
		lq.limit = PAGE_SIZE;
	}
	if ((rc = list_run(u, &lq, &rows, &total)) != DB_OK)
		return rc;
	shown = rows.nrows > (size_t)lq.limit ? (size_t)lq.limit : rows.nrows;
	for (size_t i = 0; i < shown; i++)
		for (size_t c = 0; c < u->nlist_cols; c++) {
			snprintf(key, sizeof key, "List.Rows.%lu.%s", (unsigned long)i, u->list_cols[c]);
			page_set(r, key, db_val(&rows, i, c));
		}
	page_set_int(r, "List.Shown", (long long)shown);
	if (total > COUNT_CAP)
		page_set(r, "List.Total", "10,000+");
	else
		page_set_int(r, "List.Total", total);
	page_set(r, "List.Q", lq.v[LP_Q].present ? lq.v[LP_Q].s : "");
	page_set(r, "List.Filter", lq.v[LP_FILTER].present ? lq.v[LP_FILTER].s : "");
	page_set(r, "List.Sort", sorts[lq.sort]);
	page_set_int(r, "List.Paged", lq.v[LP_AFTER].present);
	page_set_int(r, "List.Deleted", req_param(r, "deleted") != NULL);
	list_link(&link, u, &lq, 0);
	page_set(r, "List.First", link.data);
	if (rows.nrows > (size_t)lq.limit) {
		buf_reset(&link);
		list_link(&link, u, &lq, db_ll(&rows, shown - 1, 0));
		page_set(r, "List.Next", link.data);
	}
	buf_free(&link);
	db_res_free(&rows);
	snprintf(key, sizeof key, "%s.ListTitle", u->lang);
	page_set(r, "Page.Title", lang_str(r, key));
	snprintf(tmpl, sizeof tmpl, "connections/%s_list.cs", u->tmpl);
	return page_render(r, 200, tmpl);
}

int rec_api_list(struct req *r, const struct rec_ui *u)
{
	struct list_query lq;
	struct ferr errs[MAX_FORM_ERRORS];
	struct db_res rows;
	long long total;
	size_t shown;
	json_object *o, *items;
	int rc, nerr;

	memset(&lq, 0, sizeof lq);
	if ((nerr = list_query_read(r, u, &lq, errs)) < 0)
		return DB_ERR;
	if (nerr > 0) {
		resp_json_invalid(r, errs, nerr);
		return 0;
	}
	if ((rc = list_run(u, &lq, &rows, &total)) != DB_OK)
		return rc;
	shown = rows.nrows > (size_t)lq.limit ? (size_t)lq.limit : rows.nrows;
	o = json_object_new_object();
	items = json_object_new_array();
	for (size_t i = 0; i < shown; i++) {
		json_object *it = json_object_new_object();
		for (size_t c = 0; c < u->nlist_cols; c++) {
			const char *v = db_val(&rows, i, c);
			if (c == 0 || (v && (!strcmp(u->list_cols[c], "contacts") || !strcmp(u->list_cols[c], "converted_contact_id"))))
				json_object_object_add(it, u->list_cols[c], json_object_new_int64(strtoll(v, NULL, 10)));
			else if (!strcmp(u->list_cols[c], "active"))
				json_object_object_add(it, "active", json_object_new_boolean(str_eq(v, "1")));
			else
				json_object_object_add(it, u->list_cols[c], v ? json_object_new_string(v) : NULL);
		}
		json_object_array_add(items, it);
	}
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "total", json_object_new_int64(total > COUNT_CAP ? COUNT_CAP : total));
	json_object_object_add(o, "total_capped", json_object_new_boolean(total > COUNT_CAP));
	if (rows.nrows > (size_t)lq.limit) {
		char cur[24];
		snprintf(cur, sizeof cur, "%lld", db_ll(&rows, shown - 1, 0));
		json_object_object_add(o, "next", json_object_new_string(cur));
	} else {
		json_object_object_add(o, "next", NULL);
	}
	db_res_free(&rows);
	resp_json(r, 200, o);
	return 0;
}

/* ---- form ---- */

static int form_render(struct req *r, const struct rec_ui *u, int status, long long id, long long version,
    const struct db_res *row, const struct entity_in *in, const struct ferr *errs, int nerr)
{
	char key[64];

	entity_form_fields(u->e, r, row, in);
	page_set(r, "Form.Action", u->path);
	if (id) {
		page_set_int(r, "Form.Id", id);
		page_set_int(r, "Form.Version", version);
	}
	page_set_errors(r, errs, nerr);
	page_set_int(r, "Form.ErrorCount", nerr);
	if (req_param(r, "saved"))
		page_set(r, "Form.Saved", lang_str(r, "Conn.Saved"));
	snprintf(key, sizeof key, "%s.%s", u->lang, id ? "EditTitle" : "NewTitle");
	page_set(r, "Page.Title", lang_str(r, key));
	page_set(r, "Form.Kind", u->tmpl);
	return page_render(r, status, "connections/form.cs");
}

int rec_new_page(struct req *r, const struct rec_ui *u)
{
	return form_render(r, u, 200, 0, 0, NULL, NULL, NULL, 0);
}

static void redirect_saved(struct req *r, const struct rec_ui *u, long long id, int exit_to_page)
{
	char loc[128];

	if (exit_to_page)
		snprintf(loc, sizeof loc, "%s/%lld", u->path, id);
	else
		snprintf(loc, sizeof loc, "%s/%lld/edit?saved=1", u->path, id);
	resp_redirect(r, loc);
}

int rec_create_post(struct req *r, const struct rec_ui *u)
{
	struct entity_in in;
	struct ferr errs[MAX_FORM_ERRORS];
	long long id = 0;
	int nerr = entity_in_from_request(u->e, r, NULL, 0, &in, errs), rc;

	if (nerr > 0) {
		rc = form_render(r, u, 422, 0, 0, NULL, &in, errs, nerr);
		entity_in_free(&in);
		return rc;
	}
	rc = entity_create(u->e, r, &in, &id);
	entity_in_free(&in);
	if (rc != DB_OK)
		return rc;
	log_msg(LOG_INFO, "%s %lld created by %s", u->e->name, id, r->who.login);
	redirect_saved(r, u, id, str_eq(req_param(r, "action"), "save_exit"));
	return 0;
}

/* Loads the path's record (404 when absent or in the bin). */
static int load_or_404(const struct rec_ui *u, long long id, struct db_res *row)
{
	int rc = entity_load(u->e, id, 0, row);

	if (rc != DB_OK)
		return rc;
	if (row->nrows == 0) {
		db_res_free(row);
		return 404;
	}
	return DB_OK;
}

static int anonymized(const struct rec_ui *u, const struct db_res *row)
{
	return u == &lead_ui && db_val(row, 0, LX_ANONYMIZED_AT) != NULL;
}

int rec_edit_page(struct req *r, const struct rec_ui *u)
{
	struct db_res row;
	int rc = load_or_404(u, r->ids[0], &row);

	if (rc != DB_OK)
		return rc;
	if (anonymized(u, &row)) {
		db_res_free(&row);
		return 404;
	}
	rc = form_render(r, u, 200, r->ids[0], db_ll(&row, 0, (size_t)(u->e->nfields + EM_VERSION)), &row, NULL, NULL, 0);
	db_res_free(&row);
	return rc;
}

int rec_update_post(struct req *r, const struct rec_ui *u)
{
	static const struct field vf = { "version", V_INT, F_REQUIRED, 1, 2147483647, NULL };
	struct db_res row;
	struct entity_in in;
	struct ferr errs[MAX_FORM_ERRORS];
	struct fval version;
	const char *msg;
	int rc, nerr;

	if ((rc = load_or_404(u, r->ids[0], &row)) != DB_OK)
		return rc;
	if (anonymized(u, &row)) {
		db_res_free(&row);
		return 404;
	}
	nerr = entity_in_from_request(u->e, r, &row, 0, &in, errs);
	memset(&version, 0, sizeof version);
	if ((msg = validate_one(&vf, req_param(r, "version"), &version)) != NULL && nerr < MAX_FORM_ERRORS)
		errs[nerr++] = (struct ferr){ "version", msg };
	if (nerr > 0) {
		rc = form_render(r, u, 422, r->ids[0], db_ll(&row, 0, (size_t)(u->e->nfields + EM_VERSION)), &row, &in, errs, nerr);
		goto out;
	}
	rc = entity_update(u->e, r, r->ids[0], version.i, &in, &row);
	if (rc == 409) {
		/* someone saved in between: show their values and keep ours in the form */
		struct db_res now;
		if ((rc = entity_load(u->e, r->ids[0], 0, &now)) != DB_OK)
			goto out;
		if (now.nrows) {
			entity_page_row(u->e, r, "Current", &now);
			page_set_int(r, "Form.Conflict", 1);
			rc = form_render(r, u, 409, r->ids[0], db_ll(&now, 0, (size_t)(u->e->nfields + EM_VERSION)), NULL, &in, NULL, 0);
		} else {
			rc = 404;
		}
		db_res_free(&now);
		goto out;
	}
	if (rc == DB_OK)
		redirect_saved(r, u, r->ids[0], str_eq(req_param(r, "action"), "save_exit"));
out:
	entity_in_free(&in);
	db_res_free(&row);
	return rc;
}

int rec_history(struct req *r, const struct rec_ui *u, long long id, const char *prefix)
{
	static const char *const cols[] = { "at", "actor", "action", "field", "old", "new", "contact" };
	struct db_res res;
	int rc = db_exec(SQL_HISTORY, DB_ARGS(A_STR(u->e->name), A_INT(id)), &res);

	if (rc != DB_OK)
		return rc;
	page_set_rows(r, prefix, &res, cols, 7);
	db_res_free(&res);
	return DB_OK;
}

/* Contact persons of a customer (its tab) or contacts connected to a lead. */
static const char *const SQL_CUSTOMER_CONTACTS =
    "SELECT cn.id, c.id, c.first_name, c.last_name, c.email, c.work_phone, c.mobile_phone, c.status, "
    "c.job_title, cn.is_primary, c.active FROM connections cn JOIN contacts c ON c.id = cn.contact_id "
    "WHERE cn.customer_id = ? AND c.deleted_at IS NULL ORDER BY c.last_name, c.first_name, c.id LIMIT 500";
static const char *const SQL_LEAD_CONTACTS =
    "SELECT cn.id, c.id, c.first_name, c.last_name, c.email, c.work_phone, c.mobile_phone, c.status, "
    "c.job_title, cn.is_primary, c.active FROM connections cn JOIN contacts c ON c.id = cn.contact_id "
    "WHERE cn.lead_id = ? AND c.deleted_at IS NULL ORDER BY c.last_name, c.first_name, c.id LIMIT 500";

int rec_view_page(struct req *r, const struct rec_ui *u)
{
	static const char *const ccols[] = { "link_id", "id", "first_name", "last_name", "email", "work_phone",
		"mobile_phone", "status", "job_title", "primary", "active" };
	static const char *const tabs[] = { "details", "contacts", "history", "documents", NULL };
	static const struct field tabf = { "tab", V_ENUM, 0, 0, 0, tabs };
	struct db_res row, res;
	struct fval tab;
	char key[64], tmpl[64];
	int rc;

	if ((rc = load_or_404(u, r->ids[0], &row)) != DB_OK)
		return rc;
	entity_page_row(u->e, r, "Record", &row);
	for (int i = 0; i < u->e->nfields; i++) {
		snprintf(key, sizeof key, "Names.%d", i);
		page_set(r, key, u->e->fields[i].name);
	}
	snprintf(key, sizeof key, u == &lead_ui ? "%s/%lld" : "%s/%lld?tab=contacts", u->path, r->ids[0]);
	page_set(r, "ReturnTo", key);
	memset(&tab, 0, sizeof tab);
	page_set(r, "Tab", validate_one(&tabf, req_param(r, "tab"), &tab) == NULL && tab.present ? tab.s : "details");
	if (u == &lead_ui) {
		page_set(r, "Record.converted_contact_id", db_val(&row, 0, LX_CONVERTED_CONTACT));
		page_set(r, "Record.converted_customer_id", db_val(&row, 0, LX_CONVERTED_CUSTOMER));
		page_set(r, "Record.converted_at", db_val(&row, 0, LX_CONVERTED_AT));
		page_set(r, "Record.anonymized_at", db_val(&row, 0, LX_ANONYMIZED_AT));
	} else {
		page_set(r, "Record.contacts", db_val(&row, 0, CX_CONTACTS));
	}
	db_res_free(&row);
	if ((rc = db_exec(u == &lead_ui ? SQL_LEAD_CONTACTS : SQL_CUSTOMER_CONTACTS, DB_ARGS(A_INT(r->ids[0])), &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Contacts", &res, ccols, sizeof ccols / sizeof ccols[0]);
	page_set_int(r, "ContactCount", (long long)res.nrows);
	db_res_free(&res);
	if ((rc = rec_history(r, u, r->ids[0], "History")) != DB_OK)
		return rc;
	if (u != &lead_ui && (rc = doc_list_customer(r, r->ids[0], "Documents")) != DB_OK)
		return rc;
	page_set_int(r, "Perm.Manage", perm_allows(PERM_MANAGE, r->who.roles));
	if (req_param(r, "converted"))
		page_set(r, "Notice", lang_str(r, "Lead.ConvertedNotice"));
	snprintf(key, sizeof key, "%s.ViewTitle", u->lang);
	page_set(r, "Page.Title", lang_str(r, key));
	snprintf(tmpl, sizeof tmpl, "connections/%s_view.cs", u->tmpl);
	return page_render(r, 200, tmpl);
}

/* ---- recycle bin ---- */

int rec_delete_page(struct req *r, const struct rec_ui *u)
{
	struct db_res row;
	char key[64];
	int rc;

	if ((rc = load_or_404(u, r->ids[0], &row)) != DB_OK)
		return rc;
	entity_page_row(u->e, r, "Record", &row);
	db_res_free(&row);
	page_set(r, "Confirm.Kind", u->tmpl);
	page_set(r, "Confirm.Action", "delete");
	page_set(r, "Confirm.Path", u->path);
	snprintf(key, sizeof key, "%s.DeleteTitle", u->lang);
	page_set(r, "Page.Title", lang_str(r, key));
	return page_render(r, 200, "connections/confirm.cs");
}

int rec_delete_post(struct req *r, const struct rec_ui *u)
{
	char loc[96];
	int rc = entity_delete(u->e, r, r->ids[0]);

	if (rc != DB_OK)
		return rc;
	log_msg(LOG_INFO, "%s %lld moved to the recycle bin by %s", u->e->name, r->ids[0], r->who.login);
	snprintf(loc, sizeof loc, "%s?deleted=1", u->path);
	resp_redirect(r, loc);
	return 0;
}

int rec_restore_post(struct req *r, const struct rec_ui *u)
{
	char loc[96];
	int rc = entity_restore(u->e, r, r->ids[0]);

	if (rc != DB_OK)
		return rc;
	snprintf(loc, sizeof loc, "%s/%lld", u->path, r->ids[0]);
	resp_redirect(r, loc);
	return 0;
}

int rec_purge_page(struct req *r, const struct rec_ui *u)
{
	struct db_res row;
	int rc = entity_load(u->e, r->ids[0], 1, &row);

	if (rc != DB_OK)
		return rc;
	if (row.nrows == 0 || !db_val(&row, 0, (size_t)(u->e->nfields + EM_DELETED_AT))) {
		db_res_free(&row);
		return 404;	/* only from the recycle bin */
	}
	entity_page_row(u->e, r, "Record", &row);
	db_res_free(&row);
	page_set(r, "Confirm.Kind", u->tmpl);
	page_set(r, "Confirm.Action", "purge");
	page_set(r, "Confirm.Path", u->path);
	page_set(r, "Page.Title", lang_str(r, "Bin.PurgeTitle"));
	return page_render(r, 200, "connections/confirm.cs");
}

int rec_purge_post(struct req *r, const struct rec_ui *u)
{
	int rc = entity_purge(u->e, r, r->ids[0]);

	if (rc != DB_OK)
		return rc;
	log_msg(LOG_INFO, "%s %lld deleted for good by %s", u->e->name, r->ids[0], r->who.login);
	resp_redirect(r, "/connections/bin");
	return 0;
}

int conn_bin_page(struct req *r)
{
	static const char *const cols[] = { "id", "name", "deleted_at", "deleted_by" };
	struct db_res res;
	int rc;

	if ((rc = db_exec(customer_ui.bin_sql, DB_NOARGS, &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Bin.Customers", &res, cols, 4);
	db_res_free(&res);
	if ((rc = db_exec(lead_ui.bin_sql, DB_NOARGS, &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Bin.Leads", &res, cols, 4);
	db_res_free(&res);
	page_set(r, "Page.Title", lang_str(r, "Conn.BinTitle"));
	return page_render(r, 200, "connections/bin.cs");
}

/* ---- API ---- */

static void api_record(struct req *r, const struct rec_ui *u, int status, long long id)
{
	struct db_res row;

	if (entity_load(u->e, id, 1, &row) != DB_OK || row.nrows == 0) {
		if (row.nrows == 0)
			db_res_free(&row);
		resp_error(r, 500, "internal");
		return;
	}
	resp_json(r, status, entity_json(u->e, &row));
	db_res_free(&row);
}

int rec_api_create(struct req *r, const struct rec_ui *u)
{
	struct entity_in in;
	struct ferr errs[MAX_FORM_ERRORS];
	long long id = 0;
	int nerr = entity_in_from_request(u->e, r, NULL, 0, &in, errs), rc;

	if (nerr > 0) {
		resp_json_invalid(r, errs, nerr);
		entity_in_free(&in);
		return 0;
	}
	rc = entity_create(u->e, r, &in, &id);
	entity_in_free(&in);
	if (rc != DB_OK)
		return rc;
	api_record(r, u, 201, id);
	return 0;
}

int rec_api_get(struct req *r, const struct rec_ui *u)
{
	struct db_res row;
	int rc = load_or_404(u, r->ids[0], &row);

	if (rc != DB_OK)
		return rc;
	resp_json(r, 200, entity_json(u->e, &row));
	db_res_free(&row);
	return 0;
}

int rec_api_patch(struct req *r, const struct rec_ui *u)
{
	struct db_res row;
	struct entity_in in;
	struct ferr errs[MAX_FORM_ERRORS];
	const char *v = req_param(r, "version");
	long long version;
	int rc, nerr;

	if (!r->json)
		return 400;
	if ((rc = load_or_404(u, r->ids[0], &row)) != DB_OK)
		return rc;
	if (anonymized(u, &row)) {
		db_res_free(&row);
		return 404;
	}
	nerr = entity_in_from_request(u->e, r, &row, 1, &in, errs);
	if (parse_ll(v, 1, 2147483647, &version) != 0 && nerr < MAX_FORM_ERRORS)
		errs[nerr++] = (struct ferr){ "version", v ? "Int" : "Required" };
	if (nerr > 0) {
		resp_json_invalid(r, errs, nerr);
		rc = 0;
	} else if ((rc = entity_update(u->e, r, r->ids[0], version, &in, &row)) == 409) {
		resp_json_error(r, 409, "conflict", "The record was changed by someone else; reload it and apply your change again.", NULL);
		rc = 0;
	} else if (rc == DB_OK) {
		api_record(r, u, 200, r->ids[0]);
	}
	entity_in_free(&in);
	db_res_free(&row);
	return rc;
}

int rec_api_delete(struct req *r, const struct rec_ui *u)
{
	int rc = entity_delete(u->e, r, r->ids[0]);

	if (rc != DB_OK)
		return rc;
	r->resp.status = 204;
	r->resp.ctype = "application/json";
	return 0;
}

/* GET /api/v1/customers/#/contacts */
int customer_contacts_api(struct req *r)
{
	struct db_res row, res;
	json_object *o, *items;
	int rc;

	if ((rc = load_or_404(&customer_ui, r->ids[0], &row)) != DB_OK)
		return rc;
	db_res_free(&row);
	if ((rc = db_exec(SQL_CUSTOMER_CONTACTS, DB_ARGS(A_INT(r->ids[0])), &res)) != DB_OK)
		return rc;
	items = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++) {
		json_object *it = json_object_new_object();
		json_object_object_add(it, "connection_id", json_object_new_int64(db_ll(&res, i, 0)));
		json_object_object_add(it, "id", json_object_new_int64(db_ll(&res, i, 1)));
		json_object_object_add(it, "first_name", json_object_new_string(db_val(&res, i, 2) ?: ""));
		json_object_object_add(it, "last_name", json_object_new_string(db_val(&res, i, 3) ?: ""));
		json_object_object_add(it, "email", db_val(&res, i, 4) ? json_object_new_string(db_val(&res, i, 4)) : NULL);
		json_object_object_add(it, "status", json_object_new_string(db_val(&res, i, 7) ?: ""));
		json_object_object_add(it, "is_primary", json_object_new_boolean(db_val(&res, i, 9) != NULL));
		json_object_object_add(it, "active", json_object_new_boolean(str_eq(db_val(&res, i, 10), "1")));
		json_object_array_add(items, it);
	}
	o = json_object_new_object();
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "total", json_object_new_int64((long long)res.nrows));
	db_res_free(&res);
	resp_json(r, 200, o);
	return 0;
}
