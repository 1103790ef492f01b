-- 009_data.sql — data in and out: the data-subject export finds a contact's mail by index.
-- Re-runnable: every statement may be applied again after a partial run.

CREATE INDEX IF NOT EXISTS outbox_contact ON outbox (contact_id, id);
