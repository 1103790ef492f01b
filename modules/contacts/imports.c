/* imports.c — staged CSV import jobs: upload (stored as UTF-8 under app.uploads/imports), the mapping screen with
 * saved mappings, dry and real runs in batches driven after the response under a lease, the progress page with
 * Resume, the refused rows as CSV, and revert. The rows themselves go through import_row (import.c). */
#include "import.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
#include "db.h"
#include "dupe.h"
#include "render.h"

#define JOB_BATCH     1000	/* rows of one batch: one transaction */
#define REVERT_BATCH  500
#define LEASE_SECONDS 60	/* renewed by every batch; Resume is offered once it ran out */
#define SAMPLE_ROWS   3
#define PAGE_ROWS     100

enum stmt {
	STMT_INSERT_JOB, STMT_LOAD_JOB, STMT_LOCK_JOB, STMT_SET_MAPPING, STMT_START, STMT_DROP_DRY, STMT_TAKE,
	STMT_ADVANCE, STMT_RELEASE, STMT_ROW_ADD, STMT_ROWS_PAGE, STMT_REFUSED, STMT_REVERT_START,
	STMT_REVERT_ROWS, STMT_REVERT_MARK, STMT_REVERTED, STMT_RENEW, STMT_DELETE_CONTACT, STMT_JOBS,
	STMT_MAPPINGS, STMT_MAPPING_GET, STMT_MAPPING_SAVE, STMT_ROW_ADD_MANY, STMT_ROW_ADD_10, STMT_SET_ONDUP, STMT__MAX
};

/* The outcomes of a batch go in ROWS_MANY at a time, then 10, then one by one for the rest. */
#define ROWS_MANY 100
#define ROW_VALUES "(?, ?, ?, ?, ?, ?, ?, ?)"
#define ROW_VALUES_5 ROW_VALUES ", " ROW_VALUES ", " ROW_VALUES ", " ROW_VALUES ", " ROW_VALUES
#define ROW_VALUES_10 ROW_VALUES_5 ", " ROW_VALUES_5
#define ROW_VALUES_50 ROW_VALUES_10 ", " ROW_VALUES_10 ", " ROW_VALUES_10 ", " ROW_VALUES_10 ", " ROW_VALUES_10
#define ROW_VALUES_100 ROW_VALUES_50 ", " ROW_VALUES_50

static const char *const stmts[STMT__MAX] = {
	[STMT_INSERT_JOB] =
	    "INSERT INTO imports (created_by, filename, stored, encoding, delimiter, header_end, header_line, "
	    "total_rows, mapping, pos, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_LOAD_JOB] =
	    "SELECT id, filename, stored, encoding, delimiter, header_end, header_line, total_rows, mapping, "
	    "on_duplicate, dry_run, status, pos, line, rows_done, n_created, n_updated, n_skipped, n_refused, "
	    "IFNULL(locked_until > NOW(), 0), created_at, finished_at FROM imports WHERE id = ?",
	[STMT_LOCK_JOB] = "SELECT status, dry_run, pos, line, locked_by FROM imports WHERE id = ? FOR UPDATE",
	[STMT_SET_MAPPING] =
	    "UPDATE imports SET mapping = ?, on_duplicate = ? WHERE id = ? AND status IN ('new', 'checked')",
	[STMT_START] =
	    "UPDATE imports SET status = 'running', dry_run = ?, pos = header_end, line = header_line, rows_done = 0, "
	    "n_created = 0, n_updated = 0, n_skipped = 0, n_refused = 0, "
	    "locked_until = NOW() + INTERVAL 60 SECOND, locked_by = ?, started_at = NOW(), finished_at = NULL "
	    "WHERE id = ? AND status IN ('new', 'checked')",
	[STMT_SET_ONDUP] = "UPDATE imports SET on_duplicate = ? WHERE id = ? AND status = 'new'",
	[STMT_DROP_DRY] = "DELETE FROM import_rows WHERE import_id = ? AND dry = 1",
	[STMT_TAKE] =
	    "UPDATE imports SET locked_until = NOW() + INTERVAL 60 SECOND, locked_by = ? WHERE id = ? "
	    "AND status IN ('running', 'reverting') AND (locked_until IS NULL OR locked_until < NOW())",
	[STMT_ADVANCE] =
	    "UPDATE imports SET pos = ?, line = ?, rows_done = rows_done + ?, n_created = n_created + ?, "
	    "n_updated = n_updated + ?, n_skipped = n_skipped + ?, n_refused = n_refused + ?, "
	    "status = IF(? = 1, IF(dry_run = 1, 'checked', 'done'), status), "
	    "finished_at = IF(? = 1, NOW(), NULL), "
	    "locked_until = IF(? = 1, NULL, NOW() + INTERVAL 60 SECOND) WHERE id = ?",
	[STMT_RELEASE] = "UPDATE imports SET locked_until = NULL WHERE id = ? AND locked_by = ?",
	[STMT_ROW_ADD] =
	    "INSERT INTO import_rows (import_id, dry, line, outcome, contact_id, reason, cells, snapshot) "
	    "VALUES " ROW_VALUES,
	[STMT_ROW_ADD_MANY] =
	    "INSERT INTO import_rows (import_id, dry, line, outcome, contact_id, reason, cells, snapshot) "
	    "VALUES " ROW_VALUES_100,
	[STMT_ROW_ADD_10] =
	    "INSERT INTO import_rows (import_id, dry, line, outcome, contact_id, reason, cells, snapshot) "
	    "VALUES " ROW_VALUES_10,
	[STMT_ROWS_PAGE] =
	    "SELECT line, outcome, contact_id, reason FROM import_rows WHERE import_id = ? AND dry = ? AND line > ? "
	    "ORDER BY line LIMIT 101",
	[STMT_REFUSED] =
	    "SELECT line, reason, cells FROM import_rows WHERE import_id = ? AND dry = ? AND outcome = 'refused' "
	    "AND line > ? ORDER BY line LIMIT 1000",
	[STMT_REVERT_START] =
	    "UPDATE imports SET status = 'reverting', locked_until = NOW() + INTERVAL 60 SECOND, locked_by = ? "
	    "WHERE id = ? AND status = 'done'",
	[STMT_REVERT_ROWS] =
	    "SELECT line, outcome, contact_id, snapshot FROM import_rows WHERE import_id = ? AND dry = 0 "
	    "AND reverted = 0 AND outcome IN ('created', 'updated') ORDER BY line DESC LIMIT 500",
	[STMT_REVERT_MARK] = "UPDATE import_rows SET reverted = 1 WHERE import_id = ? AND dry = 0 AND line = ?",
	[STMT_REVERTED] =
	    "UPDATE imports SET status = 'reverted', locked_until = NULL, finished_at = NOW() WHERE id = ?",
	[STMT_RENEW] = "UPDATE imports SET locked_until = NOW() + INTERVAL 60 SECOND WHERE id = ?",
	[STMT_DELETE_CONTACT] = "DELETE FROM contacts WHERE id = ?",
	[STMT_JOBS] =
	    "SELECT id, filename, status, dry_run, total_rows, rows_done, created_at FROM imports "
	    "ORDER BY id DESC LIMIT 50",
	[STMT_MAPPINGS] = "SELECT id, name FROM import_mappings ORDER BY name, id",
	[STMT_MAPPING_GET] = "SELECT mapping FROM import_mappings WHERE id = ?",
	[STMT_MAPPING_SAVE] =
	    "INSERT INTO import_mappings (name, mapping, created_by) VALUES (?, ?, ?) "
	    "ON DUPLICATE KEY UPDATE mapping = VALUES(mapping), created_by = VALUES(created_by)",
};

