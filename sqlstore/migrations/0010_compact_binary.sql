-- The compact forms become binary (advisory.Record.Compact, layout 2: read
-- back in a few microseconds where the JSON of layout 1 took a dozen), and
-- whether a record is withdrawn is kept beside its form: the engine's query
-- for candidates then reads the package index and the forms only, not also
-- each candidate's row of advisories (a page read per candidate, two fifths
-- of the pages the query read). The forms of layout 1 are dropped; until
-- the next import writes the new ones, records are read from their OSV
-- JSON.
DROP TABLE advisory_compact;
CREATE TABLE advisory_compact (
  advisory_id TEXT PRIMARY KEY REFERENCES advisories (id) ON DELETE CASCADE,
  withdrawn TEXT NOT NULL DEFAULT '',
  compact {{blob}} NOT NULL
);
