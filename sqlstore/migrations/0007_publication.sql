-- Publication: the public lists of passed and failed products, their
-- public reports, and the tamper-evident log every publication and
-- revocation is appended to (RFC 6962 tree, signed checkpoints).
CREATE TABLE tlog_key (
  id INTEGER PRIMARY KEY,
  origin TEXT NOT NULL,
  skey TEXT NOT NULL,
  vkey TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE tlog_leaves (
  idx BIGINT PRIMARY KEY,
  data TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE tlog_hashes (
  idx BIGINT PRIMARY KEY,
  hash TEXT NOT NULL
);

CREATE TABLE tlog_checkpoints (
  size BIGINT PRIMARY KEY,
  root TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE list_entries (
  id {{id}},
  product_id BIGINT NOT NULL REFERENCES products (id),
  supplier_id BIGINT NOT NULL REFERENCES suppliers (id),
  -- The names as published: a later rename in the registry does not
  -- change what the log recorded.
  product TEXT NOT NULL,
  product_en TEXT NOT NULL DEFAULT '',
  supplier TEXT NOT NULL,
  supplier_en TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  list TEXT NOT NULL,
  versions TEXT NOT NULL,
  regime TEXT NOT NULL,
  case_id BIGINT NOT NULL REFERENCES cases (id),
  case_ref TEXT NOT NULL,
  decided_on TEXT NOT NULL,
  published_at TEXT NOT NULL,
  revoked_at TEXT NOT NULL DEFAULT '',
  revoked_by BIGINT,
  report TEXT NOT NULL,
  leaf_index BIGINT NOT NULL,
  revoke_leaf BIGINT
);
CREATE INDEX list_entries_product ON list_entries (product_id);
CREATE INDEX list_entries_list ON list_entries (list, published_at);
CREATE UNIQUE INDEX list_entries_case_product ON list_entries (case_id, product_id);

-- Feedback from the public (2017 trial Measures Art. 8: the office takes
-- user feedback into account when choosing what to review).
CREATE TABLE feedback (
  id {{id}},
  ref TEXT NOT NULL UNIQUE,
  product TEXT NOT NULL,
  supplier TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  contact TEXT NOT NULL DEFAULT '',
  ip_hash TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'new',
  note TEXT NOT NULL DEFAULT '',
  case_id BIGINT REFERENCES cases (id),
  created_at TEXT NOT NULL
);
CREATE INDEX feedback_state ON feedback (state, id);
