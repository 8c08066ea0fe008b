-- The lab's triage of the automated findings (Dependency-Track's audit
-- workflow, filed under the review criteria): one row per change, so the
-- newest row per (case, finding) is its state and the rows before it are
-- its history. A finding is keyed by the engine's stable ID of the fact
-- (component and advisory), so its state survives re-analysis.
CREATE TABLE finding_triage (
  id {{id}},
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  finding_key TEXT NOT NULL,
  state TEXT NOT NULL,
  justification TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  actor_id BIGINT REFERENCES users (id),
  actor TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX finding_triage_case ON finding_triage (case_id, finding_key, id);
