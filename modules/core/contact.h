/* contact.h — the contact record of SPEC §1: its fields in one table, validation
 * of a whole record, writes with history, and the derived status. Shared by the
 * contacts program (forms, API) and the connections program (status on connect). */
#ifndef CRM_CONTACT_H
#define CRM_CONTACT_H

#include "db.h"
#include "http.h"
#include "validate.h"

/* Editable fields, in the column order of every statement in contact.c. */
enum cfield {
	CF_FIRST_NAME, CF_MIDDLE_NAME, CF_LAST_NAME, CF_BIRTHDAY, CF_CONTACT_TYPE, CF_REPORTS_TO_ID,
	CF_JOB_TITLE, CF_CERTIFICATE, CF_TIMEZONE, CF_LANGUAGE,
	CF_MOBILE_PHONE, CF_MOBILE_PHONE_2, CF_WORK_PHONE, CF_EMAIL, CF_EMAIL_2, CF_OTHER_CONTACTS,
	CF_CONTACT_PREFERENCE, CF_DO_NOT_CALL, CF_DO_NOT_EMAIL, CF_BLOCK_AUTO_EMAILS, CF_RECEIVES_NEWSLETTER,
	CF_PORTAL_USER, CF_SUPPORT_START_DATE, CF_SUPPORT_END_DATE, CF_IS_USER, CF_USER_ID,
	CF_SOURCE, CF_NOTES, CF_ACTIVE,
	CF__MAX
};

/* Read-only columns that follow the editable ones in a loaded row. */
enum cmeta {
	CM_ID = CF__MAX, CM_STATUS, CM_OWNER_ID, CM_CREATED_AT, CM_CREATED_BY, CM_UPDATED_AT,
	CM_UPDATED_BY, CM_VERSION, CM_ANONYMIZED_AT, CM_DELETED_AT, CM_REPORTS_TO_NAME,
	CM_USER_LOGIN, CM__END
};

extern const struct field contact_fields[CF__MAX];
/* Which form section a field belongs to (SPEC §2 order). */
extern const char *const contact_section[CF__MAX];
int contact_field_is_flag(enum cfield f);

struct custom_in;
struct consent_in;

/* A record being written: one owned string per field (NULL = empty). The entry path may attach its
 * additional-field values and consent changes (owned by the caller): contact_validate checks them and
 * contact_create/contact_update write them in the same transaction. */
struct contact_in {
	char *v[CF__MAX];
	char  norm[3][24];	/* mobile, mobile 2, work phone digits */
	struct custom_in  *custom;	/* custom.h, or NULL */
	struct consent_in *consents;	/* consent.h, or NULL */
	long long          customer_id;	/* an existing customer the new contact is being connected to (a duplicate
					 * key with the names, dupe.h); 0: none or not known on this path */
};

struct contact_err {
	struct ferr e[MAX_FORM_ERRORS];
	int         n;
};

/* Fills in from the request: every field (HTML form, API create), or only the
 * keys the JSON body carries over the stored row `base` (PATCH). */
void contact_in_from_request(struct contact_in *in, struct req *r, const struct db_res *base, int only_present);
void contact_in_free(struct contact_in *in);
/* Validates types, settings rules and cross-field rules (may query the database). */
int  contact_validate(struct contact_in *in, long long self_id, struct contact_err *err);
/* on: validations read the mandatory-fields setting once and keep it until the next call (an import batch:
 * one transaction, so the setting it sees does not change meanwhile); off: read on every validation again. */
void contact_rules_cache(int on);

/* Loads one contact (not in the recycle bin unless with_deleted). Returns a db_rc; rows = 0 if absent. */
int  contact_load(long long id, int with_deleted, struct db_res *out);
/* Creates inside a transaction with history; *id gets the new id. */
int  contact_create(struct req *r, struct contact_in *in, const char *source, long long *id);
/* Creates n validated contacts that carry no additional-field values, consents or portal access (an import's
 * plain rows) in a few multi-row statements with their history; ids[j] gets the id of ins[j]. New contacts are
 * drafts (no connection yet). Returns a db_rc. */
int  contact_create_many(struct req *r, struct contact_in *const *ins, size_t n, const char *source, long long *ids);
/* Updates if the stored version still equals `version`: DB_OK, or 409 on a stale version, 404 if gone. */
int  contact_update(struct req *r, long long id, long long version, struct contact_in *in, const struct db_res *old);
int  contact_delete(struct req *r, long long id);
int  contact_restore(struct req *r, long long id);
/* Deletes a contact from the recycle bin for good (links cascade; its history goes too). */
int  contact_purge(struct req *r, long long id);
/* GDPR erasure in one transaction: personal values, history values, comment bodies,
 * list memberships, queued mail, portal account and staff login; irreversible. */
int  contact_anonymize(struct req *r, long long id);
/* Creates a staff account without roles for the contact and links it; 409 if the login exists. */
int  contact_generate_login(struct req *r, long long id, const char *email, long long *user_id);
/* Recomputes the derived status from the completeness rule and connections. */
int  contact_status_refresh(long long id);
/* The completeness rule when the setting contact.complete is absent (SPEC §1). */
#define CONTACT_COMPLETE_DEFAULT "first_name,last_name,email|mobile_phone|work_phone"
/* 1 if vals (indexed by enum cfield, NULL = empty) satisfy rule: comma-separated groups, each
 * met by any of its '|' alternatives (NULL rule: the default). Used by batch re-evaluation. */
int  contact_complete(const char *rule, const char *const *vals);
/* Writes one history row. */
int  history_add(struct req *r, const char *entity, long long id, const char *action,
    const char *field, const char *old_value, const char *new_value);

/* The contact as the API shows it. */
json_object *contact_json(const struct db_res *row);

#endif
