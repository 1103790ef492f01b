/* csv.h — CSV cells for exports (RFC 4180, formula-safe); shared by every CSV the programs write. */
#ifndef CRM_CSV_H
#define CRM_CSV_H

#include "util.h"

/* Appends one quoted cell (NULL = empty). A cell a spreadsheet would run as a formula (starting with =, +, -, @,
 * tab or CR) gets a leading apostrophe; '+' or '-' before a plain number (a phone) is data and is kept as typed. */
void csv_cell(struct buf *b, const char *v);

/* Reading (imports). Every function is pure and fuzzed (tests/fuzz/fuzz_csv.c). */

/* The text as UTF-8 (malloc'd, NUL-terminated, *outlen its length): a UTF-8 BOM is dropped; valid UTF-8 is kept;
 * anything else is read as Windows-1252 (a superset of ISO-8859-1 for printable text) and converted. NUL bytes
 * become spaces. *encoding gets "utf-8", "utf-8-bom" or "windows-1252". NULL when out of memory. */
char *csv_to_utf8(const char *data, size_t len, size_t *outlen, const char **encoding);
/* The delimiter of the header line: the most frequent of ',', ';' and tab outside quotes (',' on a tie or none). */
char  csv_sniff(const char *s, size_t len);

#define CSV_MAX_FIELDS 256
#define CSV_MAX_CELL   65536

struct csv_reader {
	const char *p, *end;
	char        delim;
	size_t      line;	/* physical line where the current record starts (1-based) */
};
/* RFC 4180 with the usual leniency: quoted cells may hold delimiters, doubled quotes and line breaks; CRLF, LF
 * or CR end a record; a quote inside an unquoted cell is kept. Returns 1 with a record (cells malloc'd, free
 * with csv_record_free), 0 at the end, -1 on a malformed record (unterminated quote, more than CSV_MAX_FIELDS
 * cells, a cell longer than CSV_MAX_CELL bytes), after which reading cannot go on. */
void  csv_reader_init(struct csv_reader *rd, const char *s, size_t len, char delim);
int   csv_next(struct csv_reader *rd, char ***cells, size_t *n);
void  csv_record_free(char **cells, size_t n);

#endif
