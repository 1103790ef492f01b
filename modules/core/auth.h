/* auth.h — passwords (Argon2id), sessions in MariaDB, API tokens, CSRF, throttling. */
#ifndef CRM_AUTH_H
#define CRM_AUTH_H

#include "http.h"

#define THROTTLE_MAX_PER_LOGIN 5
#define THROTTLE_MAX_PER_IP    50
#define THROTTLE_WINDOW_MIN    15

int  password_hash(const char *password, char out[128]);
int  password_verify(const char *hash, const char *password);
/* Burns the same time as a verify, so unknown logins are not revealed by timing. */
void password_dummy_verify(const char *password);

/* Looks up the session cookie / bearer token; fills r->who. Returns a db_rc. */
int  auth_staff(struct req *r);
int  auth_portal(struct req *r);
/* Creates a staff session for user_id and sets the cookie; returns a db_rc. */
int  session_start(struct req *r, long long user_id, int portal);
int  session_end(struct req *r, int portal);
/* Counts recent failures: 1 when this login or address must wait. */
int  throttle_blocked(struct req *r, const char *scope, const char *login, int *blocked);
int  throttle_fail(struct req *r, const char *scope, const char *login);
void throttle_clear(struct req *r, const char *scope, const char *login);
/* Sets the double-submit CSRF token of an anonymous form (cookie + page). */
void csrf_form_token(struct req *r);
/* Creates an API token for a user: writes the plain token into out (shown once). */
int  token_create(long long user_id, const char *label, char out[80]);

#define SESSION_COOKIE "crm_session"
#define PORTAL_COOKIE  "crm_portal"
#define CSRF_COOKIE    "crm_csrf"
#define LANG_COOKIE    "crm_lang"

#endif
