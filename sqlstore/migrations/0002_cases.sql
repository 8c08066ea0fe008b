-- Review cases: the case, the versions under review, its timeline, its
-- clocks, attachments (content-addressed blobs), evidence and findings per
-- criterion, opinions, and the written notices.

CREATE TABLE cases (
  id {{id}},
  ref TEXT NOT NULL UNIQUE,
  regime TEXT NOT NULL,
  channel TEXT NOT NULL,
  state TEXT NOT NULL,
  return_state TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  supplier_id BIGINT NOT NULL REFERENCES suppliers (id),
  operator_id BIGINT REFERENCES operators (id),
  purchase TEXT NOT NULL DEFAULT '',
  purchase_amount BIGINT NOT NULL DEFAULT 0,
  filed_on TEXT NOT NULL,
  filed_by BIGINT REFERENCES users (id),
  body_id BIGINT REFERENCES bodies (id),
  report_submitted BOOLEAN NOT NULL DEFAULT FALSE,
  outcome TEXT NOT NULL DEFAULT '',
  parent_id BIGINT REFERENCES cases (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX cases_state ON cases (state);
CREATE INDEX cases_supplier ON cases (supplier_id);
CREATE INDEX cases_operator ON cases (operator_id);
CREATE INDEX cases_body ON cases (body_id);

CREATE TABLE case_versions (
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  version_id BIGINT NOT NULL REFERENCES product_versions (id),
  PRIMARY KEY (case_id, version_id)
);

CREATE TABLE case_events (
  id {{id}},
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  on_date TEXT NOT NULL,
  actor_id BIGINT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  data_json TEXT
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TABLE case_clocks (
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  clock TEXT NOT NULL,
  started_on TEXT NOT NULL,
  workdays INTEGER NOT NULL,
  extended INTEGER NOT NULL DEFAULT 0,
  paused_days INTEGER NOT NULL DEFAULT 0,
  paused_since TEXT NOT NULL DEFAULT '',
  stopped_on TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, clock)
);

CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  content {{blob}} NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE case_files (
  id {{id}},
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  evidence_id BIGINT,
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blobs (sha256),
  size BIGINT NOT NULL,
  uploaded_by BIGINT,
  uploaded_at TEXT NOT NULL
);
CREATE INDEX case_files_case ON case_files (case_id);

CREATE TABLE evidence (
  id {{id}},
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  method TEXT NOT NULL,
  summary TEXT NOT NULL,
  body_id BIGINT REFERENCES bodies (id),
  author_id BIGINT,
  created_at TEXT NOT NULL
);
CREATE INDEX evidence_case ON evidence (case_id);

CREATE TABLE findings (
  id {{id}},
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  evidence_id BIGINT REFERENCES evidence (id) ON DELETE CASCADE,
  criterion TEXT NOT NULL,
  risk TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX findings_case ON findings (case_id, criterion);

CREATE TABLE opinions (
  id {{id}},
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  author_id BIGINT,
  author TEXT NOT NULL,
  org TEXT NOT NULL DEFAULT '',
  position TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX opinions_case ON opinions (case_id);

CREATE TABLE notices (
  id {{id}},
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  data_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX notices_case ON notices (case_id);

CREATE TABLE case_seq (
  year INTEGER PRIMARY KEY,
  n INTEGER NOT NULL
);

-- Relationships of assessment bodies with suppliers and operators, for
-- conflicts of interest at assignment: consulting for a party, or advice on
-- a product (with the date, so that "within N years" can be judged).
CREATE TABLE body_relations (
  id {{id}},
  body_id BIGINT NOT NULL REFERENCES bodies (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  supplier_id BIGINT REFERENCES suppliers (id),
  operator_id BIGINT REFERENCES operators (id),
  product_id BIGINT REFERENCES products (id),
  on_date TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX body_relations_body ON body_relations (body_id);
