/* contact.c — the contact record: field table, whole-record validation, writes with history, derived status. */
#include "contact.h"
#include "app.h"
#include "consent.h"
#include "custom.h"
#include "db.h"
#include "portalacct.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const contact_types[] = { "customer_contact", "partner_contact", "vendor_contact",
	"private_customer", "other", NULL };
static const char *const preferences[] = { "any", "work_phone", "mobile_phone", "email", NULL };
static const char *const sources[] = { "email", "business_card", "database", "internet",
	"lead_conversion", "import", "portal", "api", "other", NULL };

const struct field contact_fields[CF__MAX] = {
	[CF_FIRST_NAME]          = { "first_name", V_TEXT, 0, 0, 100, NULL },
	[CF_MIDDLE_NAME]         = { "middle_name", V_TEXT, 0, 0, 100, NULL },
	[CF_LAST_NAME]           = { "last_name", V_TEXT, 0, 0, 100, NULL },
	[CF_BIRTHDAY]            = { "birthday", V_PAST_DATE, 0, 0, 0, NULL },
	[CF_CONTACT_TYPE]        = { "contact_type", V_ENUM, 0, 0, 0, contact_types },
	[CF_REPORTS_TO_ID]       = { "reports_to_id", V_ID, 0, 0, 0, NULL },
	[CF_JOB_TITLE]           = { "job_title", V_TEXT, 0, 0, 150, NULL },
	[CF_CERTIFICATE]         = { "certificate", V_TEXT, 0, 0, 150, NULL },
	[CF_TIMEZONE]            = { "timezone", V_TIMEZONE, 0, 0, 0, NULL },
	[CF_LANGUAGE]            = { "language", V_LANG, 0, 0, 0, NULL },
	[CF_MOBILE_PHONE]        = { "mobile_phone", V_PHONE, 0, 0, 0, NULL },
	[CF_MOBILE_PHONE_2]      = { "mobile_phone_2", V_PHONE, 0, 0, 0, NULL },
	[CF_WORK_PHONE]          = { "work_phone", V_PHONE, 0, 0, 0, NULL },
	[CF_EMAIL]               = { "email", V_EMAIL, 0, 0, 0, NULL },
	[CF_EMAIL_2]             = { "email_2", V_EMAIL, 0, 0, 0, NULL },
	[CF_OTHER_CONTACTS]      = { "other_contacts", V_LONGTEXT, 0, 0, 2000, NULL },
	[CF_CONTACT_PREFERENCE]  = { "contact_preference", V_ENUM, 0, 0, 0, preferences },
	[CF_DO_NOT_CALL]         = { "do_not_call", V_BOOL, 0, 0, 0, NULL },
	[CF_DO_NOT_EMAIL]        = { "do_not_email", V_BOOL, 0, 0, 0, NULL },
	[CF_BLOCK_AUTO_EMAILS]   = { "block_auto_emails", V_BOOL, 0, 0, 0, NULL },
	[CF_RECEIVES_NEWSLETTER] = { "receives_newsletter", V_BOOL, 0, 0, 0, NULL },
	[CF_PORTAL_USER]         = { "portal_user", V_BOOL, 0, 0, 0, NULL },
	[CF_SUPPORT_START_DATE]  = { "support_start_date", V_DATE, 0, 0, 0, NULL },
	[CF_SUPPORT_END_DATE]    = { "support_end_date", V_DATE, 0, 0, 0, NULL },
	[CF_IS_USER]             = { "is_user", V_BOOL, 0, 0, 0, NULL },
	[CF_USER_ID]             = { "user_id", V_ID, 0, 0, 0, NULL },
	[CF_SOURCE]              = { "source", V_ENUM, 0, 0, 0, sources },
	[CF_NOTES]               = { "notes", V_LONGTEXT, 0, 0, 60000, NULL },
	[CF_ACTIVE]              = { "active", V_BOOL, 0, 0, 0, NULL },
};

const char *const contact_section[CF__MAX] = {
	[CF_FIRST_NAME] = "master", [CF_MIDDLE_NAME] = "master", [CF_LAST_NAME] = "master",
	[CF_BIRTHDAY] = "master", [CF_CONTACT_TYPE] = "master", [CF_REPORTS_TO_ID] = "master",
	[CF_JOB_TITLE] = "working", [CF_CERTIFICATE] = "working", [CF_TIMEZONE] = "working",
	[CF_LANGUAGE] = "working",
	[CF_MOBILE_PHONE] = "channels", [CF_MOBILE_PHONE_2] = "channels", [CF_WORK_PHONE] = "channels",
	[CF_EMAIL] = "channels", [CF_EMAIL_2] = "channels", [CF_OTHER_CONTACTS] = "channels",
	[CF_CONTACT_PREFERENCE] = "prefs", [CF_DO_NOT_CALL] = "prefs", [CF_DO_NOT_EMAIL] = "prefs",
	[CF_BLOCK_AUTO_EMAILS] = "prefs", [CF_RECEIVES_NEWSLETTER] = "prefs",
	[CF_PORTAL_USER] = "portal", [CF_SUPPORT_START_DATE] = "portal", [CF_SUPPORT_END_DATE] = "portal",
	[CF_IS_USER] = "user", [CF_USER_ID] = "user",
	[CF_SOURCE] = "other", [CF_NOTES] = "other", [CF_ACTIVE] = "other",
};

#define EDIT_COLS \
	"first_name, middle_name, last_name, birthday, contact_type, reports_to_id, job_title, " \
	"certificate, timezone, language, mobile_phone, mobile_phone_2, work_phone, email, email_2, " \
	"other_contacts, contact_preference, do_not_call, do_not_email, block_auto_emails, " \
	"receives_newsletter, portal_user, support_start_date, support_end_date, is_user, user_id, " \
	"source, notes, active"

