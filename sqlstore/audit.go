package sqlstore

import (
	"context"
	"database/sql"

	"github.com/csreview/csreview"
)

// FindAuditRecords lists audit records, newest first, for the office and
// admins.
func (s *Store) FindAuditRecords(ctx context.Context, f csreview.AuditFilter) (list []*csreview.AuditRecord, total int, err error) {
	if !csreview.CanReadAudit(actor(ctx)) {
		return nil, 0, forbidOrUnauth(ctx)
	}
	var w where
	if f.Entity != "" {
		w.add("entity = ?", f.Entity)
	}
	if f.EntityID != 0 {
		w.add("entity_id = ?", f.EntityID)
	}
	if f.ActorID != 0 {
		w.add("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	page := f.Page.Normalize()
	err = s.DB.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT id, at, actor_id, actor, action, entity, entity_id, before_json, after_json,
			COUNT(*) OVER () FROM audit_log`+w.sql()+` ORDER BY id DESC LIMIT ? OFFSET ?`,
			append(w.args, page.Limit, page.Offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := new(csreview.AuditRecord)
			var before, after sql.NullString
			if err := rows.Scan(&r.ID, tcol{&r.At}, idcol{&r.ActorID}, &r.Actor, &r.Action, &r.Entity,
				idcol{&r.EntityID}, &before, &after, &total); err != nil {
				return mapError(err)
			}
			if before.Valid {
				r.Before = []byte(before.String)
			}
			if after.Valid {
				r.After = []byte(after.String)
			}
			list = append(list, r)
		}
		return mapError(rows.Err())
	})
	return list, total, err
}
