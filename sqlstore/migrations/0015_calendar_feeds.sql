-- Each user's iCalendar feed of due dates, at a secret URL: only the
-- secret's SHA-256 is kept, one feed per user; a new link revokes the old
-- one, and revoking deletes it.
CREATE TABLE calendar_feeds (
  user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
