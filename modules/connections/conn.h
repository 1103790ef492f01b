/* conn.h — the connections module: customers, leads, connect/disconnect, lead conversion. */
#ifndef CRM_CONN_H
#define CRM_CONN_H

#include "app.h"
#include "entity.h"

/* What differs between the customer and the lead pages; records.c does the rest. */
struct rec_ui {
	const struct entity *e;
	const char          *path;		/* "/connections/customers" */
	const char          *lang;		/* "Customer", "Lead": Lang.<lang>.* */
	const char          *tmpl;		/* "customer", "lead": templates/connections/<tmpl>_*.cs */
	const char *const   *list_sql;	/* [sort * 2 + has_query] */
	const char *const   *count_sql;	/* [has_query] */
	const char          *sort_keys_sql;	/* sort keys of one row (cursor "after=ID") */
	const char          *filter;		/* the equality filter: "type" or "status" */
	const struct field  *filter_field;
	const char *const   *list_cols;	/* names of the list statement's columns */
	size_t               nlist_cols;
	const char          *bin_sql;
};

extern const struct rec_ui customer_ui, lead_ui;

int rec_list_page(struct req *r, const struct rec_ui *u);
int rec_api_list(struct req *r, const struct rec_ui *u);
int rec_new_page(struct req *r, const struct rec_ui *u);
int rec_create_post(struct req *r, const struct rec_ui *u);
int rec_edit_page(struct req *r, const struct rec_ui *u);
int rec_update_post(struct req *r, const struct rec_ui *u);
int rec_view_page(struct req *r, const struct rec_ui *u);
int rec_delete_page(struct req *r, const struct rec_ui *u);
int rec_delete_post(struct req *r, const struct rec_ui *u);
int rec_restore_post(struct req *r, const struct rec_ui *u);
int rec_purge_page(struct req *r, const struct rec_ui *u);
int rec_purge_post(struct req *r, const struct rec_ui *u);
int rec_api_create(struct req *r, const struct rec_ui *u);
int rec_api_get(struct req *r, const struct rec_ui *u);
int rec_api_patch(struct req *r, const struct rec_ui *u);
int rec_api_delete(struct req *r, const struct rec_ui *u);
/* History of a customer or lead, newest first, as Prefix.N.{at,actor,action,field,old,new,contact}. */
int rec_history(struct req *r, const struct rec_ui *u, long long id, const char *prefix);

int conn_bin_page(struct req *r);
int customer_contacts_api(struct req *r);
int conn_overview_page(struct req *r);

int conn_search_page(struct req *r);
int conn_connect_post(struct req *r);
int conn_disconnect_post(struct req *r);
int conn_primary_post(struct req *r);
int conn_api_search(struct req *r);
int conn_api_list(struct req *r);
int conn_api_create(struct req *r);
int conn_api_delete(struct req *r);
int conn_api_patch(struct req *r);

int lead_convert_page(struct req *r);
int lead_convert_post(struct req *r);
int lead_api_convert(struct req *r);
int lead_anonymize_page(struct req *r);
int lead_anonymize_post(struct req *r);
int lead_api_anonymize(struct req *r);

extern const struct module connections_module;

#endif
