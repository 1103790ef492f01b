/* adminlog.c — writes the admin history of settings changes, in the caller's transaction. */
#include "adminlog.h"
#include "db.h"

#include <stdlib.h>
#include <string.h>

enum stmt { STMT_ADD, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_ADD] =
	    "INSERT INTO admin_history (user_id, actor, area, action, target_id, target, details) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)",
};

/* Cuts s to at most max bytes without splitting a UTF-8 sequence; returns a new string or NULL. */
static char *cut(const char *s, size_t max)
{
	size_t n;
	if (!s)
		return NULL;
	n = strlen(s);
	if (n <= max)
		return xstrdup(s);
	while (n > max || (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80))
		n--;
	return xstrndup(s, n);
}

int adminlog_add(struct req *r, const char *area, const char *action, long long target_id,
    const char *target, const char *details)
{
	char *t = cut(target ? target : "", 250), *d = cut(details, 16000);
	int rc = db_exec(stmts[STMT_ADD], DB_ARGS(r->who.user_id ? A_INT(r->who.user_id) : A_NULL,
	    A_STR(r->who.login), A_STR(area), A_STR(action), target_id > 0 ? A_INT(target_id) : A_NULL,
	    A_STR(t), A_STR(d)), NULL);
	free(t);
	free(d);
	return rc;
}
