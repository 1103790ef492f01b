/* import.c — CSV import over the API (POST /api/v1/contacts/import): decoding, delimiter, header mapping,
 * every row through contact_validate and the duplicate keys, skip / update / create, one transaction per file,
 * and a dry run that does all of it and rolls back. */
#include "import.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "csv.h"
#include "db.h"
#include "dupe.h"
#include "validate.h"
#include "entity.h"
#include "link.h"
#include "render.h"
#include "vcard.h"

#define IMPORT_MAX_ROWS 5000	/* one request, one transaction: larger files are refused (413) */

enum stmt { STMT_CUSTOMER_BY_NAME, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_CUSTOMER_BY_NAME] =
	    "SELECT id FROM customers WHERE name = ? AND deleted_at IS NULL ORDER BY id LIMIT 1",
};

static const char *const dup_choices[] = { "skip", "update", "create", NULL };
static const char *const dry_choices[] = { "1", "0", NULL };
static const struct field import_fields[] = {
	{ "dry_run", V_ENUM, 0, 0, 0, dry_choices },
	{ "on_duplicate", V_ENUM, 0, 0, 0, dup_choices },
	{ "staged", V_ENUM, 0, 0, 0, dry_choices },
};
enum { IF_DRY, IF_ONDUP, IF_STAGED, IF__MAX };
/* Columns an import never writes: meta data of an export, and the staff-login link. */
int import_field_importable(int f)
{
	return f != CF_IS_USER && f != CF_USER_ID;
}

/* A header as a name: trimmed, lower case ASCII, spaces and dashes as '_'. */
static void header_name(const char *h, char *out, size_t outsz)
{
	size_t n = 0;
	while (*h == ' ' || *h == '\t')
		h++;
	for (; *h && n + 1 < outsz; h++) {
		char c = *h;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (c == ' ' || c == '-')
			c = '_';
		out[n++] = c;
	}
	while (n && out[n - 1] == '_')
		n--;
	out[n] = '\0';
}

static int label_is(HDF *lang, const char *field, const char *header)
{
	const char *l = lang ? hdf_get_valuef(lang, "Lang.Field.%s", field) : NULL;
	return l && strcasecmp(l, header) == 0;
}

void import_map_column(struct req *r, const struct custom_defs *defs, const char *header, struct column *c)
{
	char name[128], trimmed[256];
	size_t n;

	memset(c, 0, sizeof *c);
	header_name(header, name, sizeof name);
	snprintf(trimmed, sizeof trimmed, "%s", header);
	n = strlen(trimmed);
	while (n && (trimmed[n - 1] == ' ' || trimmed[n - 1] == '\t'))
		trimmed[--n] = '\0';
	if (!strcmp(name, "customer") || !strcmp(name, "cliente") || label_is(r->app->lang[0], "customer", trimmed) ||
	    label_is(r->app->lang[1], "customer", trimmed)) {
		c->kind = COL_CUSTOMER;
		return;
	}
	for (int f = 0; f < CF__MAX; f++)
		if (import_field_importable(f) && (!strcmp(name, contact_fields[f].name) ||
		    label_is(r->app->lang[0], contact_fields[f].name, trimmed) ||
		    label_is(r->app->lang[1], contact_fields[f].name, trimmed))) {
			c->kind = COL_FIELD;
			c->field = f;
			return;
		}
	for (size_t i = 0; i < defs->n; i++)
		if (!strcmp(name, defs->v[i].key) || (defs->v[i].label_en && strcasecmp(defs->v[i].label_en, trimmed) == 0) ||
		    (defs->v[i].label_it && *defs->v[i].label_it && strcasecmp(defs->v[i].label_it, trimmed) == 0)) {
			c->kind = COL_CUSTOM;
			c->key = defs->v[i].key;
			return;
		}
}

/* A cell's value: trimmed; the apostrophe our exports put before a formula character is taken off again, so
 * that export and import are inverse (a value typed as "'=x" on purpose loses its apostrophe too). */
static char *trimmed_dup(const char *s)
{
	size_t n;
	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]))
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n)
		return NULL;
	{
		char *o = malloc(n + 1);
		memcpy(o, s, n);
		o[n] = '\0';
		return o;
	}
}