enum stmt {
	STMT_LOAD, STMT_INSERT, STMT_UPDATE, STMT_EXISTS, STMT_PARENT, STMT_USER_EXISTS, STMT_SETTING,
	STMT_CONNECTED, STMT_SET_STATUS, STMT_HISTORY, STMT_DELETE, STMT_RESTORE,
	STMT_ANON_USER, STMT_ANON_USER_SESSIONS, STMT_ANON_USER_TOKENS, STMT_ANON_CONTACT, STMT_ANON_PORTAL,
	STMT_ANON_HISTORY, STMT_ANON_COMMENTS, STMT_ANON_LISTS, STMT_ANON_OUTBOX, STMT_ANON_TICKETS,
	STMT_ANON_TICKET_COMMENTS,
	STMT_LOGIN_USER_ADD, STMT_LOGIN_LINK, STMT_PURGE, STMT_PURGE_HISTORY, STMT_FORGET_MERGES,
	STMT_HISTORY_2, STMT_HISTORY_3, STMT_HISTORY_4, STMT_HISTORY_5, STMT_HISTORY_6, STMT_HISTORY_7,
	STMT_HISTORY_8, STMT_HISTORY_9, STMT_HISTORY_10, STMT_HISTORY_11, STMT_HISTORY_12, STMT_HISTORY_13,
	STMT_HISTORY_14, STMT_HISTORY_15, STMT_HISTORY_16, STMT_HISTORY_32, STMT_HISTORY_128, STMT_INSERT_MANY, STMT_INSERT_10, STMT_AUTOINC, STMT__MAX
};

/* Several history rows of one change in one statement (a create writes one row per given field). */
#define HIST_INSERT "INSERT INTO history (entity, entity_id, user_id, actor, action, field, old_value, new_value) VALUES "
#define HIST_ROW "(?, ?, ?, ?, ?, ?, ?, ?)"
#define HIST_ROWS_2 HIST_ROW ", " HIST_ROW
#define HIST_ROWS_4 HIST_ROWS_2 ", " HIST_ROWS_2
#define HIST_ROWS_8 HIST_ROWS_4 ", " HIST_ROWS_4
#define HIST_ROWS_16 HIST_ROWS_8 ", " HIST_ROWS_8
#define HIST_ROWS_32 HIST_ROWS_16 ", " HIST_ROWS_16
#define HIST_ROWS_128 HIST_ROWS_32 ", " HIST_ROWS_32 ", " HIST_ROWS_32 ", " HIST_ROWS_32
#define HIST_MAX 128

/* contact_create_many: CREATE_MANY new contacts a statement (35 parameters each): at 7 a statement the round
 * trips were a quarter of an import's time. */
#define CREATE_MANY 50
#define CONTACT_VALUES "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define CONTACT_VALUES_5 CONTACT_VALUES ", " CONTACT_VALUES ", " CONTACT_VALUES ", " CONTACT_VALUES ", " CONTACT_VALUES
#define CONTACT_VALUES_10 CONTACT_VALUES_5 ", " CONTACT_VALUES_5
#define CONTACT_VALUES_50 CONTACT_VALUES_10 ", " CONTACT_VALUES_10 ", " CONTACT_VALUES_10 ", " CONTACT_VALUES_10 ", " \
	CONTACT_VALUES_10
#define CONTACT_INSERT "INSERT INTO contacts (" EDIT_COLS ", mobile_phone_norm, mobile_phone_2_norm, work_phone_norm, " \
	"owner_id, created_by, updated_by) VALUES "