/* Columns of STMT_LOAD_JOB. */
enum job_col {
	J_ID, J_FILENAME, J_STORED, J_ENCODING, J_DELIM, J_HEADER_END, J_HEADER_LINE, J_TOTAL, J_MAPPING, J_ONDUP,
	J_DRY, J_STATUS, J_POS, J_LINE, J_DONE, J_CREATED, J_UPDATED, J_SKIPPED, J_REFUSED, J_LIVE, J_CREATED_AT,
	J_FINISHED_AT
};

/* The lease token of this worker's current job: set by the handler that takes the lease, read by the
 * after-response driver of the same request. */
static char lease_token[80];

static void new_lease_token(void)
{
	char rnd[17];
	rand_hex(rnd, 8);
	snprintf(lease_token, sizeof lease_token, "%ld:%s", (long)getpid(), rnd);
}

/* ---------------------------------------------------------------- the stored file */

static int imports_dir(const struct config *cfg, char *out, size_t outsz)
{
	if (!cfg->uploads || !*cfg->uploads)
		return -1;
	snprintf(out, outsz, "%s/imports", cfg->uploads);
	if (mkdir(out, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Writes the file durably (temporary name, fsync, rename). */
static int file_store(const struct config *cfg, const char *name, const char *data, size_t len)
{
	char dir[3072], tmp[4096], final[4096];
	int fd;
	size_t off = 0;

	if (imports_dir(cfg, dir, sizeof dir) < 0) {
		log_msg(LOG_ERR, "import: app.uploads/imports is not usable");
		return -1;
	}
	snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
	snprintf(final, sizeof final, "%s/%s", dir, name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		log_msg(LOG_ERR, "import: open %s: %s", tmp, strerror(errno));
		return -1;
	}
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, final) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	log_msg(LOG_ERR, "import: writing %s: %s", tmp, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

/* The stored UTF-8 text of a job (malloc'd, NUL-terminated; caller frees), or NULL. */
static char *file_load(const struct config *cfg, const char *name, size_t *len)
{
	char dir[3072], path[4096];
	struct stat st;
	char *data;
	size_t off = 0;
	int fd;

	if (imports_dir(cfg, dir, sizeof dir) < 0 || strspn(name, "0123456789abcdef") != strlen(name))
		return NULL;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
		log_msg(LOG_ERR, "import: cannot open %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!(data = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return NULL;
	}
	while (off < (size_t)st.st_size) {
		ssize_t n = read(fd, data + off, (size_t)st.st_size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(data);
			close(fd);
			return NULL;
		}
		off += (size_t)n;
	}
	close(fd);
	data[off] = '\0';
	*len = off;
	return data;
}

/* ---------------------------------------------------------------- mapping targets */

/* A column's target as text: "" (ignored), "customer", "custom:KEY" or a contact field name. */
static const char *column_target(const struct column *c, char *buf, size_t bufsz)
{
	switch (c->kind) {
	case COL_FIELD:
		return contact_fields[c->field].name;
	case COL_CUSTOM:
		snprintf(buf, bufsz, "custom:%s", c->key);
		return buf;
	case COL_CUSTOMER:
		return "customer";
	default:
		return "";
	}
}

/* Parses a target; returns 0 when it names something an import can write, -1 otherwise. */
static int target_column(const struct custom_defs *defs, const char *t, struct column *c)
{
	memset(c, 0, sizeof *c);
	if (!t || !*t)
		return 0;
	if (!strcmp(t, "customer")) {
		c->kind = COL_CUSTOMER;
		return 0;
	}
	if (!strncmp(t, "custom:", 7)) {
		for (size_t i = 0; i < defs->n; i++)
			if (!strcmp(defs->v[i].key, t + 7)) {
				c->kind = COL_CUSTOM;
				c->key = defs->v[i].key;
				return 0;
			}
		return -1;
	}
	for (int f = 0; f < CF__MAX; f++)
		if (import_field_importable(f) && !strcmp(contact_fields[f].name, t)) {
			c->kind = COL_FIELD;
			c->field = f;
			return 0;
		}
	return -1;
}

/* A header as the key of a saved mapping: trimmed, lower case ASCII. */
static void header_key(const char *h, char *out, size_t outsz)
{
	size_t n = 0;
	while (*h == ' ' || *h == '\t')
		h++;
	for (; *h && n + 1 < outsz; h++)
		out[n++] = (*h >= 'A' && *h <= 'Z') ? (char)(*h - 'A' + 'a') : *h;
	while (n && (out[n - 1] == ' ' || out[n - 1] == '\t'))
		n--;
	out[n] = '\0';
}

/* The file's header and up to SAMPLE_ROWS records. Returns 0, or -1 when the header cannot be read. */
struct preview {
	char  **header;
	size_t  nheader;
	char  **rows[SAMPLE_ROWS];
	size_t  nrows[SAMPLE_ROWS];
	size_t  count;
};

static int preview_read(const char *text, size_t len, char delim, struct preview *p)
{
	struct csv_reader rd;

	memset(p, 0, sizeof *p);
	csv_reader_init(&rd, text, len, delim);
	if (csv_next(&rd, &p->header, &p->nheader) != 1)
		return -1;
	while (p->count < SAMPLE_ROWS && csv_next(&rd, &p->rows[p->count], &p->nrows[p->count]) == 1)
		p->count++;
	return 0;
}

static void preview_free(struct preview *p)
{
	csv_record_free(p->header, p->nheader);
	for (size_t i = 0; i < p->count; i++)
		csv_record_free(p->rows[i], p->nrows[i]);
}

/* ---------------------------------------------------------------- upload */

static int load_job(long long id, struct db_res *job)
{
	int rc = db_exec(stmts[STMT_LOAD_JOB], DB_ARGS(A_INT(id)), job);
	if (rc != DB_OK)
		return rc;
	if (!job->nrows) {
		db_res_free(job);
		return 404;
	}
	return DB_OK;
}

static int import_error_page(struct req *r, int status, const char *msg)
{
	page_set(r, "Page.Title", lang_str(r, "Import.Title"));
	page_set(r, "Import.DryRun", "1");
	page_set(r, "Import.OnDuplicate", "skip");
	page_set(r, "Import.Error", lang_str(r, msg));
	return page_render(r, status, "contacts/import.cs");
}

/* Stores an uploaded file and its job with the automatic mapping: *id on DB_OK; *msg a Lang key with a status
 * (400, 422, 500) when the file is refused. */
static int job_store(struct req *r, const char *data, size_t len, const char *filename, long long *id, const char **msg)
{
	struct custom_defs defs;
	struct csv_reader rd;
	const char *enc;
	char *text, **cells, stored[65], delim[2], fname[256], tbuf[128];
	size_t tlen, n, header_end, header_line, total = 0;
	json_object *mapping;
	struct db_res res;
	int rc, got;

	*id = 0;
	*msg = NULL;
	if (!data || !len) {
		*msg = "Import.NoFile";
		return 400;
	}
	if (import_is_vcard(data, len)) {
		*msg = "ImportJob.CsvOnly";
		return 422;
	}
	if (!(text = csv_to_utf8(data, len, &tlen, &enc)))
		return DB_ERR;
	delim[0] = csv_sniff(text, tlen);
	delim[1] = '\0';
	csv_reader_init(&rd, text, tlen, delim[0]);
	got = csv_next(&rd, &cells, &n);
	if (got == 1 && n == 1 && !cells[0][0]) {
		csv_record_free(cells, n);
		got = 0;	/* an empty first line names no column */
	}
	header_end = (size_t)(rd.p - text);
	if (got != 1) {
		free(text);
		*msg = "Import.NoHeader";
		return 422;
	}
	header_line = rd.line;
	if ((rc = custom_defs_load(&defs, 0)) != DB_OK) {
		csv_record_free(cells, n);
		free(text);
		return rc;
	}
	mapping = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct column c;
		import_map_column(r, &defs, cells[i], &c);
		json_object_array_add(mapping, json_object_new_string(column_target(&c, tbuf, sizeof tbuf)));
	}
	csv_record_free(cells, n);
	custom_defs_free(&defs);
	/* the records, counted for the progress page (a malformed one ends the count as it ends the run) */
	for (;;) {
		char **rc2;
		size_t n2;
		got = csv_next(&rd, &rc2, &n2);
		if (got != 1)
			break;
		csv_record_free(rc2, n2);
		total++;
	}
	if (got < 0)
		total++;
	rand_hex(stored, 32);
	if (file_store(&r->app->cfg, stored, text, tlen) < 0) {
		free(text);
		json_object_put(mapping);
		*msg = "ImportJob.StoreFailed";
		return 500;
	}
	free(text);
	snprintf(fname, sizeof fname, "%s", filename ? filename : "import.csv");
	for (char *p = fname; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	if (!utf8_valid_text(fname, strlen(fname), 0))
		snprintf(fname, sizeof fname, "import.csv");
	rc = db_exec(stmts[STMT_INSERT_JOB], DB_ARGS(A_INT(r->who.user_id), A_STR(fname), A_STR(stored), A_STR(enc),
	    A_STR(delim), A_INT((long long)header_end), A_INT((long long)header_line), A_INT((long long)total),
	    A_STR(json_object_to_json_string_ext(mapping, JSON_C_TO_STRING_PLAIN)), A_INT((long long)header_end),
	    A_INT((long long)header_line)), &res);
	json_object_put(mapping);
	if (rc != DB_OK)
		return rc;
	*id = (long long)res.insert_id;
	db_res_free(&res);
	log_msg(LOG_INFO, "import %lld uploaded by %s: %zu rows, %s", *id, r->who.login, total, enc);
	return DB_OK;
}

/* POST /contacts/imports (multipart "file"): stores the file and its job, then shows the mapping screen. */
int imports_upload_post(struct req *r)
{
	const struct param *file = params_get(&r->params, "file");
	const char *msg;
	long long id;
	char loc[96];
	int rc;

	if (!file || !file->filename || !file->value_len)
		return import_error_page(r, 400, "Import.NoFile");
	rc = job_store(r, file->value, file->value_len, file->filename, &id, &msg);
	if (msg)
		return import_error_page(r, rc, msg);
	if (rc != DB_OK)
		return rc;
	snprintf(loc, sizeof loc, "/contacts/import/%lld/mapping", id);
	resp_redirect(r, loc);
	return 0;
}

/* ---------------------------------------------------------------- mapping screen */

/* Import.Targets.N.value/label: ignore, customer, the importable fields, the active additional fields. */
static void set_targets(struct req *r, const struct custom_defs *defs)
{
	char key[96], val[160];
	int k = 0;

	page_set(r, "Import.Targets.0.value", "");
	page_set(r, "Import.Targets.0.label", lang_str(r, "ImportJob.Ignore"));
	page_set(r, "Import.Targets.1.value", "customer");
	page_set(r, "Import.Targets.1.label", lang_str(r, "Field.customer"));
	k = 2;
	for (int f = 0; f < CF__MAX; f++) {
		if (!import_field_importable(f))
			continue;
		snprintf(key, sizeof key, "Import.Targets.%d.value", k);
		page_set(r, key, contact_fields[f].name);
		snprintf(val, sizeof val, "Field.%s", contact_fields[f].name);
		snprintf(key, sizeof key, "Import.Targets.%d.label", k);
		page_set(r, key, lang_str(r, val));
		k++;
	}
	for (size_t i = 0; i < defs->n; i++) {
		const char *label = str_eq(r->lang, "it") && defs->v[i].label_it && *defs->v[i].label_it ?
		    defs->v[i].label_it : defs->v[i].label_en ? defs->v[i].label_en : defs->v[i].key;
		snprintf(key, sizeof key, "Import.Targets.%d.value", k);
		snprintf(val, sizeof val, "custom:%s", defs->v[i].key);
		page_set(r, key, val);
		snprintf(key, sizeof key, "Import.Targets.%d.label", k);
		snprintf(val, sizeof val, "%s (%s)", label, lang_str(r, "ImportJob.Additional"));
		page_set(r, key, val);
		k++;
	}
}

static void set_job(struct req *r, const struct db_res *job)
{
	static const char *const names[] = { "id", "filename", NULL, "encoding", "delimiter", NULL, NULL, "total",
		NULL, "on_duplicate", "dry_run", "status", NULL, NULL, "done", "created", "updated", "skipped",
		"refused", "live", "created_at", "finished_at" };
	char key[64];
	long long total = db_ll(job, 0, J_TOTAL), done = db_ll(job, 0, J_DONE);

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		if (!names[i])
			continue;
		snprintf(key, sizeof key, "Import.Job.%s", names[i]);
		page_set(r, key, db_val(job, 0, i) ? db_val(job, 0, i) : "");
	}
	page_set_int(r, "Import.Job.percent", total > 0 ? (done >= total ? 100 : done * 100 / total) : 100);
}

/* The form's mapping: stored on the job, or a saved mapping applied by header over it. */
static int mapping_page(struct req *r, long long id, long long saved, const char *error, int status)
{
	struct db_res job, maps, sm;
	struct custom_defs defs;
	struct preview pv;
	json_object *mapping = NULL, *apply = NULL;
	char *text = NULL, key[96];
	size_t len;
	int rc;

	if ((rc = load_job(id, &job)) != DB_OK)
		return rc;
	if (!str_eq(db_val(&job, 0, J_STATUS), "new") && !str_eq(db_val(&job, 0, J_STATUS), "checked")) {
		char loc[64];
		db_res_free(&job);
		snprintf(loc, sizeof loc, "/contacts/import/%lld", id);
		resp_redirect(r, loc);
		return 0;
	}
	if (!(text = file_load(&r->app->cfg, db_val(&job, 0, J_STORED), &len))) {
		db_res_free(&job);
		return 404;
	}
	if (preview_read(text, len, db_val(&job, 0, J_DELIM)[0], &pv) < 0) {
		free(text);
		db_res_free(&job);
		return 422;
	}
	if ((rc = custom_defs_load(&defs, 0)) != DB_OK)
		goto out0;
	mapping = json_tokener_parse(db_val(&job, 0, J_MAPPING) ? db_val(&job, 0, J_MAPPING) : "[]");
	if (saved) {
		if ((rc = db_exec(stmts[STMT_MAPPING_GET], DB_ARGS(A_INT(saved)), &sm)) != DB_OK)
			goto out;
		if (sm.nrows)
			apply = json_tokener_parse(db_val(&sm, 0, 0));
		db_res_free(&sm);
	}
	page_set(r, "Page.Title", lang_str(r, "ImportJob.MappingTitle"));
	set_job(r, &job);
	set_targets(r, &defs);
	for (size_t i = 0; i < pv.nheader; i++) {
		struct buf samples = { 0 };
		const char *t = NULL;
		json_object *jt = mapping ? json_object_array_get_idx(mapping, i) : NULL;
		char hk[256];
		if (jt)
			t = json_object_get_string(jt);
		header_key(pv.header[i], hk, sizeof hk);
		if (apply && json_object_object_get_ex(apply, hk, &jt))
			t = json_object_get_string(jt);
		for (size_t k = 0; k < pv.count; k++)
			if (i < pv.nrows[k] && pv.rows[k][i][0])
				buf_printf(&samples, "%s%s", samples.len ? " · " : "", pv.rows[k][i]);
		snprintf(key, sizeof key, "Import.Columns.%zu.header", i);
		page_set(r, key, pv.header[i]);
		snprintf(key, sizeof key, "Import.Columns.%zu.samples", i);
		page_set(r, key, samples.data ? samples.data : "");
		snprintf(key, sizeof key, "Import.Columns.%zu.target", i);
		page_set(r, key, t ? t : "");
		snprintf(key, sizeof key, "Import.Columns.%zu.name", i);
		snprintf(hk, sizeof hk, "col_%zu", i);
		page_set(r, key, hk);
		buf_free(&samples);
	}
	if ((rc = db_exec(stmts[STMT_MAPPINGS], DB_NOARGS, &maps)) != DB_OK)
		goto out;
	{
		static const char *const mnames[] = { "id", "name" };
		page_set_rows(r, "Import.Saved", &maps, mnames, 2);
	}
	db_res_free(&maps);
	page_set_int(r, "Import.SavedId", saved);
	if (error)
		page_set(r, "Import.Error", lang_str(r, error));
	rc = page_render(r, status, "contacts/import_mapping.cs");
out:
	custom_defs_free(&defs);
	json_object_put(mapping);
	json_object_put(apply);
out0:
	preview_free(&pv);
	free(text);
	db_res_free(&job);
	return rc;
}

/* GET /contacts/import/ID/mapping[?saved=MAPPING_ID] */
int imports_mapping_page(struct req *r)
{
	long long saved = 0;
	const char *s = req_param(r, "saved");
	if (s && *s && parse_ll(s, 1, 1LL << 53, &saved) != 0)
		return 422;
	return mapping_page(r, r->ids[0], saved, NULL, 200);
}

static void job_after(struct req *r);

static const char *const dup_choices[] = { "skip", "update", "create", NULL };
static const char *const action_choices[] = { "dry", "run", NULL };
static const struct field mapping_fields[] = {
	{ "on_duplicate", V_ENUM, F_REQUIRED, 0, 0, dup_choices },
	{ "action", V_ENUM, F_REQUIRED, 0, 0, action_choices },
	{ "save_as", V_TEXT, 0, 0, 100, NULL },
};
enum { MF_ONDUP, MF_ACTION, MF_SAVE, MF__MAX };

struct start_ctx {
	struct req  *r;
	long long    id;
	const char  *mapping, *named, *save_as, *ondup;
	int          dry, started;
};

static int start_txn(void *p)
{
	struct start_ctx *c = p;
	struct db_res res;
	int rc;

	c->started = 0;
	if ((rc = db_exec(stmts[STMT_SET_MAPPING], DB_ARGS(A_STR(c->mapping), A_STR(c->ondup), A_INT(c->id)), NULL)) != DB_OK)
		return rc;
	if (c->save_as && (rc = db_exec(stmts[STMT_MAPPING_SAVE], DB_ARGS(A_STR(c->save_as), A_STR(c->named),
	    A_INT(c->r->who.user_id)), NULL)) != DB_OK)
		return rc;
	if ((rc = db_exec(stmts[STMT_START], DB_ARGS(A_INT(c->dry), A_STR(lease_token), A_INT(c->id)), &res)) != DB_OK)
		return rc;
	c->started = res.affected > 0;
	db_res_free(&res);
	if (c->started)
		rc = db_exec(stmts[STMT_DROP_DRY], DB_ARGS(A_INT(c->id)), NULL);
	return rc;
}

/* POST /contacts/import/ID/mapping: the chosen target of every column (col_N), on_duplicate, an optional name
 * to save the mapping under, and action dry|run: stores the mapping and starts the run. */
int imports_mapping_post(struct req *r)
{
	struct fval v[MF__MAX];
	struct ferr errs[MAX_FORM_ERRORS];
	struct db_res job;
	struct custom_defs defs;
	struct preview pv;
	json_object *mapping, *named;
	char *text, key[32], hk[256];
	size_t len;
	int rc, nerr, bad = 0;
	struct start_ctx c;

	if ((nerr = validate_fields(r, mapping_fields, MF__MAX, v, errs)) != 0)
		return mapping_page(r, r->ids[0], 0, "ImportJob.BadForm", 422);
	if ((rc = load_job(r->ids[0], &job)) != DB_OK)
		return rc;
	if (!(text = file_load(&r->app->cfg, db_val(&job, 0, J_STORED), &len))) {
		db_res_free(&job);
		return 404;
	}
	rc = preview_read(text, len, db_val(&job, 0, J_DELIM)[0], &pv);
	free(text);
	db_res_free(&job);
	if (rc < 0)
		return 422;
	if ((rc = custom_defs_load(&defs, 0)) != DB_OK) {
		preview_free(&pv);
		return rc;
	}
	mapping = json_object_new_array();
	named = json_object_new_object();
	for (size_t i = 0; i < pv.nheader; i++) {
		struct column col;
		const char *t;
		snprintf(key, sizeof key, "col_%zu", i);
		t = req_param(r, key);
		if (target_column(&defs, t ? t : "", &col) < 0)
			bad = 1;
		json_object_array_add(mapping, json_object_new_string(t && !bad ? t : ""));
		header_key(pv.header[i], hk, sizeof hk);
		if (!json_object_object_get_ex(named, hk, NULL))
			json_object_object_add(named, hk, json_object_new_string(t && !bad ? t : ""));
	}
	preview_free(&pv);
	custom_defs_free(&defs);
	if (bad) {
		json_object_put(mapping);
		json_object_put(named);
		return mapping_page(r, r->ids[0], 0, "ImportJob.BadTarget", 422);
	}
	new_lease_token();
	c = (struct start_ctx){ r, r->ids[0], json_object_to_json_string_ext(mapping, JSON_C_TO_STRING_PLAIN),
		json_object_to_json_string_ext(named, JSON_C_TO_STRING_PLAIN), v[MF_SAVE].present ? v[MF_SAVE].s : NULL,
		v[MF_ONDUP].s, str_eq(v[MF_ACTION].s, "dry"), 0 };
	rc = db_txn(start_txn, &c);
	json_object_put(mapping);
	json_object_put(named);
	if (rc != DB_OK)
		return rc;
	if (c.started) {
		log_msg(LOG_INFO, "import %lld: %s run started by %s", r->ids[0], c.dry ? "dry" : "real", r->who.login);
		r->after_response = job_after;
	}
	snprintf(hk, sizeof hk, "/contacts/import/%lld", r->ids[0]);
	resp_redirect(r, hk);
	return 0;
}

/* ---------------------------------------------------------------- running in batches */

struct run {
	struct req     *r;
	long long       id;
	const char     *text;
	size_t          len;
	char            delim;
	struct import   im;
	/* one batch's outcome */
	long long       nread;
	int             eof, lost;
};

static char *row_reason(json_object *row)
{
	json_object *e = NULL, *d = NULL;
	struct buf why = { 0 };

	if (json_object_object_get_ex(row, "errors", &e)) {
		json_object_object_foreach(e, fname, fmsg) {
			buf_printf(&why, "%s%s: %s", why.len ? "; " : "", fname, json_object_get_string(fmsg));
		}
	} else if (json_object_object_get_ex(row, "duplicates", &d)) {
		for (size_t i = 0; i < json_object_array_length(d); i++) {
			json_object *id = NULL;
			if (json_object_object_get_ex(json_object_array_get_idx(d, i), "id", &id))
				buf_printf(&why, "%s#%lld", why.len ? ", " : "duplicate of ", (long long)json_object_get_int64(id));
		}
	}
	return why.data;
}

static int batch_txn(void *p)
{
	struct run *c = p;
	struct csv_reader rd;
	struct db_res lock;
	struct rec {
		char  **cells;
		size_t  n, line;
	} *recs;
	unsigned char *need = NULL;
	long long pos, line;
	int rc = DB_OK, dry;
	size_t nrows, nrec = 0, malformed = 0;

	c->nread = 0;
	c->eof = 0;
	c->lost = 0;
	if ((rc = db_exec(stmts[STMT_LOCK_JOB], DB_ARGS(A_INT(c->id)), &lock)) != DB_OK)
		return rc;
	if (!lock.nrows || !str_eq(db_val(&lock, 0, 0), "running") || !str_eq(db_val(&lock, 0, 4), lease_token)) {
		db_res_free(&lock);
		c->lost = 1;	/* another worker took over, or the job was stopped: write nothing */
		return DB_OK;
	}
	dry = db_ll(&lock, 0, 1) != 0;
	pos = db_ll(&lock, 0, 2);
	line = db_ll(&lock, 0, 3);
	db_res_free(&lock);
	if (pos < 0 || (size_t)pos > c->len)
		return DB_ERR;
	json_object_put(c->im.rows);
	c->im.rows = json_object_new_array();
	c->im.created = c->im.updated = c->im.skipped = c->im.refused = 0;
	c->im.snapshots = !dry;
	csv_reader_init(&rd, c->text + pos, c->len - (size_t)pos, c->delim);
	rd.line = (size_t)line;
	/* the batch's records first: their duplicate keys are looked up together */
	if (!(recs = calloc(JOB_BATCH, sizeof *recs)))
		return DB_ERR;
	while (nrec < JOB_BATCH) {
		size_t l = rd.line;
		int got = csv_next(&rd, &recs[nrec].cells, &recs[nrec].n);
		if (got == 0) {
			c->eof = 1;
			break;
		}
		c->nread++;
		if (got < 0) {
			malformed = l;
			c->eof = 1;	/* the rest of the file cannot be read reliably */
			break;
		}
		recs[nrec++].line = l;
	}
	if (c->im.ondup != ON_CREATE && nrec) {
		struct dupe_keys *keys = calloc(nrec, sizeof *keys);
		char **owned = calloc(nrec * 8, sizeof *owned);
		need = calloc(nrec, 1);
		if (!keys || !owned || !need)
			rc = DB_ERR;
		for (size_t i = 0; i < nrec && rc == DB_OK; i++)
			import_row_keys(&c->im, recs[i].cells, recs[i].n, &keys[i], owned + i * 8);
		if (rc == DB_OK)
			rc = dupe_prefilter(keys, nrec, need);
		for (size_t i = 0; owned && i < nrec * 8; i++)
			free(owned[i]);
		free(owned);
		free(keys);
	}
	if (rc == DB_OK && dry)
		rc = db_exec_text("SAVEPOINT import_dry");
	for (size_t i = 0; i < nrec && rc == DB_OK; i++) {
		size_t before = json_object_array_length(c->im.rows), after;
		c->im.no_dupes = need && !need[i];
		rc = import_row(&c->im, recs[i].line, recs[i].cells, recs[i].n);
		/* this row's outcome, if any (a flush of waiting rows may have come before it): the cells of a refusal */
		after = json_object_array_length(c->im.rows);
		if (rc == DB_OK && after > before) {
			json_object *row = json_object_array_get_idx(c->im.rows, after - 1), *res = NULL;
			if (json_object_get_int64(json_object_object_get(row, "line")) == (long long)recs[i].line &&
			    json_object_object_get_ex(row, "result", &res) && str_eq(json_object_get_string(res), "refused")) {
				json_object *a = json_object_new_array();
				for (size_t k = 0; k < recs[i].n; k++)
					json_object_array_add(a, json_object_new_string(recs[i].cells[k]));
				json_object_object_add(row, "cells", a);
			}
		}
	}
	if (rc == DB_OK)
		rc = import_flush(&c->im);
	import_pending_free(&c->im);	/* none left unless the batch failed */
	c->im.no_dupes = 0;
	for (size_t i = 0; i < nrec; i++)
		csv_record_free(recs[i].cells, recs[i].n);
	free(recs);
	free(need);
	if (rc != DB_OK)
		return rc;
	if (malformed) {
		json_object *o = json_object_new_object(), *e = json_object_new_object();
		json_object_object_add(e, "file", json_object_new_string(lang_str(c->r, "Import.Malformed")));
		json_object_object_add(o, "line", json_object_new_int64((long long)malformed));
		json_object_object_add(o, "result", json_object_new_string("refused"));
		json_object_object_add(o, "errors", e);
		json_object_array_add(c->im.rows, o);
		c->im.refused++;
	}
	if (rd.p >= rd.end)
		c->eof = 1;
	if (dry && (rc = db_exec_text("ROLLBACK TO SAVEPOINT import_dry")) != DB_OK)
		return rc;
	nrows = json_object_array_length(c->im.rows);
	for (size_t i = 0; i < nrows && rc == DB_OK;) {
		struct db_arg a[ROWS_MANY * 8];
		char *reasons[ROWS_MANY];
		size_t k = nrows - i >= ROWS_MANY ? ROWS_MANY : nrows - i >= 10 ? 10 : 1;
		for (size_t j = 0; j < k; j++) {
			json_object *row = json_object_array_get_idx(c->im.rows, i + j), *x;
			const char *outcome = json_object_get_string(json_object_object_get(row, "result"));
			long long cid = json_object_get_int64(json_object_object_get(row, "id"));
			struct db_arg *v = a + j * 8;
			reasons[j] = row_reason(row);
			v[0] = A_INT(c->id);
			v[1] = A_INT(dry);
			v[2] = A_INT(json_object_get_int64(json_object_object_get(row, "line")));
			v[3] = A_STR(outcome);
			v[4] = cid && !(dry && str_eq(outcome, "created")) ? A_INT(cid) : A_NULL;
			v[5] = A_STR(reasons[j]);
			v[6] = json_object_object_get_ex(row, "cells", &x) ? A_STR(json_object_to_json_string_ext(x, JSON_C_TO_STRING_PLAIN)) : A_NULL;
			v[7] = json_object_object_get_ex(row, "snapshot", &x) ? A_STR(json_object_to_json_string_ext(x, JSON_C_TO_STRING_PLAIN)) : A_NULL;
		}
		rc = db_exec(stmts[k == 1 ? STMT_ROW_ADD : k == 10 ? STMT_ROW_ADD_10 : STMT_ROW_ADD_MANY], a, k * 8, NULL);
		for (size_t j = 0; j < k; j++)
			free(reasons[j]);
		i += k;
	}
	if (rc != DB_OK)
		return rc;
	return db_exec(stmts[STMT_ADVANCE], DB_ARGS(A_INT((long long)(rd.p - c->text)), A_INT((long long)rd.line),
	    A_INT(c->nread), A_INT(c->im.created), A_INT(c->im.updated), A_INT(c->im.skipped), A_INT(c->im.refused),
	    A_INT(c->eof), A_INT(c->eof), A_INT(c->eof), A_INT(c->id)), NULL);
}

/* Runs the job's remaining batches under our lease; stops early when the worker is asked to stop or the lease
 * was taken over. */
static void job_run(struct req *r, const struct db_res *job)
{
	struct run c;
	struct timespec t0, t1;
	long long rows = 0, batches = 0;
	unsigned long calls0, calls1;
	double dbs0, dbs1;
	json_object *mapping;
	int rc = DB_OK;

	memset(&c, 0, sizeof c);
	c.r = r;
	c.id = db_ll(job, 0, J_ID);
	c.delim = db_val(job, 0, J_DELIM)[0];
	c.im.r = r;
	c.im.bulk = 1;
	c.im.ondup = str_eq(db_val(job, 0, J_ONDUP), "update") ? ON_UPDATE : str_eq(db_val(job, 0, J_ONDUP), "create") ?
	    ON_CREATE : ON_SKIP;
	if (!(c.text = file_load(&r->app->cfg, db_val(job, 0, J_STORED), &c.len))) {
		log_msg(LOG_ERR, "import %lld: the stored file is missing", c.id);
		return;
	}
	if (custom_defs_load(&c.im.defs, 0) != DB_OK) {
		free((char *)c.text);
		return;
	}
	mapping = json_tokener_parse(db_val(job, 0, J_MAPPING) ? db_val(job, 0, J_MAPPING) : "[]");
	c.im.ncols = mapping && json_object_is_type(mapping, json_type_array) ? json_object_array_length(mapping) : 0;
	c.im.cols = calloc(c.im.ncols ? c.im.ncols : 1, sizeof *c.im.cols);
	for (size_t i = 0; i < c.im.ncols; i++)
		if (target_column(&c.im.defs, json_object_get_string(json_object_array_get_idx(mapping, i)), &c.im.cols[i]) < 0)
			c.im.cols[i].kind = COL_NONE;	/* a field removed since: ignored */
	json_object_put(mapping);
	db_stats(&calls0, &dbs0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (app_stopping()) {
			log_msg(LOG_WARN, "import %lld: worker stopping; the job resumes from its last batch", c.id);
			break;
		}
		contact_rules_cache(1);
		rc = db_txn(batch_txn, &c);
		contact_rules_cache(0);
		if (rc != DB_OK)
			break;
		if (c.lost)
			break;
		rows += c.nread;
		batches++;
		if (c.eof)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	db_stats(&calls1, &dbs1);
	{
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		log_msg(rc == DB_OK ? LOG_INFO : LOG_ERR, "import %lld: %lld rows in %lld batch(es), %.2f s (%.0f rows/s), "
		    "%lu statements (%.1f a row), %.2f s in the database%s%s", c.id, rows, batches, s,
		    s > 0 ? rows / s : 0.0, calls1 - calls0, rows ? (double)(calls1 - calls0) / rows : 0.0, dbs1 - dbs0,
		    c.eof ? ", finished" : "", rc != DB_OK ? ", stopped by an error (Resume continues)" : "");
	}
	if (!c.eof && !c.lost)
		(void)db_exec(stmts[STMT_RELEASE], DB_ARGS(A_INT(c.id), A_STR(lease_token)), NULL);
	json_object_put(c.im.rows);
	free(c.im.cols);
	custom_defs_free(&c.im.defs);
	free((char *)c.text);
}

/* ---------------------------------------------------------------- revert */

struct revert {
	struct req *r;
	long long   id;
	int         finished, lost;
	long long   n;
	struct custom_defs defs;	/* for the additional values of updated contacts */
};

/* Puts the snapshot's values back (field history records the change as an update). */
static int restore_contact(struct req *r, const struct custom_defs *defs, long long cid, const char *snapshot)
{
	struct contact_in in;
	struct contact_err err;
	struct custom_in cin;
	struct db_res cur;
	json_object *s = snapshot ? json_tokener_parse(snapshot) : NULL, *custom = NULL;
	int rc;

	if (!s)
		return DB_OK;
	if ((rc = contact_load(cid, 0, &cur)) != DB_OK) {
		json_object_put(s);
		return rc;
	}
	if (!cur.nrows) {	/* deleted since: nothing to restore */
		db_res_free(&cur);
		json_object_put(s);
		return DB_OK;
	}
	memset(&in, 0, sizeof in);
	for (int f = 0; f < CF__MAX; f++) {
		json_object *v = NULL;
		if (json_object_object_get_ex(s, contact_fields[f].name, &v) && v)
			in.v[f] = xstrdup(json_object_get_string(v));
		else if (!json_object_object_get_ex(s, contact_fields[f].name, NULL) && db_val(&cur, 0, (size_t)f))
			in.v[f] = xstrdup(db_val(&cur, 0, (size_t)f));
		if (in.v[f] && !*in.v[f]) {
			free(in.v[f]);
			in.v[f] = NULL;
		}
	}
	/* the additional values the import replaced ("" clears one that had none; a field deactivated since
	 * is left as it is) */
	if (json_object_object_get_ex(s, "custom", &custom) && json_object_is_type(custom, json_type_object)) {
		if ((rc = custom_in_init(&cin, defs, cid, CTX_BACKOFFICE | CTX_EXPORT, 0)) != DB_OK) {
			json_object_put(s);
			db_res_free(&cur);
			contact_in_free(&in);
			return rc;
		}
		json_object_object_foreach(custom, key, val)
			(void)custom_in_set(&cin, key, val ? json_object_get_string(val) : "");
		in.custom = &cin;
	}
	json_object_put(s);
	/* for the normalized phones; the stored values passed these checks when they were written */
	if ((rc = contact_validate(&in, cid, &err)) == DB_OK)
		rc = contact_update(r, cid, db_ll(&cur, 0, CM_VERSION), &in, &cur);
	if (rc == 404)
		rc = DB_OK;
	db_res_free(&cur);
	if (in.custom)
		custom_in_free(&cin);
	contact_in_free(&in);
	return rc;
}

static int revert_txn(void *p)
{
	struct revert *c = p;
	struct db_res lock, rows;
	int rc;

	c->finished = c->lost = 0;
	c->n = 0;
	if ((rc = db_exec(stmts[STMT_LOCK_JOB], DB_ARGS(A_INT(c->id)), &lock)) != DB_OK)
		return rc;
	if (!lock.nrows || !str_eq(db_val(&lock, 0, 0), "reverting") || !str_eq(db_val(&lock, 0, 4), lease_token)) {
		db_res_free(&lock);
		c->lost = 1;
		return DB_OK;
	}
	db_res_free(&lock);
	if ((rc = db_exec(stmts[STMT_REVERT_ROWS], DB_ARGS(A_INT(c->id)), &rows)) != DB_OK)
		return rc;
	for (size_t i = 0; i < rows.nrows && rc == DB_OK; i++) {
		long long cid = db_ll(&rows, i, 2);
		if (str_eq(db_val(&rows, i, 1), "created") && cid) {
			/* removed for good (links, comments and consents go with it); its history stays */
			struct db_res del;
			if ((rc = db_exec(stmts[STMT_DELETE_CONTACT], DB_ARGS(A_INT(cid)), &del)) != DB_OK)
				break;
			if (del.affected)
				rc = history_add(c->r, "contact", cid, "import_revert", NULL, NULL, NULL);
			db_res_free(&del);
		} else if (cid) {
			rc = restore_contact(c->r, &c->defs, cid, db_val(&rows, i, 3));
		}
		if (rc == DB_OK)
			rc = db_exec(stmts[STMT_REVERT_MARK], DB_ARGS(A_INT(c->id), A_INT(db_ll(&rows, i, 0))), NULL);
		c->n++;
	}
	if (rc == DB_OK)
		c->finished = rows.nrows == 0;
	db_res_free(&rows);
	if (rc != DB_OK)
		return rc;
	return db_exec(stmts[c->finished ? STMT_REVERTED : STMT_RENEW], DB_ARGS(A_INT(c->id)), NULL);
}

static void job_revert(struct req *r, long long id)
{
	struct revert c = { r, id, 0, 0, 0, { NULL, 0 } };
	long long total = 0;
	int rc;

	if ((rc = custom_defs_load(&c.defs, 0)) != DB_OK) {
		log_msg(LOG_ERR, "import %lld: revert not started: the additional fields could not be read", id);
		(void)db_exec(stmts[STMT_RELEASE], DB_ARGS(A_INT(id), A_STR(lease_token)), NULL);
		return;
	}
	while (!app_stopping()) {
		if ((rc = db_txn(revert_txn, &c)) != DB_OK || c.lost || c.finished)
			break;
		total += c.n;
	}
	log_msg(rc == DB_OK ? LOG_INFO : LOG_ERR, "import %lld: revert %s after %lld row(s)", id,
	    c.finished ? "finished" : "stopped", total);
	if (!c.finished && !c.lost)
		(void)db_exec(stmts[STMT_RELEASE], DB_ARGS(A_INT(id), A_STR(lease_token)), NULL);
	custom_defs_free(&c.defs);
}

/* After the response: drives the job whose lease this request took. */
static void job_after(struct req *r)
{
	struct db_res job;

	if (load_job(r->ids[0], &job) != DB_OK)
		return;
	if (str_eq(db_val(&job, 0, J_STATUS), "reverting"))
		job_revert(r, r->ids[0]);
	else if (str_eq(db_val(&job, 0, J_STATUS), "running"))
		job_run(r, &job);
	db_res_free(&job);
}

/* ---------------------------------------------------------------- pages */

/* GET /contacts/import/ID[?from=LINE]: status, counts, percentage (refreshing while a worker holds the lease),
 * Resume when the lease ran out, and the outcome of each line, PAGE_ROWS at a time. */
int imports_job_page(struct req *r)
{
	static const char *const names[] = { "line", "outcome", "contact_id", "reason" };
	struct db_res job, rows;
	long long from = 0;
	const char *f = req_param(r, "from"), *status;
	int rc;

	if (f && *f && parse_ll(f, 0, 1LL << 40, &from) != 0)
		return 422;
	if ((rc = load_job(r->ids[0], &job)) != DB_OK)
		return rc;
	set_job(r, &job);
	status = db_val(&job, 0, J_STATUS);
	if (str_eq(status, "running") || str_eq(status, "reverting")) {
		if (db_ll(&job, 0, J_LIVE))
			page_set(r, "Page.Refresh", "2");
		else
			page_set_int(r, "Import.Job.stalled", 1);
	}
	page_set(r, "Page.Title", lang_str(r, "ImportJob.Title"));
	if ((rc = db_exec(stmts[STMT_ROWS_PAGE], DB_ARGS(A_INT(r->ids[0]), A_INT(db_ll(&job, 0, J_DRY)), A_INT(from)),
	    &rows)) != DB_OK) {
		db_res_free(&job);
		return rc;
	}
	{
		size_t fetched = rows.nrows;
		if (rows.nrows > PAGE_ROWS) {
			rows.nrows = PAGE_ROWS;
			page_set(r, "Import.Next", db_val(&rows, PAGE_ROWS - 1, 0));
		}
		page_set_rows(r, "Import.Rows", &rows, names, 4);
		rows.nrows = fetched;	/* db_res_free frees the cells of every fetched row */
	}
	db_res_free(&rows);
	db_res_free(&job);
	return page_render(r, 200, "contacts/import_job.cs");
}

/* GET /contacts/imports: the recent jobs. */
int imports_list_page(struct req *r)
{
	static const char *const names[] = { "id", "filename", "status", "dry_run", "total", "done", "created_at" };
	struct db_res res;
	int rc;

	if ((rc = db_exec(stmts[STMT_JOBS], DB_NOARGS, &res)) != DB_OK)
		return rc;
	page_set(r, "Page.Title", lang_str(r, "ImportJob.ListTitle"));
	page_set_rows(r, "Import.Jobs", &res, names, 7);
	db_res_free(&res);
	return page_render(r, 200, "contacts/import_jobs.cs");
}

static int redirect_job(struct req *r)
{
	char loc[64];
	snprintf(loc, sizeof loc, "/contacts/import/%lld", r->ids[0]);
	resp_redirect(r, loc);
	return 0;
}

/* POST /contacts/import/ID/resume: takes over a job whose lease ran out (its worker died or stopped). */
int imports_resume_post(struct req *r)
{
	struct db_res res;
	int rc;

	new_lease_token();
	if ((rc = db_exec(stmts[STMT_TAKE], DB_ARGS(A_STR(lease_token), A_INT(r->ids[0])), &res)) != DB_OK)
		return rc;
	if (res.affected) {
		log_msg(LOG_INFO, "import %lld resumed by %s", r->ids[0], r->who.login);
		r->after_response = job_after;
	}
	db_res_free(&res);
	return redirect_job(r);
}

/* POST /contacts/import/ID/run: the real run after a dry run, with the same mapping. */
int imports_run_post(struct req *r)
{
	struct db_res res;
	int rc;

	new_lease_token();
	if ((rc = db_exec(stmts[STMT_START], DB_ARGS(A_INT(0), A_STR(lease_token), A_INT(r->ids[0])), &res)) != DB_OK)
		return rc;
	if (res.affected)
		r->after_response = job_after;
	db_res_free(&res);
	return redirect_job(r);
}

/* GET /contacts/import/ID/revert: the confirmation. */
int imports_revert_page(struct req *r)
{
	struct db_res job;
	int rc;

	if ((rc = load_job(r->ids[0], &job)) != DB_OK)
		return rc;
	set_job(r, &job);
	db_res_free(&job);
	page_set(r, "Page.Title", lang_str(r, "ImportJob.RevertTitle"));
	return page_render(r, 200, "contacts/import_revert.cs");
}

/* POST /contacts/import/ID/revert: created contacts are deleted, updated ones get their previous values back,
 * in batches after the response. */
int imports_revert_post(struct req *r)
{
	struct db_res res;
	int rc;

	new_lease_token();
	if ((rc = db_exec(stmts[STMT_REVERT_START], DB_ARGS(A_STR(lease_token), A_INT(r->ids[0])), &res)) != DB_OK)
		return rc;
	if (res.affected) {
		log_msg(LOG_INFO, "import %lld: revert started by %s", r->ids[0], r->who.login);
		r->after_response = job_after;
	}
	db_res_free(&res);
	return redirect_job(r);
}

/* GET /contacts/import/ID/refused.csv: the refused rows of the last run as read, plus a reason column. */
int imports_refused_csv(struct req *r)
{
	struct db_res job, rows;
	struct preview pv;
	char *text;
	size_t len;
	long long after = 0;
	int rc;

	if ((rc = load_job(r->ids[0], &job)) != DB_OK)
		return rc;
	if (!(text = file_load(&r->app->cfg, db_val(&job, 0, J_STORED), &len))) {
		db_res_free(&job);
		return 404;
	}
	rc = preview_read(text, len, db_val(&job, 0, J_DELIM)[0], &pv);
	free(text);
	if (rc < 0) {
		db_res_free(&job);
		return 422;
	}
	buf_reset(&r->resp.body);
	buf_puts(&r->resp.body, "line,");
	for (size_t i = 0; i < pv.nheader; i++) {
		csv_cell(&r->resp.body, pv.header[i]);
		buf_puts(&r->resp.body, ",");
	}
	buf_puts(&r->resp.body, "reason\r\n");
	preview_free(&pv);
	for (;;) {
		if ((rc = db_exec(stmts[STMT_REFUSED], DB_ARGS(A_INT(r->ids[0]), A_INT(db_ll(&job, 0, J_DRY)), A_INT(after)),
		    &rows)) != DB_OK) {
			db_res_free(&job);
			return rc;
		}
		for (size_t i = 0; i < rows.nrows; i++) {
			json_object *cells = db_val(&rows, i, 2) ? json_tokener_parse(db_val(&rows, i, 2)) : NULL;
			size_t n = cells && json_object_is_type(cells, json_type_array) ? json_object_array_length(cells) : 0;
			buf_printf(&r->resp.body, "%s,", db_val(&rows, i, 0));
			for (size_t k = 0; k < n || k < pv.nheader; k++) {
				csv_cell(&r->resp.body, k < n ? json_object_get_string(json_object_array_get_idx(cells, k)) : NULL);
				buf_puts(&r->resp.body, ",");
			}
			csv_cell(&r->resp.body, db_val(&rows, i, 1));
			buf_puts(&r->resp.body, "\r\n");
			json_object_put(cells);
			after = db_ll(&rows, i, 0);
		}
		{
			size_t n = rows.nrows;
			db_res_free(&rows);
			if (n < 1000)
				break;
		}
	}
	db_res_free(&job);
	r->resp.status = 200;
	r->resp.ctype = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition: attachment; filename=\"import-%lld-refused.csv\"", r->ids[0]);
	return 0;
}

/* ---------------------------------------------------------------- API */

static json_object *job_json(const struct db_res *job)
{
	json_object *o = json_object_new_object();
	long long total = db_ll(job, 0, J_TOTAL), done = db_ll(job, 0, J_DONE);
	const char *status = db_val(job, 0, J_STATUS);
	char url[64];

	json_object_object_add(o, "id", json_object_new_int64(db_ll(job, 0, J_ID)));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "dry_run", json_object_new_boolean(db_ll(job, 0, J_DRY) != 0));
	json_object_object_add(o, "on_duplicate", json_object_new_string(db_val(job, 0, J_ONDUP)));
	json_object_object_add(o, "encoding", json_object_new_string(db_val(job, 0, J_ENCODING)));
	json_object_object_add(o, "total", json_object_new_int64(total));
	json_object_object_add(o, "done", json_object_new_int64(done));
	json_object_object_add(o, "percent", json_object_new_int64(total > 0 ? (done >= total ? 100 : done * 100 / total) : 100));
	json_object_object_add(o, "created", json_object_new_int64(db_ll(job, 0, J_CREATED)));
	json_object_object_add(o, "updated", json_object_new_int64(db_ll(job, 0, J_UPDATED)));
	json_object_object_add(o, "skipped", json_object_new_int64(db_ll(job, 0, J_SKIPPED)));
	json_object_object_add(o, "refused", json_object_new_int64(db_ll(job, 0, J_REFUSED)));
	json_object_object_add(o, "stalled", json_object_new_boolean((str_eq(status, "running") ||
	    str_eq(status, "reverting")) && !db_ll(job, 0, J_LIVE)));
	snprintf(url, sizeof url, "/contacts/import/%lld", db_ll(job, 0, J_ID));
	json_object_object_add(o, "page", json_object_new_string(url));
	return o;
}

int imports_api_stage(struct req *r, const char *data, size_t len, int dry, const char *ondup)
{
	struct db_res res, job;
	const char *msg;
	long long id;
	int rc, started;

	rc = job_store(r, data, len, "api.csv", &id, &msg);
	if (msg) {
		resp_json_error(r, rc, rc == 400 ? "bad_request" : rc == 422 ? "invalid" : "server_error", lang_str(r, msg), NULL);
		return 0;
	}
	if (rc != DB_OK)
		return rc;
	new_lease_token();
	if ((rc = db_exec(stmts[STMT_SET_ONDUP], DB_ARGS(A_STR(ondup), A_INT(id)), NULL)) != DB_OK)
		return rc;
	if ((rc = db_exec(stmts[STMT_START], DB_ARGS(A_INT(dry), A_STR(lease_token), A_INT(id)), &res)) != DB_OK)
		return rc;
	started = res.affected > 0;
	db_res_free(&res);
	if ((rc = load_job(id, &job)) != DB_OK)
		return rc;
	if (started) {
		/* the batches run after the response, as for the staff page */
		r->ids[0] = id;
		r->nids = 1;
		r->after_response = job_after;
	}
	resp_header(r, "Location: /api/v1/contacts/imports/%lld", id);
	resp_json(r, 202, job_json(&job));
	db_res_free(&job);
	return 0;
}

/* GET /api/v1/contacts/imports/ID: a staged import's state and counts. */
int imports_api_get(struct req *r)
{
	struct db_res job;
	int rc;

	if ((rc = load_job(r->ids[0], &job)) != DB_OK)
		return rc;
	resp_json(r, 200, job_json(&job));
	db_res_free(&job);
	return 0;
}
