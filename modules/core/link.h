/* link.h — connections between a contact and a customer or a lead: connect, disconnect,
 * primary; history on both sides and the contact's status in the same transaction. */
#ifndef CRM_LINK_H
#define CRM_LINK_H

#include "http.h"

enum link_target { LINK_CUSTOMER, LINK_LEAD };

/* Target name ("customer"/"lead") to enum; -1 if neither. */
int link_target_from(const char *s);
const char *link_target_name(enum link_target t);
/* Connects; the contact's first connection becomes its primary one (or any one with primary).
 * DB_OK with *link_id, 404 (contact or target absent, in the bin or anonymized), 409 (already;
 * *link_id is the existing link). Nothing is written when refused. */
int link_add(struct req *r, long long contact_id, enum link_target t, long long target_id, int primary, long long *link_id);
/* Disconnects; if it was primary the oldest remaining link becomes primary. DB_OK or 404.
 * *contact_id gets the contact it belonged to. */
int link_remove(struct req *r, long long link_id, long long *contact_id);
/* Makes a link its contact's primary one. DB_OK or 404. */
int link_set_primary(struct req *r, long long link_id, long long *contact_id);

#endif
