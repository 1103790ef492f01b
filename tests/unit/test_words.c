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
