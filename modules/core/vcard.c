/* vcard.c — vCard reading and writing: line folding, quoted-printable, escapes, the properties a contact has. */
#include "vcard.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"

const char *const vcard_columns[VC__N] = {
	"first_name", "middle_name", "last_name", "email", "email_2", "mobile_phone", "mobile_phone_2", "work_phone",
	"job_title", "birthday", "notes", "language", "timezone", "customer",
};

void vcard_free(struct vcard *c)
{
	for (int i = 0; i < VC__N; i++) {
		free(c->v[i]);
		c->v[i] = NULL;
	}
}

static char *dupn(const char *s, size_t n)
{
	char *o = malloc(n + 1);
	if (!o)
		return NULL;
	memcpy(o, s, n);
	o[n] = '\0';
	return o;
}

/* Text value escapes (\n \N \, \; \\) resolved, in place. */
static void unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			*o++ = (*p == 'n' || *p == 'N') ? '\n' : *p;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Quoted-printable decoded, then made UTF-8 (a CHARSET other than UTF-8 is read as Windows-1252). */
static char *qp_decode(const char *s)
{
	size_t n = strlen(s), k = 0, len;
	char *raw = malloc(n + 1), *out;
	const char *enc;

	if (!raw)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '=' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			raw[k++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (s[i] == '=' && (s[i + 1] == '\r' || s[i + 1] == '\n' || s[i + 1] == '\0')) {
			continue;	/* soft line break left over */
		} else {
			raw[k++] = s[i];
		}
	}
	out = csv_to_utf8(raw, k, &len, &enc);
	free(raw);
	return out;
}

/* The n-th ';'-separated component of a structured value (escapes respected), unescaped; NULL if empty. */
static char *component(const char *v, int n)
{
	const char *p = v, *start;
	for (int i = 0; i < n; i++) {
		while (*p && *p != ';') {
			if (*p == '\\' && p[1])
				p++;
			p++;
		}
		if (!*p)
			return NULL;
		p++;
	}
	start = p;
	while (*p && *p != ';') {
		if (*p == '\\' && p[1])
			p++;
		p++;
	}
	if (p == start)
		return NULL;
	{
		char *c = dupn(start, (size_t)(p - start));
		if (c) {
			unescape(c);
			while (*c == ' ' && c[1])
				memmove(c, c + 1, strlen(c));
			if (!*c) {
				free(c);
				return NULL;
			}
		}
		return c;
	}
}

static void set_once(struct vcard *c, int f, char *v)
{
	if (!v)
		return;
	if (!*v || c->v[f]) {
		free(v);
		return;
	}
	c->v[f] = v;
}

/* YYYY-MM-DD from 19900506, 1990-05-06 or 1990-05-06T…; NULL for dates without a year (--0506). */
static char *bday(const char *v)
{
	char d[11];
	if (strlen(v) >= 8 && !strncmp(v, "--", 2))
		return NULL;
	if (strlen(v) >= 10 && v[4] == '-' && v[7] == '-' && strspn(v, "0123456789") == 4 &&
	    strspn(v + 5, "0123456789") == 2 && strspn(v + 8, "0123456789") >= 2) {
		memcpy(d, v, 10);
	} else if (strlen(v) >= 8 && strspn(v, "0123456789") >= 8) {
		memcpy(d, v, 4);
		d[4] = '-';
		memcpy(d + 5, v + 4, 2);
		d[7] = '-';
		memcpy(d + 8, v + 6, 2);
	} else {
		return NULL;
	}
	d[10] = '\0';
	return dupn(d, 10);
}

struct prop {
	char name[32];
	int  qp, cell, work, home;
};

