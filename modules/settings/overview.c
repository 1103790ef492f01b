/* overview.c — the settings program's start page: staff users and their roles (crm_admin). */
#include "settings.h"
#include "db.h"
#include "render.h"

#include <stdio.h>

enum stmt { STMT_USERS, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_USERS] =
	    "SELECT u.id, u.login, u.display_name, u.email, u.active, "
	    "COALESCE((SELECT GROUP_CONCAT(role ORDER BY role SEPARATOR ', ') FROM user_roles WHERE user_id = u.id), ''), "
	    "(SELECT MAX(last_seen) FROM sessions s WHERE s.user_id = u.id) "
	    "FROM users u ORDER BY u.login LIMIT 500",
};

int settings_overview_page(struct req *r)
{
	static const char *const cols[] = { "id", "login", "name", "email", "active", "roles", "last_seen" };
	struct db_res res;
	char key[96];
	int rc;

	if ((rc = db_exec(stmts[STMT_USERS], DB_NOARGS, &res)) != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++)
		for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
			snprintf(key, sizeof key, "Settings.Users.%lu.%s", (unsigned long)i, cols[c]);
			page_set(r, key, db_val(&res, i, c));
		}
	db_res_free(&res);
	page_set(r, "Page.Title", lang_str(r, "Settings.Title"));
	return page_render(r, 200, "settings/overview.cs");
}
