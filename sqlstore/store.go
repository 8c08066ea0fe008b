package sqlstore

import (
	"context"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/review"
)

// Store is the service layer over DB: it implements every csreview service
// interface.
type Store struct {
	DB *DB
	// Rules are the regime packs and the calendar; nil uses the shipped
	// ones.
	Rules *review.Rules
	// ConflictYears is how many years back advice on the same product bars
	// a body from assessing it; DefaultConflictYears if 0.
	ConflictYears int
	// HearingThreshold is the smallest intended fine on an operator that
	// is a "fine of a large amount" giving the right to a hearing
	// (Administrative Penalty Law Art. 63(1)); the amount is set by
	// regional and departmental rules, so it is configuration, and 0 (the
	// default) grants the right for every fine.
	HearingThreshold int64
	// ReportOptional: a third-party assessment report is not required
	// before a recommended conclusion where only office practice wants one
	// (the 2020 and 2021 Measures provide for no third-party body); by
	// default the practice holds.
	ReportOptional bool
}

// NewStore returns the services over db.
func NewStore(db *DB) *Store { return &Store{DB: db} }

var (
	_ csreview.SupplierService     = (*Store)(nil)
	_ csreview.ProductService      = (*Store)(nil)
	_ csreview.OperatorService     = (*Store)(nil)
	_ csreview.BodyService         = (*Store)(nil)
	_ csreview.UserService         = (*Store)(nil)
	_ csreview.AuthService         = (*Store)(nil)
	_ csreview.AuditService        = (*Store)(nil)
	_ csreview.CaseService         = (*Store)(nil)
	_ csreview.CaseFileService     = (*Store)(nil)
	_ csreview.TriageService       = (*Store)(nil)
	_ csreview.CalendarFeedService = (*Store)(nil)
	_ csreview.AnalysisService     = (*Store)(nil)
	_ csreview.AnalysisQueue       = (*Store)(nil)
	_ review.WorkService           = (*Store)(nil)
	_ csreview.VersionSBOMService  = (*Store)(nil)
	_ assess.VersionAssessor       = (*Store)(nil)
	_ csreview.PublicationService  = (*Store)(nil)
	_ csreview.FeedbackService     = (*Store)(nil)
	_ csreview.PublicLog           = (*Store)(nil)
	_ csreview.Outbox              = (*DB)(nil)
)

// actor returns the acting user of ctx; nil for anonymous callers, whom
// the policy functions deny.
func actor(ctx context.Context) *csreview.User { return csreview.UserFromContext(ctx) }

// findVisible loads an object and checks that u may read it; an object it
// may not read is ENOTFOUND, like one that does not exist.
func findVisible[T any](tx *Tx, t *table[T], id int64, canRead func(*csreview.User, *T) bool) (*T, error) {
	v, err := t.get(tx, id)
	if err != nil {
		return nil, err
	}
	if !canRead(tx.actor, v) {
		return nil, errNotFound(t.entity, id)
	}
	return v, nil
}

// updateVisible saves input over the stored object with the same ID: it
// checks read then write permission on the stored one, validates, checks
// write permission on the new one too (ownership may change), keeps the
// creation time and stamps the update time. input receives what was saved.
func updateVisible[T any](db *DB, ctx context.Context, t *table[T], input *T,
	canRead, canWrite func(*csreview.User, *T) bool, validate func(*T) error, keep ...func(u *csreview.User, before, after *T)) error {
	return db.write(ctx, func(tx *Tx) error {
		before, err := findVisible(tx, t, *t.id(input), canRead)
		if err != nil {
			return err
		}
		if !canWrite(tx.actor, before) {
			return errForbidden()
		}
		after := new(T)
		*after = *input
		if t.stamps != nil {
			created, updated := t.stamps(after)
			was, _ := t.stamps(before)
			*created, *updated = *was, tx.now
		}
		for _, k := range keep {
			k(tx.actor, before, after)
		}
		if err := validate(after); err != nil {
			return err
		}
		if !canWrite(tx.actor, after) {
			return errForbidden()
		}
		if err := t.update(tx, before, after); err != nil {
			return err
		}
		*input = *after
		return nil
	})
}

// deleteVisible deletes an object u may read and delete.
func deleteVisible[T any](db *DB, ctx context.Context, t *table[T], id int64,
	canRead, canDelete func(*csreview.User, *T) bool) error {
	return db.write(ctx, func(tx *Tx) error {
		before, err := findVisible(tx, t, id, canRead)
		if err != nil {
			return err
		}
		if !canDelete(tx.actor, before) {
			return errForbidden()
		}
		return t.delete(tx, before)
	})
}
