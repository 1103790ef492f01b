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
