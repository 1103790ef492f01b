/* config.h — the configuration file (HDF syntax), read once per process. */
#ifndef CRM_CONFIG_H
#define CRM_CONFIG_H

struct config {
	char *path;
	char *db_socket, *db_host, *db_name, *db_user, *db_password;
	int   db_port;
	char *root;		/* project root: templates/ and sql/ live here */
	char *staff_url, *portal_url, *uploads;
	int   secure_cookies;
	char *smtp_url, *mail_from;
	int   session_ttl;	/* seconds */
	long  max_body;		/* bytes */
	long  max_upload;	/* bytes of one uploaded document (limits.upload, at most limits.body) */
};

/* Finds the file (explicit path, $CRM_CONFIG, <exe dir>/../var/crm.conf) and
 * loads it. Returns 0 on success; on failure logs why and returns -1. */
int  config_load(struct config *c, const char *explicit_path);
/* Parses configuration text (exposed for unit tests). */
int  config_parse_string(struct config *c, const char *text);
void config_free(struct config *c);

#endif
