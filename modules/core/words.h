/* words.h — the word index behind name search of customers and leads (table search_words). */
#ifndef CRM_WORDS_H
#define CRM_WORDS_H
#include <stddef.h>

enum word_kind { WORDS_CUSTOMER = 1, WORDS_LEAD = 2 };

#define WORDS_MAX_QUERY 6	/* words of a query matched in any order (more: in the order typed) */
#define WORD_MAX_CHARS  64	/* characters kept of one word (the column's width) */
#define WORD_BUF        (WORD_MAX_CHARS * 4 + 2)	/* bytes of one query word with its % */
#define WORDS_NAMES_CHARS 500	/* characters of the names column: every word of the entity */
#define WORDS_NAMES_BUF   (WORDS_NAMES_CHARS * 4 + 1)
#define WORDS_MAX_TEXTS   4	/* texts of one entity (a lead: first name, last name, company) */

/* Splits text into words: runs of letters and digits (every non-ASCII character
 * counts as a letter, so accented names stay whole), at most WORD_MAX_CHARS
 * characters each. Calls fn for each; returns the number of words. */
size_t words_split(const char *text, void (*fn)(const char *word, size_t len, void *ctx), void *ctx);
/* The index rows of one entity: for each text of texts[0..n) (NULL skipped), row(suffix, names) per
 * word, suffix = the text from that word on (at most WORD_MAX_CHARS characters) and names = " " and
 * every word of every text joined by single spaces (at most WORDS_NAMES_CHARS characters, whole
 * words), so the other words of a query are a LIKE on the row the first word found. Used by
 * words_index and by the benchmark's generator, so both write the same rows. */
void words_rows(const char *const *texts, size_t n, void (*row)(const char *suffix, const char *names, void *ctx),
    void *ctx);
/* Replaces the index rows of one entity: for each text of texts[0..n) (NULL skipped), one row
 * per word holding the text from that word on ("Rossi Costa Ltd" -> "Rossi Costa Ltd",
 * "Costa Ltd", "Ltd"), so a word prefix and a phrase prefix are both one index range.
 * Call inside the transaction that changes the names. Returns a db_rc. */
int words_index(enum word_kind kind, long long id, const char *const *texts, size_t n);
/* Removes an entity's words (purge, anonymize). */
int words_drop(enum word_kind kind, long long id);
/* Marks an entity's words as in the recycle bin (hidden 1) or back (0): searches skip hidden rows
 * without reading the entity. Call in the transaction that deletes or restores it. */
int words_hide(enum word_kind kind, long long id, int hidden);
/* A query as LIKE prefixes: phrase = its words in order, each a prefix ("ferr% bru%"); out = its first
 * WORDS_MAX_QUERY words one by one + "%", the longest first; unused slots "". Returns the
 * number of words in q (0: nothing to find). */
int words_query(const char *q, char phrase[WORD_BUF], char out[WORDS_MAX_QUERY][WORD_BUF]);
/* The LIKE pattern on the names column for one more word of a query (a words_query slot):
 * "% word%", or "%" for an unused slot. */
void words_other(const char *word, char out[WORD_BUF + 2]);
#endif