/* Parses "[group.]NAME;PARAM…" (up to the ':' at colon) into p. */
static void parse_head(const char *line, const char *colon, struct prop *p)
{
	const char *s = line, *dot, *semi;
	size_t n;

	memset(p, 0, sizeof *p);
	semi = memchr(s, ';', (size_t)(colon - s));
	if (!semi)
		semi = colon;
	dot = memchr(s, '.', (size_t)(semi - s));
	if (dot)
		s = dot + 1;	/* a group name: item1.EMAIL */
	n = (size_t)(semi - s);
	if (n >= sizeof p->name)
		n = sizeof p->name - 1;
	for (size_t i = 0; i < n; i++)
		p->name[i] = (char)((s[i] >= 'a' && s[i] <= 'z') ? s[i] - 32 : s[i]);
	p->name[n] = '\0';
	/* parameters: TYPE=cell,work / TYPE="cell,work" / TYPE=CELL;TYPE=WORK / 2.1 bare CELL;WORK;QUOTED-PRINTABLE:
	 * every token between ';', ',', '=' and quotes is compared */
	for (const char *w = semi; w < colon;) {
		const char *we;
		size_t wl;
		while (w < colon && (*w == ';' || *w == ',' || *w == '=' || *w == '"'))
			w++;
		we = w;
		while (we < colon && *we != ';' && *we != ',' && *we != '=' && *we != '"')
			we++;
		wl = (size_t)(we - w);
		if ((wl == 4 && !strncasecmp(w, "CELL", 4)) || (wl == 6 && !strncasecmp(w, "MOBILE", 6)))
			p->cell = 1;
		else if (wl == 4 && !strncasecmp(w, "WORK", 4))
			p->work = 1;
		else if (wl == 4 && !strncasecmp(w, "HOME", 4))
			p->home = 1;
		else if (wl == 16 && !strncasecmp(w, "QUOTED-PRINTABLE", 16))
			p->qp = 1;
		w = we;
	}
}

static void apply(struct vcard *c, const struct prop *p, char *value, char **fn)
{
	if (!strcmp(p->name, "N")) {
		set_once(c, VC_LAST, component(value, 0));
		set_once(c, VC_FIRST, component(value, 1));
		set_once(c, VC_MIDDLE, component(value, 2));
	} else if (!strcmp(p->name, "FN")) {
		if (!*fn) {
			*fn = strdup(value);
			if (*fn)
				unescape(*fn);
		}
	} else if (!strcmp(p->name, "ORG")) {
		set_once(c, VC_ORG, component(value, 0));
	} else if (!strcmp(p->name, "EMAIL")) {
		char *v = component(value, 0);
		if (v && !c->v[VC_EMAIL])
			c->v[VC_EMAIL] = v;
		else
			set_once(c, VC_EMAIL2, v);
	} else if (!strcmp(p->name, "TEL")) {
		char *v = strdup(value);
		int order_cell[] = { VC_MOBILE, VC_MOBILE2, VC_WORK }, order_work[] = { VC_WORK, VC_MOBILE, VC_MOBILE2 };
		int *order = p->cell || !p->work ? order_cell : order_work;
		if (!v)
			return;
		unescape(v);
		while (!strncasecmp(v, "tel:", 4))
			memmove(v, v + 4, strlen(v + 4) + 1);
		if (!*v) {
			free(v);
			return;
		}
		for (int i = 0; i < 3; i++)
			if (!c->v[order[i]]) {
				c->v[order[i]] = v;
				return;
			}
		free(v);
	} else if (!strcmp(p->name, "TITLE")) {
		char *v = strdup(value);
		if (v)
			unescape(v);
		set_once(c, VC_TITLE, v);
	} else if (!strcmp(p->name, "BDAY")) {
		set_once(c, VC_BDAY, bday(value));
	} else if (!strcmp(p->name, "NOTE")) {
		char *v = strdup(value);
		if (v)
			unescape(v);
		set_once(c, VC_NOTE, v);
	} else if (!strcmp(p->name, "LANG") || !strcmp(p->name, "X-LANG")) {
		if (strlen(value) >= 2 && ((value[2] == '\0') || value[2] == '-' || value[2] == '_' || value[2] == ',')) {
			char l[3] = { (char)(value[0] | 0x20), (char)(value[1] | 0x20), '\0' };
			set_once(c, VC_LANG, dupn(l, 2));
		}
	} else if (!strcmp(p->name, "TZ")) {
		if (strchr(value, '/') && !strchr(value, ':'))
			set_once(c, VC_TZ, strdup(value));
	}
}

