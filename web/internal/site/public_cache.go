package site

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/indent"
	"github.com/csreview/csreview/tlog"
)

// publicCache keeps rendered public answers for the current tree: every
// public list and status changes only with a new leaf, so an answer is
// good until the tree grows. The tree size is looked up at most once per
// refresh interval (and at once after a publication here), so that polling
// mirrors and buyers cost a map lookup.
type publicCache struct {
	mu       sync.RWMutex
	size     int64 // tree size the answers were made for; -1 before any
	checked  time.Time
	answers  map[string]*CachedAnswer
	interval time.Duration
	now      func() time.Time
}

// CachedAnswer is a rendered public answer: its body, the ETag that names
// it, its content type and its Cache-Control.
type CachedAnswer struct {
	Body        []byte
	ETag        string
	ContentType string
	Cache       string
}

func newPublicCache(interval time.Duration) *publicCache {
	if interval == 0 {
		interval = time.Second
	}
	return &publicCache{size: -1, answers: map[string]*CachedAnswer{}, interval: interval, now: time.Now}
}

// off reports whether caching is turned off.
func (c *publicCache) off() bool { return c.interval < 0 }

// Invalidate forgets everything; the next request reads the tree again.
func (c *publicCache) Invalidate() {
	c.mu.Lock()
	c.size, c.answers, c.checked = -1, map[string]*CachedAnswer{}, time.Time{}
	c.mu.Unlock()
}

// TreeSize returns the log's size, reading it when the last look is older
// than the interval.
func (s *Server) TreeSize(ctx context.Context) (int64, error) {
	c := s.PubCache
	c.mu.RLock()
	size, fresh := c.size, c.now().Sub(c.checked) < c.interval
	c.mu.RUnlock()
	if fresh && size >= 0 {
		return size, nil
	}
	cp, err := s.Pub.Checkpoint(ctx)
	switch {
	case csreview.ErrorCode(err) == csreview.ENOTFOUND:
		cp = &tlog.Checkpoint{}
	case err != nil:
		return 0, err
	}
	c.mu.Lock()
	if cp.Size != c.size {
		c.answers = map[string]*CachedAnswer{}
	}
	c.size, c.checked = cp.Size, c.now()
	c.mu.Unlock()
	return cp.Size, nil
}

// Cached serves the answer for key, making it with make on a miss. The
// answer carries a strong ETag; a matching If-None-Match gets 304.
func (s *Server) Cached(w http.ResponseWriter, r *http.Request, key string, make func() (*CachedAnswer, error)) error {
	if _, err := s.TreeSize(r.Context()); err != nil {
		return err
	}
	c := s.PubCache
	c.mu.RLock()
	a := c.answers[key]
	c.mu.RUnlock()
	if a == nil && c.off() {
		var err error
		if a, err = make(); err != nil {
			return err
		}
		sum := sha256.Sum256(a.Body)
		a.ETag = `"` + hex.EncodeToString(sum[:12]) + `"`
	} else if a == nil {
		var err error
		if a, err = make(); err != nil {
			return err
		}
		sum := sha256.Sum256(a.Body)
		a.ETag = `"` + hex.EncodeToString(sum[:12]) + `"`
		c.mu.Lock()
		if len(c.answers) > 10000 { // bound memory under a spray of queries
			c.answers = map[string]*CachedAnswer{}
		}
		c.answers[key] = a
		c.mu.Unlock()
	}
	h := w.Header()
	h.Set("ETag", a.ETag)
	h.Set("Cache-Control", a.Cache)
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Vary", "Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatch(match, a.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", a.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(a.Body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(a.Body)
	}
	return nil
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// JSONAnswer renders v as indented JSON with the given Cache-Control.
func JSONAnswer(v any, cache string) (*CachedAnswer, error) {
	b, err := indent.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &CachedAnswer{Body: append(b, '\n'), ContentType: "application/json", Cache: cache}, nil
}

const (
	CacheLists = "public, max-age=60"
	CacheFresh = "public, no-cache" // revalidate every time; the ETag makes it cheap
)
