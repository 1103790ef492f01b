/* history.c — the admin history: every settings change with its actor, newest first. */
#include "settings.h"
#include "render.h"

#include <stdio.h>

#define PAGE_ROWS 50

enum stmt { STMT_PAGE, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_PAGE] =
	    "SELECT id, at, actor, area, action, target, details FROM admin_history WHERE id < ? "
	    "ORDER BY id DESC LIMIT 51",
};

int history_page(struct req *r)
{
	static const char *const cols[] = { "id", "at", "actor", "area", "action", "target", "details" };
	long long before = sett_before(r);
	struct db_res res;
	size_t all, shown;
	int rc;

	if ((rc = db_exec(stmts[STMT_PAGE], DB_ARGS(A_INT(before)), &res)) != DB_OK)
		return rc;
	all = res.nrows;
	shown = all > PAGE_ROWS ? PAGE_ROWS : all;
	if (all > PAGE_ROWS) {
		char next[64];
		snprintf(next, sizeof next, "/settings/history?before=%s", db_val(&res, PAGE_ROWS - 1, 0));
		page_set(r, "History.Next", next);
	}
	res.nrows = shown;
	page_set_rows(r, "History.Rows", &res, cols, 7);
	res.nrows = all;
	db_res_free(&res);
	page_set_int(r, "History.Shown", (long long)shown);
	page_set_int(r, "History.Paged", before < 9007199254740991LL);
	sett_page(r, "history", "Settings.History");
	return page_render(r, 200, "settings/history.cs");
}
