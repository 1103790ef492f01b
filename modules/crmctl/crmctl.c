/* crmctl.c — the admin command: migrations, users, API tokens, outbox delivery, demo data. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "mail.h"
#include "perm.h"
#include "refresh.h"
#include "util.h"

int crmctl_demo(void);
int crmctl_reindex(int quiet);

enum stmt {
	STMT_MIGR_TABLE,
	STMT_MIGR_HAS,
	STMT_MIGR_ADD,
	STMT_USER_ADD,
	STMT_USER_ID,
	STMT_ROLE_ADD,
	STMT_USER_PASSWD,
	STMT_USER_SESSIONS_END, STMT_USER_THROTTLE_CLEAR,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_MIGR_TABLE] =
	    "CREATE TABLE IF NOT EXISTS schema_migrations (version INT UNSIGNED NOT NULL PRIMARY KEY, "
	    "name VARCHAR(200) NOT NULL, applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP) "
	    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	[STMT_MIGR_HAS] = "SELECT 1 FROM schema_migrations WHERE version = ?",
	[STMT_MIGR_ADD] = "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
	[STMT_USER_ADD] = "INSERT INTO users (login, email, display_name, password_hash) VALUES (?, ?, ?, ?)",
	[STMT_USER_ID] = "SELECT id FROM users WHERE login = ?",
	[STMT_ROLE_ADD] = "INSERT IGNORE INTO user_roles (user_id, role) VALUES (?, ?)",
	[STMT_USER_PASSWD] = "UPDATE users SET password_hash = ? WHERE id = ?",
	[STMT_USER_SESSIONS_END] = "DELETE FROM sessions WHERE user_id = ?",
	/* a new password also lifts the throttle of failed sign-ins, as the settings page's reset does */
	[STMT_USER_THROTTLE_CLEAR] = "DELETE FROM login_failures WHERE scope = 'staff' AND login = ?",
};

static struct config cfg;

static int usage(void)
{
	fputs("usage: crmctl [--config FILE] COMMAND\n"
	    "  migrate                          apply pending sql/NNN_*.sql migrations\n"
	    "  reindex                          rebuild the name-search words of customers and leads\n"
	    "  user add LOGIN [--role R]... [--email E] [--name NAME] --password-stdin\n"
	    "  user passwd LOGIN --password-stdin\n"
	    "  token create LOGIN [--label TEXT]   prints the token as the last line\n"
	    "  outbox flush                     deliver queued mail now\n"
	    "  mail test ADDRESS                queue a test mail (then: outbox flush)\n"
	    "  demo                             load demo data into an empty database\n"
	    "  contacts refresh-status          re-evaluate every contact's status (after a rule change)\n"
	    "roles: crm_admin crm_manager crm_sales crm_marketeer\n", stderr);
	return 2;
}

static int filter_sql(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return n > 8 && d->d_name[0] >= '0' && d->d_name[0] <= '9' && strcmp(d->d_name + n - 4, ".sql") == 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	char chunk[8192];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	if (!b.data)
		buf_puts(&b, "");
	return b.data;
}

/* Applies each numbered migration once, in order, and records it. */
static int cmd_migrate(void)
{
	struct dirent **list;
	char dir[1100], path[1400];
	int n, applied = 0, rc = 0;

	if (db_exec_text(stmts[STMT_MIGR_TABLE]) != DB_OK)
		return 1;
	snprintf(dir, sizeof dir, "%s/sql", cfg.root);
	if ((n = scandir(dir, &list, filter_sql, alphasort)) < 0) {
		fprintf(stderr, "crmctl: cannot read %s\n", dir);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		long long version = strtoll(list[i]->d_name, NULL, 10);
		struct db_res res;
		char *sql;

		if (rc) {
			free(list[i]);
			continue;
		}
		if (db_exec(stmts[STMT_MIGR_HAS], DB_ARGS(A_INT(version)), &res) != DB_OK) {
			rc = 1;
		} else if (res.nrows == 0) {
			snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
			if ((sql = slurp(path)) == NULL) {
				fprintf(stderr, "crmctl: cannot read %s\n", path);
				rc = 1;
			} else if (db_exec_text(sql) != DB_OK) {
				fprintf(stderr, "crmctl: migration %s failed: %s\n", list[i]->d_name, db_error());
				rc = 1;
			} else if (db_exec(stmts[STMT_MIGR_ADD], DB_ARGS(A_INT(version), A_STR(list[i]->d_name)), NULL) != DB_OK) {
				rc = 1;
			} else {
				printf("applied %s\n", list[i]->d_name);
				applied++;
			}
			free(sql);
		}
		db_res_free(&res);
		free(list[i]);
	}
	free(list);
	if (!rc)
		printf("%d migration(s) applied, schema up to date\n", applied);
	return rc;
}

