/* fuzz_csv.c — the import's CSV reading: any bytes are decoded to valid UTF-8 without NULs, the delimiter is one
 * of three, records never exceed the limits, and reading always ends. */
#include "fuzz.h"
#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *enc;
	size_t len, records = 0;
	char *s = csv_to_utf8((const char *)data, size, &len, &enc);
	struct csv_reader rd;
	char **cells, delim;
	size_t n;
	int rc;

	if (!s)
		return 0;
	FUZZ_ASSERT(strlen(s) == len);
	delim = csv_sniff(s, len);
	FUZZ_ASSERT(delim == ',' || delim == ';' || delim == '\t');
	csv_reader_init(&rd, s, len, delim);
	while ((rc = csv_next(&rd, &cells, &n)) == 1) {
		FUZZ_ASSERT(n >= 1 && n <= CSV_MAX_FIELDS);
		for (size_t i = 0; i < n; i++)
			FUZZ_ASSERT(strlen(cells[i]) <= CSV_MAX_CELL);
		csv_record_free(cells, n);
		FUZZ_ASSERT(++records <= len + 1);
	}
	FUZZ_ASSERT(rc == 0 || rc == -1);
	free(s);
	return 0;
}
