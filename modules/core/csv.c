/* csv.c — CSV cells for exports: quoting (RFC 4180) and formula defusing. */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

void csv_cell(struct buf *b, const char *v)
{
	if (!v)
		v = "";
	buf_puts(b, "\"");
	if (v[0] && strchr("=+-@\t\r", v[0]) &&
	    !((v[0] == '+' || v[0] == '-') && v[1] && v[1 + strspn(v + 1, "0123456789 ()-./")] == '\0'))
		buf_puts(b, "'");
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			buf_puts(b, "\"");
		buf_append(b, p, 1);
	}
	buf_puts(b, "\"");
}

/* Windows-1252 0x80..0x9F; 0 = undefined there (becomes U+FFFD). */
static const unsigned short cp1252_c1[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + k >= n)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0;
		i += k + 1;
	}
	return 1;
}

static void put_utf8(struct buf *b, unsigned cp)
{
	char t[4];
	if (cp < 0x80) {
		t[0] = (char)cp;
		buf_append(b, t, 1);
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, t, 2);
	} else {
		t[0] = (char)(0xE0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, t, 3);
	}
}

char *csv_to_utf8(const char *data, size_t len, size_t *outlen, const char **encoding)
{
	const unsigned char *s = (const unsigned char *)data;
	struct buf b = { 0 };

	*encoding = "utf-8";
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		s += 3;
		len -= 3;
		*encoding = "utf-8-bom";
	}
	if (utf8_ok(s, len)) {
		buf_append(&b, (const char *)s, len);
	} else {
		*encoding = "windows-1252";
		for (size_t i = 0; i < len; i++) {
			unsigned c = s[i];
			if (c < 0x80) {
				char ch = (char)c;
				buf_append(&b, &ch, 1);
			} else if (c < 0xA0) {
				put_utf8(&b, cp1252_c1[c - 0x80] ? cp1252_c1[c - 0x80] : 0xFFFD);
			} else {
				put_utf8(&b, c);
			}
		}
	}
	buf_append(&b, "", 0);
	if (!b.data)
		return NULL;
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] == '\0')
			b.data[i] = ' ';
	*outlen = b.len;
	return b.data;
}

char csv_sniff(const char *s, size_t len)
{
	size_t n[3] = { 0, 0, 0 };
	int quoted = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted && c == ',')
			n[0]++;
		else if (!quoted && c == ';')
			n[1]++;
		else if (!quoted && c == '\t')
			n[2]++;
	}
	if (n[1] > n[0] && n[1] >= n[2])
		return ';';
	if (n[2] > n[0] && n[2] > n[1])
		return '\t';
	return ',';
}

void csv_reader_init(struct csv_reader *rd, const char *s, size_t len, char delim)
{
	rd->p = s;
	rd->end = s + len;
	rd->delim = delim;
	rd->line = 1;
}

void csv_record_free(char **cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

int csv_next(struct csv_reader *rd, char ***out, size_t *nout)
{
	char **cells = NULL;
	size_t n = 0, lines = 0;
	struct buf cell = { 0 };
	const char *p = rd->p, *end = rd->end;

	*out = NULL;
	*nout = 0;
	if (p >= end)
		return 0;
	for (;;) {
		buf_reset(&cell);
		if (p < end && *p == '"') {
			p++;
			for (;;) {
				if (p >= end)
					goto bad;	/* unterminated quote */
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						buf_append(&cell, "\"", 1);
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n' || (*p == '\r' && !(p + 1 < end && p[1] == '\n')))
					lines++;
				buf_append(&cell, p, 1);
				p++;
				if (cell.len > CSV_MAX_CELL)
					goto bad;
			}
		}
		/* the unquoted cell, or what follows a closing quote up to the delimiter */
		while (p < end && *p != rd->delim && *p != '\n' && *p != '\r') {
			buf_append(&cell, p, 1);
			p++;
			if (cell.len > CSV_MAX_CELL)
				goto bad;
		}
		if (n >= CSV_MAX_FIELDS)
			goto bad;
		{
			char **grown = realloc(cells, (n + 1) * sizeof *cells);
			if (!grown)
				goto bad;
			cells = grown;
			cells[n] = malloc(cell.len + 1);
			if (!cells[n])
				goto bad;
			if (cell.len)
				memcpy(cells[n], cell.data, cell.len);
			cells[n][cell.len] = '\0';
			n++;
		}
		if (p < end && *p == rd->delim) {
			p++;
			continue;
		}
		/* end of record: CRLF, LF or CR */
		if (p < end && *p == '\r') {
			p++;
			if (p < end && *p == '\n')
				p++;
		} else if (p < end && *p == '\n') {
			p++;
		}
		break;
	}
	rd->p = p;
	*out = cells;
	*nout = n;
	rd->line += lines + 1;
	buf_free(&cell);
	return 1;
bad:
	buf_free(&cell);
	csv_record_free(cells, n);
	rd->p = end;
	return -1;
}
