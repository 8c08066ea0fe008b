package sqlstore

import "context"

// ExecForTest runs one statement in a write transaction: for tests that
// need a state the store's API never produces, such as a row written by
// an older version.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	return db.write(ctx, func(tx *Tx) error {
		_, err := tx.exec(query, args...)
		return err
	})
}