static void row_result(struct import *im, size_t line, const char *result, long long id, json_object *extra_key,
    const char *extra_name)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "line", json_object_new_int64((long long)line));
	json_object_object_add(o, "result", json_object_new_string(result));
	if (id)
		json_object_object_add(o, "id", json_object_new_int64(id));
	if (extra_key)
		json_object_object_add(o, extra_name, extra_key);
	json_object_array_add(im->rows, o);
}

/* The existing customer of that exact name: *id, or 0 when there is none. */
static int customer_by_name(const char *name, long long *id)
{
	struct db_res res;
	int rc = db_exec(stmts[STMT_CUSTOMER_BY_NAME], DB_ARGS(A_STR(name)), &res);

	if (rc != DB_OK)
		return rc;
	*id = res.nrows ? db_ll(&res, 0, 0) : 0;
	db_res_free(&res);
	return DB_OK;
}

/* The customer of a row: an existing one of that exact name, else one created (once: it is found next time). */
static int row_customer(struct import *im, const char *name, long long *id)
{
	struct entity_in ein;
	struct ferr errs[MAX_FORM_ERRORS];
	int rc;

	if ((rc = customer_by_name(name, id)) != DB_OK || *id)
		return rc;
	memset(&ein, 0, sizeof ein);
	for (int f = 0; f < customer_entity.nfields; f++) {
		if (!strcmp(customer_entity.fields[f].name, "name"))
			ein.v[f] = xstrdup(name);
		else if (!strcmp(customer_entity.fields[f].name, "type"))
			ein.v[f] = xstrdup("customer");
		else if (!strcmp(customer_entity.fields[f].name, "active"))
			ein.v[f] = xstrdup("1");
	}
	if (entity_validate(&customer_entity, &ein, NULL, errs) > 0) {
		entity_in_free(&ein);
		return 422;
	}
	rc = entity_create(&customer_entity, im->r, &ein, id);
	entity_in_free(&ein);
	return rc;
}

/* The additional values an update from the file replaces, as they were: "custom": {key: value or null} in
 * the row's snapshot, so that a revert puts them back too. */
static int snapshot_custom(struct import *im, long long target, char **cells, size_t n, json_object *snapshot)
{
	char **vals = NULL;
	json_object *o = NULL;
	int rc;

	if (!im->defs.n)
		return DB_OK;
	if ((vals = calloc(im->defs.n, sizeof *vals)) == NULL)
		return DB_ERR;
	if ((rc = custom_load(target, &im->defs, vals)) != DB_OK) {
		free(vals);
		return rc;
	}
	for (size_t i = 0; i < n && i < im->ncols; i++) {
		const struct custom_def *f;
		if (im->cols[i].kind != COL_CUSTOM || !cells[i][strspn(cells[i], " \t")] ||
		    (f = custom_def_find(&im->defs, im->cols[i].key)) == NULL)
			continue;
		if (!o)
			o = json_object_new_object();
		json_object_object_add(o, f->key, vals[f - im->defs.v] ? json_object_new_string(vals[f - im->defs.v]) : NULL);
	}
	if (o)
		json_object_object_add(snapshot, "custom", o);
	custom_vals_free(vals, im->defs.n);
	free(vals);
	return DB_OK;
}

/* 1 if validation left an additional-field value to write (given, or a default of a new contact). */
static int custom_has_values(const struct custom_in *cin)
{
	for (size_t i = 0; cin->defs && i < cin->defs->n; i++)
		if (cin->val && cin->val[i])
			return 1;
	return 0;
}

static int bulk_grow(struct import *im)
{
	if (im->npending % 64 == 0) {
		struct contact_in **p = realloc(im->pending, (im->npending + 64) * sizeof *p);
		size_t *l;
		if (!p)
			return -1;
		im->pending = p;
		if (!(l = realloc(im->pending_line, (im->npending + 64) * sizeof *l)))
			return -1;
		im->pending_line = l;
	}
	return 0;
}

void import_pending_free(struct import *im)
{
	for (size_t i = 0; i < im->npending; i++) {
		contact_in_free(im->pending[i]);
		free(im->pending[i]);
	}
	free(im->pending);
	free(im->pending_line);
	im->pending = NULL;
	im->pending_line = NULL;
	im->npending = 0;
}

int import_flush(struct import *im)
{
	long long *ids;
	int rc;

	if (!im->npending)
		return DB_OK;
	if (!(ids = calloc(im->npending, sizeof *ids)))
		return DB_ERR;
	rc = contact_create_many(im->r, im->pending, im->npending, "import", ids);
	for (size_t i = 0; rc == DB_OK && i < im->npending; i++) {
		row_result(im, im->pending_line[i], "created", ids[i], NULL, NULL);
		im->created++;
	}
	free(ids);
	import_pending_free(im);
	return rc;
}

