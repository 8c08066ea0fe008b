-- OSV advisories, kept whole (raw JSON) and indexed by ecosystem and
-- normalised package name for matching. A record whose modified time has
-- not changed is not imported again; withdrawn records are kept, never
-- matched.
CREATE TABLE advisories (
  id TEXT PRIMARY KEY,
  modified TEXT NOT NULL,
  withdrawn TEXT NOT NULL DEFAULT '',
  aliases TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  raw TEXT NOT NULL,
  imported_at TEXT NOT NULL
);

CREATE TABLE advisory_packages (
  advisory_id TEXT NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
  ecosystem TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (ecosystem, name, advisory_id)
);
CREATE INDEX advisory_packages_advisory ON advisory_packages (advisory_id);
