/* contacts.c — FastCGI entry point of the contacts program. */
#include "contacts.h"

int main(int argc, char **argv)
{
	return crm_main(argc, argv, &contacts_module);
}