int import_row(struct import *im, size_t line, char **cells, size_t n)
{
	struct contact_in in;
	struct contact_err err;
	struct custom_in cin;
	struct db_res d;
	const char *customer = NULL;
	json_object *snapshot = NULL;
	long long id = 0, cust = 0;	/* the row's existing customer, once looked up */
	int rc, given = 0;

	memset(&in, 0, sizeof in);
	if ((rc = custom_in_init(&cin, &im->defs, 0, CTX_BACKOFFICE | CTX_EXPORT, 0)) != DB_OK)
		return rc;
	cin.creating = 1;
	for (size_t i = 0; i < n && i < im->ncols; i++) {
		char *v = trimmed_dup(cells[i]);
		if (!v)
			continue;
		given = 1;
		if (im->cols[i].kind == COL_FIELD) {
			free(in.v[im->cols[i].field]);
			in.v[im->cols[i].field] = v;
			continue;
		}
		if (im->cols[i].kind == COL_CUSTOM)
			custom_in_set(&cin, im->cols[i].key, v);
		else if (im->cols[i].kind == COL_CUSTOMER)
			customer = cells[i];
		free(v);
	}
	if (!given) {
		custom_in_free(&cin);
		return DB_OK;	/* a blank line */
	}
	if (!in.v[CF_ACTIVE])
		in.v[CF_ACTIVE] = xstrdup("1");
	if (!in.v[CF_CONTACT_PREFERENCE])
		in.v[CF_CONTACT_PREFERENCE] = xstrdup("any");
	in.custom = &cin;
	if ((rc = contact_validate(&in, 0, &err)) != DB_OK)
		goto out;
	if (err.n) {
		json_object *e = json_object_new_object();
		for (int k = 0; k < err.n; k++) {
			char key[80];
			snprintf(key, sizeof key, "Valid.%s", err.e[k].msg);
			json_object_object_add(e, err.e[k].field, json_object_new_string(lang_str(im->r, key)));
		}
		row_result(im, line, "refused", 0, e, "errors");
		im->refused++;
		goto out;
	}
	/* a plain new contact waits for the others of the batch (bulk); anything else first writes those */
	if (im->bulk && (im->ondup == ON_CREATE || im->no_dupes) && !str_eq(in.v[CF_PORTAL_USER], "1") &&
	    !(customer && customer[strspn(customer, " \t")]) && !custom_has_values(&cin)) {
		struct contact_in *p = malloc(sizeof *p);
		if (!p || bulk_grow(im) != 0) {
			free(p);
			rc = DB_ERR;
			goto out;
		}
		*p = in;
		p->custom = NULL;
		memset(&in, 0, sizeof in);
		im->pending[im->npending] = p;
		im->pending_line[im->npending++] = line;
		goto out;
	}
	if ((rc = import_flush(im)) != DB_OK)
		goto out;
	if (im->ondup != ON_CREATE) {
		if (!im->no_dupes && customer && customer[strspn(customer, " \t")]) {
			/* the customer part of the name key, as the form has it: the same first and last name is a
			 * duplicate only with a contact whose primary customer is the row's (two "Mario Rossi" of two
			 * companies are two people). A customer still to create has no contact: an id no row has
			 * matches no one by name (emails and phones still do). */
			char *name = trimmed_dup(customer);
			rc = customer_by_name(name, &cust);
			free(name);
			if (rc != DB_OK)
				goto out;
			in.customer_id = cust ? cust : LLONG_MAX;
		}
		if (im->no_dupes)
			memset(&d, 0, sizeof d);
		else if ((rc = contact_in_duplicates(&in, 0, &d)) != DB_OK)
			goto out;
		if (d.nrows && im->ondup == ON_SKIP) {
			row_result(im, line, "skipped", db_ll(&d, 0, DC_ID), dupe_candidates_json(&d), "duplicates");
			im->skipped++;
			db_res_free(&d);
			goto out;
		}
		if (d.nrows) {
			/* update the first candidate: the file's non-empty values over the stored ones */
			struct db_res old;
			struct custom_in ucin;
			long long target = db_ll(&d, 0, DC_ID);
			db_res_free(&d);
			if ((rc = contact_load(target, 0, &old)) != DB_OK)
				goto out;
			if (!old.nrows) {
				db_res_free(&old);
				rc = DB_ERR;
				goto out;
			}
			for (int f = 0; f < CF__MAX; f++) {
				int from_file = 0;
				for (size_t i = 0; i < n && i < im->ncols; i++)
					if (im->cols[i].kind == COL_FIELD && im->cols[i].field == f && cells[i][strspn(cells[i], " \t")])
						from_file = 1;
				if (!from_file) {
					free(in.v[f]);
					in.v[f] = db_val(&old, 0, (size_t)f) ? xstrdup(db_val(&old, 0, (size_t)f)) : NULL;
				}
			}
			if ((rc = custom_in_init(&ucin, &im->defs, target, CTX_BACKOFFICE | CTX_EXPORT, 0)) != DB_OK) {
				db_res_free(&old);
				goto out;
			}
			for (size_t i = 0; i < n && i < im->ncols; i++)
				if (im->cols[i].kind == COL_CUSTOM && cells[i][strspn(cells[i], " \t")]) {
					char *v = trimmed_dup(cells[i]);
					custom_in_set(&ucin, im->cols[i].key, v);
					free(v);
				}
			in.custom = &ucin;
			if (im->snapshots) {
				snapshot = json_object_new_object();
				for (int f = 0; f < CF__MAX; f++) {
					const char *ov = db_val(&old, 0, (size_t)f);
					json_object_object_add(snapshot, contact_fields[f].name, ov ? json_object_new_string(ov) : NULL);
				}
				if ((rc = snapshot_custom(im, target, cells, n, snapshot)) != DB_OK) {
					db_res_free(&old);
					custom_in_free(&ucin);
					in.custom = &cin;
					goto out;
				}
			}
			if ((rc = contact_validate(&in, target, &err)) == DB_OK && err.n == 0)
				rc = contact_update(im->r, target, db_ll(&old, 0, CM_VERSION), &in, &old);
			db_res_free(&old);
			custom_in_free(&ucin);
			in.custom = &cin;
			if (rc == DB_OK && err.n) {
				row_result(im, line, "refused", target, NULL, NULL);
				im->refused++;
				goto out;
			}
			if (rc != DB_OK)
				goto out;
			id = target;
			im->updated++;
			row_result(im, line, "updated", id, snapshot, "snapshot");
			snapshot = NULL;
			goto link;
		}
		db_res_free(&d);
	}
	if ((rc = contact_create(im->r, &in, "import", &id)) != DB_OK)
		goto out;
	im->created++;
	row_result(im, line, "created", id, NULL, NULL);
link:
	if (customer && customer[strspn(customer, " \t")]) {
		long long link_id;
		if (!cust) {	/* not looked up for the duplicate keys, or still to create */
			char *name = trimmed_dup(customer);
			rc = row_customer(im, name, &cust);
			free(name);
		}
		if (rc == DB_OK) {
			rc = link_add(im->r, id, LINK_CUSTOMER, cust, 0, &link_id);
			if (rc == 409)
				rc = DB_OK;	/* connected already */
		}
		if (rc == 422)
			rc = DB_OK;	/* a customer name the customer form would refuse: the contact stays unconnected */
	}
out:
	json_object_put(snapshot);
	in.custom = NULL;
	contact_in_free(&in);
	custom_in_free(&cin);
	return rc;
}

