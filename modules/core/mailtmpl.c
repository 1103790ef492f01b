/* mailtmpl.c — email templates: placeholder whitelists per code, the {{name}} parser, validation and rendering. */
#include "mailtmpl.h"
#include "db.h"

#include <string.h>

#define CONTACT_VARS "contact.first_name", "contact.last_name", "contact.email"

static const char *const portal_access_vars[] = { CONTACT_VARS, "portal.login", "portal.link",
	"portal.expires", "site.name", NULL };
static const char *const ticket_vars[] = { CONTACT_VARS, "ticket.number", "ticket.subject", "ticket.status",
	"ticket.link", "comment.body", "site.name", NULL };
static const char *const password_reset_vars[] = { CONTACT_VARS, "reset.link", "reset.expires", "site.name", NULL };

const struct mailtmpl_code mailtmpl_codes[] = {
	{ "portal_access", portal_access_vars },
	{ "ticket_created", ticket_vars },
	{ "ticket_updated", ticket_vars },
	{ "password_reset", password_reset_vars },
};
const size_t mailtmpl_ncodes = sizeof mailtmpl_codes / sizeof mailtmpl_codes[0];

enum stmt { STMT_LOAD, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	/* The contact's language first, English otherwise. */
	[STMT_LOAD] =
	    "SELECT subject, body FROM mail_templates WHERE code = ? AND language IN (?, 'en') "
	    "ORDER BY language = ? DESC LIMIT 1",
};

const struct mailtmpl_code *mailtmpl_find(const char *code)
{
	for (size_t i = 0; code && i < mailtmpl_ncodes; i++)
		if (strcmp(mailtmpl_codes[i].code, code) == 0)
			return &mailtmpl_codes[i];
	return NULL;
}

