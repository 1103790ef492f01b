/* config.c — locate and read the HDF configuration file into struct config. */
#include "config.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ClearSilver.h>

static char *get(HDF *h, const char *k, const char *def)
{
	const char *v = hdf_get_value(h, k, def);
	return v ? xstrdup(v) : NULL;
}

static int from_hdf(struct config *c, HDF *h)
{
	c->db_socket = get(h, "db.socket", NULL);
	c->db_host = get(h, "db.host", "127.0.0.1");
	c->db_port = hdf_get_int_value(h, "db.port", 3306);
	c->db_name = get(h, "db.name", "crm");
	c->db_user = get(h, "db.user", "crm");
	c->db_password = get(h, "db.password", "");
	c->root = get(h, "app.root", NULL);
	c->staff_url = get(h, "app.staff_url", "http://127.0.0.1:8080");
	c->portal_url = get(h, "app.portal_url", "http://127.0.0.1:8081");
	c->uploads = get(h, "app.uploads", NULL);
	c->secure_cookies = hdf_get_int_value(h, "app.secure_cookies", 0);
	c->smtp_url = get(h, "mail.smtp_url", NULL);
	c->mail_from = get(h, "mail.from", "crm@localhost");
	c->session_ttl = hdf_get_int_value(h, "session.ttl", 8 * 3600);
	c->max_body = hdf_get_int_value(h, "limits.body", 20 * 1024 * 1024);
	c->max_upload = hdf_get_int_value(h, "limits.upload", 10 * 1024 * 1024);
	if (c->max_upload <= 0 || c->max_upload > c->max_body)
		c->max_upload = c->max_body;
	if (c->session_ttl < 60)
		c->session_ttl = 60;
	if (!c->root) {
		log_msg(LOG_ERR, "config: app.root is not set");
		return -1;
	}
	return 0;
}

int config_parse_string(struct config *c, const char *text)
{
	HDF *h = NULL;
	NEOERR *err;
	int rc;

	memset(c, 0, sizeof *c);
	if ((err = hdf_init(&h)) != STATUS_OK || (err = hdf_read_string(h, text)) != STATUS_OK) {
		nerr_log_error(err);
		nerr_ignore(&err);
		hdf_destroy(&h);
		return -1;
	}
	rc = from_hdf(c, h);
	hdf_destroy(&h);
	return rc;
}

int config_load(struct config *c, const char *explicit_path)
{
	char path[PATH_MAX + 32], exe[PATH_MAX];
	HDF *h = NULL;
	NEOERR *err;
	int rc;

	memset(c, 0, sizeof *c);
	if (explicit_path)
		snprintf(path, sizeof path, "%s", explicit_path);
	else if (getenv("CRM_CONFIG") && *getenv("CRM_CONFIG"))
		snprintf(path, sizeof path, "%s", getenv("CRM_CONFIG"));
	else {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		char *slash;
		if (n <= 0) {
			log_msg(LOG_ERR, "config: cannot find the executable's directory");
			return -1;
		}
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		snprintf(path, sizeof path, "%s/../var/crm.conf", exe);
	}
	if (access(path, R_OK) != 0) {
		log_msg(LOG_ERR, "config: cannot read %s (use --config FILE or CRM_CONFIG)", path);
		return -1;
	}
	if ((err = hdf_init(&h)) != STATUS_OK || (err = hdf_read_file(h, path)) != STATUS_OK) {
		STRING s;
		string_init(&s);
		nerr_error_string(err, &s);
		log_msg(LOG_ERR, "config: %s: %s", path, s.buf ? s.buf : "parse error");
		string_clear(&s);
		nerr_ignore(&err);
		hdf_destroy(&h);
		return -1;
	}
	rc = from_hdf(c, h);
	hdf_destroy(&h);
	if (rc == 0)
		c->path = xstrdup(path);
	return rc;
}

void config_free(struct config *c)
{
	char **fields[] = { &c->path, &c->db_socket, &c->db_host, &c->db_name, &c->db_user,
	    &c->db_password, &c->root, &c->staff_url, &c->portal_url, &c->uploads,
	    &c->smtp_url, &c->mail_from };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		free(*fields[i]);
		*fields[i] = NULL;
	}
}
