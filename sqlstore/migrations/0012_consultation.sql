-- The workflow engine takes its actions from the regime packs. A
-- recommended conclusion names the member units and departments consulted,
-- round by round (2021 Measures Art. 11–13), and each unit's reply is kept
-- against its entry; experts and member-unit staff who recuse themselves
-- are recorded with their reason; opinions carry their round. Under the
-- 2017 Measures the review committee concludes no case (trial Art. 5, 8):
-- a case it held goes to the office's decision.
CREATE TABLE case_consultees (
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  round INTEGER NOT NULL,
  kind TEXT NOT NULL,
  org TEXT NOT NULL,
  asked_on TEXT NOT NULL,
  position TEXT NOT NULL DEFAULT '',
  replied_on TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, round, org)
);

CREATE TABLE case_recusals (
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  role TEXT NOT NULL,
  org TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  on_date TEXT NOT NULL,
  PRIMARY KEY (case_id, user_id)
);

ALTER TABLE opinions ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
UPDATE cases SET state = 'decision' WHERE state = 'committee';
