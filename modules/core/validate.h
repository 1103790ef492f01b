/* validate.h — input validation at the edge: per-page tables of {field, validator}. */
#ifndef CRM_VALIDATE_H
#define CRM_VALIDATE_H

#include <stddef.h>

struct req;

enum vtype {
	V_TEXT,		/* one line of UTF-8, max = length limit */
	V_LONGTEXT,	/* UTF-8 with newlines */
	V_INT,		/* integer in [min, max] */
	V_ID,		/* positive integer id */
	V_BOOL,		/* checkbox: absent = 0; 1/0/on/off/true/false/yes/no */
	V_DATE,		/* YYYY-MM-DD, a real calendar date */
	V_PAST_DATE,	/* a date not in the future */
	V_EMAIL,
	V_PHONE,	/* kept as typed + normalized digits in norm */
	V_ENUM,		/* one of choices[] */
	V_TIMEZONE,	/* IANA name */
	V_LANG,		/* ISO 639-1 */
	V_URL,		/* http(s) URL */
	V_DECIMAL,
	V_LOCALPATH	/* a local redirect target */
};

#define F_REQUIRED 1u

struct field {
	const char        *name;
	enum vtype         type;
	unsigned           flags;
	long long          min, max;	/* V_INT range; max length for text (0 = 255) */
	const char *const *choices;	/* V_ENUM, NULL-terminated */
};

/* The typed value of one field after validation. */
struct fval {
	int         present;	/* the client sent a non-empty value */
	const char *s;		/* the text (trimmed), points into request memory */
	long long   i;		/* V_INT, V_ID, V_BOOL */
	char        norm[24];	/* V_PHONE: "+39..." digits */
};

struct ferr {
	const char *field;
	const char *msg;	/* language key under Lang.Valid. */
};

#define MAX_FORM_ERRORS 64

/* Validates every field of the table from r's params (or JSON body); values
 * land in out[i] (same index as fields[i]). Returns the number of errors,
 * which are recorded in errs[] (up to MAX_FORM_ERRORS). */
int validate_fields(struct req *r, const struct field *fields, size_t n,
    struct fval *out, struct ferr *errs);
/* Validates one value (NULL counts as empty; exposed for unit tests and fuzzing); returns NULL when
 * valid, else the message key. */
const char *validate_one(const struct field *f, const char *s, struct fval *out);
/* Phone digits normalization: "+39 (02) 1234-567" -> "+39021234567". */
int phone_normalize(const char *in, char *out, size_t outsz);
int date_valid(const char *s);

#endif
