package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/csreview/csreview"
)

// refAlphabet leaves out letters and digits that are easily confused when
// a reference is read aloud or copied by hand (0/O, 1/I/L).
const refAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// newFeedbackRef returns a reference such as FB-20261121-7KQ2MX: the day,
// and six random characters so that references cannot be enumerated.
func newFeedbackRef(day csreview.Date) string {
	b := make([]byte, 6)
	rand.Read(b)
	for i := range b {
		b[i] = refAlphabet[int(b[i])%len(refAlphabet)]
	}
	return "FB-" + strings.ReplaceAll(string(day), "-", "") + "-" + string(b)
}

// SubmitFeedback records feedback from anyone, signed in or not. The
// submitter's address is kept only as a keyed hash, to spot floods from one
// source; the key is the log's, which never leaves the database.
func (s *Store) SubmitFeedback(ctx context.Context, f *csreview.Feedback, ip string) error {
	if err := f.Validate(); err != nil {
		return err
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		skey, _, err := logKey(tx)
		if err != nil {
			return err
		}
		mac := hmac.New(sha256.New, []byte(skey))
		mac.Write([]byte(ip))
		ipHash := hex.EncodeToString(mac.Sum(nil))[:32]
		f.ID, f.State, f.Note, f.CaseID, f.CaseRef, f.CreatedAt = 0, csreview.FeedbackNew, "", 0, "", tx.now
		for range 5 {
			f.Ref = newFeedbackRef(tx.today())
			n, err := countOf(tx, `SELECT COUNT(*) FROM feedback WHERE ref = ?`, f.Ref)
			if err != nil {
				return err
			}
			if n == 0 {
				break
			}
		}
		if err := tx.queryRow(`INSERT INTO feedback (ref, product, supplier, text, contact, ip_hash, state, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, f.Ref, f.Product, f.Supplier, f.Text, f.Contact, ipHash,
			f.State, formatTime(tx.now)).Scan(&f.ID); err != nil {
			return mapError(err)
		}
		// The audit record leaves out the contact details.
		return tx.audit("submit", "feedback", f.ID, nil, map[string]any{"ref": f.Ref, "product": f.Product})
	})
}

const feedbackSelect = `SELECT f.id, f.ref, f.product, f.supplier, f.text, f.contact, f.state, f.note, COALESCE(f.case_id, 0),
	COALESCE(c.ref, ''), f.created_at, COUNT(*) OVER () FROM feedback f LEFT JOIN cases c ON c.id = f.case_id`

func scanFeedback(tx *Tx, w where, page csreview.Page) ([]*csreview.Feedback, int, error) {
	page = page.Normalize()
	rows, err := tx.query(feedbackSelect+w.sql()+` ORDER BY f.id DESC LIMIT ? OFFSET ?`, append(w.args, page.Limit, page.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*csreview.Feedback
	total := 0
	for rows.Next() {
		f := new(csreview.Feedback)
		if err := rows.Scan(&f.ID, &f.Ref, &f.Product, &f.Supplier, &f.Text, &f.Contact, &f.State, &f.Note, &f.CaseID,
			&f.CaseRef, tcol{&f.CreatedAt}, &total); err != nil {
			return nil, 0, mapError(err)
		}
		out = append(out, f)
	}
	return out, total, mapError(rows.Err())
}

// FindFeedback is the office's queue. Feedback carries the submitters'
// contact details, so only the office reads it, and each read is recorded.
func (s *Store) FindFeedback(ctx context.Context, f csreview.FeedbackFilter) (list []*csreview.Feedback, total int, err error) {
	if !csreview.CanReadFeedback(actor(ctx)) {
		return nil, 0, forbidOrUnauth(ctx)
	}
	var w where
	if f.State != "" {
		w.add("f.state = ?", f.State)
	}
	w.search(f.Query, "f.ref", "f.product", "f.supplier", "f.text")
	err = s.DB.write(ctx, func(tx *Tx) error {
		if list, total, err = scanFeedback(tx, w, f.Page); err != nil {
			return err
		}
		return tx.audit("read", "feedback", 0, nil, map[string]any{"state": f.State, "q": f.Query, "rows": len(list)})
	})
	return list, total, err
}

// SetFeedbackState moves feedback through the office's queue. A case is
// linked by opening it with the feedback's reference, not here.
func (s *Store) SetFeedbackState(ctx context.Context, id int64, state, note string) (*csreview.Feedback, error) {
	if !csreview.CanReadFeedback(actor(ctx)) {
		return nil, forbidOrUnauth(ctx)
	}
	var out *csreview.Feedback
	err := s.DB.write(ctx, func(tx *Tx) error {
		var w where
		w.add("f.id = ?", id)
		list, _, err := scanFeedback(tx, w, csreview.Page{Limit: 1})
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return errNotFound("feedback", id)
		}
		var v csreview.Invalid
		v.OneOf("state", state, []string{csreview.FeedbackNew, csreview.FeedbackNoted, csreview.FeedbackDismissed})
		v.MaxLen("note", note, 2000)
		if err := v.Err(); err != nil {
			return err
		}
		before := *list[0]
		if before.State == csreview.FeedbackCase {
			return csreview.KeyErrorf(csreview.ECONFLICT, "err.feedback_has_case", "A case was opened from this feedback.")
		}
		if _, err := tx.exec(`UPDATE feedback SET state = ?, note = ? WHERE id = ?`, state, strings.TrimSpace(note), id); err != nil {
			return err
		}
		out = list[0]
		out.State, out.Note = state, strings.TrimSpace(note)
		return tx.audit("update", "feedback", id, map[string]any{"state": before.State, "note": before.Note},
			map[string]any{"state": out.State, "note": out.Note})
	})
	return out, err
}

// linkFeedback marks the feedback a case was opened from, in the case's
// transaction.
func linkFeedback(tx *Tx, c *csreview.Case) error {
	if c.FeedbackRef == "" {
		return nil
	}
	if c.Channel != "user_feedback" {
		return invalid("feedback_ref", "not_allowed", "user_feedback")
	}
	res, err := tx.exec(`UPDATE feedback SET state = ?, case_id = ? WHERE ref = ? AND case_id IS NULL`,
		csreview.FeedbackCase, c.ID, strings.TrimSpace(c.FeedbackRef))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return invalid("feedback_ref", "unknown")
	}
	return nil
}
