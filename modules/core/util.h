/* util.h — growable buffers, logging, random tokens and small string helpers shared by every program. */
#ifndef CRM_UTIL_H
#define CRM_UTIL_H

#include <stddef.h>
#include <stdarg.h>

/* A growable, always NUL-terminated byte buffer. The owner calls buf_free. */
struct buf {
	char   *data;
	size_t  len;
	size_t  cap;
};

int   buf_grow(struct buf *b, size_t extra);
int   buf_append(struct buf *b, const void *p, size_t n);
int   buf_puts(struct buf *b, const char *s);
int   buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int   buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void  buf_reset(struct buf *b);
void  buf_free(struct buf *b);
/* Appends s with HTML special characters escaped. */
int   buf_html(struct buf *b, const char *s);
/* Appends s percent-encoded for a URL query component. */
int   buf_urlenc(struct buf *b, const char *s);

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO };
/* One line per event on stderr; control characters in the message are escaped
 * so that request data can never forge a log line. */
void  log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void  log_set_program(const char *name);

/* Fills out with n random bytes rendered as 2n lowercase hex chars + NUL. */
void  rand_hex(char *out, size_t nbytes);
/* SHA-256 of s as 64 hex chars + NUL (token storage: we keep only hashes). */
void  sha256_hex(const char *s, size_t len, char out[65]);
void  hex_encode(const unsigned char *in, size_t n, char *out);

char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
int   str_eq(const char *a, const char *b);
int   str_starts(const char *s, const char *prefix);
/* Constant-time comparison of two NUL-terminated strings (lengths may leak). */
int   str_ct_eq(const char *a, const char *b);
/* Strict decimal parse of a whole string into [min,max]; returns 0 on success. */
int   parse_ll(const char *s, long long min, long long max, long long *out);
/* 1 if s is valid UTF-8 without NUL or C0 controls other than TAB/CR/LF. */
int   utf8_valid_text(const char *s, size_t len, int allow_newlines);

#endif
