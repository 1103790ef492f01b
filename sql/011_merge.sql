-- 011_merge.sql — merging two contacts and undoing the merge.
-- Re-runnable: every statement may be applied again after a partial run.
--
-- One row per merge. snapshot (JSON) holds what an undo needs: the survivor's field values, additional-field
-- values and consent states before the merge, the merged contact's field values, the portal account that moved
-- (with its login) and, per table, the ids of every row that moved from the merged contact to the survivor
-- ("moved": {"comments": [..], "connections": [..], "marketing_list_members": [list ids], ...}).
-- No foreign keys to contacts: a purged contact leaves the row, and the undo then refuses clearly.
CREATE TABLE IF NOT EXISTS contact_merges (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  survivor_id  BIGINT UNSIGNED NOT NULL,
  merged_id    BIGINT UNSIGNED NOT NULL,
  merged_by    BIGINT UNSIGNED NULL,
  actor        VARCHAR(200) NOT NULL DEFAULT '',
  merged_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  snapshot     LONGTEXT NOT NULL,
  undone_at    DATETIME(3) NULL,
  undone_by    BIGINT UNSIGNED NULL,
  KEY contact_merges_survivor (survivor_id, id),
  KEY contact_merges_merged (merged_id, id),
  CONSTRAINT contact_merges_snapshot CHECK (JSON_VALID(snapshot))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
