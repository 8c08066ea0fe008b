package csreview

// Page is the window of a list: at most Limit items after Offset.
type Page struct {
	Limit  int
	Offset int
}

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Normalize bounds the page to sensible values.
func (p Page) Normalize() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	if p.Limit > MaxLimit {
		p.Limit = MaxLimit
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}
