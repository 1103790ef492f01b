/* connections.c — FastCGI entry point of the connections program. */
#include "app.h"

extern const struct module connections_module;

int main(int argc, char **argv)
{
	return crm_main(argc, argv, &connections_module);
}
