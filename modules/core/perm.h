/* perm.h — roles and the SPEC §2 permission matrix, in one table. */
#ifndef CRM_PERM_H
#define CRM_PERM_H

enum role_bit {
	ROLE_ADMIN     = 1u << 0,
	ROLE_MANAGER   = 1u << 1,
	ROLE_SALES     = 1u << 2,
	ROLE_MARKETEER = 1u << 3
};

enum perm {
	PERM_PUBLIC,	/* no login: login pages, static answers */
	PERM_LOGIN,	/* any signed-in staff user, even without a role */
	PERM_WORK,	/* view, search, create, edit, connect, comment */
	PERM_MANAGE,	/* delete, anonymize, generate login, import */
	PERM_MARKETING,	/* add to marketing list */
	PERM_EXPORT,	/* export */
	PERM_ADMIN,	/* settings, users, recycle bin */
	PERM_PORTAL,	/* a signed-in portal contact */
	PERM__MAX
};

extern const unsigned perm_roles[PERM__MAX];

/* Role code ("crm_admin") to bit, 0 if unknown. */
unsigned    role_from_code(const char *code);
const char *role_code(unsigned bit);
/* Parses a comma-separated role list (GROUP_CONCAT) into bits. */
unsigned    roles_from_list(const char *list);
int         perm_allows(enum perm p, unsigned roles);

#endif