int vcard_parse(const char *data, size_t len, int (*fn)(void *ctx, struct vcard *c, size_t card), void *ctx)
{
	const char *enc;
	size_t tlen, cards = 0;
	char *text = csv_to_utf8(data, len, &tlen, &enc), *fname = NULL;
	const char *p, *end;
	struct buf line = { 0 };
	struct vcard c;
	int in = 0, rc = 0;

	if (!text)
		return -1;
	memset(&c, 0, sizeof c);
	p = text;
	end = text + tlen;
	while (p < end) {
		/* one logical line: folded continuations (leading space or tab) and QP soft breaks joined */
		buf_reset(&line);
		for (;;) {
			const char *e = p;
			while (e < end && *e != '\r' && *e != '\n')
				e++;
			if (line.len + (size_t)(e - p) <= VCARD_MAX_LINE)
				buf_append(&line, p, (size_t)(e - p));
			p = e;
			if (p < end && *p == '\r')
				p++;
			if (p < end && *p == '\n')
				p++;
			if (p < end && (*p == ' ' || *p == '\t')) {
				p++;
				continue;
			}
			/* quoted-printable (named among the parameters, before the first ':', never in a value):
			 * a value ending in '=' goes on on the next line */
			if (p < end && line.len && line.data[line.len - 1] == '=') {
				const char *colon = memchr(line.data, ':', line.len);
				if (colon && memmem(line.data, (size_t)(colon - line.data), "QUOTED-PRINTABLE", 16)) {
					line.len--;
					continue;
				}
			}
			break;
		}
		buf_append(&line, "", 0);
		if (!line.data || !line.len)
			continue;
		{
			char *l = line.data, *colon = strchr(l, ':');
			struct prop pr;
			if (!colon)
				continue;
			parse_head(l, colon, &pr);
			if (!strcmp(pr.name, "BEGIN") && !strcasecmp(colon + 1, "VCARD")) {
				vcard_free(&c);
				free(fname);
				fname = NULL;
				in = 1;
				continue;
			}
			if (!in)
				continue;
			if (!strcmp(pr.name, "END") && !strcasecmp(colon + 1, "VCARD")) {
				in = 0;
				if (fname) {
					size_t fl = strlen(fname), lead = strspn(fname, " \t");
					while (fl > lead && (fname[fl - 1] == ' ' || fname[fl - 1] == '\t'))
						fname[--fl] = '\0';
					memmove(fname, fname + lead, fl - lead + 1);
				}
				if (!c.v[VC_FIRST] && !c.v[VC_LAST] && fname && *fname) {
					/* no N: the formatted name, its last word as the last name */
					char *sp = strrchr(fname, ' ');
					if (sp) {
						c.v[VC_FIRST] = dupn(fname, (size_t)(sp - fname));
						c.v[VC_LAST] = strdup(sp + 1);
					} else {
						c.v[VC_LAST] = strdup(fname);
					}
				}
				free(fname);
				fname = NULL;
				if ((rc = fn(ctx, &c, cards++)) != 0)
					break;
				vcard_free(&c);
				continue;
			}
			if (pr.qp) {
				char *dec = qp_decode(colon + 1);
				if (dec) {
					apply(&c, &pr, dec, &fname);
					free(dec);
				}
			} else {
				apply(&c, &pr, colon + 1, &fname);
			}
		}
	}
	vcard_free(&c);
	free(fname);
	buf_free(&line);
	free(text);
	return rc ? rc : (int)cards;
}

/* Appends a text value with the escapes of RFC 6350 (structured: ';' escaped too). */
static void put_text(struct buf *b, const char *v)
{
	for (const char *p = v ? v : ""; *p; p++) {
		if (*p == '\n')
			buf_puts(b, "\\n");
		else if (*p == '\r')
			continue;
		else if (*p == '\\' || *p == ',' || *p == ';') {
			buf_append(b, "\\", 1);
			buf_append(b, p, 1);
		} else
			buf_append(b, p, 1);
	}
}

