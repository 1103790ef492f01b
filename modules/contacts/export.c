/* export.c — data out: the filtered list as CSV or vCard, streamed in one statement (GET /api/v1/contacts/export), and
 * the data-subject export of one contact as JSON (GET /api/v1/contacts/ID/export, /contacts/ID/export). */
#include "contacts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "db.h"
#include "render.h"
#include "vcard.h"

#define SUBJECT_CAP "100000"

enum stmt {
	STMT_DS_CONSENT_EVENTS, STMT_DS_CONNECTIONS, STMT_DS_LISTS, STMT_DS_COMMENTS, STMT_DS_HISTORY,
	STMT_DS_MAILS, STMT_DS_CUSTOM,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_DS_CONSENT_EVENTS] =
	    "SELECT k.code, e.granted, e.version, e.at, e.actor, e.source FROM consent_events e "
	    "JOIN consents k ON k.id = e.consent_id WHERE e.contact_id = ? ORDER BY e.id LIMIT " SUBJECT_CAP,
	[STMT_DS_CONNECTIONS] =
	    "SELECT cn.id, cn.customer_id, cu.name, cn.lead_id, "
	    "NULLIF(TRIM(CONCAT(ld.first_name, ' ', ld.last_name, ' ', ld.company)), ''), cn.is_primary, cn.created_at "
	    "FROM connections cn LEFT JOIN customers cu ON cu.id = cn.customer_id "
	    "LEFT JOIN leads ld ON ld.id = cn.lead_id WHERE cn.contact_id = ? ORDER BY cn.id LIMIT " SUBJECT_CAP,
	[STMT_DS_LISTS] =
	    "SELECT l.id, l.name, m.added_at FROM marketing_list_members m JOIN marketing_lists l ON l.id = m.list_id "
	    "WHERE m.contact_id = ? ORDER BY l.id LIMIT " SUBJECT_CAP,
	[STMT_DS_COMMENTS] =
	    "SELECT id, created_at, actor, body FROM comments WHERE contact_id = ? ORDER BY id LIMIT " SUBJECT_CAP,
	[STMT_DS_HISTORY] =
	    "SELECT at, actor, action, field, old_value, new_value FROM history "
	    "WHERE entity = 'contact' AND entity_id = ? ORDER BY id LIMIT " SUBJECT_CAP,
	[STMT_DS_MAILS] =
	    "SELECT created_at, sent_at, status, to_addr, template, subject, body FROM outbox "
	    "WHERE contact_id = ? ORDER BY id LIMIT " SUBJECT_CAP,
	/* every stored value, whatever the field's contexts: the person's data is all of it */
	[STMT_DS_CUSTOM] =
	    "SELECT f.field_key, COALESCE(x.v_text, x.v_long), f.active FROM contact_custom x "
	    "JOIN custom_fields f ON f.id = x.field_id WHERE x.contact_id = ? ORDER BY f.sort_order, f.id",
};

/* The export's columns over the streamed list (contacts_list_stream): the editable fields in enum cfield
 * order, then the export's own columns; CSV adds every additional value of the contact in one cell,
 * each as "field id:length in bytes:value" (one dependent lookup per row: a join per field cost 30%
 * more, and MariaDB joins at most 61 tables). */
#define EXPORT_SELECT \
	"SELECT c.first_name, c.middle_name, c.last_name, c.birthday, c.contact_type, c.reports_to_id, " \
	"c.job_title, c.certificate, c.timezone, c.language, c.mobile_phone, c.mobile_phone_2, c.work_phone, " \
	"c.email, c.email_2, c.other_contacts, c.contact_preference, c.do_not_call, c.do_not_email, " \
	"c.block_auto_emails, c.receives_newsletter, c.portal_user, c.support_start_date, " \
	"c.support_end_date, c.is_user, c.user_id, c.source, c.notes, c.active, " \
	"c.id, c.status, c.created_at, c.updated_at, cu.name"
static const char export_select_csv[] = EXPORT_SELECT ", "
    "(SELECT GROUP_CONCAT(x.field_id, ':', LENGTH(COALESCE(x.v_text, x.v_long)), ':', "
    "COALESCE(x.v_text, x.v_long) SEPARATOR '') FROM contact_custom x WHERE x.contact_id = c.id)";
static const char export_select_vcard[] = EXPORT_SELECT;
/* the primary connection's customer; anonymized contacts are never exported */
#define EXPORT_TAIL \
	"LEFT JOIN connections cn ON cn.contact_id = c.id AND cn.is_primary = 1 " \
	"LEFT JOIN customers cu ON cu.id = cn.customer_id WHERE c.anonymized_at IS NULL"
