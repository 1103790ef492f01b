/* vcard.h — vCard 2.1/3.0/4.0 reading (imports) and 3.0/4.0 writing (exports). Reading is pure and fuzzed
 * (tests/fuzz/fuzz_vcard.c). */
#ifndef CRM_VCARD_H
#define CRM_VCARD_H

#include <stddef.h>

#include "util.h"

/* One card as the contact record sees it; every value malloc'd UTF-8 or NULL. */
enum vc_field {
	VC_FIRST, VC_MIDDLE, VC_LAST, VC_EMAIL, VC_EMAIL2, VC_MOBILE, VC_MOBILE2, VC_WORK, VC_TITLE, VC_BDAY,
	VC_NOTE, VC_LANG, VC_TZ, VC_ORG, VC__N
};
/* The contact field (or "customer") each card value feeds, index-aligned with enum vc_field. */
extern const char *const vcard_columns[VC__N];

struct vcard {
	char *v[VC__N];
};

#define VCARD_MAX_LINE 65536

/* Reads every BEGIN:VCARD … END:VCARD of s (any bytes: converted to UTF-8 as csv_to_utf8 does): unfolds lines,
 * decodes QUOTED-PRINTABLE (2.1, 3.0) and its CHARSET, ignores groups (item1.EMAIL) and unknown properties.
 * N, FN, EMAIL, TEL by TYPE (cell → mobile, work → work phone, others fill what is free), TITLE, ORG, BDAY
 * (as YYYY-MM-DD), NOTE, LANG (2 letters), TZ (a name only). fn gets each card (it may keep the values:
 * set them to NULL) and returns 0 to go on. Returns the number of cards, or fn's non-zero value. */
int  vcard_parse(const char *s, size_t len, int (*fn)(void *ctx, struct vcard *c, size_t card), void *ctx);
void vcard_free(struct vcard *c);

/* Appends one card (version 3 or 4) from contact values: first, middle, last name, emails, phones, job title,
 * birthday (YYYY-MM-DD), notes, language, timezone, customer name (any may be NULL). Lines folded at 75 bytes. */
void vcard_write(struct buf *b, int version, const char *const v[VC__N]);

#endif