static const char *const stmts[STMT__MAX] = {
	[STMT_LOAD] =
	    "SELECT c.first_name, c.middle_name, c.last_name, c.birthday, c.contact_type, c.reports_to_id, "
	    "c.job_title, c.certificate, c.timezone, c.language, c.mobile_phone, c.mobile_phone_2, c.work_phone, "
	    "c.email, c.email_2, c.other_contacts, c.contact_preference, c.do_not_call, c.do_not_email, "
	    "c.block_auto_emails, c.receives_newsletter, c.portal_user, c.support_start_date, "
	    "c.support_end_date, c.is_user, c.user_id, c.source, c.notes, c.active, "
	    "c.id, c.status, c.owner_id, c.created_at, c.created_by, c.updated_at, c.updated_by, c.version, "
	    "c.anonymized_at, c.deleted_at, NULLIF(TRIM(CONCAT(r.first_name, ' ', r.last_name)), ''), u.login "
	    "FROM contacts c LEFT JOIN contacts r ON r.id = c.reports_to_id LEFT JOIN users u ON u.id = c.user_id "
	    "WHERE c.id = ? AND (? = 1 OR c.deleted_at IS NULL)",
	[STMT_INSERT] =
	    "INSERT INTO contacts (" EDIT_COLS ", mobile_phone_norm, mobile_phone_2_norm, work_phone_norm, "
	    "owner_id, created_by, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_UPDATE] =
	    "UPDATE contacts SET first_name = ?, middle_name = ?, last_name = ?, birthday = ?, contact_type = ?, "
	    "reports_to_id = ?, job_title = ?, certificate = ?, timezone = ?, language = ?, mobile_phone = ?, "
	    "mobile_phone_2 = ?, work_phone = ?, email = ?, email_2 = ?, other_contacts = ?, "
	    "contact_preference = ?, do_not_call = ?, do_not_email = ?, block_auto_emails = ?, "
	    "receives_newsletter = ?, portal_user = ?, support_start_date = ?, support_end_date = ?, "
	    "is_user = ?, user_id = ?, source = ?, notes = ?, active = ?, mobile_phone_norm = ?, "
	    "mobile_phone_2_norm = ?, work_phone_norm = ?, updated_by = ?, updated_at = NOW(), "
	    "version = version + 1 WHERE id = ? AND version = ? AND deleted_at IS NULL",
	[STMT_EXISTS] = "SELECT version FROM contacts WHERE id = ? AND deleted_at IS NULL",
	[STMT_PARENT] = "SELECT reports_to_id FROM contacts WHERE id = ? AND deleted_at IS NULL",
	[STMT_USER_EXISTS] = "SELECT 1 FROM users WHERE id = ?",
	[STMT_SETTING] = "SELECT v FROM settings WHERE k = ?",
	/* Links to customers or leads in the recycle bin do not count. */
	[STMT_CONNECTED] =
	    "SELECT EXISTS (SELECT 1 FROM connections cn LEFT JOIN customers cu ON cu.id = cn.customer_id "
	    "LEFT JOIN leads ld ON ld.id = cn.lead_id WHERE cn.contact_id = ? "
	    "AND COALESCE(cu.deleted_at, ld.deleted_at) IS NULL)",
	[STMT_SET_STATUS] = "UPDATE contacts SET status = ? WHERE id = ? AND status <> ?",
	[STMT_HISTORY] =
	    "INSERT INTO history (entity, entity_id, user_id, actor, action, field, old_value, new_value) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_DELETE] =
	    "UPDATE contacts SET deleted_at = NOW(), deleted_by = ?, version = version + 1 "
	    "WHERE id = ? AND deleted_at IS NULL",
	/* Anonymize: the staff login of the contact first (it is found through the contact). */
	[STMT_ANON_USER] =
	    "UPDATE users u JOIN contacts c ON c.user_id = u.id SET u.active = 0, u.password_hash = NULL, "
	    "u.email = NULL, u.display_name = '', u.login = CONCAT('anonymized-', u.id) WHERE c.id = ?",
	[STMT_ANON_USER_SESSIONS] =
	    "DELETE s FROM sessions s JOIN contacts c ON c.user_id = s.user_id WHERE c.id = ?",
	[STMT_ANON_USER_TOKENS] =
	    "UPDATE api_tokens t JOIN contacts c ON c.user_id = t.user_id SET t.revoked_at = NOW() "
	    "WHERE c.id = ? AND t.revoked_at IS NULL",
	[STMT_ANON_CONTACT] =
	    "UPDATE contacts SET first_name = '', middle_name = '', last_name = '', birthday = NULL, "
	    "reports_to_id = NULL, job_title = NULL, certificate = NULL, timezone = NULL, language = NULL, "
	    "mobile_phone = NULL, mobile_phone_norm = NULL, mobile_phone_2 = NULL, mobile_phone_2_norm = NULL, "
	    "work_phone = NULL, work_phone_norm = NULL, email = NULL, email_2 = NULL, other_contacts = NULL, "
	    "notes = NULL, contact_preference = 'any', do_not_call = 0, do_not_email = 1, block_auto_emails = 1, "
	    "receives_newsletter = 0, portal_user = 0, support_start_date = NULL, support_end_date = NULL, "
	    "is_user = 0, user_id = NULL, active = 0, status = 'draft', anonymized_at = NOW(), "
	    "updated_at = NOW(), updated_by = ?, version = version + 1 WHERE id = ? AND anonymized_at IS NULL",
	[STMT_ANON_PORTAL] = "DELETE FROM portal_accounts WHERE contact_id = ?",
	[STMT_ANON_HISTORY] = "DELETE FROM history WHERE entity = 'contact' AND entity_id = ?",
	[STMT_ANON_COMMENTS] = "UPDATE comments SET body = '', actor = actor WHERE contact_id = ?",
	[STMT_ANON_LISTS] = "DELETE FROM marketing_list_members WHERE contact_id = ?",
	[STMT_ANON_OUTBOX] =
	    "UPDATE outbox SET to_addr = 'anonymized', subject = '', body = '', "
	    "status = IF(status IN ('queued', 'sending'), 'failed', status), last_error = 'contact anonymized' "
	    "WHERE contact_id = ?",
	/* Tickets keep their links and subjects for statistics; what the contact wrote is personal. */
	[STMT_ANON_TICKETS] = "UPDATE tickets SET description = '' WHERE contact_id = ?",
	[STMT_ANON_TICKET_COMMENTS] = "UPDATE ticket_comments SET body = '' WHERE author_contact_id = ? AND kind = 'comment'",
	[STMT_LOGIN_USER_ADD] =
	    "INSERT INTO users (login, email, display_name, language) "
	    "SELECT ?, ?, TRIM(CONCAT(first_name, ' ', last_name)), COALESCE(language, 'en') FROM contacts "
	    "WHERE id = ? AND deleted_at IS NULL AND anonymized_at IS NULL",
	[STMT_LOGIN_LINK] =
	    "UPDATE contacts SET is_user = 1, user_id = ?, updated_at = NOW(), updated_by = ?, "
	    "version = version + 1 WHERE id = ?",
	[STMT_PURGE] = "DELETE FROM contacts WHERE id = ? AND deleted_at IS NOT NULL",
	[STMT_PURGE_HISTORY] = "DELETE FROM history WHERE entity = 'contact' AND entity_id = ?",
	/* A merge snapshot holds both contacts' values: they go with a purge or an anonymization (such a merge can
	 * no longer be undone; the row stays so that the undo says why). */
	[STMT_FORGET_MERGES] = "UPDATE contact_merges SET snapshot = '{}' WHERE survivor_id = ? OR merged_id = ?",
	[STMT_HISTORY_2] = HIST_INSERT HIST_ROWS_2,
	[STMT_HISTORY_3] = HIST_INSERT HIST_ROWS_2 ", " HIST_ROW,
	[STMT_HISTORY_4] = HIST_INSERT HIST_ROWS_4,
	[STMT_HISTORY_5] = HIST_INSERT HIST_ROWS_4 ", " HIST_ROW,
	[STMT_HISTORY_6] = HIST_INSERT HIST_ROWS_4 ", " HIST_ROWS_2,
	[STMT_HISTORY_7] = HIST_INSERT HIST_ROWS_4 ", " HIST_ROWS_2 ", " HIST_ROW,
	[STMT_HISTORY_8] = HIST_INSERT HIST_ROWS_8,
	[STMT_HISTORY_9] = HIST_INSERT HIST_ROWS_8 ", " HIST_ROW,
	[STMT_HISTORY_10] = HIST_INSERT HIST_ROWS_8 ", " HIST_ROWS_2,
	[STMT_HISTORY_11] = HIST_INSERT HIST_ROWS_8 ", " HIST_ROWS_2 ", " HIST_ROW,
	[STMT_HISTORY_12] = HIST_INSERT HIST_ROWS_8 ", " HIST_ROWS_4,
	[STMT_HISTORY_13] = HIST_INSERT HIST_ROWS_8 ", " HIST_ROWS_4 ", " HIST_ROW,
	[STMT_HISTORY_14] = HIST_INSERT HIST_ROWS_8 ", " HIST_ROWS_4 ", " HIST_ROWS_2,
	[STMT_HISTORY_15] = HIST_INSERT HIST_ROWS_8 ", " HIST_ROWS_4 ", " HIST_ROWS_2 ", " HIST_ROW,
	[STMT_HISTORY_16] = HIST_INSERT HIST_ROWS_16,
	[STMT_HISTORY_32] = HIST_INSERT HIST_ROWS_32,
	[STMT_HISTORY_128] = HIST_INSERT HIST_ROWS_128,
	[STMT_INSERT_MANY] = CONTACT_INSERT CONTACT_VALUES_50,
	[STMT_INSERT_10] = CONTACT_INSERT CONTACT_VALUES_10,
	/* consecutive ids for a multi-row INSERT: lock modes 0 and 1 (not 2, "interleaved", as Galera needs) */
	[STMT_AUTOINC] = "SELECT @@innodb_autoinc_lock_mode, @@auto_increment_increment",
	[STMT_RESTORE] =
	    "UPDATE contacts SET deleted_at = NULL, deleted_by = NULL, version = version + 1 "
	    "WHERE id = ? AND deleted_at IS NOT NULL AND anonymized_at IS NULL",
};

