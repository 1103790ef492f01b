/* mailtmpl.h — email templates (SPEC §3): the codes and their placeholder whitelists, the {{name}}
 * parser, validation of a subject or body, and rendering from the database with English fallback. */
#ifndef CRM_MAILTMPL_H
#define CRM_MAILTMPL_H

#include <stddef.h>

#include "util.h"

#define MAILTMPL_MAX_SUBJECT 255	/* characters (bytes, to be safe) */
#define MAILTMPL_MAX_BODY    20000
#define MAILTMPL_MAX_NAME    64

/* One placeholder value supplied by the caller; value NULL renders as empty. */
struct mailtmpl_var {
	const char *name;	/* "contact.first_name" */
	const char *value;
};

/* A template code and the placeholders its text may use (NULL-terminated). */
struct mailtmpl_code {
	const char        *code;
	const char *const *placeholders;
};

extern const struct mailtmpl_code mailtmpl_codes[];
extern const size_t               mailtmpl_ncodes;

/* The code's entry, or NULL when the code is unknown. */
const struct mailtmpl_code *mailtmpl_find(const char *code);
/* 1 if name[0..len) is on the whitelist of code. */
int mailtmpl_allowed(const char *code, const char *name, size_t len);

enum mailtmpl_err {
	MT_OK = 0,
	MT_EMPTY,	/* nothing but blanks */
	MT_NEWLINE,	/* a line break in a subject */
	MT_TOOLONG,
	MT_TEXT,	/* not UTF-8, or control characters */
	MT_UNBALANCED,	/* "{{" without "}}", or "}}" without "{{" */
	MT_BADNAME,	/* "{{ }}" or a name with characters outside [a-z0-9_.] */
	MT_UNKNOWN	/* a well-formed name that the code does not offer */
};

/* Called for each piece of a template: a literal run, or a placeholder's name (blanks trimmed).
 * A non-zero return stops the parse and is returned by mailtmpl_parse. */
typedef int (*mailtmpl_cb)(void *ctx, int is_placeholder, const char *p, size_t n);

/* Splits s[0..len) into literal runs and {{name}} placeholders. Single braces are literal text.
 * Returns MT_OK, MT_UNBALANCED or MT_BADNAME (with *erroff at the offending "{{" or "}}"),
 * or the callback's non-zero value. Pure, no allocation: fuzzed by tests/fuzz/fuzz_mailtmpl.c. */
int mailtmpl_parse(const char *s, size_t len, mailtmpl_cb cb, void *ctx, size_t *erroff);

/* Validates a subject (is_subject: one line, <= MAILTMPL_MAX_SUBJECT) or a body of code's template.
 * Returns an enum mailtmpl_err; for MT_BADNAME and MT_UNKNOWN the offending name (or text between
 * the braces) is copied into bad (NUL-terminated, cut to badsz). */
int mailtmpl_check(const char *code, const char *text, int is_subject, char *bad, size_t badsz);

/* Appends text with every placeholder replaced: a whitelisted one by its value from vars (empty when
 * not supplied), one not on the whitelist by nothing (logged), so no unknown placeholder ever reaches
 * a mail. In a subject, line breaks in values become spaces. Returns 0, or -1 when text does not
 * parse (then nothing is appended). */
int mailtmpl_expand(const char *code, const char *text, int is_subject,
    const struct mailtmpl_var *vars, size_t nvars, struct buf *out);

enum { MAILTMPL_MISSING = 1, MAILTMPL_BROKEN = 2 };

/* Renders the template of code in lang, falling back to English when lang has none, into subject
 * and body (appended; the caller owns and frees both buffers). Returns DB_OK, a negative db_rc,
 * MAILTMPL_MISSING (no template in either language) or MAILTMPL_BROKEN (stored text does not parse;
 * logged, nothing rendered). Call inside the caller's transaction, then mail_queue() the result. */
int mailtmpl_render(const char *code, const char *lang, const struct mailtmpl_var *vars, size_t nvars,
    struct buf *subject, struct buf *body);

#endif
