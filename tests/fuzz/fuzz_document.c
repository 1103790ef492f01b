/* fuzz_document.c — doc_sniff and doc_clean_name: any bytes in; a sniffed kind always comes with its type, text
 * is accepted only when it is valid UTF-8 without controls; a cleaned name is never empty, holds no path
 * separator, quote or control character, and is valid UTF-8 of at most 200 bytes. */
#include "fuzz.h"
#include "document.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *mime, *kind = doc_sniff(data, size, size && data[0] & 1 ? "x.csv" : "x.txt", &mime);
	char *name = fuzz_cstr(data, size), out[256];
	size_t n;

	if (kind) {
		FUZZ_ASSERT(mime && *mime && size > 0);
		if (!strcmp(kind, "txt") || !strcmp(kind, "csv"))
			FUZZ_ASSERT(utf8_valid_text((const char *)data, size, 1));
	} else {
		FUZZ_ASSERT(mime == NULL);
	}
	doc_clean_name(name, out, sizeof out);
	n = strlen(out);
	FUZZ_ASSERT(n > 0 && n <= 200);
	FUZZ_ASSERT(utf8_valid_text(out, n, 0));
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(out[i] != '/' && out[i] != '\\' && out[i] != '"' && (unsigned char)out[i] >= 0x20);
	free(name);
	return 0;
}
