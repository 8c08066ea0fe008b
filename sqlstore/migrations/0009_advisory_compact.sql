-- The assessment engine's reading of stored advisories: each record's
-- compact form (advisory.Record.Compact, the parsed record in csreview's
-- own JSON), read instead of parsing the OSV JSON again. It has a table of
-- its own so that reading it does not read the OSV JSON too (a record's
-- row runs over several pages). A record without one (stored before it)
-- is read from its OSV JSON until the next import writes it. An index on
-- withdrawn lets the count of records read the index, not every record.
CREATE TABLE advisory_compact (
  advisory_id TEXT PRIMARY KEY REFERENCES advisories (id) ON DELETE CASCADE,
  compact TEXT NOT NULL
);
CREATE INDEX advisories_withdrawn ON advisories (withdrawn);
