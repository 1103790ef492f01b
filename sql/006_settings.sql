-- 006_settings.sql — settings module: email templates (one row per code and language, seeded in
-- English and Italian), the admin history of settings changes, and an outbox index for the admin page.
-- Re-runnable: MariaDB DDL is not transactional, so every statement may run again after a partial failure.

CREATE TABLE IF NOT EXISTS mail_templates (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code        VARCHAR(32)  NOT NULL,
  language    CHAR(2)      NOT NULL,
  subject     VARCHAR(255) NOT NULL,
  body        MEDIUMTEXT   NOT NULL,
  updated_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_by  BIGINT UNSIGNED NULL,
  UNIQUE KEY mail_templates_code (code, language)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who changed which setting, when: users, roles, passwords (never the password), API tokens (never
-- the token), templates, contact rules, outbox retries. Written in the transaction of the change.
CREATE TABLE IF NOT EXISTS admin_history (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at          DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  user_id     BIGINT UNSIGNED NULL,
  actor       VARCHAR(200) NOT NULL DEFAULT '',
  area        VARCHAR(32)  NOT NULL,
  action      VARCHAR(32)  NOT NULL,
  target_id   BIGINT UNSIGNED NULL,
  target      VARCHAR(255) NOT NULL DEFAULT '',
  details     TEXT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The outbox page lists newest first, optionally of one status.
ALTER TABLE outbox ADD INDEX IF NOT EXISTS outbox_status_id (status, id);

-- Progress of the background re-evaluation of contact statuses after a completeness change.
INSERT IGNORE INTO settings (k, v) VALUES ('contact.status_refresh', 'done');

INSERT IGNORE INTO mail_templates (code, language, subject, body) VALUES
('portal_access', 'en', 'Your access to {{site.name}}',
 'Hello {{contact.first_name}} {{contact.last_name}},\n\nyou now have access to the customer portal of {{site.name}}.\n\nYour login: {{portal.login}}\n\nChoose your password with this link. It works once and expires on {{portal.expires}}:\n{{portal.link}}\n\nIf you did not expect this message, you can ignore it.\n\n{{site.name}}\n'),
('portal_access', 'it', 'Il tuo accesso a {{site.name}}',
 'Gentile {{contact.first_name}} {{contact.last_name}},\n\nora hai accesso al portale clienti di {{site.name}}.\n\nIl tuo nome utente: {{portal.login}}\n\nScegli la tua password con questo link. Funziona una sola volta e scade il {{portal.expires}}:\n{{portal.link}}\n\nSe non aspettavi questo messaggio, puoi ignorarlo.\n\n{{site.name}}\n'),
('ticket_created', 'en', 'Ticket {{ticket.number}} received: {{ticket.subject}}',
 'Hello {{contact.first_name}},\n\nwe have received your request and opened ticket {{ticket.number}} ("{{ticket.subject}}").\nStatus: {{ticket.status}}\n\n{{comment.body}}\n\nYou can follow it here: {{ticket.link}}\n\n{{site.name}}\n'),
('ticket_created', 'it', 'Ticket {{ticket.number}} ricevuto: {{ticket.subject}}',
 'Gentile {{contact.first_name}},\n\nabbiamo ricevuto la tua richiesta e aperto il ticket {{ticket.number}} ("{{ticket.subject}}").\nStato: {{ticket.status}}\n\n{{comment.body}}\n\nPuoi seguirlo qui: {{ticket.link}}\n\n{{site.name}}\n'),
('ticket_updated', 'en', 'Ticket {{ticket.number}} updated: {{ticket.subject}}',
 'Hello {{contact.first_name}},\n\nyour ticket {{ticket.number}} ("{{ticket.subject}}") has been updated.\nStatus: {{ticket.status}}\n\n{{comment.body}}\n\nDetails: {{ticket.link}}\n\n{{site.name}}\n'),
('ticket_updated', 'it', 'Ticket {{ticket.number}} aggiornato: {{ticket.subject}}',
 'Gentile {{contact.first_name}},\n\nil tuo ticket {{ticket.number}} ("{{ticket.subject}}") è stato aggiornato.\nStato: {{ticket.status}}\n\n{{comment.body}}\n\nDettagli: {{ticket.link}}\n\n{{site.name}}\n'),
('password_reset', 'en', 'Choose a new password for {{site.name}}',
 'Hello {{contact.first_name}},\n\nsomeone asked to reset the password of your portal access.\nChoose a new password with this link. It works once and expires on {{reset.expires}}:\n{{reset.link}}\n\nIf it was not you, ignore this message: your password stays as it is.\n\n{{site.name}}\n'),
('password_reset', 'it', 'Scegli una nuova password per {{site.name}}',
 'Gentile {{contact.first_name}},\n\nè stato chiesto di reimpostare la password del tuo accesso al portale.\nScegli una nuova password con questo link. Funziona una sola volta e scade il {{reset.expires}}:\n{{reset.link}}\n\nSe non sei stato tu, ignora questo messaggio: la tua password resta invariata.\n\n{{site.name}}\n');
