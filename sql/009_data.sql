-- 009_data.sql — data in and out: the data-subject export finds a contact's mail by index.
-- Re-runnable: every statement may be applied again after a partial run.

CREATE INDEX IF NOT EXISTS outbox_contact ON outbox (contact_id, id);

-- Duplicate keys: every normalized phone slot is looked up by index (the second mobile had none, so each
-- duplicate check scanned the table: 12 ms a row on an import at 70k contacts).
CREATE INDEX IF NOT EXISTS contacts_mobile2 ON contacts (mobile_phone_2_norm);
