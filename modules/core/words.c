/* words.c — the word index behind name search of customers and leads: split, index, query. */
#include "words.h"

#include <string.h>

#include "db.h"

enum stmt { STMT_DROP, STMT_ADD, STMT_HIDE, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_DROP] = "DELETE FROM search_words WHERE kind = ? AND target_id = ?",
	/* IGNORE: "Rossi" and "ROSSI" are one word under the case-folding collation. */
	[STMT_ADD] = "INSERT IGNORE INTO search_words (kind, word, target_id, names) VALUES (?, ?, ?, ?)",
	[STMT_HIDE] = "UPDATE search_words SET hidden = ? WHERE kind = ? AND target_id = ?",
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

#define MAX_WORDS 64	/* words of one text that get a suffix row */

struct span {
	const char *p;
	size_t      len;
};

struct spans {
	struct span w[MAX_WORDS];
	size_t      n;
};

static void collect(const char *word, size_t len, void *p)
{
	struct spans *sp = p;

	if (sp->n < MAX_WORDS)
		sp->w[sp->n++] = (struct span){ word, len };
}

/* Words from..n-1 joined by single spaces, cut to WORD_MAX_CHARS characters (never inside one). */
static void join_from(const struct spans *sp, size_t from, char *out, size_t outsz)
{
	size_t o = 0, chars = 0;

	for (size_t i = from; i < sp->n; i++) {
		if (i > from && o + 1 < outsz && chars < WORD_MAX_CHARS) {
			out[o++] = ' ';
			chars++;
		}
		for (size_t b = 0; b < sp->w[i].len && o + 1 < outsz; b++) {
			unsigned char ch = (unsigned char)sp->w[i].p[b];
			if ((ch & 0xC0) != 0x80 && chars++ == WORD_MAX_CHARS)
				goto out;
			out[o++] = (char)ch;
		}
	}
out:
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/* " " + every word of every text joined by single spaces, cut before a word that does not fit. */
static void names_of(const struct spans *all, size_t nall, char *out, size_t outsz)
{
	size_t o = 0, chars = 0;

	for (size_t t = 0; t < nall; t++)
		for (size_t i = 0; i < all[t].n; i++) {
			const struct span *w = &all[t].w[i];
			size_t wchars = 0;
			for (size_t b = 0; b < w->len; b++)
				wchars += ((unsigned char)w->p[b] & 0xC0) != 0x80;
			if (chars + 1 + wchars > WORDS_NAMES_CHARS || o + 1 + w->len + 1 > outsz)
				goto out;
			out[o++] = ' ';
			memcpy(out + o, w->p, w->len);
			o += w->len;
			chars += 1 + wchars;
		}
out:
	out[o] = '\0';
}

void words_rows(const char *const *texts, size_t n, void (*row)(const char *suffix, const char *names, void *ctx),
    void *ctx)
{
	struct spans all[WORDS_MAX_TEXTS] = { { .n = 0 } };
	char names[WORDS_NAMES_BUF], suffix[WORD_BUF];

	if (n > WORDS_MAX_TEXTS)
		n = WORDS_MAX_TEXTS;
	for (size_t t = 0; t < n; t++) {
		all[t].n = 0;
		words_split(texts[t], collect, &all[t]);
	}
	names_of(all, n, names, sizeof names);
	/* one row per word: the text from that word on, so that "ros" and "rossi cos" are both one
	 * prefix range; each row carries every word of the entity for the other words of a query */
	for (size_t t = 0; t < n; t++)
		for (size_t i = 0; i < all[t].n; i++) {
			join_from(&all[t], i, suffix, sizeof suffix);
			row(suffix, names, ctx);
		}
}

struct index_ctx {
	enum word_kind kind;
	long long      id;
	int            rc;
};

static void index_row(const char *suffix, const char *names, void *p)
{
	struct index_ctx *c = p;

	if (c->rc == DB_OK)
		c->rc = db_exec(stmts[STMT_ADD], DB_ARGS(A_INT(c->kind), A_STR(suffix), A_INT(c->id), A_STR(names)),
		    NULL);
}

int words_index(enum word_kind kind, long long id, const char *const *texts, size_t n)
{
	struct index_ctx c = { kind, id, DB_OK };

	if ((c.rc = db_exec(stmts[STMT_DROP], DB_ARGS(A_INT(kind), A_INT(id)), NULL)) != DB_OK)
		return c.rc;
	words_rows(texts, n, index_row, &c);
	return c.rc;
}

void words_other(const char *word, char out[WORD_BUF + 2])
{
	if (!word[0]) {
		strcpy(out, "%");
		return;
	}
	out[0] = '%';
	out[1] = ' ';
	memcpy(out + 2, word, strlen(word) + 1);
}

int words_drop(enum word_kind kind, long long id)
{
	return db_exec(stmts[STMT_DROP], DB_ARGS(A_INT(kind), A_INT(id)), NULL);
}

int words_hide(enum word_kind kind, long long id, int hidden)
{
	return db_exec(stmts[STMT_HIDE], DB_ARGS(A_INT(hidden != 0), A_INT(kind), A_INT(id)), NULL);
}

int words_query(const char *q, char phrase[WORD_BUF], char out[WORDS_MAX_QUERY][WORD_BUF])
{
	struct spans sp = { .n = 0 };
	size_t len;

	phrase[0] = '\0';
	for (int i = 0; i < WORDS_MAX_QUERY; i++)
		out[i][0] = '\0';
	words_split(q, collect, &sp);
	if (sp.n == 0)
		return 0;
	/* the words in the order typed, each a prefix: "ferr bru" -> "ferr% bru%" finds the suffix
	 * "Ferrari Bruno Group"; the range comes from the first word, the rest filters inside the
	 * index (words are never % or _, so they cannot act as wildcards) */
	len = 0;
	for (size_t i = 0; i < sp.n && len + 3 < WORD_BUF; i++) {
		struct spans one = { .n = 1 };
		one.w[0] = sp.w[i];
		if (i > 0)
			phrase[len++] = ' ';
		join_from(&one, 0, phrase + len, WORD_BUF - 2 - len);
		len = strlen(phrase);
		phrase[len++] = '%';
		phrase[len] = '\0';
	}
	/* the words one by one, for matches in another order; the longest drives the index range */
	for (size_t i = 0; i < sp.n && i < WORDS_MAX_QUERY; i++) {
		struct spans one = { .n = 1 };
		one.w[0] = sp.w[i];
		join_from(&one, 0, out[i], WORD_BUF - 1);
		len = strlen(out[i]);
		out[i][len] = '%';
		out[i][len + 1] = '\0';
		if (strlen(out[i]) > strlen(out[0])) {
			char tmp[WORD_BUF];
			memcpy(tmp, out[0], sizeof tmp);
			memcpy(out[0], out[i], sizeof tmp);
			memcpy(out[i], tmp, sizeof tmp);
		}
	}
	return (int)sp.n;
}
