/* portal.h — pages of the portal program shared between its files. */
#ifndef CRM_PORTAL_H
#define CRM_PORTAL_H

#include "http.h"

/* The sign-in page (status, optional Login.* error key, prefilled email). */
int portal_login_page(struct req *r, int status, const char *err, const char *email);

int h_password_form(struct req *r);	/* GET  /password?token= : choose a password with a mailed link */
int h_password_set(struct req *r);	/* POST /password */
int h_forgot_form(struct req *r);	/* GET  /forgot */
int h_forgot(struct req *r);		/* POST /forgot : mails a reset link, never says whether the address exists */
int h_change_form(struct req *r);	/* GET  /account/password */
int h_change(struct req *r);		/* POST /account/password */

int h_tickets(struct req *r);		/* GET  /tickets : the contact's tickets */
int h_ticket_new(struct req *r);	/* GET  /tickets/new */
int h_ticket_create(struct req *r);	/* POST /tickets */
int h_ticket_view(struct req *r);	/* GET  /tickets/# : the thread (404 unless the contact's own) */
int h_ticket_comment(struct req *r);	/* POST /tickets/#/comments */
int h_ticket_close(struct req *r);	/* POST /tickets/#/close */
int h_documents(struct req *r);		/* GET  /documents : shared with the contact or its customer, own uploads */
int h_document_upload(struct req *r);	/* POST /documents (multipart: file, optional ticket_id) */
int h_document_download(struct req *r);	/* GET  /documents/# : attachment (404 unless visible to the contact) */
int h_profile(struct req *r);		/* GET  /profile : own fields, portal-context custom fields, consents */
int h_profile_save(struct req *r);	/* POST /profile */

#endif