int contact_field_is_flag(enum cfield f)
{
	return contact_fields[f].type == V_BOOL;
}

static char *trimmed(const char *s, int keep_newlines)
{
	size_t b = 0, e;
	if (!s)
		return NULL;
	if (!keep_newlines)
		while (s[b] == ' ' || s[b] == '\t')
			b++;
	e = strlen(s);
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || (keep_newlines && (s[e - 1] == '\n' || s[e - 1] == '\r'))))
		e--;
	return e > b ? xstrndup(s + b, e - b) : NULL;
}

void contact_in_from_request(struct contact_in *in, struct req *r, const struct db_res *base, int only_present)
{
	memset(in, 0, sizeof *in);
	for (int i = 0; i < CF__MAX; i++) {
		const char *v = req_param(r, contact_fields[i].name);
		int present = v != NULL;
		if (r->json && !present) {
			/* JSON null clears a field; an absent key keeps it (PATCH). */
			json_object *o;
			present = json_object_object_get_ex(r->json, contact_fields[i].name, &o);
		}
		if (only_present && !present) {
			const char *old = base ? db_val(base, 0, (size_t)i) : NULL;
			in->v[i] = old && *old ? xstrdup(old) : NULL;
			continue;
		}
		if (contact_field_is_flag(i) && !v) {
			/* An unchecked checkbox is not sent; a JSON create without
			 * "active" makes an active contact. */
			in->v[i] = xstrdup(r->json && i == CF_ACTIVE && !present ? "1" : "0");
			continue;
		}
		in->v[i] = trimmed(v, contact_fields[i].type == V_LONGTEXT);
	}
}

void contact_in_free(struct contact_in *in)
{
	for (int i = 0; i < CF__MAX; i++)
		free(in->v[i]);
	memset(in, 0, sizeof *in);
}

static void add_err(struct contact_err *err, const char *field, const char *msg)
{
	if (err->n < MAX_FORM_ERRORS) {
		err->e[err->n].field = field;
		err->e[err->n].msg = msg;
	}
	err->n++;
}

/* A setting's value (caller frees), or NULL. */
static char *setting(const char *key)
{
	struct db_res res;
	char *v = NULL;
	if (db_exec(stmts[STMT_SETTING], DB_ARGS(A_STR(key)), &res) == DB_OK) {
		if (res.nrows && db_val(&res, 0, 0))
			v = xstrdup(db_val(&res, 0, 0));
		db_res_free(&res);
	}
	return v;
}

static int field_index(const char *name, size_t len)
{
	for (int i = 0; i < CF__MAX; i++)
		if (strlen(contact_fields[i].name) == len && strncmp(contact_fields[i].name, name, len) == 0)
			return i;
	return -1;
}

/* The completeness rule: comma-separated groups, each satisfied by any of its '|' alternatives. */
static int rule_complete(const char *rule, const char *const *vals)
{
	const char *p = rule ? rule : "";
	while (*p) {
		size_t glen = strcspn(p, ",");
		int ok = 0;
		const char *q = p, *gend = p + glen;
		while (q < gend) {
			size_t alen = strcspn(q, "|,");
			int fi;
			if (alen > (size_t)(gend - q))
				alen = (size_t)(gend - q);
			fi = field_index(q, alen);
			if (fi >= 0 && vals[fi] && *vals[fi] && !(contact_field_is_flag(fi) && !strcmp(vals[fi], "0")))
				ok = 1;
			q += alen;
			if (*q == '|')
				q++;
		}
		if (!ok)
			return 0;
		p = gend;
		if (*p == ',')
			p++;
	}
	return 1;
}

int contact_complete(const char *rule, const char *const *vals)
{
	return rule_complete(rule ? rule : CONTACT_COMPLETE_DEFAULT, vals);
}

/* The mandatory-fields setting kept for a run of validations (contact_rules_cache). */
static int   rules_cached, rules_loaded;
static char *rules_mandatory;

void contact_rules_cache(int on)
{
	free(rules_mandatory);
	rules_mandatory = NULL;
	rules_loaded = 0;
	rules_cached = on;
}

