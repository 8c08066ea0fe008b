-- Automated analysis of the SBOMs attached to a case: jobs that several
-- servers can share (claimed with FOR UPDATE SKIP LOCKED on PostgreSQL),
-- with their progress and the report they produced.
CREATE TABLE analysis_jobs (
  id {{id}},
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  state TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  progress INTEGER NOT NULL DEFAULT 0,
  total INTEGER NOT NULL DEFAULT 0,
  claimed_by TEXT NOT NULL DEFAULT '',
  claimed_at TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  report TEXT NOT NULL DEFAULT '',
  findings INTEGER NOT NULL DEFAULT 0,
  highest TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  finished_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX analysis_jobs_state ON analysis_jobs (state, id);
CREATE INDEX analysis_jobs_case ON analysis_jobs (case_id, id);
