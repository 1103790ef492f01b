/* entity.h — customers and leads as records: a field table plus constant statements drive
 * reading a request, validation, create/update with history and word index, recycle bin, JSON.
 * Used by the connections program (pages, API, lead conversion) and later by the import. */
#ifndef CRM_ENTITY_H
#define CRM_ENTITY_H

#include <json-c/json.h>

#include "db.h"
#include "http.h"
#include "validate.h"
#include "words.h"

#define ENT_MAX_FIELDS 16

/* Columns every load statement returns after the editable fields, in this order. */
enum ent_meta { EM_ID, EM_VERSION, EM_CREATED_AT, EM_CREATED_BY, EM_UPDATED_AT, EM_UPDATED_BY,
	EM_DELETED_AT, EM__N };

struct entity_in {
	char *v[ENT_MAX_FIELDS];	/* trimmed text per field, NULL = empty (owned) */
	char  norm[24];			/* normalized digits of the phone field */
};

struct entity {
	const char         *name;		/* "customer", "lead": history entity and JSON */
	enum word_kind      words;
	const struct field *fields;
	int                 nfields;
	const int          *word_fields;	/* fields whose words are searchable */
	int                 nword_fields;
	int                 phone_field;	/* its norm column follows the fields in insert/update; -1 none */
	/* Entity rules beyond the field types (e.g. "a lead needs a name or a company");
	 * old is the stored row on update, NULL on create. Returns the new error count. */
	int (*check)(const struct entity_in *in, const struct db_res *old, struct ferr *errs, int n);
	const char *sql_load;		/* fields, EM_* columns, extras; binds id, with_deleted */
	const char *sql_insert;		/* fields, [norm], created_by, updated_by, owner_id */
	const char *sql_update;		/* fields, [norm], updated_by; WHERE id, version */
	const char *sql_exists;		/* SELECT version WHERE id = ? AND deleted_at IS NULL */
	const char *sql_delete;		/* binds deleted_by, id */
	const char *sql_restore;	/* binds id */
	const char *sql_contacts;	/* contact ids connected to the entity (status refresh) */
	const char *sql_purge;		/* binds id; only a row in the recycle bin */
};

int  entity_load(const struct entity *e, long long id, int with_deleted, struct db_res *out);
/* Reads and validates the fields from the request (form or JSON); with only_present,
 * keys absent from a JSON body keep the stored value of base (PATCH). Returns the
 * number of errors written to errs (at most MAX_FORM_ERRORS). */
int  entity_in_from_request(const struct entity *e, struct req *r, const struct db_res *base,
    int only_present, struct entity_in *in, struct ferr *errs);
void entity_in_free(struct entity_in *in);
/* Validates values set by code (lead conversion, import) as if a user had typed them. */
int  entity_validate(const struct entity *e, struct entity_in *in, const struct db_res *old, struct ferr *errs);
/* Writes, each in one transaction (or the caller's): history rows, word index, statuses
 * of connected contacts. update: DB_OK, 409 (stale version), 404 (gone). */
int  entity_create(const struct entity *e, struct req *r, struct entity_in *in, long long *id);
int  entity_update(const struct entity *e, struct req *r, long long id, long long version,
    struct entity_in *in, const struct db_res *old);
int  entity_delete(const struct entity *e, struct req *r, long long id);	/* DB_OK or 404 */
int  entity_restore(const struct entity *e, struct req *r, long long id);	/* DB_OK or 404 */
/* Deletes a customer or lead in the recycle bin for good: its links (cascade), history and words;
 * the contacts it was connected to get their status again. DB_OK or 404. */
int  entity_purge(const struct entity *e, struct req *r, long long id);
/* Form.Fields.N.{name,kind,section,value,options} for the shared field macro. */
void entity_form_fields(const struct entity *e, struct req *r, const struct db_res *row, const struct entity_in *in);
/* Page values Record.<field> of a loaded row, plus Record.id, version, created_at, … */
void entity_page_row(const struct entity *e, struct req *r, const char *prefix, const struct db_res *row);
json_object *entity_json(const struct entity *e, const struct db_res *row);

extern const struct entity customer_entity, lead_entity;

/* Lead fields, in statement order (the lead conversion reads them by index). */
enum lead_field { LF_FIRST_NAME, LF_LAST_NAME, LF_COMPANY, LF_EMAIL, LF_PHONE, LF_LANGUAGE,
	LF_SOURCE, LF_STATUS, LF_NOTES, LF__MAX };
/* Lead load extras after EM__N. */
enum lead_extra { LX_CONVERTED_CONTACT = LF__MAX + EM__N, LX_CONVERTED_AT, LX_CONVERTED_CUSTOMER,
	LX_ANONYMIZED_AT, LX__END };
enum customer_field { CU_NAME, CU_TYPE, CU_EMAIL, CU_PHONE, CU_WEBSITE, CU_VAT, CU_STREET, CU_CITY,
	CU_POSTAL_CODE, CU_PROVINCE, CU_COUNTRY, CU_NOTES, CU_ACTIVE, CU__MAX };
enum customer_extra { CX_CONTACTS = CU__MAX + EM__N, CX__END };

#endif