/* Ends the logical line started at `from`, folding it every 75 bytes on a character boundary. */
static void end_line(struct buf *b, size_t from)
{
	struct buf out = { 0 };
	size_t col = 0;
	for (size_t i = from; i < b->len; i++) {
		unsigned char ch = (unsigned char)b->data[i];
		if (col >= 75 && (ch & 0xC0) != 0x80) {
			buf_puts(&out, "\r\n ");
			col = 1;
		}
		buf_append(&out, (const char *)&ch, 1);
		col++;
	}
	b->len = from;
	if (out.len)
		buf_append(b, out.data, out.len);
	buf_puts(b, "\r\n");
	buf_free(&out);
}

static void prop(struct buf *b, const char *head, const char *v)
{
	size_t from = b->len;
	if (!v || !*v)
		return;
	buf_puts(b, head);
	put_text(b, v);
	end_line(b, from);
}

void vcard_write(struct buf *b, int version, const char *const v[VC__N])
{
	size_t from;
	const char *cell = version >= 4 ? "TEL;TYPE=cell:" : "TEL;TYPE=CELL:";

	buf_puts(b, "BEGIN:VCARD\r\n");
	buf_puts(b, version >= 4 ? "VERSION:4.0\r\n" : "VERSION:3.0\r\n");
	from = b->len;
	buf_puts(b, "N:");
	put_text(b, v[VC_LAST]);
	buf_puts(b, ";");
	put_text(b, v[VC_FIRST]);
	buf_puts(b, ";");
	put_text(b, v[VC_MIDDLE]);
	buf_puts(b, ";;");
	end_line(b, from);
	from = b->len;
	buf_puts(b, "FN:");
	{
		struct buf name = { 0 };
		for (int i = 0; i < 3; i++) {
			const char *part = v[i == 0 ? VC_FIRST : i == 1 ? VC_MIDDLE : VC_LAST];
			if (part && *part) {
				if (name.len)
					buf_puts(&name, " ");
				buf_puts(&name, part);
			}
		}
		if (!name.len && v[VC_EMAIL])
			buf_puts(&name, v[VC_EMAIL]);
		put_text(b, name.data ? name.data : "");
		buf_free(&name);
	}
	end_line(b, from);
	prop(b, "ORG:", v[VC_ORG]);
	prop(b, "TITLE:", v[VC_TITLE]);
	prop(b, version >= 4 ? "EMAIL;TYPE=work:" : "EMAIL;TYPE=INTERNET:", v[VC_EMAIL]);
	prop(b, version >= 4 ? "EMAIL:" : "EMAIL;TYPE=INTERNET:", v[VC_EMAIL2]);
	prop(b, cell, v[VC_MOBILE]);
	prop(b, cell, v[VC_MOBILE2]);
	prop(b, version >= 4 ? "TEL;TYPE=work,voice:" : "TEL;TYPE=WORK,VOICE:", v[VC_WORK]);
	if (v[VC_BDAY] && strlen(v[VC_BDAY]) == 10) {
		if (version >= 4) {
			char d[9] = { v[VC_BDAY][0], v[VC_BDAY][1], v[VC_BDAY][2], v[VC_BDAY][3], v[VC_BDAY][5], v[VC_BDAY][6],
				v[VC_BDAY][8], v[VC_BDAY][9], '\0' };
			prop(b, "BDAY:", d);
		} else {
			prop(b, "BDAY:", v[VC_BDAY]);
		}
	}
	prop(b, "NOTE:", v[VC_NOTE]);
	prop(b, "LANG:", v[VC_LANG]);
	prop(b, version >= 4 ? "TZ:" : "TZ;VALUE=text:", v[VC_TZ]);
	buf_puts(b, "END:VCARD\r\n");
}
