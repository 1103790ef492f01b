/* test_csv.c — the CSV reader of imports: encodings, delimiters, RFC 4180 quoting, hostile input; the writer's
 * formula defusing. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "unit.h"

/* Reads every record of s (already UTF-8) into rows[r][c] joined as "c1|c2|…"; returns the record count or -1. */
static int read_all(const char *s, char delim, char out[][200], int max)
{
	struct csv_reader rd;
	char **cells;
	size_t n;
	int rows = 0, rc;

	csv_reader_init(&rd, s, strlen(s), delim);
	while ((rc = csv_next(&rd, &cells, &n)) == 1) {
		if (rows < max) {
			out[rows][0] = '\0';
			for (size_t i = 0; i < n; i++) {
				if (i)
					strcat(out[rows], "|");
				strncat(out[rows], cells[i], 150 - strlen(out[rows]));
			}
		}
		rows++;
		csv_record_free(cells, n);
	}
	return rc < 0 ? -1 : rows;
}

TEST(csv_reads_quoted_delimiters_quotes_and_newlines)
{
	char r[4][200];
	CHECK(read_all("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n", ',', r, 4) == 2);
	CHECK_STR(r[0], "a|b|c");
	CHECK_STR(r[1], "x,1|say \"hi\"|two\r\nlines");
}

TEST(csv_accepts_lf_cr_and_a_missing_final_newline)
{
	char r[4][200];
	CHECK(read_all("a;b\nc;d\re;f", ';', r, 4) == 3);
	CHECK_STR(r[0], "a|b");
	CHECK_STR(r[1], "c|d");
	CHECK_STR(r[2], "e|f");
}

TEST(csv_keeps_empty_cells_and_a_quote_inside_an_unquoted_cell)
{
	char r[4][200];
	CHECK(read_all(",,\r\nO\"Brien,\"\"\r\n", ',', r, 4) == 2);
	CHECK_STR(r[0], "||");
	CHECK_STR(r[1], "O\"Brien|");
}

TEST(csv_refuses_an_unterminated_quote_and_too_many_cells)
{
	char r[2][200], *wide = malloc(CSV_MAX_FIELDS * 2 + 10);
	CHECK(read_all("a,\"never closed\r\nb,c\r\n", ',', r, 2) == -1);
	memset(wide, ',', CSV_MAX_FIELDS + 5);
	wide[CSV_MAX_FIELDS + 5] = '\0';
	CHECK(read_all(wide, ',', r, 2) == -1);
	free(wide);
}

TEST(csv_sniffs_the_delimiter_of_the_header_outside_quotes)
{
	CHECK(csv_sniff("first_name;last_name;email\n", 27) == ';');
	CHECK(csv_sniff("a\tb\tc\n", 6) == '\t');
	CHECK(csv_sniff("\"a;b;c\",d\n", 10) == ',');
	CHECK(csv_sniff("onlyone\n", 8) == ',');
}

TEST(csv_decodes_bom_utf8_and_windows_1252)
{
	size_t n;
	const char *enc;
	char *s = csv_to_utf8("\xEF\xBB\xBFN\xC3\xA9", 6, &n, &enc);
	CHECK_STR(s, "N\xC3\xA9");
	CHECK_STR(enc, "utf-8-bom");
	free(s);
	s = csv_to_utf8("Citt\xE0 \x80 caf\xE9", 12, &n, &enc);
	CHECK_STR(s, "Citt\xC3\xA0 \xE2\x82\xAC caf\xC3\xA9");
	CHECK_STR(enc, "windows-1252");
	free(s);
	s = csv_to_utf8("a\0b", 3, &n, &enc);	/* a NUL never reaches a C string */
	CHECK(n == 3 && strcmp(s, "a b") == 0);
	free(s);
	s = csv_to_utf8("\xED\xA0\x80", 3, &n, &enc);	/* a UTF-16 surrogate is not UTF-8 */
	CHECK_STR(enc, "windows-1252");
	free(s);
}

TEST(csv_cell_defuses_formulas_but_keeps_phone_numbers)
{
	struct buf b = { 0 };
	csv_cell(&b, "=1+1");
	csv_cell(&b, "+39 333 1234567");
	csv_cell(&b, "@SUM(A1)");
	csv_cell(&b, "-x");
	CHECK(b.data && strcmp(b.data, "\"'=1+1\"\"+39 333 1234567\"\"'@SUM(A1)\"\"'-x\"") == 0);
	buf_free(&b);
}