static int read_password(char *out, size_t sz)
{
	size_t n;
	if (!fgets(out, (int)sz, stdin)) {
		fprintf(stderr, "crmctl: no password on stdin\n");
		return -1;
	}
	n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	if (n < 8) {
		fprintf(stderr, "crmctl: the password must have at least 8 characters\n");
		return -1;
	}
	return 0;
}

static long long user_id(const char *login)
{
	struct db_res res;
	long long id = 0;
	if (db_exec(stmts[STMT_USER_ID], DB_ARGS(A_STR(login)), &res) == DB_OK) {
		id = res.nrows ? db_ll(&res, 0, 0) : 0;
		db_res_free(&res);
	}
	return id;
}

static int cmd_user_add(int argc, char **argv)
{
	const char *login, *email = NULL, *name = "", *roles[8];
	int nroles = 0, stdin_pw = 0;
	char pw[1024], hash[128];
	long long id;

	if (argc < 1)
		return usage();
	login = argv[0];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--role") && i + 1 < argc && nroles < 8) {
			roles[nroles] = argv[++i];
			if (!role_from_code(roles[nroles])) {
				fprintf(stderr, "crmctl: unknown role %s\n", roles[nroles]);
				return 2;
			}
			nroles++;
		} else if (!strcmp(argv[i], "--email") && i + 1 < argc)
			email = argv[++i];
		else if (!strcmp(argv[i], "--name") && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "--password-stdin"))
			stdin_pw = 1;
		else
			return usage();
	}
	if (!stdin_pw || !*login || strlen(login) > 190)
		return usage();
	if (read_password(pw, sizeof pw) < 0 || password_hash(pw, hash) < 0)
		return 1;
	sodium_memzero(pw, sizeof pw);
	if (db_begin() != DB_OK)
		return 1;
	switch (db_exec(stmts[STMT_USER_ADD], DB_ARGS(A_STR(login), A_STR(email), A_STR(name), A_STR(hash)), NULL)) {
	case DB_OK:
		break;
	case DB_DUP:
		db_rollback();
		fprintf(stderr, "crmctl: user %s already exists\n", login);
		return 1;
	default:
		db_rollback();
		return 1;
	}
	id = user_id(login);
	for (int i = 0; i < nroles; i++)
		if (db_exec(stmts[STMT_ROLE_ADD], DB_ARGS(A_INT(id), A_STR(roles[i])), NULL) != DB_OK) {
			db_rollback();
			return 1;
		}
	if (db_commit() != DB_OK)
		return 1;
	printf("user %s created (id %lld)\n", login, id);
	return 0;
}

static int cmd_user_passwd(int argc, char **argv)
{
	char pw[1024], hash[128];
	long long id;

	if (argc != 2 || strcmp(argv[1], "--password-stdin"))
		return usage();
	if ((id = user_id(argv[0])) == 0) {
		fprintf(stderr, "crmctl: no user %s\n", argv[0]);
		return 1;
	}
	if (read_password(pw, sizeof pw) < 0 || password_hash(pw, hash) < 0)
		return 1;
	sodium_memzero(pw, sizeof pw);
	if (db_begin() != DB_OK ||
	    db_exec(stmts[STMT_USER_PASSWD], DB_ARGS(A_STR(hash), A_INT(id)), NULL) != DB_OK ||
	    db_exec(stmts[STMT_USER_SESSIONS_END], DB_ARGS(A_INT(id)), NULL) != DB_OK ||
	    db_exec(stmts[STMT_USER_THROTTLE_CLEAR], DB_ARGS(A_STR(argv[0])), NULL) != DB_OK ||
	    db_commit() != DB_OK) {
		db_rollback();
		return 1;
	}
	printf("password of %s changed; its sessions ended, its sign-in throttle lifted\n", argv[0]);
	return 0;
}

