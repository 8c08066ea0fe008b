-- An operator's corporate group, so that a body of the same group is
-- refused as conflicted when assigned to the operator's case.
ALTER TABLE operators ADD COLUMN group_name TEXT NOT NULL DEFAULT '';
