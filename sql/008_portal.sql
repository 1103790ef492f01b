-- 008_portal.sql — the customer portal: single-use password links (access and reset) of portal accounts.
-- Re-runnable: every statement may be applied again after a partial run (DDL is not transactional in MariaDB).
--
-- A link carries a random token; only its SHA-256 is stored, so a leaked table opens no account. A token is
-- spent (used_at) by the first successful use; issuing a new one does not spend older ones, setting a password
-- spends them all.
CREATE TABLE IF NOT EXISTS portal_tokens (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id  BIGINT UNSIGNED NOT NULL,
  token_hash  CHAR(64) NOT NULL,
  purpose     ENUM('access','reset') NOT NULL,
  expires_at  DATETIME NOT NULL,   -- UTC
  used_at     DATETIME NULL,
  created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY portal_tokens_hash (token_hash),
  KEY portal_tokens_account (account_id),
  CONSTRAINT portal_tokens_account FOREIGN KEY (account_id) REFERENCES portal_accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- "Forgot password" requests are counted like failed sign-ins (per address and per client address), so the
-- form cannot flood a mailbox; they have their own scope so they never lock anyone out of signing in.
ALTER TABLE login_failures MODIFY scope ENUM('staff','portal','portal_reset') NOT NULL;

-- Tickets of contacts (opened in the portal or by staff) and their thread. The number shown to people is
-- derived from the id ("T-000042"), so it needs no second unique sequence. customer_id is the contact's
-- primary customer when the ticket was opened (staff see a customer's tickets even after the contact moves).
CREATE TABLE IF NOT EXISTS tickets (
  id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  contact_id        BIGINT UNSIGNED NOT NULL,
  customer_id       BIGINT UNSIGNED NULL,
  subject           VARCHAR(200) NOT NULL,
  description       TEXT NOT NULL,
  category          ENUM('question','problem','request','complaint','other') NOT NULL DEFAULT 'question',
  priority          ENUM('low','normal','high','urgent') NOT NULL DEFAULT 'normal',
  status            ENUM('open','in_progress','waiting','closed') NOT NULL DEFAULT 'open',
  assigned_user_id  BIGINT UNSIGNED NULL,
  created_by        BIGINT UNSIGNED NULL,              -- staff user, NULL when opened in the portal
  created_at        DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at        DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  closed_at         DATETIME NULL,
  KEY tickets_contact (contact_id, id),
  KEY tickets_customer (customer_id, id),
  KEY tickets_assigned (assigned_user_id, status),
  CONSTRAINT tickets_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
  CONSTRAINT tickets_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL,
  CONSTRAINT tickets_assigned FOREIGN KEY (assigned_user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The thread: a comment by the contact (author_contact_id) or by staff (author_user_id); status and assignment
-- changes are rows of kind 'event' whose body is machine text ("status:closed", "assigned:12").
CREATE TABLE IF NOT EXISTS ticket_comments (
  id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ticket_id          BIGINT UNSIGNED NOT NULL,
  kind               ENUM('comment','event') NOT NULL DEFAULT 'comment',
  author_user_id     BIGINT UNSIGNED NULL,
  author_contact_id  BIGINT UNSIGNED NULL,
  body               TEXT NOT NULL,
  created_at         DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY ticket_comments_ticket (ticket_id, id),
  CONSTRAINT ticket_comments_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Documents: the file lives under app.uploads as stored_name (random, never chosen by the user); the name the
-- uploader gave is kept for display and the download's filename only. kind is what the content is (sniffed
-- from its first bytes), sha256 the checksum of the stored bytes. contact_id is the contact the document
-- belongs to (its uploader in the portal, or the contact page it was uploaded on); ticket_id an optional ticket.
CREATE TABLE IF NOT EXISTS documents (
  id                      BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  stored_name             CHAR(64) NOT NULL,
  original_name           VARCHAR(255) NOT NULL,
  kind                    VARCHAR(10) NOT NULL,
  mime                    VARCHAR(100) NOT NULL,
  size                    BIGINT UNSIGNED NOT NULL,
  sha256                  CHAR(64) NOT NULL,
  contact_id              BIGINT UNSIGNED NULL,
  customer_id             BIGINT UNSIGNED NULL,
  ticket_id               BIGINT UNSIGNED NULL,
  uploaded_by_user_id     BIGINT UNSIGNED NULL,
  uploaded_by_contact_id  BIGINT UNSIGNED NULL,
  created_at              DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY documents_stored (stored_name),
  KEY documents_contact (contact_id, id),
  KEY documents_customer (customer_id, id),
  KEY documents_ticket (ticket_id, id),
  CONSTRAINT documents_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE SET NULL,
  CONSTRAINT documents_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL,
  CONSTRAINT documents_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who besides the owner contact sees a document in the portal: one contact, or every contact of a customer.
CREATE TABLE IF NOT EXISTS document_shares (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  document_id  BIGINT UNSIGNED NOT NULL,
  contact_id   BIGINT UNSIGNED NULL,
  customer_id  BIGINT UNSIGNED NULL,
  shared_by    BIGINT UNSIGNED NULL,
  created_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY document_shares_contact (document_id, contact_id),
  UNIQUE KEY document_shares_customer (document_id, customer_id),
  KEY document_shares_by_contact (contact_id, document_id),
  KEY document_shares_by_customer (customer_id, document_id),
  CONSTRAINT document_shares_document FOREIGN KEY (document_id) REFERENCES documents (id) ON DELETE CASCADE,
  CONSTRAINT document_shares_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
  CONSTRAINT document_shares_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
