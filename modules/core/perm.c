/* perm.c — the permission matrix of SPEC §2. Change access rules here and only here. */
#include "perm.h"

#include <string.h>

#define ALL_ROLES (ROLE_ADMIN | ROLE_MANAGER | ROLE_SALES | ROLE_MARKETEER)

const unsigned perm_roles[PERM__MAX] = {
	[PERM_PUBLIC]    = 0,
	[PERM_LOGIN]     = 0,
	[PERM_WORK]      = ALL_ROLES,
	[PERM_MANAGE]    = ROLE_ADMIN | ROLE_MANAGER,
	[PERM_MARKETING] = ROLE_MANAGER | ROLE_SALES,
	[PERM_EXPORT]    = ALL_ROLES,
	[PERM_ADMIN]     = ROLE_ADMIN,
	[PERM_PORTAL]    = 0,
};

static const struct {
	const char *code;
	unsigned    bit;
} role_names[] = {
	{ "crm_admin", ROLE_ADMIN },
	{ "crm_manager", ROLE_MANAGER },
	{ "crm_sales", ROLE_SALES },
	{ "crm_marketeer", ROLE_MARKETEER },
};

unsigned role_from_code(const char *code)
{
	for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
		if (code && strcmp(code, role_names[i].code) == 0)
			return role_names[i].bit;
	return 0;
}

const char *role_code(unsigned bit)
{
	for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
		if (role_names[i].bit == bit)
			return role_names[i].code;
	return NULL;
}

unsigned roles_from_list(const char *list)
{
	unsigned bits = 0;
	char one[40];

	while (list && *list) {
		size_t n = strcspn(list, ",");
		if (n < sizeof one) {
			memcpy(one, list, n);
			one[n] = '\0';
			bits |= role_from_code(one);
		}
		list += n;
		if (*list == ',')
			list++;
	}
	return bits;
}

/* PERM_PUBLIC and PERM_LOGIN need no role; the dispatcher checks the login. */
int perm_allows(enum perm p, unsigned roles)
{
	if (p == PERM_PUBLIC || p == PERM_LOGIN || p == PERM_PORTAL)
		return 1;
	if (p >= PERM__MAX)
		return 0;
	return (perm_roles[p] & roles) != 0;
}