void import_row_keys(const struct import *im, char **cells, size_t n, struct dupe_keys *k, char *store[8])
{
	memset(k, 0, sizeof *k);
	for (int i = 0; i < 8; i++)
		store[i] = NULL;
	for (size_t i = 0; i < n && i < im->ncols; i++) {
		const char **slot;
		char *v;
		int s;
		if (im->cols[i].kind != COL_FIELD)
			continue;
		switch (im->cols[i].field) {
		case CF_EMAIL: s = 0; slot = &k->email[0]; break;
		case CF_EMAIL_2: s = 1; slot = &k->email[1]; break;
		case CF_MOBILE_PHONE: s = 2; slot = &k->phone[0]; break;
		case CF_MOBILE_PHONE_2: s = 3; slot = &k->phone[1]; break;
		case CF_WORK_PHONE: s = 4; slot = &k->phone[2]; break;
		case CF_FIRST_NAME: s = 5; slot = &k->first; break;
		case CF_LAST_NAME: s = 6; slot = &k->last; break;
		default: continue;
		}
		if (!(v = trimmed_dup(cells[i])))
			continue;
		if (s >= 2 && s <= 4) {
			char norm[24];
			if (phone_normalize(v, norm, sizeof norm) < 0) {
				free(v);
				continue;	/* refused by validation: never looked up */
			}
			free(v);
			v = xstrdup(norm);
		}
		free(store[s]);	/* the last non-empty column of a field wins, as in import_row */
		store[s] = v;
		*slot = v;
	}
}

