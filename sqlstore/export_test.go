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

// MigrateUpTo applies the migrations up to and including version, as an
// older release would have left the database.
func (db *DB) MigrateUpTo(ctx context.Context, version int) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	for _, m := range ms {
		if m.Version > version {
			break
		}
		if _, err := db.applyMigration(ctx, m); err != nil {
			return err
		}
	}
	return nil
}
