/* settings.c — FastCGI entry point of the settings program. */
#include "app.h"

extern const struct module settings_module;

int main(int argc, char **argv)
{
	return crm_main(argc, argv, &settings_module);
}
