/* csv.c — CSV cells for exports: quoting (RFC 4180) and formula defusing. */
#include "csv.h"

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
