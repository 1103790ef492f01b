/* overview.c — the connections program's start page: customers and leads at a glance. */
#include "conn.h"
#include "db.h"
#include "render.h"

#include <stdio.h>

enum stmt { STMT_COUNTS, STMT_CUSTOMERS, STMT_LEADS, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_COUNTS] =
	    "SELECT (SELECT COUNT(*) FROM customers WHERE deleted_at IS NULL), "
	    "(SELECT COUNT(*) FROM leads WHERE deleted_at IS NULL)",
	[STMT_CUSTOMERS] =
	    "SELECT cu.id, cu.name, cu.type, cu.city, "
	    "(SELECT COUNT(*) FROM connections cn WHERE cn.customer_id = cu.id) "
	    "FROM customers cu WHERE cu.deleted_at IS NULL ORDER BY cu.name, cu.id LIMIT 25",
	[STMT_LEADS] =
	    "SELECT id, first_name, last_name, company, status FROM leads "
	    "WHERE deleted_at IS NULL ORDER BY last_name, first_name, id LIMIT 25",
};

int conn_overview_page(struct req *r)
{
	static const char *const cu_cols[] = { "id", "name", "type", "city", "contacts" };
	static const char *const ld_cols[] = { "id", "first_name", "last_name", "company", "status" };
	struct db_res res;
	int rc;

	if ((rc = db_exec(stmts[STMT_COUNTS], DB_NOARGS, &res)) != DB_OK)
		return rc;
	page_set(r, "Conn.Customers", db_val(&res, 0, 0));
	page_set(r, "Conn.Leads", db_val(&res, 0, 1));
	db_res_free(&res);
	if ((rc = db_exec(stmts[STMT_CUSTOMERS], DB_NOARGS, &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Conn.CustomerRows", &res, cu_cols, 5);
	db_res_free(&res);
	if ((rc = db_exec(stmts[STMT_LEADS], DB_NOARGS, &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Conn.LeadRows", &res, ld_cols, 5);
	db_res_free(&res);
	page_set(r, "Page.Title", lang_str(r, "Conn.Title"));
	return page_render(r, 200, "connections/overview.cs");
}
