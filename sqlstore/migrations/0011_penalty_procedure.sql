-- Enforcement records follow the Administrative Penalty Law's steps: the
-- notice of the intended penalty (Art. 44), the party's statement and
-- defence and, where granted, a hearing (Art. 45, 63, 64), and a decision
-- with a fine or the provision under which none was imposed (Art. 57, 59).
-- What each step established is kept as one JSON value
-- (csreview.PenaltyProcedure). A dismissed record becomes closed, a
-- rectified one stays ordered: from now on a record closes only after a
-- decision.
ALTER TABLE enforcement ADD COLUMN procedure_json TEXT NOT NULL DEFAULT '{}';
UPDATE enforcement SET state = 'closed' WHERE state = 'dismissed';
UPDATE enforcement SET state = 'ordered' WHERE state = 'rectified';
DROP INDEX enforcement_open;
CREATE UNIQUE INDEX enforcement_open ON enforcement (inventory_id) WHERE state <> 'closed';