static const char export_tail[] = EXPORT_TAIL;
static const char export_one_vcard[] = EXPORT_SELECT " FROM contacts c " EXPORT_TAIL " AND c.id = ?";
/* A whole additional-values cell: the row must fit max_allowed_packet (16 MB by default) anyway. */
static const char export_session[] = "SET SESSION group_concat_max_len = 16777216";

enum { R_ID = CF__MAX, R_STATUS, R_CREATED, R_UPDATED, R_CUSTOMER, R_CUSTOM };

static const char *const format_choices[] = { "csv", "vcf", NULL };
static const char *const version_choices[] = { "4.0", "3.0", NULL };
static const char *const bom_choices[] = { "1", "0", NULL };
static const struct field export_fields[] = {
	{ "format", V_ENUM, 0, 0, 0, format_choices },
	{ "bom", V_ENUM, 0, 0, 0, bom_choices },
	{ "version", V_ENUM, 0, 0, 0, version_choices },
};
enum { EF_FORMAT, EF_BOM, EF_VERSION, EF__MAX };

struct csv_export {
	struct req        *r;
	struct custom_defs defs;	/* active fields; those with the export context are columns */
	int                started, bom, gone;
	int                vcard;	/* 0: CSV, else the vCard version (3 or 4) */
	unsigned long      rows;
	struct buf         out;
	const char       **cell;	/* the current row's additional values, in defs order (point into the row) */
	size_t            *len;
};

static int csv_start(struct csv_export *x)
{
	struct req *r = x->r;
	struct buf *b = &x->out;

	x->started = 1;
	r->resp.status = 200;
	if (x->vcard) {
		r->resp.ctype = "text/vcard; charset=utf-8";
		resp_header(r, "Content-Disposition: attachment; filename=\"contacts.vcf\"");
		return resp_stream_begin(r) < 0 ? (x->gone = 1, -1) : 0;
	}
	r->resp.ctype = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition: attachment; filename=\"contacts.csv\"");
	if (resp_stream_begin(r) < 0)
		return x->gone = 1, -1;
	if (x->bom)
		buf_puts(b, "\xEF\xBB\xBF");
	buf_puts(b, "id");
	for (int f = 0; f < CF__MAX; f++)
		buf_printf(b, ",%s", contact_fields[f].name);
	buf_puts(b, ",status,created_at,updated_at,customer");
	for (size_t i = 0; i < x->defs.n; i++)
		if (x->defs.v[i].ctx & CTX_EXPORT)
			buf_printf(b, ",%s", x->defs.v[i].key);
	buf_puts(b, "\r\n");
	return 0;
}

/* Splits the "id:length:value" runs of one row's additional values into x->cell/x->len; 0, or -1 when
 * the cell is malformed (cut short: it must never silently lose a value). */
static int split_custom(struct csv_export *x, const char *p)
{
	for (size_t k = 0; k < x->defs.n; k++)
		x->cell[k] = NULL;
	while (p && *p) {
		char *e;
		long long field = strtoll(p, &e, 10);
		unsigned long long n;
		size_t k;
		if (*e != ':')
			return -1;
		n = strtoull(e + 1, &e, 10);
		if (*e != ':' || strnlen(e + 1, n) < n)
			return -1;
		for (k = 0; k < x->defs.n && x->defs.v[k].id != field; k++)
			;
		if (k < x->defs.n) {
			x->cell[k] = e + 1;
			x->len[k] = (size_t)n;
		}
		p = e + 1 + n;
	}
	return 0;
}

