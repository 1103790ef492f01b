-- 012_search_names.sql — every word of the entity on each of its search_words rows.
--
-- A query of several words ("ferr co") used to read the first word's index range and probe the
-- index once per row for each other word; with very common words that was thousands of seeks.
-- Now the range of the rarest word is read and the others are a LIKE '% word%' on this column of
-- the same (clustered) row: no probe at all. The C code (modules/core/words.c words_rows) writes
-- " " + every word joined by single spaces; existing rows get the same words from the entity's
-- own suffix rows (each word starts one of them), which matches the same queries.

ALTER TABLE search_words ADD COLUMN IF NOT EXISTS names VARCHAR(500) NOT NULL DEFAULT '';

UPDATE search_words w
  JOIN (SELECT kind, target_id,
               LEFT(CONCAT(' ', GROUP_CONCAT(word ORDER BY CHAR_LENGTH(word) DESC SEPARATOR ' ')), 500) AS names
          FROM search_words GROUP BY kind, target_id) g
    ON g.kind = w.kind AND g.target_id = w.target_id
   SET w.names = g.names
 WHERE w.names = '';
