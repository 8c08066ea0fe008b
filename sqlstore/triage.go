package sqlstore

import (
	"context"

	"github.com/csreview/csreview"
)

const triageCols = `case_id, finding_key, state, justification, comment, actor_id, actor, at`

func scanTriage(row interface{ Scan(...any) error }) (*csreview.Triage, error) {
	t := new(csreview.Triage)
	if err := row.Scan(&t.CaseID, &t.Key, &t.State, &t.Justification, &t.Comment, idcol{&t.ActorID}, &t.Actor, tcol{&t.At}); err != nil {
		return nil, mapError(err)
	}
	return t, nil
}

// triageReadable opens a case for reading its triage: the evidence's
// readers only.
func triageReadable(tx *Tx, caseID int64) error {
	c, err := visibleCase(tx, caseID)
	if err != nil {
		return err
	}
	if !csreview.CanReadEvidence(tx.actor, c) {
		return errForbidden()
	}
	return nil
}

// FindTriage returns the current state of each triaged finding of a case.
// The lab's judgement is part of the evidence: each read is recorded.
func (s *Store) FindTriage(ctx context.Context, caseID int64) (map[string]*csreview.Triage, error) {
	out := map[string]*csreview.Triage{}
	err := s.DB.write(ctx, func(tx *Tx) error {
		if err := triageReadable(tx, caseID); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT `+triageCols+` FROM finding_triage t WHERE case_id = ? AND id = (
			SELECT MAX(id) FROM finding_triage u WHERE u.case_id = t.case_id AND u.finding_key = t.finding_key)`, caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTriage(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out[t.Key] = t
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapError(err)
		}
		return tx.audit("read", "finding_triage", caseID, nil, map[string]any{"findings": len(out)})
	})
	return out, err
}

// TriageHistory returns a finding's changes, oldest first.
func (s *Store) TriageHistory(ctx context.Context, caseID int64, key string) ([]*csreview.Triage, error) {
	out := []*csreview.Triage{}
	err := s.DB.write(ctx, func(tx *Tx) error {
		if err := triageReadable(tx, caseID); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT `+triageCols+` FROM finding_triage WHERE case_id = ? AND finding_key = ? ORDER BY id`, caseID, key)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTriage(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapError(err)
		}
		return tx.audit("read", "finding_triage", caseID, nil, map[string]any{"key": key})
	})
	return out, err
}

// SetTriage records a change of a finding's state, in the audit log too.
func (s *Store) SetTriage(ctx context.Context, t *csreview.Triage) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		// Who may, before what: the caller first, then the change.
		c, err := visibleCase(tx, t.CaseID)
		if err != nil {
			return err
		}
		if !csreview.CanTriage(tx.actor, c) {
			return errForbidden()
		}
		if err := t.Validate(); err != nil {
			return err
		}
		// The triage is part of the assessment: once the report is in, the
		// findings it rests on are frozen, as the evidence is.
		if c.State != csreview.StateAssessment || c.ReportSubmitted {
			return csreview.KeyErrorf(csreview.ECONFLICT, "err.triage_closed", "Findings are triaged during the assessment, before the report.")
		}
		t.ActorID, t.Actor, t.At = tx.actor.ID, tx.actor.Username, tx.now
		if _, err := tx.exec(`INSERT INTO finding_triage (`+triageCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			t.CaseID, t.Key, t.State, t.Justification, t.Comment, idcol{&t.ActorID}, t.Actor, formatTime(t.At)); err != nil {
			return err
		}
		return tx.audit("update", "finding_triage", t.CaseID, nil, map[string]any{"key": t.Key, "state": t.State,
			"justification": t.Justification})
	})
}