static int export_row(void *ctx, const struct db_stream *s)
{
	struct csv_export *x = ctx;
	struct buf *b = &x->out;

	if (!x->started && csv_start(x) < 0)
		return -1;
	if (x->vcard) {
		static const int from[VC__N] = { CF_FIRST_NAME, CF_MIDDLE_NAME, CF_LAST_NAME, CF_EMAIL, CF_EMAIL_2,
			CF_MOBILE_PHONE, CF_MOBILE_PHONE_2, CF_WORK_PHONE, CF_JOB_TITLE, CF_BIRTHDAY, CF_NOTES,
			CF_LANGUAGE, CF_TIMEZONE, R_CUSTOMER };
		const char *vals[VC__N];
		for (int k = 0; k < VC__N; k++)
			vals[k] = db_stream_val(s, (size_t)from[k]);
		vcard_write(b, x->vcard, vals);
	} else {
		if (split_custom(x, db_stream_val(s, R_CUSTOM)) < 0) {
			log_msg(LOG_ERR, "export: the additional values of contact %s are cut short: export stopped",
			    db_stream_val(s, R_ID));
			return DB_ERR;
		}
		buf_puts(b, db_stream_val(s, R_ID));
		for (int f = 0; f < CF__MAX; f++) {
			buf_puts(b, ",");
			csv_cell(b, db_stream_val(s, (size_t)f));
		}
		for (size_t c = R_STATUS; c <= R_CUSTOMER; c++) {
			buf_puts(b, ",");
			csv_cell(b, db_stream_val(s, c));
		}
		for (size_t k = 0; k < x->defs.n; k++) {
			if (!(x->defs.v[k].ctx & CTX_EXPORT))
				continue;
			buf_puts(b, ",");
			if (x->cell[k]) {
				char *v = xstrndup(x->cell[k], x->len[k]);
				csv_cell(b, v);
				free(v);
			}
		}
		buf_puts(b, "\r\n");
	}
	x->rows++;
	/* the stream goes out in pieces of about 64 KB */
	if (b->len >= 65536) {
		if (resp_stream_write(x->r, b->data, b->len) < 0)
			return x->gone = 1, -1;
		buf_reset(b);
	}
	return 0;
}

/* GET /api/v1/contacts/export?format=csv&bom=1&…the list's filters: every matching contact, streamed. */
int contacts_api_export(struct req *r)
{
	struct fval v[EF__MAX];
	struct ferr errs[MAX_FORM_ERRORS];
	struct csv_export x;
	int nerr, rc;
	struct timespec t0, t1;

	if ((nerr = validate_fields(r, export_fields, EF__MAX, v, errs)) != 0) {
		resp_json_invalid(r, errs, nerr);
		return 0;
	}
	memset(&x, 0, sizeof x);
	x.r = r;
	x.bom = v[EF_BOM].present && str_eq(v[EF_BOM].s, "1");
	if (v[EF_FORMAT].present && str_eq(v[EF_FORMAT].s, "vcf"))
		x.vcard = v[EF_VERSION].present && str_eq(v[EF_VERSION].s, "3.0") ? 3 : 4;
	if ((rc = custom_defs_load(&x.defs, 0)) != DB_OK)
		return rc;
	x.cell = calloc(x.defs.n ? x.defs.n : 1, sizeof *x.cell);
	x.len = calloc(x.defs.n ? x.defs.n : 1, sizeof *x.len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!x.cell || !x.len)
		rc = DB_ERR;
	else if (x.vcard || (rc = db_exec_text(export_session)) == DB_OK)
		rc = contacts_list_stream(r, x.vcard ? export_select_vcard : export_select_csv, export_tail, export_row, &x);
	if (rc == 0 && !x.started && csv_start(&x) < 0)
		x.gone = 1;	/* nothing matched: the header line alone */
	if (rc == 0 && !x.gone && x.out.len && resp_stream_write(r, x.out.data, x.out.len) < 0)
		x.gone = 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (x.started)
		log_msg(LOG_INFO, "%s export by %s: %lu contacts in %.2f s%s", x.vcard ? "vcard" : "csv", r->who.login, x.rows,
		    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		    x.gone ? " (client gone)" : "");
	buf_free(&x.out);
	free(x.cell);
	free(x.len);
	custom_defs_free(&x.defs);
	if (rc == 422 || x.gone)
		return 0;	/* answered already */
	return rc;
}

/* Adds the rows of a result as an array of objects named by names[] (NULL cells as null). */
static void json_rows(json_object *root, const char *key, const struct db_res *res, const char *const *names,
    size_t ncols)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < res->nrows; i++) {
		json_object *o = json_object_new_object();
		for (size_t c = 0; c < ncols; c++) {
			const char *v = db_val(res, i, c);
			json_object_object_add(o, names[c], v ? json_object_new_string(v) : NULL);
		}
		json_object_array_add(arr, o);
	}
	json_object_object_add(root, key, arr);
}

/* Everything held about one contact (SPEC §6): record, additional fields, consents with their history,
 * connections, marketing lists, comments, change history and mail. Returns a db_rc or 404. */
