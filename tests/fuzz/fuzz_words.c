/* fuzz_words.c — words_split and words_query (the name search): any bytes in, words that are
 * never empty, never longer than the index column, never a wildcard; LIKE patterns that end in %. */
#include "fuzz.h"
#include "words.h"

static size_t chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

static void check_word(const char *w, size_t len, void *ctx)
{
	(void)ctx;
	FUZZ_ASSERT(len > 0);
	FUZZ_ASSERT(chars(w, len) <= WORD_MAX_CHARS);
	for (size_t i = 0; i < len; i++)
		FUZZ_ASSERT(w[i] != '%' && w[i] != '_' && w[i] != ' ' && w[i] != '\0');
}

static void check_row(const char *suffix, const char *names, void *ctx)
{
	size_t sl = strlen(suffix), nl = strlen(names);
	(void)ctx;
	FUZZ_ASSERT(sl > 0 && chars(suffix, sl) <= WORD_MAX_CHARS);
	FUZZ_ASSERT(nl < WORDS_NAMES_BUF && chars(names, nl) <= WORDS_NAMES_CHARS);
	FUZZ_ASSERT(nl == 0 || (names[0] == ' ' && names[nl - 1] != ' '));
	FUZZ_ASSERT(!strchr(names, '%') && !strchr(names, '_'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), phrase[WORD_BUF], words[WORDS_MAX_QUERY][WORD_BUF];
	int n;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	words_split(s, check_word, NULL);
	{
		const char *texts[2] = { s, s + size / 2 };
		words_rows(texts, 2, check_row, NULL);
	}
	n = words_query(s, phrase, words);
	if (n == 0) {
		FUZZ_ASSERT(phrase[0] == '\0' && words[0][0] == '\0');
	} else {
		size_t len = strlen(phrase);
		FUZZ_ASSERT(len > 1 && len < WORD_BUF && phrase[len - 1] == '%');
		for (int i = 0; i < WORDS_MAX_QUERY && i < n; i++) {
			size_t wl = strlen(words[i]);
			FUZZ_ASSERT(wl > 1 && wl < WORD_BUF && words[i][wl - 1] == '%');
			FUZZ_ASSERT(strchr(words[i], '%') == words[i] + wl - 1);
			/* the first word is the longest: it drives the index range */
			FUZZ_ASSERT(strlen(words[0]) >= wl);
			{
				char other[WORD_BUF + 2];
				words_other(words[i], other);
				FUZZ_ASSERT(other[0] == '%' && other[1] == ' ' && !strcmp(other + 2, words[i]));
			}
		}
	}
	free(s);
	return 0;
}
