-- The registry: accounts, sessions, tokens, the audit log, suppliers and
-- their products, operators and accredited bodies.
-- {{id}} is the dialect's auto-increment primary key; timestamps are
-- fixed-width UTC text ("2006-01-02T15:04:05.000000Z"), dates "YYYY-MM-DD".

CREATE TABLE suppliers (
  id {{id}},
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL,
  uscc TEXT,
  registration_no TEXT,
  group_name TEXT NOT NULL DEFAULT '',
  ownership TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  contact TEXT NOT NULL DEFAULT '',
  website TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX suppliers_uscc ON suppliers (uscc);
CREATE UNIQUE INDEX suppliers_registration ON suppliers (country, registration_no);

CREATE TABLE products (
  id {{id}},
  supplier_id BIGINT NOT NULL REFERENCES suppliers (id),
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  service BOOLEAN NOT NULL DEFAULT FALSE,
  model TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (supplier_id, name_zh)
);
CREATE INDEX products_category ON products (category);

CREATE TABLE product_versions (
  id {{id}},
  product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  version TEXT NOT NULL,
  released_on TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  UNIQUE (product_id, version)
);

CREATE TABLE operators (
  id {{id}},
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  uscc TEXT NOT NULL UNIQUE,
  sector TEXT NOT NULL,
  region TEXT NOT NULL DEFAULT '',
  cii BOOLEAN NOT NULL DEFAULT FALSE,
  platform BOOLEAN NOT NULL DEFAULT FALSE,
  personal_info_users BIGINT NOT NULL DEFAULT 0,
  contact TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX operators_sector ON operators (sector);

CREATE TABLE bodies (
  id {{id}},
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  uscc TEXT NOT NULL,
  accreditation_no TEXT NOT NULL UNIQUE,
  scope TEXT NOT NULL, -- JSON array of categories
  valid_from TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  group_name TEXT NOT NULL DEFAULT '',
  contact TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE users (
  id {{id}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  supplier_id BIGINT REFERENCES suppliers (id),
  operator_id BIGINT REFERENCES operators (id),
  body_id BIGINT REFERENCES bodies (id),
  sector TEXT NOT NULL DEFAULT '',
  org TEXT NOT NULL DEFAULT '',
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_login_at TEXT
);

CREATE TABLE sessions (
  secret_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  hint TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  expires_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
  id {{id}},
  at TEXT NOT NULL,
  actor_id BIGINT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id BIGINT,
  before_json TEXT,
  after_json TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
