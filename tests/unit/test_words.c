/* test_words.c — how names are cut into searchable words and how a query becomes LIKE prefixes. */
#include <string.h>

#include "unit.h"
#include "words.h"

struct seen {
	char words[8][WORD_BUF];
	int  n;
};

static void keep(const char *w, size_t len, void *p)
{
	struct seen *s = p;
	if (s->n < 8 && len < WORD_BUF) {
		memcpy(s->words[s->n], w, len);
		s->words[s->n][len] = '\0';
		s->n++;
	}
}

TEST(names_split_on_punctuation_and_keep_accented_letters)
{
	struct seen s = { .n = 0 };
	CHECK(words_split("D'Angelo-Müller  S.r.l.", keep, &s) == 6);
	CHECK(strcmp(s.words[0], "D") == 0);
	CHECK(strcmp(s.words[1], "Angelo") == 0);
	CHECK(strcmp(s.words[2], "Müller") == 0);
	CHECK(strcmp(s.words[3], "S") == 0);
	CHECK(words_split("  ,;  ", keep, &s) == 0);
	CHECK(words_split(NULL, keep, &s) == 0);
}

TEST(long_words_are_cut_at_a_character_boundary)
{
	struct seen s = { .n = 0 };
	char longw[200];
	/* 70 two-byte letters: kept to 64 characters, 128 bytes, never half a character */
	for (int i = 0; i < 70; i++)
		memcpy(longw + 2 * i, "é", 2);
	longw[140] = '\0';
	CHECK(words_split(longw, keep, &s) == 1);
	CHECK(strlen(s.words[0]) == 128);
}

TEST(a_query_becomes_an_ordered_phrase_and_single_word_prefixes)
{
	char phrase[WORD_BUF], words[WORDS_MAX_QUERY][WORD_BUF];
	CHECK(words_query("ferr  bru", phrase, words) == 2);
	CHECK(strcmp(phrase, "ferr% bru%") == 0);
	/* the longest word first: it drives the index range of the any-order match */
	CHECK(strcmp(words[0], "ferr%") == 0);
	CHECK(strcmp(words[1], "bru%") == 0);
	CHECK(words[2][0] == '\0');
	CHECK(words_query("al rossi", phrase, words) == 2);
	CHECK(strcmp(words[0], "rossi%") == 0);
	CHECK(strcmp(phrase, "al% rossi%") == 0);
}

TEST(wildcards_in_a_query_are_never_wildcards)
{
	char phrase[WORD_BUF], words[WORDS_MAX_QUERY][WORD_BUF];
	CHECK(words_query("%_%", phrase, words) == 0);
	CHECK(words_query("50%_off", phrase, words) == 2);
	CHECK(strcmp(phrase, "50% off%") == 0);
}

struct rows {
	char suffix[8][WORD_BUF];
	char names[WORDS_NAMES_BUF];
	int  n;
};

static void keep_row(const char *suffix, const char *names, void *p)
{
	struct rows *r = p;
	if (r->n < 8)
		strcpy(r->suffix[r->n++], suffix);
	strcpy(r->names, names);
}

TEST(each_row_carries_every_word_of_the_entity_for_the_other_query_words)
{
	const char *texts[3] = { "Mario Rossi", NULL, "D'Angelo & Figli" };
	struct rows r = { .n = 0 };
	words_rows(texts, 3, keep_row, &r);
	CHECK(r.n == 5);
	CHECK(strcmp(r.suffix[0], "Mario Rossi") == 0);
	CHECK(strcmp(r.suffix[1], "Rossi") == 0);
	CHECK(strcmp(r.suffix[2], "D Angelo Figli") == 0);
	CHECK(strcmp(r.suffix[4], "Figli") == 0);
	/* a leading space: every word, the first included, follows one */
	CHECK(strcmp(r.names, " Mario Rossi D Angelo Figli") == 0);
}

TEST(the_names_column_keeps_whole_words_only)
{
	static char longtext[4000];
	struct rows r = { .n = 0 };
	const char *texts[1] = { longtext };
	size_t len;
	for (size_t i = 0; i + 10 < sizeof longtext; i += 10)
		memcpy(longtext + i, "abcdefghi ", 10);
	words_rows(texts, 1, keep_row, &r);
	len = strlen(r.names);
	CHECK(len <= WORDS_NAMES_CHARS && len > WORDS_NAMES_CHARS - 10);
	CHECK(strcmp(r.names + len - 10, " abcdefghi") == 0);
}

TEST(the_other_words_of_a_query_match_a_word_start_in_names)
{
	char out[WORD_BUF + 2];
	words_other("ferr%", out);
	CHECK(strcmp(out, "% ferr%") == 0);
	words_other("", out);
	CHECK(strcmp(out, "%") == 0);
}
