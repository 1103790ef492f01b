-- 007_custom_fields.sql — additional contact fields (definitions, picklist options, values) and consents
-- (definitions, text versions, current state per contact, every grant and withdrawal), plus a small admin log.
-- Re-runnable: DDL is not transactional in MariaDB, so every statement may be applied again after a partial run.
--
-- Values live in one narrow table, contact_custom, one row per (contact, field) that holds a value:
--   v_text  the canonical text of every short type (text, email, phone, URL, picklist key, checkbox "1",
--           number "42", decimal "12.5", date "2025-01-31"): one index (field_id, v_text, contact_id) serves the
--           list's equality filter of every filterable type, so a filter is a semi-join
--           "c.id IN (SELECT contact_id FROM contact_custom WHERE field_id = ? AND v_text = ?)" that reads only the
--           matching index entries, whatever the number of contacts (1,000,000 and more);
--   v_num   number and decimal as DECIMAL(20,6), v_date the date: typed copies for range filters and sorting later,
--           each with its own (field_id, value, contact_id) index;
--   v_long  long text (not filterable, not indexed).
-- A checkbox holds a row only when ticked (absent = not ticked, also for contacts created before the field), so
-- "not ticked" is an anti-join. The primary key (contact_id, field_id) loads one contact's values in one range read.
-- A wide table with one column per field would need DDL per definition (not transactional, locks the table).

CREATE TABLE IF NOT EXISTS custom_fields (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  field_key      VARCHAR(50)  NOT NULL,
  label_en       VARCHAR(200) NOT NULL,
  label_it       VARCHAR(200) NOT NULL DEFAULT '',
  type           ENUM('text','longtext','number','decimal','date','checkbox','picklist','email','phone','url') NOT NULL,
  required       TINYINT(1)   NOT NULL DEFAULT 0,
  default_value  VARCHAR(255) NULL,
  sort_order     INT          NOT NULL DEFAULT 0,
  ctx_backoffice TINYINT(1)   NOT NULL DEFAULT 1,   -- visible context backoffice-crm-contacts (staff form and page)
  ctx_list       TINYINT(1)   NOT NULL DEFAULT 0,   -- list column and filter
  ctx_portal     TINYINT(1)   NOT NULL DEFAULT 0,   -- the contact's own portal profile
  ctx_export     TINYINT(1)   NOT NULL DEFAULT 0,   -- exports
  active         TINYINT(1)   NOT NULL DEFAULT 1,
  created_at     DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  created_by     BIGINT UNSIGNED NULL,
  updated_at     DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_by     BIGINT UNSIGNED NULL,
  UNIQUE KEY custom_fields_key (field_key),
  KEY custom_fields_order (active, sort_order, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Picklist options. An option in use is never deleted: it can only be made inactive (kept for stored values).
CREATE TABLE IF NOT EXISTS custom_field_options (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  field_id    BIGINT UNSIGNED NOT NULL,
  option_key  VARCHAR(50)  NOT NULL,
  label_en    VARCHAR(200) NOT NULL,
  label_it    VARCHAR(200) NOT NULL DEFAULT '',
  sort_order  INT          NOT NULL DEFAULT 0,
  active      TINYINT(1)   NOT NULL DEFAULT 1,
  UNIQUE KEY custom_field_options_key (field_id, option_key),
  CONSTRAINT custom_field_options_field FOREIGN KEY (field_id) REFERENCES custom_fields (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS contact_custom (
  contact_id  BIGINT UNSIGNED NOT NULL,
  field_id    BIGINT UNSIGNED NOT NULL,
  v_text      VARCHAR(255)  NULL,
  v_num       DECIMAL(20,6) NULL,
  v_date      DATE          NULL,
  v_long      MEDIUMTEXT    NULL,
  PRIMARY KEY (contact_id, field_id),
  KEY contact_custom_text (field_id, v_text, contact_id),
  KEY contact_custom_num (field_id, v_num, contact_id),
  KEY contact_custom_date (field_id, v_date, contact_id),
  CONSTRAINT contact_custom_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
  CONSTRAINT contact_custom_field FOREIGN KEY (field_id) REFERENCES custom_fields (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Consents: the current title and the number of the current text version. Changing the text adds a version row;
-- changing the title or the active flag does not.
CREATE TABLE IF NOT EXISTS consents (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code        VARCHAR(50)  NOT NULL,
  title_en    VARCHAR(200) NOT NULL,
  title_it    VARCHAR(200) NOT NULL DEFAULT '',
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  sort_order  INT          NOT NULL DEFAULT 0,
  active      TINYINT(1)   NOT NULL DEFAULT 1,
  created_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  created_by  BIGINT UNSIGNED NULL,
  updated_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_by  BIGINT UNSIGNED NULL,
  UNIQUE KEY consents_code (code),
  KEY consents_order (active, sort_order, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS consent_versions (
  consent_id  BIGINT UNSIGNED NOT NULL,
  version     INT UNSIGNED NOT NULL,
  text_en     MEDIUMTEXT NOT NULL,
  text_it     MEDIUMTEXT NOT NULL,
  created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  created_by  BIGINT UNSIGNED NULL,
  PRIMARY KEY (consent_id, version),
  CONSTRAINT consent_versions_consent FOREIGN KEY (consent_id) REFERENCES consents (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Current state per contact and consent (a row once granted; granted = 0 after a withdrawal), with the version the
-- latest grant was given for. (consent_id, granted, contact_id) serves the list filter as a semi-join.
CREATE TABLE IF NOT EXISTS contact_consents (
  contact_id  BIGINT UNSIGNED NOT NULL,
  consent_id  BIGINT UNSIGNED NOT NULL,
  granted     TINYINT(1)   NOT NULL,
  version     INT UNSIGNED NOT NULL,
  changed_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (contact_id, consent_id),
  KEY contact_consents_filter (consent_id, granted, contact_id),
  CONSTRAINT contact_consents_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
  CONSTRAINT contact_consents_consent FOREIGN KEY (consent_id) REFERENCES consents (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every grant and withdrawal: when, which text version, who (a staff user, or the contact itself in the portal)
-- and through which path.
CREATE TABLE IF NOT EXISTS consent_events (
  id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  contact_id        BIGINT UNSIGNED NOT NULL,
  consent_id        BIGINT UNSIGNED NOT NULL,
  granted           TINYINT(1)   NOT NULL,
  version           INT UNSIGNED NOT NULL,
  at                DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  actor_user_id     BIGINT UNSIGNED NULL,
  actor_contact_id  BIGINT UNSIGNED NULL,
  actor             VARCHAR(200) NOT NULL DEFAULT '',
  source            ENUM('form','api','portal','import') NOT NULL,
  KEY consent_events_contact (contact_id, id),
  KEY consent_events_consent (consent_id, id),
  CONSTRAINT consent_events_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
  CONSTRAINT consent_events_consent FOREIGN KEY (consent_id) REFERENCES consents (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Changes made here are recorded in admin_history (006_settings.sql) with every other settings change.
