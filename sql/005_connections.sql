-- 005_connections.sql — customers and leads as the connections module edits them, and the word
-- index behind the connect search.
--
-- search_words holds every word of a customer's name and of a lead's names and company, one row
-- per (kind, word, id). The collation folds case and accents, so "mul" finds "Müller" and "ros"
-- finds "Rossi Costruzioni" as well as "Impresa Rossi": a prefix range on one index instead of
-- a LIKE '%word%' scan over 100,000 names. The C code (modules/core/words.c) rewrites an
-- entity's rows in the transaction that changes its name.

CREATE TABLE IF NOT EXISTS search_words (
  kind       TINYINT UNSIGNED NOT NULL,   -- 1 customer, 2 lead
  word       VARCHAR(64) NOT NULL,
  target_id  BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (kind, word, target_id),
  KEY search_words_target (kind, target_id, word)   -- the other words of a query: one seek each
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE leads
  ADD COLUMN IF NOT EXISTS deleted_by BIGINT UNSIGNED NULL AFTER deleted_at,
  ADD COLUMN IF NOT EXISTS converted_at DATETIME NULL AFTER converted_contact_id,
  ADD COLUMN IF NOT EXISTS converted_customer_id BIGINT UNSIGNED NULL AFTER converted_at,
  ADD INDEX IF NOT EXISTS leads_recent (deleted_at, updated_at),
  ADD INDEX IF NOT EXISTS leads_list (deleted_at, last_name, first_name, id),
  ADD INDEX IF NOT EXISTS leads_converted (converted_contact_id);

ALTER TABLE customers
  ADD INDEX IF NOT EXISTS customers_list (deleted_at, name, id),
  ADD INDEX IF NOT EXISTS customers_recent (deleted_at, updated_at);

-- Words of the customers and leads that existed before this migration (demo data, older installs)
-- are filled by "crmctl reindex", which make run and the upgrade notes call.
