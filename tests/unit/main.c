/* main.c — runs every registered unit test, one line each, and the summary line. */
#include "unit.h"

#include <stdlib.h>
#include <sodium.h>

#define MAX_TESTS 512

static struct { const char *name; unit_fn fn; } tests[MAX_TESTS];
static int ntests;

void unit_register(const char *name, unit_fn fn)
{
	if (ntests < MAX_TESTS) {
		tests[ntests].name = name;
		tests[ntests].fn = fn;
		ntests++;
	}
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	if (sodium_init() < 0)
		return 1;
	for (int i = 0; i < ntests; i++) {
		int f = 0;
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		tests[i].fn(&f);
		printf("%s - unit: %s\n", f ? "not ok" : "ok", tests[i].name);
		if (f)
			failed++;
		else
			passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