static int cmd_token_create(int argc, char **argv)
{
	char tok[80];
	const char *label = "crmctl";
	long long id;

	if (argc < 1)
		return usage();
	if (argc == 3 && !strcmp(argv[1], "--label"))
		label = argv[2];
	else if (argc != 1)
		return usage();
	if ((id = user_id(argv[0])) == 0) {
		fprintf(stderr, "crmctl: no user %s\n", argv[0]);
		return 1;
	}
	if (token_create(id, label, tok) != DB_OK)
		return 1;
	printf("API token for %s (shown once, store it now):\n%s\n", argv[0], tok);
	return 0;
}

/* Queues one mail to check the SMTP settings end to end. */
static int cmd_mail_test(const char *to)
{
	char subject[200];
	int rc;

	if (strlen(to) > 254 || !strchr(to, '@') || strpbrk(to, " \r\n<>")) {
		fprintf(stderr, "crmctl: not an email address: %s\n", to);
		return 2;
	}
	snprintf(subject, sizeof subject, "CRM test mail");
	if ((rc = db_begin()) == DB_OK &&
	    (rc = mail_queue(to, subject, "This is a test mail from crmctl.\nIf you read it, mail delivery works.\n", 0, "test")) == DB_OK)
		rc = db_commit();
	if (rc != DB_OK) {
		db_rollback();
		return 1;
	}
	printf("test mail to %s queued; run: crmctl outbox flush\n", to);
	return 0;
}

/* Re-evaluates every contact's derived status with the current completeness rule, in batches. */
static int cmd_refresh_status(void)
{
	long long seen = 0, changed = 0;
	if (status_refresh_all(NULL, &seen, &changed) != DB_OK) {
		fprintf(stderr, "crmctl: re-evaluation failed: %s\n", db_error());
		return 1;
	}
	printf("status of every contact re-evaluated (ids up to %lld); %lld changed\n", seen, changed);
	return 0;
}

static int cmd_outbox_flush(void)
{
	int sent = 0, total = 0, rc;
	do {
		rc = mail_flush(&cfg, 50, &sent);
		total += sent;
	} while (rc == DB_OK && sent == 50);
	printf("%d mail(s) delivered\n", total);
	return rc == DB_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *config = NULL;
	int i = 1, rc;

	log_set_program("crmctl");
	if (argc > 2 && !strcmp(argv[1], "--config")) {
		config = argv[2];
		i = 3;
	}
	if (i >= argc)
		return usage();
	if (sodium_init() < 0 || config_load(&cfg, config) < 0)
		return 1;
	db_allow_multi_statements();
	if (db_open(&cfg) != DB_OK) {
		fprintf(stderr, "crmctl: cannot connect to the database: %s\n", db_error());
		return 1;
	}
	if (!strcmp(argv[i], "migrate"))
		rc = cmd_migrate();
	else if (!strcmp(argv[i], "user") && i + 1 < argc && !strcmp(argv[i + 1], "add"))
		rc = cmd_user_add(argc - i - 2, argv + i + 2);
	else if (!strcmp(argv[i], "user") && i + 1 < argc && !strcmp(argv[i + 1], "passwd"))
		rc = cmd_user_passwd(argc - i - 2, argv + i + 2);
	else if (!strcmp(argv[i], "token") && i + 1 < argc && !strcmp(argv[i + 1], "create"))
		rc = cmd_token_create(argc - i - 2, argv + i + 2);
	else if (!strcmp(argv[i], "outbox") && i + 1 < argc && !strcmp(argv[i + 1], "flush"))
		rc = cmd_outbox_flush();
	else if (!strcmp(argv[i], "mail") && i + 2 < argc && !strcmp(argv[i + 1], "test"))
		rc = cmd_mail_test(argv[i + 2]);
	else if (!strcmp(argv[i], "contacts") && i + 1 < argc && !strcmp(argv[i + 1], "refresh-status"))
		rc = cmd_refresh_status();
	else if (!strcmp(argv[i], "demo"))
		rc = crmctl_demo();
	else if (!strcmp(argv[i], "reindex"))
		rc = crmctl_reindex(0);
	else
		rc = usage();
	db_close();
	config_free(&cfg);
	return rc;
}
