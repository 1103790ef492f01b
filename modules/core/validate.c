/* validate.c — typed validators applied at the edge, from per-page field tables. */
#include "validate.h"
#include "http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const iso639_1[] = {
	"aa","ab","ae","af","ak","am","an","ar","as","av","ay","az","ba","be","bg","bh","bi","bm","bn","bo",
	"br","bs","ca","ce","ch","co","cr","cs","cu","cv","cy","da","de","dv","dz","ee","el","en","eo","es",
	"et","eu","fa","ff","fi","fj","fo","fr","fy","ga","gd","gl","gn","gu","gv","ha","he","hi","ho","hr",
	"ht","hu","hy","hz","ia","id","ie","ig","ii","ik","io","is","it","iu","ja","jv","ka","kg","ki","kj",
	"kk","kl","km","kn","ko","kr","ks","ku","kv","kw","ky","la","lb","lg","li","ln","lo","lt","lu","lv",
	"mg","mh","mi","mk","ml","mn","mr","ms","mt","my","na","nb","nd","ne","ng","nl","nn","no","nr","nv",
	"ny","oc","oj","om","or","os","pa","pi","pl","ps","pt","qu","rm","rn","ro","ru","rw","sa","sc","sd",
	"se","sg","si","sk","sl","sm","sn","so","sq","sr","ss","st","su","sv","sw","ta","te","tg","th","ti",
	"tk","tl","tn","to","tr","ts","tt","tw","ty","ug","uk","ur","uz","ve","vi","vo","wa","wo","xh","yi",
	"yo","za","zh","zu", NULL
};

int date_valid(const char *s)
{
	static const int mdays[] = { 31,28,31,30,31,30,31,31,30,31,30,31 };
	int y, m, d, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1800 || y > 2999 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

static int email_valid(const char *s)
{
	const char *at = strchr(s, '@'), *dot;
	size_t len = strlen(s);

	if (!at || at == s || strchr(at + 1, '@') || len > 254 || (size_t)(at - s) > 64)
		return 0;
	for (const char *p = s; p < at; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".!#$%&'*+/=?^_`{|}~-", *p) && !((unsigned char)*p >= 0x80))
			return 0;
	if (s[0] == '.' || at[-1] == '.' || strstr(s, ".."))
		return 0;
	dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0' || strlen(dot + 1) < 2)
		return 0;
	for (const char *p = at + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' && !((unsigned char)*p >= 0x80))
			return 0;
	return at[1] != '-' && at[1] != '.';
}

int phone_normalize(const char *in, char *out, size_t outsz)
{
	size_t o = 0, digits = 0;
	const char *p = in;

	if (outsz < 2)
		return -1;
	while (*p == ' ')
		p++;
	if (*p == '+') {
		out[o++] = '+';
		p++;
	} else if (p[0] == '0' && p[1] == '0') {
		out[o++] = '+';
		p += 2;
	}
	for (; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (o + 1 >= outsz)
				return -1;
			out[o++] = *p;
			digits++;
		} else if (!strchr(" -()./", *p)) {
			return -1;
		}
	}
	out[o] = '\0';
	return digits >= 5 && digits <= 17 ? 0 : -1;
}

static int timezone_valid(const char *s)
{
	char path[300];
	size_t n = strlen(s);

	if (n < 3 || n > 64 || s[0] == '/' || strstr(s, ".."))
		return 0;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/_-+", *p))
			return 0;
	if (strcmp(s, "UTC") == 0)
		return 1;
	/* Prefer the system's tz database; without it accept Area/Location. */
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", s);
	if (access(path, R_OK) == 0)
		return 1;
	if (access("/usr/share/zoneinfo/Europe/Rome", R_OK) == 0)
		return 0;
	return strchr(s, '/') != NULL && isupper((unsigned char)s[0]);
}

static int url_valid(const char *s)
{
	const char *h;
	if (strncmp(s, "https://", 8) == 0)
		h = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		h = s + 7;
	else
		return 0;
	if (!isalnum((unsigned char)*h))
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return 0;
	return strlen(s) <= 2000;
}

static int decimal_valid(const char *s)
{
	int digits = 0, dot = 0;
	if (*s == '-' || *s == '+')
		s++;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if ((*s == '.' || *s == ',') && !dot)
			dot = 1;
		else
			return 0;
	}
	return digits > 0 && digits <= 30;
}

