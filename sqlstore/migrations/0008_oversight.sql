-- Operators and oversight (DESIGN §6): operators' inventories, regulators'
-- determinations, the record of procurement checks, self-reviews, the
-- prohibited list, monitoring alerts with their webhook outbox, and
-- enforcement records.

CREATE TABLE inventory (
  id {{id}},
  operator_id BIGINT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  product_id BIGINT NOT NULL REFERENCES products (id),
  version_id BIGINT NOT NULL REFERENCES product_versions (id),
  system TEXT NOT NULL,
  sector TEXT NOT NULL,
  stage TEXT NOT NULL,
  amount BIGINT NOT NULL DEFAULT 0,
  purchased_on TEXT NOT NULL DEFAULT '',
  forecast TEXT NOT NULL DEFAULT '',
  commit_data BOOLEAN NOT NULL DEFAULT FALSE,
  commit_control BOOLEAN NOT NULL DEFAULT FALSE,
  commit_supply BOOLEAN NOT NULL DEFAULT FALSE,
  commitments_ref TEXT NOT NULL DEFAULT '',
  agreement BOOLEAN NOT NULL DEFAULT FALSE,
  agreement_on TEXT NOT NULL DEFAULT '',
  agreement_ref TEXT NOT NULL DEFAULT '',
  case_id BIGINT REFERENCES cases (id),
  notes TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX inventory_operator ON inventory (operator_id);
CREATE INDEX inventory_version ON inventory (version_id);
CREATE INDEX inventory_sector ON inventory (sector);

CREATE TABLE determinations (
  id {{id}},
  sector TEXT NOT NULL,
  operator_id BIGINT REFERENCES operators (id) ON DELETE CASCADE,
  product_id BIGINT REFERENCES products (id) ON DELETE CASCADE,
  category TEXT NOT NULL DEFAULT '',
  affects BOOLEAN NOT NULL,
  reason TEXT NOT NULL,
  decided_on TEXT NOT NULL,
  decided_by BIGINT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX determinations_sector ON determinations (sector);

CREATE TABLE procurement_checks (
  id {{id}},
  at TEXT NOT NULL,
  actor_id BIGINT,
  operator_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  version_id BIGINT NOT NULL,
  inventory_id BIGINT,
  sector TEXT NOT NULL,
  regime TEXT NOT NULL,
  required TEXT NOT NULL,
  status TEXT NOT NULL,
  verdict TEXT NOT NULL,
  answer_json TEXT NOT NULL
);
CREATE INDEX procurement_checks_operator ON procurement_checks (operator_id, id);
CREATE INDEX procurement_checks_sector ON procurement_checks (sector, at);
CREATE INDEX procurement_checks_inventory ON procurement_checks (inventory_id);

CREATE TABLE self_reviews (
  id {{id}},
  product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  version_id BIGINT NOT NULL REFERENCES product_versions (id) ON DELETE CASCADE,
  supplier_id BIGINT NOT NULL,
  operator_id BIGINT REFERENCES operators (id) ON DELETE CASCADE,
  regime TEXT NOT NULL,
  answers_json TEXT NOT NULL,
  summary_json TEXT NOT NULL,
  report TEXT NOT NULL,
  created_by BIGINT,
  created_at TEXT NOT NULL
);
CREATE INDEX self_reviews_version ON self_reviews (version_id);

CREATE TABLE prohibitions (
  id {{id}},
  purl TEXT NOT NULL DEFAULT '',
  ecosystem TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL DEFAULT '',
  supplier TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  added_by BIGINT,
  created_at TEXT NOT NULL,
  lifted_at TEXT NOT NULL DEFAULT ''
);

CREATE TABLE alerts (
  id {{id}},
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  trigger_ref TEXT NOT NULL,
  severity TEXT NOT NULL DEFAULT '',
  product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  version_id BIGINT NOT NULL REFERENCES product_versions (id) ON DELETE CASCADE,
  supplier_id BIGINT NOT NULL,
  passed BOOLEAN NOT NULL DEFAULT FALSE,
  components TEXT NOT NULL,
  summary TEXT NOT NULL,
  state TEXT NOT NULL,
  case_id BIGINT REFERENCES cases (id),
  closed_at TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX alerts_once ON alerts (kind, trigger_ref, version_id);
CREATE INDEX alerts_supplier ON alerts (supplier_id, id);
-- Monitoring looks components up by name and compares base ecosystems.
CREATE INDEX version_components_name ON version_components (name);

CREATE TABLE alert_operators (
  alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  operator_id BIGINT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  inventory_id BIGINT NOT NULL,
  PRIMARY KEY (alert_id, inventory_id)
);
CREATE INDEX alert_operators_operator ON alert_operators (operator_id);

CREATE TABLE webhooks (
  id {{id}},
  owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at TEXT NOT NULL
);

CREATE TABLE webhook_outbox (
  id {{id}},
  webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at TEXT NOT NULL,
  claimed_by TEXT NOT NULL DEFAULT '',
  claimed_until TEXT NOT NULL DEFAULT '',
  last_status INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  delivered_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (state, next_at);

CREATE TABLE enforcement (
  id {{id}},
  ref TEXT NOT NULL UNIQUE,
  inventory_id BIGINT NOT NULL REFERENCES inventory (id),
  operator_id BIGINT NOT NULL REFERENCES operators (id),
  product_id BIGINT NOT NULL,
  version_id BIGINT NOT NULL,
  sector TEXT NOT NULL,
  regime TEXT NOT NULL,
  finding TEXT NOT NULL,
  amount BIGINT NOT NULL,
  fine_min BIGINT NOT NULL,
  fine_max BIGINT NOT NULL,
  person_min BIGINT NOT NULL,
  person_max BIGINT NOT NULL,
  basis_json TEXT NOT NULL,
  state TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  opened_on TEXT NOT NULL,
  closed_on TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX enforcement_open ON enforcement (inventory_id) WHERE state NOT IN ('closed', 'dismissed');
CREATE INDEX enforcement_sector ON enforcement (sector, state);

CREATE TABLE enforcement_events (
  id {{id}},
  enforcement_id BIGINT NOT NULL REFERENCES enforcement (id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX enforcement_events_enf ON enforcement_events (enforcement_id, id);
