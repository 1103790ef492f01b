/* fuzz.h — helpers shared by the libFuzzer harnesses: checked invariants and input slicing. */
#ifndef CRM_FUZZ_H
#define CRM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a finding: abort() so that libFuzzer saves the input. */
#define FUZZ_ASSERT(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz: %s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

/* A NUL-terminated heap copy of data[0..size), cut at the first NUL byte
 * (what a C string from the web server can hold). The caller frees it. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t n = nul ? (size_t)(nul - data) : size;
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/* An exact-size heap copy (no terminator), so that ASan sees any read past the end.
 * Never NULL: an empty input gets a 1-byte allocation. The caller frees it. */
static inline char *fuzz_exact(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	return s;
}

/* Cuts the next piece up to sep off *data (the separator is consumed); returns a
 * NUL-terminated heap copy, or NULL when the input is exhausted. */
static inline char *fuzz_next(const uint8_t **data, size_t *size, int sep)
{
	const uint8_t *e;
	size_t n;
	char *s;

	if (*size == 0)
		return NULL;
	e = memchr(*data, sep, *size);
	n = e ? (size_t)(e - *data) : *size;
	s = fuzz_cstr(*data, n);
	*data += e ? n + 1 : n;
	*size -= e ? n + 1 : n;
	return s;
}

#endif
