package review

import (
	"sync"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

// Rules are the regime packs and the working-day calendar a server runs on.
type Rules struct {
	List  []*regime.Pack
	Packs map[string]*regime.Pack
	Cal   *regime.Calendar
}

// LoadRules loads the shipped packs and calendar, the calendar extended by
// calendarFile if it is not empty.
func LoadRules(calendarFile string) (*Rules, error) {
	list, err := regime.Packs()
	if err != nil {
		return nil, err
	}
	cal, err := regime.DefaultCalendar()
	if err != nil {
		return nil, err
	}
	if calendarFile != "" {
		if err := cal.Extend(calendarFile); err != nil {
			return nil, err
		}
	}
	r := &Rules{List: list, Packs: map[string]*regime.Pack{}, Cal: cal}
	for _, p := range list {
		r.Packs[p.ID] = p
	}
	return r, nil
}

// DefaultRules are the shipped rules, loaded once.
var DefaultRules = sync.OnceValues(func() (*Rules, error) { return LoadRules("") })

// Pack returns a pack by ID, or EINVALID naming the field.
func (r *Rules) Pack(id string) (*regime.Pack, error) {
	if p, ok := r.Packs[id]; ok {
		return p, nil
	}
	var v csreview.Invalid
	v.Add("regime", "unknown")
	return nil, v.Err()
}

// InForceOn is the pack that governed on day d.
func (r *Rules) InForceOn(d csreview.Date) *regime.Pack { return regime.InForceOn(r.List, d) }