int contact_validate(struct contact_in *in, long long self_id, struct contact_err *err)
{
	char *mandatory;
	int any = 0;

	if (rules_cached) {
		if (!rules_loaded) {
			rules_mandatory = setting("contact.mandatory");
			rules_loaded = 1;
		}
		mandatory = rules_mandatory ? xstrdup(rules_mandatory) : NULL;
	} else {
		mandatory = setting("contact.mandatory");
	}

	err->n = 0;
	for (int i = 0; i < CF__MAX; i++) {
		struct field f = contact_fields[i];
		struct fval v;
		const char *msg;
		if (mandatory && *mandatory) {
			const char *p = mandatory;
			while (*p) {
				size_t n = strcspn(p, ",");
				if (n == strlen(f.name) && !strncmp(p, f.name, n))
					f.flags |= F_REQUIRED;
				p += n;
				if (*p == ',')
					p++;
			}
		}
		msg = validate_one(&f, in->v[i] ? in->v[i] : "", &v);
		if (msg) {
			add_err(err, contact_fields[i].name, msg);
			continue;
		}
		if (f.type == V_PHONE && v.present) {
			int slot = i == CF_MOBILE_PHONE ? 0 : i == CF_MOBILE_PHONE_2 ? 1 : 2;
			snprintf(in->norm[slot], sizeof in->norm[slot], "%s", v.norm);
		}
		if (f.type == V_BOOL) {
			free(in->v[i]);
			in->v[i] = xstrdup(v.i ? "1" : "0");
		} else if (v.present && !(i == CF_CONTACT_PREFERENCE && !strcmp(in->v[i], "any"))) {
			any = 1;	/* a default left as it is does not make a contact */
		}
	}
	free(mandatory);
	if (!any && err->n == 0)
		add_err(err, "first_name", "Empty");
	if (in->v[CF_SUPPORT_START_DATE] && in->v[CF_SUPPORT_END_DATE] &&
	    strcmp(in->v[CF_SUPPORT_START_DATE], in->v[CF_SUPPORT_END_DATE]) > 0)
		add_err(err, "support_end_date", "EndBeforeStart");
	if (!str_eq(in->v[CF_IS_USER], "1")) {
		free(in->v[CF_USER_ID]);
		in->v[CF_USER_ID] = NULL;	/* shown and kept only with is_user */
	} else if (!in->v[CF_USER_ID]) {
		add_err(err, "user_id", "Required");
	} else {
		struct db_res res;
		int rc = db_exec(stmts[STMT_USER_EXISTS], DB_ARGS(A_STR(in->v[CF_USER_ID])), &res);
		if (rc != DB_OK)
			return rc;
		if (res.nrows == 0)
			add_err(err, "user_id", "NoSuchUser");
		db_res_free(&res);
	}
	int reports_ok = 1;
	for (int k = 0; k < err->n && k < MAX_FORM_ERRORS; k++)
		if (!strcmp(err->e[k].field, "reports_to_id"))
			reports_ok = 0;
	if (in->v[CF_REPORTS_TO_ID] && reports_ok) {
		long long cur = strtoll(in->v[CF_REPORTS_TO_ID], NULL, 10);
		if (cur == self_id) {
			add_err(err, "reports_to_id", "Self");
		} else {
			/* Walk up the chain: reaching ourselves would make a cycle. */
			for (int depth = 0; cur && depth < 100; depth++) {
				struct db_res res;
				int rc = db_exec(stmts[STMT_PARENT], DB_ARGS(A_INT(cur)), &res);
				if (rc != DB_OK)
					return rc;
				if (res.nrows == 0) {
					if (depth == 0)
						add_err(err, "reports_to_id", "NoSuchContact");
					db_res_free(&res);
					break;
				}
				cur = db_val(&res, 0, 0) ? db_ll(&res, 0, 0) : 0;
				db_res_free(&res);
				if (self_id && cur == self_id) {
					add_err(err, "reports_to_id", "Cycle");
					break;
				}
			}
		}
	}
	{
		int rc = portal_validate(in, self_id, err);
		if (rc != DB_OK)
			return rc;
	}
	if (in->custom)
		custom_validate(in->custom, err->e, &err->n);
	if (in->consents)
		consent_validate(in->consents, err->e, &err->n);
	return DB_OK;
}

int contact_load(long long id, int with_deleted, struct db_res *out)
{
	return db_exec(stmts[STMT_LOAD], DB_ARGS(A_INT(id), A_INT(with_deleted ? 1 : 0)), out);
}

/* The staff user behind a change; NULL for the contact itself in the portal (who.user_id is then its portal
 * account, not a user) — the history's actor text names the contact's login instead. */
static struct db_arg staff_id(const struct req *r)
{
	return r->who.kind == AUTH_PORTAL || !r->who.user_id ? A_NULL : A_INT(r->who.user_id);
}

int history_add(struct req *r, const char *entity, long long id, const char *action,
    const char *field, const char *old_value, const char *new_value)
{
	return db_exec(stmts[STMT_HISTORY], DB_ARGS(A_STR(entity), A_INT(id),
	    staff_id(r), A_STR(r->who.login), A_STR(action),
	    A_STR(field), A_STR(old_value), A_STR(new_value)), NULL);
}

/* History rows with up to HIST_MAX rows a statement: an import creates thousands of contacts, and a row a
 * statement was most of its time. Row j is (entity, ids ? ids[j] : id, action, field[j], old[j], new[j]). */
static int history_add_rows(struct req *r, const char *entity, long long id, const long long *ids, const char *action,
    const char *const *field, const char *const *old_value, const char *const *new_value, size_t n)
{
	struct db_arg a[HIST_MAX * 8];
	int rc = DB_OK;

	for (size_t done = 0; done < n && rc == DB_OK;) {
		size_t left = n - done, k = left >= 128 ? 128 : left >= 32 ? 32 : left >= 16 ? 16 : left;
		for (size_t j = 0; j < k; j++) {
			struct db_arg *row = a + j * 8;
			row[0] = A_STR(entity);
			row[1] = A_INT(ids ? ids[done + j] : id);
			row[2] = staff_id(r);
			row[3] = A_STR(r->who.login);
			row[4] = A_STR(action);
			row[5] = A_STR(field[done + j]);
			row[6] = A_STR(old_value ? old_value[done + j] : NULL);
			row[7] = A_STR(new_value ? new_value[done + j] : NULL);
		}
		rc = db_exec(stmts[k == 1 ? STMT_HISTORY : k == 128 ? STMT_HISTORY_128 : k == 32 ? STMT_HISTORY_32 :
		    STMT_HISTORY_2 + (int)(k - 2)], a, k * 8, NULL);
		done += k;
	}
	return rc;
}

