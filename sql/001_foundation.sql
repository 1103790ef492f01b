-- 001_foundation.sql — users, roles, sessions, tokens, throttling, contacts, customers, leads, connections, history, outbox, portal accounts.
-- Every table has a primary key (Galera), utf8mb4 throughout, InnoDB only.
-- DDL is not transactional in MariaDB: statements are written to be re-runnable after a partial failure.

CREATE TABLE IF NOT EXISTS roles (
  code        VARCHAR(32)  NOT NULL PRIMARY KEY,
  description VARCHAR(200) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO roles (code, description) VALUES
  ('crm_admin', 'Administrator: everything, settings, users, recycle bin'),
  ('crm_manager', 'Manager: delete, anonymize, generate login, import, marketing lists'),
  ('crm_sales', 'Sales: contacts, customers, leads, marketing lists, export'),
  ('crm_marketeer', 'Marketing: contacts, customers, leads, export');

CREATE TABLE IF NOT EXISTS users (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  login          VARCHAR(190) NOT NULL,
  email          VARCHAR(254) NULL,
  display_name   VARCHAR(200) NOT NULL DEFAULT '',
  password_hash  VARCHAR(255) NULL,
  language       CHAR(2)      NOT NULL DEFAULT 'en',
  active         TINYINT(1)   NOT NULL DEFAULT 1,
  created_at     DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at     DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY users_login (login),
  KEY users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS user_roles (
  user_id  BIGINT UNSIGNED NOT NULL,
  role     VARCHAR(32) NOT NULL,
  PRIMARY KEY (user_id, role),
  CONSTRAINT user_roles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT user_roles_role FOREIGN KEY (role) REFERENCES roles (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Staff sessions: only the SHA-256 of the cookie value is stored.
CREATE TABLE IF NOT EXISTS sessions (
  id_hash     CHAR(64)  NOT NULL PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  csrf        CHAR(64)  NOT NULL,
  created_at  DATETIME  NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_seen   DATETIME  NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at  DATETIME  NOT NULL,
  ip          VARCHAR(45) NOT NULL DEFAULT '',
  KEY sessions_user (user_id),
  KEY sessions_expires (expires_at),
  CONSTRAINT sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

CREATE TABLE IF NOT EXISTS api_tokens (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id      BIGINT UNSIGNED NOT NULL,
  token_hash   CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  label        VARCHAR(100) NOT NULL DEFAULT '',
  created_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_used_at DATETIME NULL,
  revoked_at   DATETIME NULL,
  UNIQUE KEY api_tokens_hash (token_hash),
  KEY api_tokens_user (user_id),
  CONSTRAINT api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed logins, counted per login name and per address for throttling.
CREATE TABLE IF NOT EXISTS login_failures (
  id     BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  scope  ENUM('staff','portal') NOT NULL,
  login  VARCHAR(190) NOT NULL,
  ip     VARCHAR(45)  NOT NULL,
  at     DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY login_failures_login (scope, login, at),
  KEY login_failures_ip (scope, ip, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Installation-wide settings as key/value (contact rules, …).
CREATE TABLE IF NOT EXISTS settings (
  k           VARCHAR(100) NOT NULL PRIMARY KEY,
  v           TEXT NOT NULL,
  updated_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO settings (k, v) VALUES
  ('contact.mandatory', ''),
  ('contact.complete', 'first_name,last_name,email|mobile_phone|work_phone');

CREATE TABLE IF NOT EXISTS customers (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name         VARCHAR(200) NOT NULL,
  type         ENUM('customer','partner','vendor','other') NOT NULL DEFAULT 'customer',
  email        VARCHAR(254) NULL,
  phone        VARCHAR(40)  NULL,
  phone_norm   VARCHAR(20)  NULL,
  website      VARCHAR(255) NULL,
  vat          VARCHAR(40)  NULL,
  street       VARCHAR(200) NULL,
  city         VARCHAR(100) NULL,
  postal_code  VARCHAR(20)  NULL,
  province     VARCHAR(100) NULL,
  country      VARCHAR(100) NULL,
  notes        MEDIUMTEXT   NULL,
  active       TINYINT(1)   NOT NULL DEFAULT 1,
  owner_id     BIGINT UNSIGNED NULL,
  created_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  created_by   BIGINT UNSIGNED NULL,
  updated_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_by   BIGINT UNSIGNED NULL,
  version      INT UNSIGNED NOT NULL DEFAULT 1,
  deleted_at   DATETIME NULL,
  deleted_by   BIGINT UNSIGNED NULL,
  KEY customers_name (name, id),
  KEY customers_vat (vat),
  KEY customers_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS leads (
  id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  first_name            VARCHAR(100) NOT NULL DEFAULT '',
  last_name             VARCHAR(100) NOT NULL DEFAULT '',
  company               VARCHAR(200) NOT NULL DEFAULT '',
  email                 VARCHAR(254) NULL,
  phone                 VARCHAR(40)  NULL,
  phone_norm            VARCHAR(20)  NULL,
  language              CHAR(2)      NULL,
  source                VARCHAR(32)  NULL,
  status                ENUM('new','contacted','qualified','converted','lost') NOT NULL DEFAULT 'new',
  converted_contact_id  BIGINT UNSIGNED NULL,
  notes                 MEDIUMTEXT NULL,
  owner_id              BIGINT UNSIGNED NULL,
  created_at            DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  created_by            BIGINT UNSIGNED NULL,
  updated_at            DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_by            BIGINT UNSIGNED NULL,
  version               INT UNSIGNED NOT NULL DEFAULT 1,
  deleted_at            DATETIME NULL,
  anonymized_at         DATETIME NULL,
  KEY leads_last (last_name, first_name, id),
  KEY leads_company (company, id),
  KEY leads_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS contacts (
  id                  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  first_name          VARCHAR(100) NOT NULL DEFAULT '',
  middle_name         VARCHAR(100) NOT NULL DEFAULT '',
  last_name           VARCHAR(100) NOT NULL DEFAULT '',
  birthday            DATE NULL,
  contact_type        ENUM('customer_contact','partner_contact','vendor_contact','private_customer','other') NULL,
  reports_to_id       BIGINT UNSIGNED NULL,
  job_title           VARCHAR(150) NULL,
  certificate         VARCHAR(150) NULL,
  timezone            VARCHAR(64)  NULL,
  language            CHAR(2)      NULL,
  mobile_phone        VARCHAR(40)  NULL,
  mobile_phone_norm   VARCHAR(20)  NULL,
  mobile_phone_2      VARCHAR(40)  NULL,
  mobile_phone_2_norm VARCHAR(20)  NULL,
  work_phone          VARCHAR(40)  NULL,
  work_phone_norm     VARCHAR(20)  NULL,
  email               VARCHAR(254) NULL,
  email_2             VARCHAR(254) NULL,
  other_contacts      TEXT NULL,
  contact_preference  ENUM('any','work_phone','mobile_phone','email') NOT NULL DEFAULT 'any',
  do_not_call         TINYINT(1) NOT NULL DEFAULT 0,
  do_not_email        TINYINT(1) NOT NULL DEFAULT 0,
  block_auto_emails   TINYINT(1) NOT NULL DEFAULT 0,
  receives_newsletter TINYINT(1) NOT NULL DEFAULT 0,
  portal_user         TINYINT(1) NOT NULL DEFAULT 0,
  support_start_date  DATE NULL,
  support_end_date    DATE NULL,
  is_user             TINYINT(1) NOT NULL DEFAULT 0,
  user_id             BIGINT UNSIGNED NULL,
  source              ENUM('email','business_card','database','internet','lead_conversion','import','portal','api','other') NULL,
  notes               MEDIUMTEXT NULL,
  active              TINYINT(1) NOT NULL DEFAULT 1,
  status              ENUM('draft','contact') NOT NULL DEFAULT 'draft',
  owner_id            BIGINT UNSIGNED NULL,
  created_at          DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  created_by          BIGINT UNSIGNED NULL,
  updated_at          DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_by          BIGINT UNSIGNED NULL,
  version             INT UNSIGNED NOT NULL DEFAULT 1,
  anonymized_at       DATETIME NULL,
  deleted_at          DATETIME NULL,
  deleted_by          BIGINT UNSIGNED NULL,
  -- list paging: keyset on (last_name, first_name, id) within the active flag
  KEY contacts_list (active, last_name, first_name, id),
  KEY contacts_name (last_name, first_name, id),
  KEY contacts_first (first_name, id),
  KEY contacts_email (email),
  KEY contacts_email2 (email_2),
  KEY contacts_mobile (mobile_phone_norm),
  KEY contacts_work (work_phone_norm),
  KEY contacts_reports_to (reports_to_id),
  KEY contacts_owner (owner_id),
  KEY contacts_user (user_id),
  CONSTRAINT contacts_reports_to FOREIGN KEY (reports_to_id) REFERENCES contacts (id) ON DELETE SET NULL,
  CONSTRAINT contacts_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A contact's link to a customer or a lead (exactly one of the two).
CREATE TABLE IF NOT EXISTS connections (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  contact_id   BIGINT UNSIGNED NOT NULL,
  customer_id  BIGINT UNSIGNED NULL,
  lead_id      BIGINT UNSIGNED NULL,
  is_primary   TINYINT(1) NULL,  -- 1 or NULL: at most one primary per contact
  created_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  created_by   BIGINT UNSIGNED NULL,
  UNIQUE KEY connections_customer_pair (contact_id, customer_id),
  UNIQUE KEY connections_lead_pair (contact_id, lead_id),
  UNIQUE KEY connections_primary (contact_id, is_primary),
  KEY connections_customer (customer_id, contact_id),
  KEY connections_lead (lead_id, contact_id),
  CONSTRAINT connections_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
  CONSTRAINT connections_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
  CONSTRAINT connections_lead FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE,
  CONSTRAINT connections_one_target CHECK ((customer_id IS NULL) <> (lead_id IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Change history of contacts, customers and leads: who, when, field, old, new.
CREATE TABLE IF NOT EXISTS history (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  entity      ENUM('contact','customer','lead') NOT NULL,
  entity_id   BIGINT UNSIGNED NOT NULL,
  at          DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  user_id     BIGINT UNSIGNED NULL,
  actor       VARCHAR(200) NOT NULL DEFAULT '',
  action      VARCHAR(32) NOT NULL,
  field       VARCHAR(64) NULL,
  old_value   MEDIUMTEXT NULL,
  new_value   MEDIUMTEXT NULL,
  KEY history_entity (entity, entity_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Outgoing mail: written in the transaction that caused it, delivered later.
CREATE TABLE IF NOT EXISTS outbox (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  to_addr          VARCHAR(254) NOT NULL,
  subject          VARCHAR(500) NOT NULL,
  body             MEDIUMTEXT NOT NULL,
  status           ENUM('queued','sending','sent','failed') NOT NULL DEFAULT 'queued',
  attempts         INT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  claimed_at       DATETIME NULL,
  last_error       VARCHAR(500) NULL,
  contact_id       BIGINT UNSIGNED NULL,
  template         VARCHAR(64) NULL,
  created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  sent_at          DATETIME NULL,
  KEY outbox_due (status, next_attempt_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Portal logins of contacts (filled in by the portal module) and their sessions.
CREATE TABLE IF NOT EXISTS portal_accounts (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  contact_id     BIGINT UNSIGNED NOT NULL,
  email          VARCHAR(254) NOT NULL,
  password_hash  VARCHAR(255) NULL,
  created_at     DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY portal_accounts_contact (contact_id),
  UNIQUE KEY portal_accounts_email (email),
  CONSTRAINT portal_accounts_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS portal_sessions (
  id_hash     CHAR(64)  NOT NULL PRIMARY KEY,
  account_id  BIGINT UNSIGNED NOT NULL,
  csrf        CHAR(64)  NOT NULL,
  created_at  DATETIME  NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_seen   DATETIME  NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at  DATETIME  NOT NULL,
  ip          VARCHAR(45) NOT NULL DEFAULT '',
  KEY portal_sessions_account (account_id),
  CONSTRAINT portal_sessions_account FOREIGN KEY (account_id) REFERENCES portal_accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