/* 1 if the file is a vCard file: BEGIN:VCARD first (after a BOM and blank space). */
int import_is_vcard(const char *data, size_t len)
{
	size_t i = 0;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && strchr(" \t\r\n", data[i]))
		i++;
	return len - i >= 11 && !strncasecmp(data + i, "BEGIN:VCARD", 11);
}

struct vc_run {
	struct import *im;
	int            rc;
	size_t         count;
};

/* One card: its values as the cells of fixed columns (vcard_columns), then the same row import as CSV. */
static int vc_card(void *ctx, struct vcard *c, size_t card)
{
	struct vc_run *v = ctx;
	char *cells[VC__N], empty[1] = "";

	if (++v->count > IMPORT_MAX_ROWS) {
		v->rc = 413;
		return 1;
	}
	for (int i = 0; i < VC__N; i++)
		cells[i] = c->v[i] ? c->v[i] : empty;
	v->rc = import_row(v->im, card + 1, cells, VC__N);
	return v->rc != DB_OK;
}

/* Runs one file: *report gets the JSON report (caller owns) on 0; otherwise an HTTP status with *msg a Lang key
 * (400, 413, 422), or a db_rc. */
static int import_run(struct req *r, const char *data, size_t len, int dry, enum on_dup ondup, json_object **report,
    const char **msg)
{
	struct import im;
	struct csv_reader rd;
	const char *enc;
	size_t tlen, n, rows = 0;
	char *text, **cells, delim, dl[2];
	int rc = DB_OK, got;
	json_object *root, *cols;
	struct timespec t0, t1;

	*report = NULL;
	*msg = NULL;
	if (!data || !len) {
		*msg = "Import.NoFile";
		return 400;
	}
	memset(&im, 0, sizeof im);
	im.r = r;
	im.ondup = ondup;
	if (import_is_vcard(data, len)) {
		/* vCards: fixed columns, one card a row (its number is the "line" of the report) */
		struct vc_run vr = { &im, DB_OK, 0 };
		if ((rc = custom_defs_load(&im.defs, 0)) != DB_OK)
			return rc;
		im.ncols = VC__N;
		im.cols = calloc(VC__N, sizeof *im.cols);
		cols = json_object_new_object();
		for (int i = 0; i < VC__N; i++) {
			import_map_column(r, &im.defs, vcard_columns[i], &im.cols[i]);
			json_object_object_add(cols, vcard_columns[i], json_object_new_string(vcard_columns[i]));
		}
		im.rows = json_object_new_array();
		text = NULL;
		enc = "vcard";
		delim = 0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if ((rc = db_begin()) != DB_OK)
			goto done;
		if (vcard_parse(data, len, vc_card, &vr) < 0)
			vr.rc = DB_ERR;
		rc = vr.rc;
		goto finish;
	}
	if ((text = csv_to_utf8(data, len, &tlen, &enc)) == NULL)
		return DB_ERR;
	delim = csv_sniff(text, tlen);
	csv_reader_init(&rd, text, tlen, delim);
	if ((got = csv_next(&rd, &cells, &n)) != 1) {
		free(text);
		*msg = "Import.NoHeader";
		return 422;
	}
	if ((rc = custom_defs_load(&im.defs, 0)) != DB_OK) {
		csv_record_free(cells, n);
		free(text);
		return rc;
	}
	im.cols = calloc(n, sizeof *im.cols);
	im.ncols = n;
	cols = json_object_new_object();
	for (size_t i = 0; i < n; i++) {
		import_map_column(r, &im.defs, cells[i], &im.cols[i]);
		json_object_object_add(cols, cells[i], im.cols[i].kind == COL_FIELD ?
		    json_object_new_string(contact_fields[im.cols[i].field].name) :
		    im.cols[i].kind == COL_CUSTOM ? json_object_new_string(im.cols[i].key) :
		    im.cols[i].kind == COL_CUSTOMER ? json_object_new_string("customer") : NULL);
	}
	csv_record_free(cells, n);
	im.rows = json_object_new_array();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = db_begin()) != DB_OK)
		goto done;
	for (;;) {
		size_t line = rd.line;
		got = csv_next(&rd, &cells, &n);
		if (got == 0)
			break;
		if (got < 0) {
			json_object *e = json_object_new_object();
			json_object_object_add(e, "file", json_object_new_string(lang_str(r, "Import.Malformed")));
			row_result(&im, line, "refused", 0, e, "errors");
			im.refused++;
			break;	/* the rest of the file cannot be read reliably */
		}
		if (++rows > IMPORT_MAX_ROWS) {
			csv_record_free(cells, n);
			rc = 413;
			break;
		}
		rc = import_row(&im, line, cells, n);
		csv_record_free(cells, n);
		if (rc != DB_OK)
			break;
	}