/* Binds the editable fields in column order, with defaults for NOT NULL columns. */
static void bind_fields(struct db_arg *a, const struct contact_in *in)
{
	for (int i = 0; i < CF__MAX; i++) {
		const char *v = in->v[i];
		if (contact_field_is_flag(i))
			a[i] = A_INT(v ? strtoll(v, NULL, 10) : (i == CF_ACTIVE));
		else if (i == CF_FIRST_NAME || i == CF_MIDDLE_NAME || i == CF_LAST_NAME)
			a[i] = A_STR(v ? v : "");
		else if (i == CF_CONTACT_PREFERENCE)
			a[i] = A_STR(v ? v : "any");
		else
			a[i] = A_STR(v);
	}
	for (int k = 0; k < 3; k++)
		a[CF__MAX + k] = in->norm[k][0] ? A_STR(in->norm[k]) : A_NULL;
}

int contact_status_refresh(long long id)
{
	struct db_res row, conn;
	char *rule;
	const char *vals[CF__MAX];
	int rc, complete, connected;

	if ((rc = contact_load(id, 1, &row)) != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return DB_OK;
	}
	for (int i = 0; i < CF__MAX; i++)
		vals[i] = db_val(&row, 0, (size_t)i);
	rule = setting("contact.complete");
	complete = rule_complete(rule ? rule : "first_name,last_name,email|mobile_phone|work_phone", vals);
	free(rule);
	db_res_free(&row);
	if ((rc = db_exec(stmts[STMT_CONNECTED], DB_ARGS(A_INT(id)), &conn)) != DB_OK)
		return rc;
	connected = db_ll(&conn, 0, 0) != 0;
	db_res_free(&conn);
	{
		const char *status = complete && connected ? "contact" : "draft";
		return db_exec(stmts[STMT_SET_STATUS], DB_ARGS(A_STR(status), A_INT(id), A_STR(status)), NULL);
	}
}

/* The values every new contact starts with. */
static void create_defaults(struct contact_in *in, const char *source)
{
	/* GDPR: record the origin of the data when the path knows it. */
	if (!in->v[CF_SOURCE] && source)
		in->v[CF_SOURCE] = xstrdup(source);
	/* The newsletter flag starts on exactly when a valid email may be mailed. */
	free(in->v[CF_RECEIVES_NEWSLETTER]);
	in->v[CF_RECEIVES_NEWSLETTER] = xstrdup(in->v[CF_EMAIL] && !str_eq(in->v[CF_DO_NOT_EMAIL], "1") ? "1" : "0");
	if (!in->v[CF_ACTIVE])
		in->v[CF_ACTIVE] = xstrdup("1");
}

struct create_ctx {
	struct req        *r;
	struct contact_in *in;
	const char        *source;
	long long          id;
};

static int create_txn(void *p)
{
	struct create_ctx *c = p;
	struct db_arg a[CF__MAX + 6];
	struct db_res res;
	int rc;

	create_defaults(c->in, c->source);
	bind_fields(a, c->in);
	a[CF__MAX + 3] = staff_id(c->r);
	a[CF__MAX + 4] = staff_id(c->r);
	a[CF__MAX + 5] = staff_id(c->r);
	if ((rc = db_exec(stmts[STMT_INSERT], a, CF__MAX + 6, &res)) != DB_OK)
		return rc;
	c->id = (long long)res.insert_id;
	db_res_free(&res);
	{
		/* the "create" row, then one row per given field */
		const char *fields[CF__MAX + 1], *values[CF__MAX + 1];
		size_t n = 0;
		fields[n] = NULL;
		values[n++] = NULL;
		for (int i = 0; i < CF__MAX; i++)
			if (c->in->v[i] && !(contact_field_is_flag(i) && !strcmp(c->in->v[i], "0"))) {
				fields[n] = contact_fields[i].name;
				values[n++] = c->in->v[i];
			}
		if ((rc = history_add_rows(c->r, "contact", c->id, NULL, "create", fields, NULL, values, n)) != DB_OK)
			return rc;
	}
	if (c->in->custom && (rc = custom_write(c->r, c->id, c->in->custom)) != DB_OK)
		return rc;
	if (c->in->consents && (rc = consent_write(c->r, c->id, c->in->consents)) != DB_OK)
		return rc;
	/* a new contact has no portal sessions to end: only an account to create */
	if (str_eq(c->in->v[CF_PORTAL_USER], "1") && (rc = portal_sync(c->r, c->id, c->in, 0)) != DB_OK)
		return rc;
	/* Its status needs no re-evaluation: "contact" needs a connection, and a new contact has none yet (the
	 * column's default is draft; connecting it re-evaluates). */
	return DB_OK;
}

int contact_create(struct req *r, struct contact_in *in, const char *source, long long *id)
{
	struct create_ctx c = { r, in, source, 0 };
	int rc = db_txn(create_txn, &c);
	*id = c.id;
	return rc;
}

/* The "create" history of contacts just inserted: one "create" row and one row per given field each. */
static int create_history(struct req *r, struct contact_in *const *ins, const long long *ids, size_t n)
{
	size_t cap = n * (CF__MAX + 1), k = 0;
	const char **fields = calloc(cap, sizeof *fields), **values = calloc(cap, sizeof *values);
	long long *hid = calloc(cap, sizeof *hid);
	int rc = DB_ERR;

	if (fields && values && hid) {
		for (size_t j = 0; j < n; j++) {
			hid[k] = ids[j];
			fields[k] = values[k] = NULL;
			k++;
			for (int i = 0; i < CF__MAX; i++)
				if (ins[j]->v[i] && !(contact_field_is_flag(i) && !strcmp(ins[j]->v[i], "0"))) {
					hid[k] = ids[j];
					fields[k] = contact_fields[i].name;
					values[k++] = ins[j]->v[i];
				}
		}
		rc = history_add_rows(r, "contact", 0, hid, "create", fields, NULL, values, k);
	}
	free(fields);
	free(values);
	free(hid);
	return rc;
}

struct many_ctx {
	struct req               *r;
	struct contact_in *const *ins;
	size_t                    n;
	const char               *source;
	long long                *ids;
};

