-- 004_sort_indexes.sql — keyset paging for the list's other sort orders: recently updated
-- (updated_at, id) and newest first (id; InnoDB appends the primary key to every index).
ALTER TABLE contacts
  ADD INDEX IF NOT EXISTS contacts_recent (active, deleted_at, updated_at),
  ADD INDEX IF NOT EXISTS contacts_state (active, deleted_at);