static int subject_json(long long id, json_object **out)
{
	static const char *const ev[] = { "consent", "granted", "version", "at", "actor", "source" };
	static const char *const cn[] = { "id", "customer_id", "customer_name", "lead_id", "lead_name", "is_primary",
		"created_at" };
	static const char *const ml[] = { "id", "name", "added_at" };
	static const char *const cm[] = { "id", "at", "actor", "body" };
	static const char *const hi[] = { "at", "actor", "action", "field", "old_value", "new_value" };
	static const char *const mails[] = { "created_at", "sent_at", "status", "to", "template", "subject", "body" };
	static const struct { enum stmt s; const char *key; const char *const *names; size_t n; } parts[] = {
		{ STMT_DS_CONSENT_EVENTS, "consent_history", ev, 6 },
		{ STMT_DS_CONNECTIONS, "connections", cn, 7 },
		{ STMT_DS_LISTS, "marketing_lists", ml, 3 },
		{ STMT_DS_COMMENTS, "comments", cm, 4 },
		{ STMT_DS_HISTORY, "history", hi, 6 },
		{ STMT_DS_MAILS, "emails", mails, 7 },
	};
	struct db_res row, res;
	json_object *root, *c, *all;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	int rc;

	*out = NULL;
	if ((rc = contact_load(id, 0, &row)) != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return 404;
	}
	c = contact_json(&row);
	db_res_free(&row);
	if ((rc = contact_extras_json(c, id)) != DB_OK) {
		json_object_put(c);
		return rc;
	}
	root = json_object_new_object();
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(root, "exported_at", json_object_new_string(now));
	json_object_object_add(root, "contact", c);
	if ((rc = db_exec(stmts[STMT_DS_CUSTOM], DB_ARGS(A_INT(id)), &res)) != DB_OK)
		goto err;
	all = json_object_new_object();
	for (size_t i = 0; i < res.nrows; i++)
		json_object_object_add(all, db_val(&res, i, 0),
		    db_val(&res, i, 1) ? json_object_new_string(db_val(&res, i, 1)) : NULL);
	json_object_object_add(root, "additional_fields", all);
	db_res_free(&res);
	for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
		if ((rc = db_exec(stmts[parts[p].s], DB_ARGS(A_INT(id)), &res)) != DB_OK)
			goto err;
		json_rows(root, parts[p].key, &res, parts[p].names, parts[p].n);
		db_res_free(&res);
	}
	*out = root;
	return DB_OK;
err:
	json_object_put(root);
	return rc;
}

static int subject_export(struct req *r, int attachment)
{
	json_object *o;
	int rc = subject_json(r->ids[0], &o);

	if (rc != DB_OK)
		return rc;
	if (attachment)
		resp_header(r, "Content-Disposition: attachment; filename=\"contact-%lld.json\"", r->ids[0]);
	log_msg(LOG_INFO, "data-subject export of contact %lld by %s", r->ids[0], r->who.login);
	resp_json(r, 200, o);
	return 0;
}

int contacts_api_subject_export(struct req *r)
{
	return subject_export(r, 0);
}

int contact_subject_export_page(struct req *r)
{
	return subject_export(r, 1);
}

/* GET /contacts/ID/vcard[?version=3.0]: one contact as a vCard (4.0 unless asked), a download. */
int contact_vcard_page(struct req *r)
{
	struct fval v[EF__MAX];
	struct ferr errs[MAX_FORM_ERRORS];
	struct csv_export x;
	struct db_res row;
	long long id = r->ids[0];
	int rc, nerr;

	if ((nerr = validate_fields(r, export_fields, EF__MAX, v, errs)) != 0)
		return 400;
	if ((rc = contact_load(id, 0, &row)) != DB_OK)
		return rc;
	if (!row.nrows || db_val(&row, 0, CM_ANONYMIZED_AT)) {
		db_res_free(&row);
		return 404;
	}
	db_res_free(&row);
	memset(&x, 0, sizeof x);
	x.r = r;
	x.vcard = v[EF_VERSION].present && str_eq(v[EF_VERSION].s, "3.0") ? 3 : 4;
	{
		struct db_stream *s = db_stream_begin(export_one_vcard, DB_ARGS(A_INT(id)), &rc);
		int more = 0;
		while (s && (more = db_stream_next(s)) == 1 && (rc = export_row(&x, s)) == 0)
			;
		if (more < 0)
			rc = more;
		db_stream_end(s);
	}
	if (rc == 0 && !x.started)
		rc = 404;	/* anonymized or gone meanwhile */
	else if (rc == 0 && x.out.len && resp_stream_write(r, x.out.data, x.out.len) < 0)
		x.gone = 1;
	buf_free(&x.out);
	return x.gone ? 0 : rc;
}