static int create_many_txn(void *p)
{
	struct many_ctx *c = p;
	struct db_arg a[CREATE_MANY * (CF__MAX + 6)];
	struct db_res res;
	long long step = 1;
	size_t done = 0;
	int rc, consecutive;

	if ((rc = db_exec(stmts[STMT_AUTOINC], DB_NOARGS, &res)) != DB_OK)
		return rc;
	consecutive = res.nrows && db_ll(&res, 0, 0) < 2 && db_ll(&res, 0, 1) >= 1;
	step = res.nrows ? db_ll(&res, 0, 1) : 1;
	db_res_free(&res);
	for (size_t j = 0; j < c->n; j++)
		create_defaults(c->ins[j], c->source);
	while (done < c->n) {
		size_t left = c->n - done, k = !consecutive ? 1 : left >= CREATE_MANY ? CREATE_MANY : left >= 10 ? 10 : 1;
		for (size_t j = 0; j < k; j++) {
			struct db_arg *row = a + j * (CF__MAX + 6);
			bind_fields(row, c->ins[done + j]);
			row[CF__MAX + 3] = staff_id(c->r);
			row[CF__MAX + 4] = staff_id(c->r);
			row[CF__MAX + 5] = staff_id(c->r);
		}
		if ((rc = db_exec(stmts[k == 1 ? STMT_INSERT : k == 10 ? STMT_INSERT_10 : STMT_INSERT_MANY], a,
		    k * (CF__MAX + 6), &res)) != DB_OK)
			return rc;
		if (res.affected != k || !res.insert_id) {
			log_msg(LOG_ERR, "contact_create_many: %llu rows inserted of %zu", res.affected, k);
			db_res_free(&res);
			return DB_ERR;
		}
		/* a multi-row INSERT's rows get consecutive ids from the first (lock modes 0 and 1) */
		for (size_t j = 0; j < k; j++)
			c->ids[done + j] = (long long)res.insert_id + (long long)j * step;
		db_res_free(&res);
		done += k;
	}
	return create_history(c->r, c->ins, c->ids, c->n);
}

int contact_create_many(struct req *r, struct contact_in *const *ins, size_t n, const char *source, long long *ids)
{
	struct many_ctx c = { r, ins, n, source, ids };
	return n ? db_txn(create_many_txn, &c) : DB_OK;
}

struct update_ctx {
	struct req          *r;
	long long            id, version;
	struct contact_in   *in;
	const struct db_res *old;
	int                  status;	/* 0, 404 or 409 */
};

static int update_txn(void *p)
{
	struct update_ctx *c = p;
	struct db_arg a[CF__MAX + 6];
	struct db_res res;
	int rc;

	c->status = 0;
	bind_fields(a, c->in);
	a[CF__MAX + 3] = staff_id(c->r);
	a[CF__MAX + 4] = A_INT(c->id);
	a[CF__MAX + 5] = A_INT(c->version);
	if ((rc = db_exec(stmts[STMT_UPDATE], a, CF__MAX + 6, &res)) != DB_OK)
		return rc;
	if (res.affected == 0) {
		db_res_free(&res);
		if ((rc = db_exec(stmts[STMT_EXISTS], DB_ARGS(A_INT(c->id)), &res)) != DB_OK)
			return rc;
		c->status = res.nrows ? 409 : 404;
		db_res_free(&res);
		return DB_ERR;	/* roll back: nothing was written */
	}
	db_res_free(&res);
	for (int i = 0; i < CF__MAX; i++) {
		const char *o = db_val(c->old, 0, (size_t)i), *n = c->in->v[i];
		if (o && !*o)
			o = NULL;
		if ((o || n) && !(o && n && !strcmp(o, n)))
			if ((rc = history_add(c->r, "contact", c->id, "update", contact_fields[i].name, o, n)) != DB_OK)
				return rc;
	}
	if (c->in->custom && (rc = custom_write(c->r, c->id, c->in->custom)) != DB_OK)
		return rc;
	if (c->in->consents && (rc = consent_write(c->r, c->id, c->in->consents)) != DB_OK)
		return rc;
	if ((rc = portal_sync(c->r, c->id, c->in, str_eq(db_val(c->old, 0, CF_PORTAL_USER), "1"))) != DB_OK)
		return rc;
	return contact_status_refresh(c->id);
}

int contact_update(struct req *r, long long id, long long version, struct contact_in *in, const struct db_res *old)
{
	struct update_ctx c = { r, id, version, in, old, 0 };
	int rc = db_txn(update_txn, &c);
	if (c.status)
		return c.status;
	return rc;
}

struct simple_ctx {
	struct req *r;
	long long   id;
	int         restore, found;
};

static int bin_txn(void *p)
{
	struct simple_ctx *c = p;
	struct db_res res;
	int rc;

	if (c->restore)
		rc = db_exec(stmts[STMT_RESTORE], DB_ARGS(A_INT(c->id)), &res);
	else
		rc = db_exec(stmts[STMT_DELETE], DB_ARGS(A_INT(c->r->who.user_id), A_INT(c->id)), &res);
	if (rc != DB_OK)
		return rc;
	c->found = res.affected > 0;
	db_res_free(&res);
	if (!c->found)
		return DB_OK;
	/* A contact in the recycle bin has no portal access: its sessions end now. */
	if (!c->restore && (rc = portal_end_sessions(c->id)) != DB_OK)
		return rc;
	return history_add(c->r, "contact", c->id, c->restore ? "restore" : "delete", NULL, NULL, NULL);
}

int contact_delete(struct req *r, long long id)
{
	struct simple_ctx c = { r, id, 0, 0 };
	int rc = db_txn(bin_txn, &c);
	return rc != DB_OK ? rc : c.found ? DB_OK : 404;
}

int contact_restore(struct req *r, long long id)
{
	struct simple_ctx c = { r, id, 1, 0 };
	int rc = db_txn(bin_txn, &c);
	return rc != DB_OK ? rc : c.found ? DB_OK : 404;
}

struct anon_ctx {
	struct req *r;
	long long   id;
	int         found;
};

