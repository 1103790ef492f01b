-- 010_imports.sql — staged CSV imports: the uploaded file's job with its position, per-row outcomes (with the
-- previous values of updated contacts, for a revert), and saved column mappings.
-- Re-runnable: every statement may be applied again after a partial run.

-- One uploaded file. The file itself (converted to UTF-8) is app.uploads/imports/<stored>. status: new (waiting
-- for its mapping), running (a dry or real run in progress: dry_run says which), checked (dry run done), done
-- (real run done), reverting, reverted. pos/line: byte offset and physical line of the next record to read;
-- each batch advances them in the transaction that writes its rows. locked_until/locked_by: the lease of the
-- worker that drives the job (a worker that died lets it expire; Resume then takes it over).
CREATE TABLE IF NOT EXISTS imports (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  created_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  created_by    BIGINT UNSIGNED NULL,
  filename      VARCHAR(255) NOT NULL DEFAULT '',
  stored        CHAR(64) NOT NULL,
  encoding      VARCHAR(16) NOT NULL,
  delimiter     CHAR(1) NOT NULL,
  header_end    BIGINT UNSIGNED NOT NULL,     -- byte offset of the first data record
  header_line   INT UNSIGNED NOT NULL,        -- its physical line
  total_rows    INT UNSIGNED NOT NULL DEFAULT 0,
  mapping       MEDIUMTEXT NULL,              -- JSON array: one target per file column
  on_duplicate  ENUM('skip','update','create') NOT NULL DEFAULT 'skip',
  dry_run       TINYINT(1) NOT NULL DEFAULT 0,
  status        ENUM('new','running','checked','done','reverting','reverted','failed') NOT NULL DEFAULT 'new',
  pos           BIGINT UNSIGNED NOT NULL DEFAULT 0,
  line          INT UNSIGNED NOT NULL DEFAULT 0,
  rows_done     INT UNSIGNED NOT NULL DEFAULT 0,
  n_created     INT UNSIGNED NOT NULL DEFAULT 0,
  n_updated     INT UNSIGNED NOT NULL DEFAULT 0,
  n_skipped     INT UNSIGNED NOT NULL DEFAULT 0,
  n_refused     INT UNSIGNED NOT NULL DEFAULT 0,
  locked_until  DATETIME NULL,
  locked_by     VARCHAR(80) NULL,
  started_at    DATETIME NULL,
  finished_at   DATETIME NULL,
  KEY imports_created (created_at, id),
  CONSTRAINT imports_user FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What each data record of a run did (dry: the dry run's report; replaced by the next dry run). cells: the
-- record as read (JSON array), kept for refused rows (the refused-rows CSV). snapshot: the contact's values
-- before an update (JSON object of field names), restored by a revert. reverted: 1 once a revert undid it.
CREATE TABLE IF NOT EXISTS import_rows (
  import_id   BIGINT UNSIGNED NOT NULL,
  dry         TINYINT(1) NOT NULL,
  line        INT UNSIGNED NOT NULL,
  outcome     ENUM('created','updated','skipped','refused') NOT NULL,
  contact_id  BIGINT UNSIGNED NULL,
  reason      TEXT NULL,
  cells       MEDIUMTEXT NULL,
  snapshot    MEDIUMTEXT NULL,
  reverted    TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (import_id, dry, line),
  KEY import_rows_outcome (import_id, dry, outcome, line),
  CONSTRAINT import_rows_import FOREIGN KEY (import_id) REFERENCES imports (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A named column mapping: JSON object from a normalized header name to a target.
CREATE TABLE IF NOT EXISTS import_mappings (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  mapping     MEDIUMTEXT NOT NULL,
  created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  created_by  BIGINT UNSIGNED NULL,
  UNIQUE KEY import_mappings_name (name),
  CONSTRAINT import_mappings_user FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
