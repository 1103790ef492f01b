/* words.c — the word index behind name search of customers and leads: split, index, query. */
#include "words.h"

#include <string.h>

#include "db.h"

enum stmt { STMT_DROP, STMT_ADD, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_DROP] = "DELETE FROM search_words WHERE kind = ? AND target_id = ?",
	/* IGNORE: "Rossi" and "ROSSI" are one word under the case-folding collation. */
	[STMT_ADD] = "INSERT IGNORE INTO search_words (kind, word, target_id) VALUES (?, ?, ?)",
};

static int word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

size_t words_split(const char *text, void (*fn)(const char *word, size_t len, void *ctx), void *ctx)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t count = 0;

	if (!text)
		return 0;
	while (*p) {
		const unsigned char *start, *cut = NULL;
		size_t chars = 0;

		while (*p && !word_byte(*p))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && word_byte(*p)) {
			/* count characters, not bytes: a UTF-8 continuation byte starts none */
			if ((*p & 0xC0) != 0x80 && ++chars == WORD_MAX_CHARS + 1)
				cut = p;
			p++;
		}
		fn((const char *)start, (size_t)((cut ? cut : p) - start), ctx);
		count++;
	}
	return count;
}

struct index_ctx {
	enum word_kind kind;
	long long      id;
	int            rc;
};

static void index_word(const char *word, size_t len, void *p)
{
	struct index_ctx *c = p;
	char buf[WORD_MAX_CHARS * 4 + 1];

	if (c->rc != DB_OK || len >= sizeof buf)
		return;
	memcpy(buf, word, len);
	buf[len] = '\0';
	c->rc = db_exec(stmts[STMT_ADD], DB_ARGS(A_INT(c->kind), A_STR(buf), A_INT(c->id)), NULL);
}

int words_index(enum word_kind kind, long long id, const char *const *texts, size_t n)
{
	struct index_ctx c = { kind, id, DB_OK };

	if ((c.rc = db_exec(stmts[STMT_DROP], DB_ARGS(A_INT(kind), A_INT(id)), NULL)) != DB_OK)
		return c.rc;
	for (size_t i = 0; i < n && c.rc == DB_OK; i++)
		words_split(texts[i], index_word, &c);
	return c.rc;
}

int words_drop(enum word_kind kind, long long id)
{
	return db_exec(stmts[STMT_DROP], DB_ARGS(A_INT(kind), A_INT(id)), NULL);
}

struct query_ctx {
	char (*out)[WORD_BUF];
	int  n;
};

/* A word as a LIKE prefix: its own % and _ (impossible in a word) never act as wildcards. */
static void query_word(const char *word, size_t len, void *p)
{
	struct query_ctx *c = p;
	char *o;

	if (c->n >= WORDS_MAX_QUERY) {
		c->n++;
		return;
	}
	o = c->out[c->n++];
	memcpy(o, word, len);
	o[len] = '%';
	o[len + 1] = '\0';
}

int words_query(const char *q, char out[WORDS_MAX_QUERY][WORD_BUF])
{
	struct query_ctx c = { out, 0 };

	for (int i = 0; i < WORDS_MAX_QUERY; i++)
		out[i][0] = '\0';
	words_split(q, query_word, &c);
	return c.n;
}