static int anon_txn(void *p)
{
	struct anon_ctx *c = p;
	struct db_res res;
	static const enum stmt by_contact[] = { STMT_ANON_USER_SESSIONS, STMT_ANON_USER_TOKENS, STMT_ANON_USER };
	int rc;

	for (size_t i = 0; i < sizeof by_contact / sizeof by_contact[0]; i++)
		if ((rc = db_exec(stmts[by_contact[i]], DB_ARGS(A_INT(c->id)), NULL)) != DB_OK)
			return rc;
	if ((rc = db_exec(stmts[STMT_ANON_CONTACT], DB_ARGS(A_INT(c->r->who.user_id), A_INT(c->id)), &res)) != DB_OK)
		return rc;
	c->found = res.affected > 0;
	db_res_free(&res);
	if (!c->found)
		return DB_ERR;	/* nothing to do: roll back the login changes too */
	{
		static const enum stmt rest[] = { STMT_ANON_PORTAL, STMT_ANON_HISTORY, STMT_ANON_COMMENTS,
			STMT_ANON_LISTS, STMT_ANON_OUTBOX, STMT_ANON_TICKETS, STMT_ANON_TICKET_COMMENTS };
		for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++)
			if ((rc = db_exec(stmts[rest[i]], DB_ARGS(A_INT(c->id)), NULL)) != DB_OK)
				return rc;
	}
	/* Additional-field values and consent states and events are personal data too. */
	if ((rc = custom_erase(c->id)) != DB_OK || (rc = consent_erase(c->id)) != DB_OK)
		return rc;
	if ((rc = db_exec(stmts[STMT_FORGET_MERGES], DB_ARGS(A_INT(c->id), A_INT(c->id)), NULL)) != DB_OK)
		return rc;
	return history_add(c->r, "contact", c->id, "anonymize", NULL, NULL, NULL);
}

int contact_anonymize(struct req *r, long long id)
{
	struct anon_ctx c = { r, id, 0 };
	int rc = db_txn(anon_txn, &c);
	if (!c.found)
		return 404;
	return rc;
}

struct login_ctx {
	struct req *r;
	long long   id, user_id;
	const char *email;
	int         status;
};

static int login_txn(void *p)
{
	struct login_ctx *c = p;
	struct db_res res;
	char uid[24];
	int rc;

	rc = db_exec(stmts[STMT_LOGIN_USER_ADD], DB_ARGS(A_STR(c->email), A_STR(c->email), A_INT(c->id)), &res);
	if (rc == DB_DUP) {
		c->status = 409;
		return DB_ERR;
	}
	if (rc != DB_OK)
		return rc;
	if (res.affected == 0) {
		db_res_free(&res);
		c->status = 404;
		return DB_ERR;
	}
	c->user_id = (long long)res.insert_id;
	db_res_free(&res);
	if ((rc = db_exec(stmts[STMT_LOGIN_LINK], DB_ARGS(A_INT(c->user_id), A_INT(c->r->who.user_id), A_INT(c->id)), NULL)) != DB_OK)
		return rc;
	snprintf(uid, sizeof uid, "%lld", c->user_id);
	if ((rc = history_add(c->r, "contact", c->id, "update", "is_user", "0", "1")) != DB_OK)
		return rc;
	return history_add(c->r, "contact", c->id, "update", "user_id", NULL, uid);
}

int contact_generate_login(struct req *r, long long id, const char *email, long long *user_id)
{
	struct login_ctx c = { r, id, 0, email, 0 };
	int rc = db_txn(login_txn, &c);
	*user_id = c.user_id;
	if (c.status)
		return c.status;
	return rc;
}

static int purge_txn(void *p)
{
	struct simple_ctx *c = p;
	struct db_res res;
	int rc = db_exec(stmts[STMT_PURGE], DB_ARGS(A_INT(c->id)), &res);
	if (rc != DB_OK)
		return rc;
	c->found = res.affected > 0;
	db_res_free(&res);
	if (!c->found)
		return DB_OK;
	if ((rc = db_exec(stmts[STMT_FORGET_MERGES], DB_ARGS(A_INT(c->id), A_INT(c->id)), NULL)) != DB_OK)
		return rc;
	return db_exec(stmts[STMT_PURGE_HISTORY], DB_ARGS(A_INT(c->id)), NULL);
}

int contact_purge(struct req *r, long long id)
{
	struct simple_ctx c = { r, id, 0, 0 };
	int rc = db_txn(purge_txn, &c);
	return rc != DB_OK ? rc : c.found ? DB_OK : 404;
}

json_object *contact_json(const struct db_res *row)
{
	json_object *o = json_object_new_object();
	static const struct { int col; const char *name; int is_int; } meta[] = {
		{ CM_ID, "id", 1 }, { CM_STATUS, "status", 0 }, { CM_OWNER_ID, "owner_id", 1 },
		{ CM_CREATED_AT, "created_at", 0 }, { CM_CREATED_BY, "created_by", 1 },
		{ CM_UPDATED_AT, "updated_at", 0 }, { CM_UPDATED_BY, "updated_by", 1 },
		{ CM_VERSION, "version", 1 }, { CM_ANONYMIZED_AT, "anonymized_at", 0 },
	};

	for (size_t m = 0; m < sizeof meta / sizeof meta[0]; m++) {
		const char *v = db_val(row, 0, (size_t)meta[m].col);
		json_object_object_add(o, meta[m].name, !v ? NULL :
		    meta[m].is_int ? json_object_new_int64(strtoll(v, NULL, 10)) : json_object_new_string(v));
	}
	for (int i = 0; i < CF__MAX; i++) {
		const char *v = db_val(row, 0, (size_t)i);
		json_object *j;
		if (contact_field_is_flag(i))
			j = json_object_new_boolean(v && !strcmp(v, "1"));
		else if (!v || !*v)
			j = NULL;
		else if (contact_fields[i].type == V_ID)
			j = json_object_new_int64(strtoll(v, NULL, 10));
		else
			j = json_object_new_string(v);
		json_object_object_add(o, contact_fields[i].name, j);
	}
	json_object_object_add(o, "in_recycle_bin", json_object_new_boolean(db_val(row, 0, CM_DELETED_AT) != NULL));
	json_object_object_add(o, "custom", json_object_new_object());
	json_object_object_add(o, "consents", json_object_new_object());
	return o;
}
