package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"math"
	"time"

	"github.com/csreview/csreview"
)

var _ csreview.WebhookService = (*Store)(nil)

// Webhook deliveries are an outbox: a row per (webhook, alert) written in
// the transaction that raised the alert, claimed by one server at a time,
// retried with exponential backoff until the receiver answers 2xx, and
// given up ("dead") after MaxAttempts. A receiver may see a delivery more
// than once (at least once); the delivery ID makes that detectable.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryDead      = "dead"
	// MaxAttempts is how many times a delivery is tried.
	MaxAttempts = 10
	// deliveryLease is how long a claimed delivery is its server's before
	// another may take it (the first died mid-request).
	deliveryLease = 2 * time.Minute
)

// Backoff is the wait after the n-th failed attempt: 10 s doubling, at most
// an hour.
func Backoff(n int) time.Duration {
	d := 10 * time.Second * time.Duration(math.Pow(2, float64(max(0, n-1))))
	return min(d, time.Hour)
}

// enqueueAlert queues the alert for every active webhook whose owner may
// read it, each with the alert as its owner may see it.
func enqueueAlert(tx *Tx, a *csreview.Alert) (int, error) {
	rows, err := tx.query(`SELECT w.id, u.id FROM webhooks w JOIN users u ON u.id = w.owner_id
		WHERE w.active = ? AND u.disabled = ? ORDER BY w.id`, true, false)
	if err != nil {
		return 0, err
	}
	type hook struct{ id, owner int64 }
	var hooks []hook
	for rows.Next() {
		var h hook
		if err := rows.Scan(&h.id, &h.owner); err != nil {
			rows.Close()
			return 0, mapError(err)
		}
		hooks = append(hooks, h)
	}
	rows.Close()
	n := 0
	for _, h := range hooks {
		owner, err := users.get(tx, h.owner)
		if err != nil {
			return 0, err
		}
		view, err := forReader(tx, owner, a)
		if err != nil {
			return 0, err
		}
		if view == nil {
			continue
		}
		body, err := json.Marshal(map[string]any{"event": "alert.created", "at": tx.now.UTC().Format(time.RFC3339), "alert": view})
		if err != nil {
			return 0, err
		}
		if _, err := tx.exec(`INSERT INTO webhook_outbox (webhook_id, event, payload, created_at, state, next_at)
			VALUES (?, ?, ?, ?, ?, ?)`, h.id, "alert.created", string(body), formatTime(tx.now), DeliveryPending,
			formatTime(tx.now)); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// CreateWebhook registers a webhook for the caller; its secret is
// generated here and returned this once.
func (s *Store) CreateWebhook(ctx context.Context, w *csreview.Webhook) error {
	u := actor(ctx)
	if !csreview.CanOwnWebhook(u) || u.System {
		return forbidOrUnauth(ctx)
	}
	if err := w.ValidateURL(); err != nil {
		return err
	}
	b := make([]byte, 32)
	rand.Read(b)
	w.Secret, w.OwnerID, w.Active = "whsec_"+hex.EncodeToString(b), u.ID, true
	return s.DB.write(ctx, func(tx *Tx) error {
		w.Created = tx.now
		if err := tx.queryRow(`INSERT INTO webhooks (owner_id, url, secret, active, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			u.ID, w.URL, w.Secret, true, formatTime(tx.now)).Scan(&w.ID); err != nil {
			return mapError(err)
		}
		return tx.audit("create", "webhook", w.ID, nil, map[string]any{"url": w.URL})
	})
}

// FindWebhooks lists the caller's webhooks with their delivery counts;
// secrets are not shown again.
func (s *Store) FindWebhooks(ctx context.Context) (list []*csreview.Webhook, err error) {
	u := actor(ctx)
	if u == nil {
		return nil, errUnauthenticated()
	}
	err = s.DB.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT w.id, w.owner_id, w.url, w.active, w.created_at,
			(SELECT COUNT(*) FROM webhook_outbox d WHERE d.webhook_id = w.id AND d.state = ?),
			(SELECT COUNT(*) FROM webhook_outbox d WHERE d.webhook_id = w.id AND d.state = ?),
			(SELECT COUNT(*) FROM webhook_outbox d WHERE d.webhook_id = w.id AND d.state = ?)
			FROM webhooks w WHERE w.owner_id = ? ORDER BY w.id`, DeliveryDelivered, DeliveryPending, DeliveryDead, u.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			w := new(csreview.Webhook)
			if err := rows.Scan(&w.ID, &w.OwnerID, &w.URL, &w.Active, tcol{&w.Created}, &w.Delivered, &w.Pending, &w.Dead); err != nil {
				return mapError(err)
			}
			list = append(list, w)
		}
		return mapError(rows.Err())
	})
	return list, err
}

// DeleteWebhook removes one of the caller's webhooks and its queue.
func (s *Store) DeleteWebhook(ctx context.Context, id int64) error {
	u := actor(ctx)
	if u == nil {
		return errUnauthenticated()
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		r, err := tx.exec(`DELETE FROM webhooks WHERE id = ? AND owner_id = ?`, id, u.ID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return errNotFound("webhook", id)
		}
		return tx.audit("delete", "webhook", id, nil, nil)
	})
}

// ClaimDeliveries takes up to n due deliveries for worker. On PostgreSQL
// several servers claim at once, each row locked by one and skipped by the
// others (FOR UPDATE SKIP LOCKED); SQLite has one writer. A claim is a
// lease: if the worker dies, the delivery is due again when it runs out.
func (db *DB) ClaimDeliveries(ctx context.Context, worker string, n int) ([]*csreview.Delivery, error) {
	var out []*csreview.Delivery
	err := db.write(ctx, func(tx *Tx) error {
		lock := ""
		if tx.db.Dialect == Postgres {
			lock = " FOR UPDATE OF d SKIP LOCKED"
		}
		now := formatTime(tx.now)
		rows, err := tx.query(`SELECT d.id, w.url, w.secret, d.event, d.payload, d.attempts FROM webhook_outbox d
			JOIN webhooks w ON w.id = d.webhook_id
			WHERE d.state = ? AND d.next_at <= ? AND d.claimed_until < ? AND w.active = ?
			ORDER BY d.next_at, d.id LIMIT ?`+lock, DeliveryPending, now, now, true, n)
		if err != nil {
			return err
		}
		for rows.Next() {
			d := new(csreview.Delivery)
			var payload string
			if err := rows.Scan(&d.ID, &d.URL, &d.Secret, &d.Event, &payload, &d.Attempts); err != nil {
				rows.Close()
				return mapError(err)
			}
			d.Payload = []byte(payload)
			out = append(out, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapError(err)
		}
		until := formatTime(tx.now.Add(deliveryLease))
		for _, d := range out {
			if _, err := tx.exec(`UPDATE webhook_outbox SET claimed_by = ?, claimed_until = ? WHERE id = ?`, worker, until, d.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// FinishDelivery records an attempt: delivered on a 2xx status, else
// retried after Backoff, or dead after MaxAttempts.
func (db *DB) FinishDelivery(ctx context.Context, worker string, id int64, status int, errText string) error {
	return db.write(ctx, func(tx *Tx) error {
		var attempts int
		var owner string
		if err := tx.queryRow(`SELECT attempts, claimed_by FROM webhook_outbox WHERE id = ?`, id).Scan(&attempts, &owner); err != nil {
			return mapError(err)
		}
		if owner != worker {
			return nil // the lease ran out and another server has it
		}
		attempts++
		switch {
		case status >= 200 && status < 300:
			_, err := tx.exec(`UPDATE webhook_outbox SET state = ?, attempts = ?, last_status = ?, last_error = '', delivered_at = ?,
				claimed_by = '', claimed_until = '' WHERE id = ?`, DeliveryDelivered, attempts, status, formatTime(tx.now), id)
			return err
		case attempts >= MaxAttempts:
			_, err := tx.exec(`UPDATE webhook_outbox SET state = ?, attempts = ?, last_status = ?, last_error = ?,
				claimed_by = '', claimed_until = '' WHERE id = ?`, DeliveryDead, attempts, status, errText, id)
			return err
		}
		_, err := tx.exec(`UPDATE webhook_outbox SET attempts = ?, last_status = ?, last_error = ?, next_at = ?,
			claimed_by = '', claimed_until = '' WHERE id = ?`, attempts, status, errText, formatTime(tx.now.Add(Backoff(attempts))), id)
		return err
	})
}
