/* test_mail.c — mail header text: ASCII as is, anything else as RFC 2047 encoded words that decode back. */
#include <stdlib.h>
#include <string.h>

#include "mail.h"
#include "unit.h"
#include "util.h"

/* Decodes a header value of =?UTF-8?B?…?= words (folding whitespace between them ignored). */
static void decode(const char *h, char *out)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	while (*h) {
		const char *end;
		unsigned v = 0;
		int bits = 0;
		if (strncmp(h, "=?UTF-8?B?", 10) != 0) {
			h++;
			continue;
		}
		h += 10;
		end = strstr(h, "?=");
		for (; h < end; h++) {
			const char *k = strchr(b64, *h);
			if (*h == '=' || !k)
				continue;
			v = v << 6 | (unsigned)(k - b64);
			if ((bits += 6) >= 8) {
				out[o++] = (char)(v >> (bits - 8) & 0xff);
				bits -= 8;
			}
		}
		h = end + 2;
	}
	out[o] = '\0';
}

TEST(an_ascii_subject_is_written_as_is)
{
	struct buf b = { 0 };
	mail_header_text(&b, "Your access to Example CRM");
	CHECK(b.len == strlen("Your access to Example CRM") && memcmp(b.data, "Your access to Example CRM", b.len) == 0);
	buf_free(&b);
}

TEST(a_non_ascii_subject_becomes_encoded_words_that_decode_back)
{
	/* long enough for several words; each ends on a whole character (è and ü are two bytes) */
	const char *s = "Ticket aggiornato: la stampante di Müller è ancora guasta, è già la terza volta però";
	struct buf b = { 0 };
	char dec[400];
	buf_puts(&b, "Subject: ");
	mail_header_text(&b, s);
	CHECK(strncmp(b.data, "Subject: =?UTF-8?B?", 19) == 0);
	for (size_t i = 0; i < b.len; i++)
		CHECK((unsigned char)b.data[i] < 0x80);
	/* lines stay short: folded before each further encoded word */
	for (const char *line = b.data, *nl; line; line = nl ? nl + 2 : NULL) {
		nl = strstr(line, "\r\n");
		CHECK((size_t)((nl ? nl : b.data + b.len) - line) <= 78);
	}
	decode(b.data, dec);
	CHECK(strcmp(dec, s) == 0);
	buf_free(&b);
}

TEST(line_breaks_never_reach_the_header)
{
	struct buf b = { 0 };
	char dec[100];
	mail_header_text(&b, "Città\r\nBcc: victim@example.com");
	/* the only line breaks are the folds between encoded words */
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] == '\r')
			CHECK(i + 2 < b.len && b.data[i + 1] == '\n' && b.data[i + 2] == ' ');
		else if (b.data[i] == '\n')
			CHECK(i > 0 && b.data[i - 1] == '\r');
	decode(b.data, dec);
	CHECK(strcmp(dec, "CittàBcc: victim@example.com") == 0);
	buf_free(&b);
}