const char *validate_one(const struct field *f, const char *s, struct fval *out)
{
	size_t len, maxlen = f->max > 0 ? (size_t)f->max : 255;

	if (!s)
		s = "";	/* an absent parameter is an empty one */
	len = strlen(s);

	memset(out, 0, sizeof *out);
	out->s = s;
	/* Only blanks (also in long text: spaces, tabs, line breaks) count as empty. */
	out->present = s[strspn(s, " \t\r\n")] != '\0';
	if (f->type == V_BOOL) {
		if (!*s || !strcmp(s, "0") || !strcmp(s, "off") || !strcmp(s, "false") || !strcmp(s, "no"))
			out->i = 0;
		else if (!strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "true") || !strcmp(s, "yes"))
			out->i = 1;
		else
			return "Bool";
		out->present = 1;
		return NULL;
	}
	if (!out->present)
		return (f->flags & F_REQUIRED) ? "Required" : NULL;
	if (!utf8_valid_text(s, len, f->type == V_LONGTEXT))
		return "Text";
	switch (f->type) {
	case V_TEXT:
	case V_LONGTEXT:
		if (len > (f->type == V_LONGTEXT && f->max <= 0 ? 65535 : maxlen))
			return "TooLong";
		return NULL;
	case V_INT:
		if (parse_ll(s, f->min, f->max, &out->i) < 0)
			return "Int";
		return NULL;
	case V_ID:
		if (parse_ll(s, 1, 9007199254740991LL, &out->i) < 0)
			return "Id";
		return NULL;
	case V_DATE:
	case V_PAST_DATE:
		if (!date_valid(s))
			return "Date";
		if (f->type == V_PAST_DATE) {
			char today[11];
			time_t now = time(NULL);
			struct tm tm;
			gmtime_r(&now, &tm);
			strftime(today, sizeof today, "%Y-%m-%d", &tm);
			if (strcmp(s, today) > 0)
				return "Future";
		}
		return NULL;
	case V_EMAIL:
		return email_valid(s) ? NULL : "Email";
	case V_PHONE:
		if (len > 40 || phone_normalize(s, out->norm, sizeof out->norm) < 0)
			return "Phone";
		return NULL;
	case V_ENUM:
		for (const char *const *c = f->choices; c && *c; c++)
			if (strcmp(*c, s) == 0)
				return NULL;
		return "Choice";
	case V_TIMEZONE:
		return timezone_valid(s) ? NULL : "Timezone";
	case V_LANG:
		for (const char *const *c = iso639_1; *c; c++)
			if (strcmp(*c, s) == 0)
				return NULL;
		return "Language";
	case V_URL:
		return url_valid(s) ? NULL : "Url";
	case V_DECIMAL:
		return decimal_valid(s) ? NULL : "Decimal";
	case V_LOCALPATH:
		return http_local_path(s) ? NULL : "Path";
	case V_BOOL:
		break;
	}
	return NULL;
}

int validate_fields(struct req *r, const struct field *fields, size_t n,
    struct fval *out, struct ferr *errs)
{
	int nerr = 0;

	for (size_t i = 0; i < n; i++) {
		const char *v = req_param(r, fields[i].name), *msg;
		/* Trim surrounding blanks: people paste values with spaces. */
		if (v && fields[i].type != V_LONGTEXT) {
			while (*v == ' ' || *v == '\t')
				v++;
			if (*v && (v[strlen(v) - 1] == ' ' || v[strlen(v) - 1] == '\t')) {
				/* The trimmed copy lives as long as the request's params. */
				size_t e = strlen(v);
				while (e > 0 && (v[e - 1] == ' ' || v[e - 1] == '\t'))
					e--;
				if (params_add(&r->params, "\x01trim", 5, v, e) == FORM_OK)
					v = r->params.v[r->params.n - 1].value;
			}
		}
		msg = validate_one(&fields[i], v ? v : "", &out[i]);
		if (msg && nerr < MAX_FORM_ERRORS) {
			errs[nerr].field = fields[i].name;
			errs[nerr].msg = msg;
			nerr++;
		} else if (msg) {
			nerr++;
		}
	}
	return nerr;
}