finish:
	/* nothing half-imported: any failure, and every dry run, leaves the database as it was */
	if (rc != DB_OK || dry)
		db_rollback();
	else if ((rc = db_commit()) != DB_OK)
		db_rollback();
done:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(text);
	free(im.cols);
	custom_defs_free(&im.defs);
	if (rc != DB_OK) {
		json_object_put(cols);
		json_object_put(im.rows);
		if (rc == 413)
			*msg = "Import.TooManyRows";
		return rc;
	}
	log_msg(LOG_INFO, "csv import%s by %s: %lld created, %lld updated, %lld skipped, %lld refused in %.2f s",
	    dry ? " (dry run)" : "", r->who.login, im.created, im.updated, im.skipped, im.refused,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	root = json_object_new_object();
	dl[0] = delim;
	dl[1] = '\0';
	json_object_object_add(root, "dry_run", json_object_new_boolean(dry));
	json_object_object_add(root, "format", json_object_new_string(delim ? "csv" : "vcard"));
	json_object_object_add(root, "encoding", json_object_new_string(enc));
	if (delim)
		json_object_object_add(root, "delimiter", json_object_new_string(dl));
	json_object_object_add(root, "columns", cols);
	json_object_object_add(root, "created", json_object_new_int64(im.created));
	json_object_object_add(root, "updated", json_object_new_int64(im.updated));
	json_object_object_add(root, "skipped", json_object_new_int64(im.skipped));
	json_object_object_add(root, "refused", json_object_new_int64(im.refused));
	json_object_object_add(root, "rows", im.rows);
	*report = root;
	return 0;
}

/* The file of the request: a text/csv body, or the multipart field "file". */
static void import_file(struct req *r, const char **data, size_t *len)
{
	const struct param *file;

	*data = NULL;
	*len = 0;
	if (r->ctype && (strncasecmp(r->ctype, "text/csv", 8) == 0 || strncasecmp(r->ctype, "text/vcard", 10) == 0 ||
	    strncasecmp(r->ctype, "text/x-vcard", 12) == 0)) {
		*data = r->body;
		*len = r->body_len;
	} else if ((file = params_get(&r->params, "file")) != NULL && file->filename) {
		*data = file->value;
		*len = file->value_len;
	}
}

static enum on_dup ondup_of(const struct fval *v)
{
	return !v->present || str_eq(v->s, "skip") ? ON_SKIP : str_eq(v->s, "update") ? ON_UPDATE : ON_CREATE;
}

/* POST /api/v1/contacts/import?dry_run=1&on_duplicate=skip|update|create, body text/csv or multipart "file". */
int contacts_api_import(struct req *r)
{
	struct fval v[IF__MAX];
	struct ferr errs[MAX_FORM_ERRORS];
	const char *data, *msg;
	size_t len;
	json_object *report;
	int nerr, rc;

	if ((nerr = validate_fields(r, import_fields, IF__MAX, v, errs)) != 0) {
		resp_json_invalid(r, errs, nerr);
		return 0;
	}
	import_file(r, &data, &len);
	if (v[IF_STAGED].present && str_eq(v[IF_STAGED].s, "1")) {
		if (import_is_vcard(data, len)) {
			resp_json_error(r, 422, "invalid", lang_str(r, "ImportJob.CsvOnly"), NULL);
			return 0;
		}
		return imports_api_stage(r, data, len, v[IF_DRY].present && str_eq(v[IF_DRY].s, "1"),
		    v[IF_ONDUP].present ? v[IF_ONDUP].s : "skip");
	}
	rc = import_run(r, data, len, v[IF_DRY].present && str_eq(v[IF_DRY].s, "1"), ondup_of(&v[IF_ONDUP]), &report, &msg);
	if (rc == 0) {
		resp_json(r, 200, report);
		return 0;
	}
	if (msg) {
		resp_json_error(r, rc, rc == 400 ? "bad_request" : rc == 413 ? "too_large" : "invalid", lang_str(r, msg), NULL);
		return 0;
	}
	return rc;
}

