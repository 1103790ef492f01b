/* words.h — the word index behind name search of customers and leads (table search_words). */
#ifndef CRM_WORDS_H
#define CRM_WORDS_H
#include <stddef.h>

enum word_kind { WORDS_CUSTOMER = 1, WORDS_LEAD = 2 };

#define WORDS_MAX_QUERY 6	/* words of a query matched in any order (more: in the order typed) */
#define WORD_MAX_CHARS  64	/* characters kept of one word (the column's width) */
#define WORD_BUF        (WORD_MAX_CHARS * 4 + 2)	/* bytes of one query word with its % */

/* Splits text into words: runs of letters and digits (every non-ASCII character
 * counts as a letter, so accented names stay whole), at most WORD_MAX_CHARS
 * characters each. Calls fn for each; returns the number of words. */
size_t words_split(const char *text, void (*fn)(const char *word, size_t len, void *ctx), void *ctx);
/* Replaces the index rows of one entity: for each text of texts[0..n) (NULL skipped), one row
 * per word holding the text from that word on ("Rossi Costa Ltd" -> "Rossi Costa Ltd",
 * "Costa Ltd", "Ltd"), so a word prefix and a phrase prefix are both one index range.
 * Call inside the transaction that changes the names. Returns a db_rc. */
int words_index(enum word_kind kind, long long id, const char *const *texts, size_t n);
/* Removes an entity's words (purge, anonymize). */
int words_drop(enum word_kind kind, long long id);
/* A query as LIKE prefixes: phrase = its words in order, each a prefix ("ferr% bru%"); out = its first
 * WORDS_MAX_QUERY words one by one + "%", the longest first; unused slots "". Returns the
 * number of words in q (0: nothing to find). */
int words_query(const char *q, char phrase[WORD_BUF], char out[WORDS_MAX_QUERY][WORD_BUF]);
#endif
