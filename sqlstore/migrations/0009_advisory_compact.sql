-- The assessment engine's reading of stored advisories: each record's
-- compact form (advisory.Record.Compact, the parsed record in csreview's
-- own JSON) beside its OSV JSON, read instead of parsing the OSV JSON
-- again; '' until written (the next import fills it). An index on
-- withdrawn lets the count of records read the index, not every record.
ALTER TABLE advisories ADD COLUMN compact TEXT NOT NULL DEFAULT '';
CREATE INDEX advisories_withdrawn ON advisories (withdrawn);
