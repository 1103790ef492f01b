-- 013_search_hidden.sql — the recycle bin on the word index itself.
--
-- The connect search shows a count per tab ("Customers (37)"). Counting on the word index alone
-- reads only the index range; before, each of up to 101 matches was joined to its customer or lead
-- to skip the ones in the recycle bin. hidden = 1 while the entity is in the bin: set and cleared
-- in the transaction that deletes or restores it (modules/core/entity.c), and by crmctl reindex.
-- Anonymized leads and purged entities have no rows at all.

ALTER TABLE search_words ADD COLUMN IF NOT EXISTS hidden TINYINT UNSIGNED NOT NULL DEFAULT 0;

UPDATE search_words w JOIN customers t ON t.id = w.target_id
   SET w.hidden = 1
 WHERE w.kind = 1 AND t.deleted_at IS NOT NULL AND w.hidden = 0;

UPDATE search_words w JOIN leads t ON t.id = w.target_id
   SET w.hidden = 1
 WHERE w.kind = 2 AND t.deleted_at IS NOT NULL AND w.hidden = 0;