int mailtmpl_allowed(const char *code, const char *name, size_t len)
{
	const struct mailtmpl_code *c = mailtmpl_find(code);
	for (const char *const *p = c ? c->placeholders : NULL; p && *p; p++)
		if (strlen(*p) == len && memcmp(*p, name, len) == 0)
			return 1;
	return 0;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

static const char *find2(const char *s, const char *end, char c)
{
	for (; s + 1 < end; s++)
		if (s[0] == c && s[1] == c)
			return s;
	return NULL;
}

int mailtmpl_parse(const char *s, size_t len, mailtmpl_cb cb, void *ctx, size_t *erroff)
{
	const char *p = s, *end = s + len, *lit = s;
	int rc;

	*erroff = 0;
	while (p < end) {
		if (p + 1 < end && p[0] == '}' && p[1] == '}') {
			*erroff = (size_t)(p - s);
			return MT_UNBALANCED;
		}
		if (!(p + 1 < end && p[0] == '{' && p[1] == '{')) {
			p++;
			continue;
		}
		/* "{{": the placeholder runs to the next "}}"; another "{{" before it is unbalanced. */
		const char *open = p, *in = p + 2, *close = find2(in, end, '}'), *again = find2(in, end, '{');
		const char *a, *b;
		if (!close || (again && again < close)) {
			*erroff = (size_t)(open - s);
			return MT_UNBALANCED;
		}
		a = in;
		b = close;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (a == b || (size_t)(b - a) > MAILTMPL_MAX_NAME) {
			*erroff = (size_t)(open - s);
			return MT_BADNAME;
		}
		for (const char *q = a; q < b; q++)
			if (!name_char(*q)) {
				*erroff = (size_t)(open - s);
				return MT_BADNAME;
			}
		if (open > lit && cb && (rc = cb(ctx, 0, lit, (size_t)(open - lit))) != 0)
			return rc;
		if (cb && (rc = cb(ctx, 1, a, (size_t)(b - a))) != 0)
			return rc;
		p = lit = close + 2;
	}
	if (end > lit && cb && (rc = cb(ctx, 0, lit, (size_t)(end - lit))) != 0)
		return rc;
	return MT_OK;
}

struct check_ctx {
	const char *code;
	char       *bad;
	size_t      badsz;
};

static void copy_bad(char *bad, size_t badsz, const char *p, size_t n)
{
	if (!bad || !badsz)
		return;
	if (n >= badsz)
		n = badsz - 1;
	memcpy(bad, p, n);
	bad[n] = '\0';
}

static int check_cb(void *ctx, int is_placeholder, const char *p, size_t n)
{
	struct check_ctx *c = ctx;
	if (!is_placeholder || mailtmpl_allowed(c->code, p, n))
		return 0;
	copy_bad(c->bad, c->badsz, p, n);
	return MT_UNKNOWN;
}

int mailtmpl_check(const char *code, const char *text, int is_subject, char *bad, size_t badsz)
{
	size_t len = text ? strlen(text) : 0, off;
	struct check_ctx c = { code, bad, badsz };
	int rc;

	if (bad && badsz)
		bad[0] = '\0';
	if (!text || text[strspn(text, " \t\r\n")] == '\0')
		return MT_EMPTY;
	if (is_subject && strpbrk(text, "\r\n"))
		return MT_NEWLINE;
	if (len > (is_subject ? MAILTMPL_MAX_SUBJECT : MAILTMPL_MAX_BODY))
		return MT_TOOLONG;
	if (!utf8_valid_text(text, len, !is_subject))
		return MT_TEXT;
	rc = mailtmpl_parse(text, len, check_cb, &c, &off);
	if (rc == MT_BADNAME) {
		/* Show what stood between the braces (cut at the closing braces or the end of the line). */
		const char *in = text + off + 2;
		size_t n = strcspn(in, "}\r\n");
		copy_bad(bad, badsz, in, n);
	}
	return rc;
}

struct expand_ctx {
	const char                *code;
	int                        is_subject;
	const struct mailtmpl_var *vars;
	size_t                     nvars;
	struct buf                *out;
};

static int expand_cb(void *ctx, int is_placeholder, const char *p, size_t n)
{
	struct expand_ctx *c = ctx;
	if (!is_placeholder)
		return buf_append(c->out, p, n) < 0 ? -1 : 0;
	if (!mailtmpl_allowed(c->code, p, n)) {
		log_msg(LOG_WARN, "mail template %s: unknown placeholder {{%.*s}} left out", c->code, (int)n, p);
		return 0;
	}
	for (size_t i = 0; i < c->nvars; i++) {
		const char *v;
		if (!c->vars[i].name || strlen(c->vars[i].name) != n || memcmp(c->vars[i].name, p, n) != 0)
			continue;
		for (v = c->vars[i].value; v && *v; v++) {
			char ch = *v;
			if (c->is_subject && (ch == '\r' || ch == '\n'))
				ch = ' ';
			if (buf_append(c->out, &ch, 1) < 0)
				return -1;
		}
		break;
	}
	return 0;
}

int mailtmpl_expand(const char *code, const char *text, int is_subject,
    const struct mailtmpl_var *vars, size_t nvars, struct buf *out)
{
	struct expand_ctx c = { code, is_subject, vars, nvars, out };
	size_t start = out->len, off;
	int rc;

	if (!text)
		return 0;
	rc = mailtmpl_parse(text, strlen(text), expand_cb, &c, &off);
	if (rc != MT_OK) {
		/* Roll back what was appended: a broken template renders nothing. */
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return -1;
	}
	return 0;
}

int mailtmpl_render(const char *code, const char *lang, const struct mailtmpl_var *vars, size_t nvars,
    struct buf *subject, struct buf *body)
{
	struct db_res res;
	const char *l = lang && *lang ? lang : "en";
	size_t slen = subject->len, blen = body->len;
	int rc;

	if (!mailtmpl_find(code))
		return MAILTMPL_MISSING;
	if ((rc = db_exec(stmts[STMT_LOAD], DB_ARGS(A_STR(code), A_STR(l), A_STR(l)), &res)) != DB_OK)
		return rc;
	if (res.nrows == 0) {
		db_res_free(&res);
		return MAILTMPL_MISSING;
	}
	if (mailtmpl_expand(code, db_val(&res, 0, 0), 1, vars, nvars, subject) < 0 ||
	    mailtmpl_expand(code, db_val(&res, 0, 1), 0, vars, nvars, body) < 0) {
		log_msg(LOG_ERR, "mail template %s (%s): stored text does not parse; nothing rendered", code, l);
		subject->len = slen;
		body->len = blen;
		if (subject->data)
			subject->data[slen] = '\0';
		if (body->data)
			body->data[blen] = '\0';
		db_res_free(&res);
		return MAILTMPL_BROKEN;
	}
	db_res_free(&res);
	return DB_OK;
}
