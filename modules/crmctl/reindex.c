/* reindex.c — crmctl reindex: rebuilds the word index of every customer and lead (after an
 * upgrade to migration 005, or after rows were loaded by SQL around the application). */
#include <stdio.h>

#include "db.h"
#include "words.h"

enum stmt { STMT_CUSTOMERS, STMT_LEADS, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_CUSTOMERS] = "SELECT id, name, NULL, NULL, deleted_at IS NOT NULL FROM customers WHERE id > ? ORDER BY id LIMIT 1000",
	[STMT_LEADS] =
	    "SELECT id, CONCAT(first_name, ' ', last_name), company, NULL, deleted_at IS NOT NULL FROM leads WHERE id > ? AND anonymized_at IS NULL "
	    "ORDER BY id LIMIT 1000",
};

/* One transaction per batch of 1000 rows: restartable, and never one huge undo log. */
static int reindex(enum stmt which, enum word_kind kind, long long *count)
{
	long long after = 0;

	for (;;) {
		struct db_res res;
		int rc;

		if ((rc = db_begin()) != DB_OK)
			return rc;
		if ((rc = db_exec(stmts[which], DB_ARGS(A_INT(after)), &res)) != DB_OK) {
			db_rollback();
			return rc;
		}
		for (size_t i = 0; i < res.nrows && rc == DB_OK; i++) {
			const char *texts[3] = { db_val(&res, i, 1), db_val(&res, i, 2), db_val(&res, i, 3) };
			rc = words_index(kind, db_ll(&res, i, 0), texts, 3);
			if (rc == DB_OK && db_ll(&res, i, 4))	/* in the recycle bin: found again on restore */
				rc = words_hide(kind, db_ll(&res, i, 0), 1);
			after = db_ll(&res, i, 0);
		}
		(*count) += (long long)res.nrows;
		if (rc == DB_OK)
			rc = db_commit();
		else
			db_rollback();
		if (rc != DB_OK || res.nrows < 1000) {
			db_res_free(&res);
			return rc;
		}
		db_res_free(&res);
	}
}

int crmctl_reindex(int quiet)
{
	long long customers = 0, leads = 0;

	if (reindex(STMT_CUSTOMERS, WORDS_CUSTOMER, &customers) != DB_OK ||
	    reindex(STMT_LEADS, WORDS_LEAD, &leads) != DB_OK) {
		fprintf(stderr, "reindex: failed: %s\n", db_error());
		return 1;
	}
	if (!quiet)
		printf("reindex: words of %lld customers and %lld leads indexed\n", customers, leads);
	return 0;
}
