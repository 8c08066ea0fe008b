// Package webhook delivers monitoring alerts to the webhooks parties
// register: it claims due deliveries from the store's outbox, POSTs each
// signed with HMAC-SHA256, and records the outcome, which schedules the
// retries (at least once, with exponential backoff).
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/csreview/csreview"
)

// Headers of a delivery.
const (
	// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256 of
	// "<t>.<body>" under the webhook's secret>".
	SignatureHeader = "X-Csreview-Signature"
	EventHeader     = "X-Csreview-Event"
	// DeliveryHeader is the delivery's ID: the same on every retry, so a
	// receiver can drop a repeat.
	DeliveryHeader = "X-Csreview-Delivery"
)

// Sign returns the signature header value for body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signature header against body, refusing one older than
// tolerance (a replay) — what a receiver should do.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return errors.New("webhook: malformed signature header")
	}
	if d := now.Sub(time.Unix(n, 0)); d > tolerance || d < -tolerance {
		return errors.New("webhook: signature timestamp outside tolerance")
	}
	if !hmac.Equal([]byte(sig), []byte(mac(secret, ts, body))) {
		return errors.New("webhook: signature mismatch")
	}
	return nil
}

// Sender delivers the outbox.
type Sender struct {
	Outbox csreview.Outbox
	Client *http.Client
	// Worker names this server in claims.
	Worker string
	Log    *slog.Logger
	// Batch is how many deliveries one round claims (default 20).
	Batch int
	// Every is the pause between rounds when nothing is due (default 1 s).
	Every time.Duration
	Now   func() time.Time
}

func (s *Sender) defaults() {
	if s.Client == nil {
		s.Client = &http.Client{Timeout: 15 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if s.Batch <= 0 {
		s.Batch = 20
	}
	if s.Every <= 0 {
		s.Every = time.Second
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Log == nil {
		s.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
}

// Run delivers until ctx ends.
func (s *Sender) Run(ctx context.Context) {
	s.defaults()
	for {
		n, err := s.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			s.Log.Error("webhook deliveries", "err", err)
		}
		if n > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.Every):
		}
	}
}

// RunOnce claims one batch of due deliveries and attempts each; it returns
// how many it attempted.
func (s *Sender) RunOnce(ctx context.Context) (int, error) {
	s.defaults()
	list, err := s.Outbox.ClaimDeliveries(ctx, s.Worker, s.Batch)
	if err != nil {
		return 0, err
	}
	for _, d := range list {
		status, errText := s.send(ctx, d)
		if errText != "" {
			s.Log.Warn("webhook delivery failed", "delivery", d.ID, "attempt", d.Attempts+1, "status", status, "err", errText)
		}
		if err := s.Outbox.FinishDelivery(ctx, s.Worker, d.ID, status, errText); err != nil {
			return len(list), err
		}
	}
	return len(list), nil
}

func (s *Sender) send(ctx context.Context, d *csreview.Delivery) (int, string) {
	rctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, "POST", d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "csreview-webhook/1")
	req.Header.Set(EventHeader, d.Event)
	req.Header.Set(DeliveryHeader, strconv.FormatInt(d.ID, 10))
	req.Header.Set(SignatureHeader, Sign(d.Secret, s.Now(), d.Payload))
	resp, err := s.Client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Sprintf("receiver answered %s", resp.Status)
	}
	return resp.StatusCode, ""
}