/* GET /contacts/import: the upload form (dry run ticked by default). */
int contacts_import_page(struct req *r)
{
	page_set(r, "Page.Title", lang_str(r, "Import.Title"));
	page_set(r, "Import.DryRun", "1");
	page_set(r, "Import.OnDuplicate", "skip");
	return page_render(r, 200, "contacts/import.cs");
}

/* POST /contacts/import (multipart): runs the file and shows the report per line under the form. */
int contacts_import_post(struct req *r)
{
	struct fval v[IF__MAX];
	struct ferr errs[MAX_FORM_ERRORS];
	const char *data, *msg;
	size_t len, nrows;
	json_object *report, *rows;
	int nerr, rc, dry;
	char key[96];

	page_set(r, "Page.Title", lang_str(r, "Import.Title"));
	if ((nerr = validate_fields(r, import_fields, IF__MAX, v, errs)) != 0) {
		page_set_errors(r, errs, nerr);
		return page_render(r, 422, "contacts/import.cs");
	}
	dry = v[IF_DRY].present && str_eq(v[IF_DRY].s, "1");
	page_set(r, "Import.DryRun", dry ? "1" : "0");
	page_set(r, "Import.OnDuplicate", v[IF_ONDUP].present ? v[IF_ONDUP].s : "skip");
	import_file(r, &data, &len);
	rc = import_run(r, data, len, dry, ondup_of(&v[IF_ONDUP]), &report, &msg);
	if (rc != 0 && msg) {
		page_set(r, "Import.Error", lang_str(r, msg));
		return page_render(r, rc, "contacts/import.cs");
	}
	if (rc != 0)
		return rc;
	page_set_int(r, "Import.Done", 1);
	page_set_int(r, "Import.Created", json_object_get_int64(json_object_object_get(report, "created")));
	page_set_int(r, "Import.Updated", json_object_get_int64(json_object_object_get(report, "updated")));
	page_set_int(r, "Import.Skipped", json_object_get_int64(json_object_object_get(report, "skipped")));
	page_set_int(r, "Import.Refused", json_object_get_int64(json_object_object_get(report, "refused")));
	page_set(r, "Import.Encoding", json_object_get_string(json_object_object_get(report, "encoding")));
	{
		int k = 0;
		json_object_object_foreach(json_object_object_get(report, "columns"), hname, hfield) {
			snprintf(key, sizeof key, "Import.Columns.%d.header", k);
			page_set(r, key, hname);
			snprintf(key, sizeof key, "Import.Columns.%d.field", k);
			page_set(r, key, hfield ? json_object_get_string(hfield) : "");
			k++;
		}
	}
	rows = json_object_object_get(report, "rows");
	nrows = json_object_array_length(rows);
	for (size_t i = 0; i < nrows && i < 1000; i++) {
		json_object *row = json_object_array_get_idx(rows, i), *e = json_object_object_get(row, "errors");
		struct buf why = { 0 };
		snprintf(key, sizeof key, "Import.Rows.%lu.line", (unsigned long)i);
		page_set_int(r, key, json_object_get_int64(json_object_object_get(row, "line")));
		snprintf(key, sizeof key, "Import.Rows.%lu.result", (unsigned long)i);
		page_set(r, key, json_object_get_string(json_object_object_get(row, "result")));
		snprintf(key, sizeof key, "Import.Rows.%lu.id", (unsigned long)i);
		page_set_int(r, key, json_object_get_int64(json_object_object_get(row, "id")));
		if (e) {
			json_object_object_foreach(e, fname, fmsg) {
				buf_printf(&why, "%s%s: %s", why.len ? "; " : "", fname, json_object_get_string(fmsg));
			}
		}
		snprintf(key, sizeof key, "Import.Rows.%lu.why", (unsigned long)i);
		page_set(r, key, why.data ? why.data : "");
		buf_free(&why);
	}
	json_object_put(report);
	return page_render(r, 200, "contacts/import.cs");
}
