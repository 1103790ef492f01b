/* portal.c — FastCGI entry point of the portal program. */
#include "app.h"

extern const struct module portal_module;

int main(int argc, char **argv)
{
	return crm_main(argc, argv, &portal_module);
}
