package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/review"
)

var cases = &table[csreview.Case]{
	name:   "cases",
	entity: "case",
	id:     func(c *csreview.Case) *int64 { return &c.ID },
	columns: func(c *csreview.Case) []column {
		return []column{
			{"ref", &c.Ref},
			{"regime", &c.Regime},
			{"channel", &c.Channel},
			{"state", &c.State},
			{"return_state", &c.ReturnState},
			{"title", &c.Title},
			{"supplier_id", &c.SupplierID},
			{"operator_id", idcol{&c.OperatorID}},
			{"purchase", &c.Purchase},
			{"purchase_amount", &c.PurchaseAmount},
			{"filed_on", &c.FiledOn},
			{"filed_by", idcol{&c.FiledBy}},
			{"body_id", idcol{&c.BodyID}},
			{"report_submitted", &c.ReportSubmitted},
			{"outcome", &c.Outcome},
			{"parent_id", idcol{&c.ParentID}},
			{"created_at", tcol{&c.CreatedAt}},
			{"updated_at", tcol{&c.UpdatedAt}},
		}
	},
	stamps: func(c *csreview.Case) (x, y *time.Time) { return &c.CreatedAt, &c.UpdatedAt },
}

// beijing is the time zone of the working calendar.
var beijing = time.FixedZone("CST", 8*3600)

func (s *Store) rules() (*review.Rules, error) {
	if s.Rules != nil {
		return s.Rules, nil
	}
	return review.DefaultRules()
}

// caseSectorSQL is the sector of a case's operator, for regulators' scope.
const caseSectorSQL = "(SELECT o.sector FROM operators o WHERE o.id = cases.operator_id)"

// visibleCase loads a case and checks that the caller may see it.
func visibleCase(tx *Tx, id int64) (*csreview.Case, error) {
	c, err := cases.get(tx, id)
	if err != nil {
		return nil, err
	}
	var sector csreview.Sector
	if c.OperatorID != 0 {
		if sector, err = operatorSectorOf(tx, c.OperatorID); err != nil {
			return nil, err
		}
	}
	if !csreview.CanReadCase(tx.actor, c, sector) {
		return nil, errNotFound("case", id)
	}
	if c.VersionIDs, err = caseVersions(tx, id); err != nil {
		return nil, err
	}
	return c, nil
}

func caseVersions(tx *Tx, id int64) ([]int64, error) {
	return tx.ids(`SELECT version_id FROM case_versions WHERE case_id = ? ORDER BY version_id`, id)
}

// FindCaseByID returns a case the caller may see.
func (s *Store) FindCaseByID(ctx context.Context, id int64) (c *csreview.Case, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		c, err = visibleCase(tx, id)
		return err
	})
	return c, err
}

// FindCases lists the cases the caller may see, most recently changed first.
func (s *Store) FindCases(ctx context.Context, f csreview.CaseFilter) (list []*csreview.Case, total int, err error) {
	var w where
	w.scope(csreview.CaseScope(actor(ctx)), "supplier_id", "operator_id", "body_id", "filed_by", caseSectorSQL)
	w.search(f.Query, "ref", "title")
	if f.State != "" {
		w.add("state = ?", string(f.State))
	}
	if f.Regime != "" {
		w.add("regime = ?", f.Regime)
	}
	if f.Open {
		w.add("state NOT IN (?, ?)", string(csreview.StateDecided), string(csreview.StateNotRequired))
	}
	if f.Unpublished {
		w.add("state = ? AND outcome IN (?, ?) AND NOT EXISTS (SELECT 1 FROM list_entries le WHERE le.case_ref = cases.ref)",
			string(csreview.StateDecided), string(csreview.OutcomePass), string(csreview.OutcomeFail))
	}
	err = s.DB.read(ctx, func(tx *Tx) error {
		list, total, err = cases.list(tx, w, "updated_at DESC, id DESC", f.Page)
		return err
	})
	return list, total, err
}

// today is the working date of the transaction, in Beijing.
func (tx *Tx) today() csreview.Date { return csreview.DateOf(tx.now.In(beijing)) }

// CreateCase opens a case through one of its pack's channels, with the
// materials the channel requires (2021 Measures Art. 8). A channel the pack
// excludes is refused citing the article that excludes it.
func (s *Store) CreateCase(ctx context.Context, c *csreview.Case, files []csreview.FileUpload) error {
	u := actor(ctx)
	if u == nil {
		return errUnauthenticated()
	}
	rules, err := s.rules()
	if err != nil {
		return err
	}
	csreview.BindFiler(u, c)
	today := csreview.DateOf(s.DB.Now().In(beijing))
	office := csreview.CanRecordPastFiling(u)
	inForce := rules.InForceOn(today)
	// Who may, before what: a role that opens no channel of the pack in
	// force is refused before its filing is looked at.
	if !csreview.CanFileCase(u, inForce) {
		return csreview.KeyErrorf(csreview.EFORBIDDEN, "err.not_initiator",
			"Under the rules in force your role does not open reviews (2021 Measures Art. 5, 7, 16).")
	}
	var dv csreview.Invalid
	if !office {
		// The parties file today, under the rules in force today (2021
		// Measures Art. 23: in force from 15 February 2022); only the
		// office records earlier filings, and only it links a re-review.
		if c.Regime != "" && (inForce == nil || c.Regime != inForce.ID) {
			dv.Add("regime", "not_in_force")
		}
		if c.FiledOn != "" && c.FiledOn != today {
			dv.Add("filed_on", "not_allowed", string(today))
		}
		if c.ParentID != 0 {
			dv.Add("parent_id", "not_allowed")
		}
		c.FiledOn = today
		if inForce != nil {
			c.Regime = inForce.ID
		}
	} else if c.FiledOn != "" && c.FiledOn.Valid() && today.Before(c.FiledOn) {
		dv.Add("filed_on", "in_future")
	}
	if err := dv.Err(); err != nil {
		return err
	}
	if c.Regime == "" && c.FiledOn.Valid() {
		if p := rules.InForceOn(c.FiledOn); p != nil {
			c.Regime = p.ID
		}
	}
	if c.Regime == "" && c.FiledOn == "" {
		if p := rules.InForceOn(today); p != nil {
			c.Regime = p.ID
		}
	}
	if err := c.Validate(); err != nil {
		return err
	}
	p, err := rules.Pack(c.Regime)
	if err != nil {
		return err
	}
	ch, err := channelOf(p, c.Channel)
	if err != nil {
		return err
	}
	if !csreview.CanOpenChannel(u, ch.Initiator) {
		return errForbidden()
	}
	var v csreview.Invalid
	if (c.Channel == "operator_filing" || c.Channel == "platform_listing") && c.OperatorID == 0 {
		v.Add("operator_id", "required")
	}
	// A listing is about the operator's data and its listing, not about
	// product versions (2021 Measures Art. 7).
	if ch.Subject != "listing" && len(c.VersionIDs) == 0 {
		v.Add("version_ids", "required")
	}
	if missing := missingMaterials(ch, files); len(missing) > 0 {
		v.Add("materials", "missing", strings.Join(missing, ", "))
	}
	for _, f := range files {
		if len(f.Content) > csreview.MaxFileSize {
			v.Add("files", "too_large", fmt.Sprint(csreview.MaxFileSize))
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := checkFileKinds(p, files); err != nil {
		return err
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		if c.FiledOn == "" {
			c.FiledOn = tx.today()
		}
		if err := checkCaseParties(tx, c); err != nil {
			return err
		}
		if own := csreview.RegulatedSector(u); own != "" && c.OperatorID != 0 {
			// A regulator organises reviews in its own sector (2017 trial Art. 9).
			sector, err := operatorSectorOf(tx, c.OperatorID)
			if err != nil {
				return err
			}
			if sector != own {
				return invalid("operator_id", "other_sector")
			}
		}
		ref, err := nextCaseRef(tx, c.FiledOn)
		if err != nil {
			return err
		}
		// A review member units propose waits for the Central Commission's
		// approval and is not screened (2021 Measures Art. 16); a filing is
		// screened (Art. 9).
		opens := csreview.StateScreening
		if ch.Opens != "" {
			opens = ch.Opens
		}
		c.ID, c.Ref, c.State, c.Outcome, c.BodyID, c.ReportSubmitted, c.ReturnState = 0, ref, opens, "", 0, false, ""
		c.FiledBy, c.CreatedAt, c.UpdatedAt = u.ID, tx.now, tx.now
		if err := cases.insert(tx, c); err != nil {
			return err
		}
		for _, vid := range c.VersionIDs {
			if _, err := tx.exec(`INSERT INTO case_versions (case_id, version_id) VALUES (?, ?)`, c.ID, vid); err != nil {
				return err
			}
		}
		if err := attachFiles(tx, c.ID, 0, files); err != nil {
			return err
		}
		if err := linkFeedback(tx, c); err != nil {
			return err
		}
		if clk, ok := p.Clock("screening"); ok && opens == csreview.StateScreening {
			if err := startClock(tx, c.ID, clk, c.FiledOn); err != nil {
				return err
			}
		}
		return caseEvent(tx, c, "file", "", c.FiledOn, "", map[string]any{"channel": c.Channel, "files": fileNames(files)})
	})
}

// channelOf returns the pack's channel, or EINVALID citing why it is not
// allowed.
func channelOf(p *regime.Pack, id string) (regime.Channel, error) {
	if ch, ok := p.Channel(id); ok {
		return ch, nil
	}
	var v csreview.Invalid
	if ex, ok := p.Exclusion(id); ok {
		// The param names the pack and channel, so that each reader gets
		// the citation and the reason in their own language.
		v.Add("channel", "channel_excluded", p.ID+" "+id)
		e := v.Err().(*csreview.Error)
		e.Message = fmt.Sprintf("Channel %s is not allowed under %s: %s", id, p.Cite(ex.Article, "en"), ex.Reason.EN)
		for _, c := range p.Channels {
			e.Allowed = append(e.Allowed, c.ID)
		}
		return regime.Channel{}, e
	}
	v.Add("channel", "unknown")
	return regime.Channel{}, v.Err()
}

func missingMaterials(ch regime.Channel, files []csreview.FileUpload) []string {
	have := map[string]bool{}
	for _, f := range files {
		if len(f.Content) > 0 {
			have[f.Kind] = true
		}
	}
	var missing []string
	for _, m := range ch.Materials {
		if !have[m] {
			missing = append(missing, m)
		}
	}
	return missing
}

// checkCaseParties checks the supplier, operator, versions and parent.
func checkCaseParties(tx *Tx, c *csreview.Case) error {
	var v csreview.Invalid
	ok, err := suppliers.exists(tx, c.SupplierID)
	if err != nil {
		return err
	}
	if !ok {
		v.Add("supplier_id", "unknown")
	}
	if c.OperatorID != 0 {
		if ok, err = operators.exists(tx, c.OperatorID); err != nil {
			return err
		}
		if !ok {
			v.Add("operator_id", "unknown")
		}
	}
	for _, vid := range c.VersionIDs {
		var sid int64
		err := tx.queryRow(`SELECT p.supplier_id FROM product_versions v JOIN products p ON p.id = v.product_id WHERE v.id = ?`, vid).Scan(&sid)
		if err != nil || sid != c.SupplierID {
			v.Add("version_ids", "unknown", fmt.Sprint(vid))
		}
	}
	if c.ParentID != 0 {
		// A re-review reviews a pass again, of some of the same versions:
		// it cannot revoke an unrelated decision.
		parent, err := visibleCase(tx, c.ParentID)
		switch {
		case err != nil || parent.SupplierID != c.SupplierID:
			v.Add("parent_id", "unknown")
		case parent.State != csreview.StateDecided || parent.Outcome != csreview.OutcomePass:
			v.Add("parent_id", "not_a_pass")
		default:
			in := map[int64]bool{}
			for _, id := range parent.VersionIDs {
				in[id] = true
			}
			for _, id := range c.VersionIDs {
				if !in[id] {
					v.Add("version_ids", "not_in_parent", fmt.Sprint(id))
					break
				}
			}
		}
	}
	return v.Err()
}

// nextCaseRef allocates the next reference of the year: CSR-2026-0001.
func nextCaseRef(tx *Tx, on csreview.Date) (string, error) {
	year := on.Time().Year()
	var n int
	err := tx.queryRow(`INSERT INTO case_seq (year, n) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET n = case_seq.n + 1 RETURNING n`, year).Scan(&n)
	if err != nil {
		return "", mapError(err)
	}
	return fmt.Sprintf("CSR-%d-%04d", year, n), nil
}

// attachFiles stores files content-addressed: identical content is kept
// once, however often it is attached.
func attachFiles(tx *Tx, caseID, evidenceID int64, files []csreview.FileUpload) error {
	for _, f := range files {
		if len(f.Content) == 0 {
			continue
		}
		sum := sha256.Sum256(f.Content)
		h := hex.EncodeToString(sum[:])
		if _, err := tx.exec(`INSERT INTO blobs (sha256, size, content, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (sha256) DO NOTHING`, h, len(f.Content), f.Content, formatTime(tx.now)); err != nil {
			return err
		}
		name := strings.TrimSpace(f.Name)
		if name == "" {
			name = f.Kind
		}
		mt := f.MediaType
		if mt == "" {
			mt = "application/octet-stream"
		}
		if _, err := tx.exec(`INSERT INTO case_files (case_id, kind, evidence_id, name, media_type, sha256, size, uploaded_by, uploaded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, caseID, f.Kind, idcol{&evidenceID}, name, mt, h, len(f.Content),
			idcol{actorID(tx)}, formatTime(tx.now)); err != nil {
			return err
		}
	}
	return nil
}

func actorID(tx *Tx) *int64 {
	var id int64
	if tx.actor != nil {
		id = tx.actor.ID
	}
	return &id
}

func fileNames(files []csreview.FileUpload) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Kind+": "+f.Name)
	}
	return out
}

// caseEvent appends to the timeline and the audit log.
func caseEvent(tx *Tx, c *csreview.Case, action string, from csreview.CaseState, on csreview.Date, note string, data any) error {
	var dj *string
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			return err
		}
		s := string(b)
		dj = &s
	}
	name := "anonymous"
	if tx.actor != nil {
		name = tx.actor.Username
	}
	if _, err := tx.exec(`INSERT INTO case_events (case_id, at, on_date, actor_id, actor, action, from_state, to_state, note, data_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, formatTime(tx.now), string(on), idcol{actorID(tx)}, name, action,
		string(from), string(c.State), note, dj); err != nil {
		return err
	}
	return tx.audit(action, "case", c.ID, map[string]any{"state": from}, map[string]any{"state": c.State, "data": data})
}

// FindCaseEvents returns a case's timeline, oldest first.
func (s *Store) FindCaseEvents(ctx context.Context, id int64) ([]*csreview.CaseEvent, error) {
	var out []*csreview.CaseEvent
	err := s.DB.read(ctx, func(tx *Tx) error {
		if _, err := visibleCase(tx, id); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT id, case_id, at, on_date, actor_id, actor, action, from_state, to_state, note, data_json
			FROM case_events WHERE case_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := new(csreview.CaseEvent)
			var data nscol
			var d string
			data.p = &d
			if err := rows.Scan(&e.ID, &e.CaseID, tcol{&e.At}, &e.On, idcol{&e.ActorID}, &e.Actor, &e.Action, &e.From, &e.To, &e.Note, data); err != nil {
				return mapError(err)
			}
			if d != "" {
				e.Data = json.RawMessage(d)
			}
			out = append(out, e)
		}
		return mapError(rows.Err())
	})
	return out, err
}

// FindCaseClocks returns a case's clocks in the order they started.
func (s *Store) FindCaseClocks(ctx context.Context, id int64) ([]*csreview.CaseClock, error) {
	var out []*csreview.CaseClock
	err := s.DB.read(ctx, func(tx *Tx) error {
		if _, err := visibleCase(tx, id); err != nil {
			return err
		}
		var err error
		out, err = caseClocks(tx, id)
		return err
	})
	return out, err
}

func caseClocks(tx *Tx, id int64) ([]*csreview.CaseClock, error) {
	rows, err := tx.query(`SELECT case_id, clock, started_on, workdays, extended, paused_days, paused_since, stopped_on
		FROM case_clocks WHERE case_id = ? ORDER BY started_on, clock`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*csreview.CaseClock
	for rows.Next() {
		c := new(csreview.CaseClock)
		if err := rows.Scan(&c.CaseID, &c.Clock, &c.StartedOn, &c.Workdays, &c.Extended, &c.PausedDays, &c.PausedSince, &c.StoppedOn); err != nil {
			return nil, mapError(err)
		}
		out = append(out, c)
	}
	return out, mapError(rows.Err())
}

func startClock(tx *Tx, caseID int64, clk regime.Clock, on csreview.Date) error {
	_, err := tx.exec(`INSERT INTO case_clocks (case_id, clock, started_on, workdays) VALUES (?, ?, ?, ?)
		ON CONFLICT (case_id, clock) DO UPDATE SET started_on = excluded.started_on, workdays = excluded.workdays,
		extended = 0, paused_days = 0, paused_since = '', stopped_on = ''`, caseID, clk.ID, string(on), clk.Workdays)
	return err
}

func saveClock(tx *Tx, c *csreview.CaseClock) error {
	_, err := tx.exec(`UPDATE case_clocks SET extended = ?, paused_days = ?, paused_since = ?, stopped_on = ?
		WHERE case_id = ? AND clock = ?`, c.Extended, c.PausedDays, string(c.PausedSince), string(c.StoppedOn), c.CaseID, c.Clock)
	return err
}

// FindCaseOpinions returns the opinions, replies and conclusions of a case:
// confidential to the office, experts and member units, and the body that
// wrote them never sees the others'.
func (s *Store) FindCaseOpinions(ctx context.Context, id int64) ([]*csreview.Opinion, error) {
	var out []*csreview.Opinion
	// A write transaction: the read itself is recorded.
	err := s.DB.write(ctx, func(tx *Tx) error {
		if _, err := visibleCase(tx, id); err != nil {
			return err
		}
		if !csreview.CanReadOpinions(tx.actor) {
			return errForbidden()
		}
		rows, err := tx.query(`SELECT id, case_id, kind, author_id, author, org, position, text, created_at
			FROM opinions WHERE case_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			o := new(csreview.Opinion)
			if err := rows.Scan(&o.ID, &o.CaseID, &o.Kind, idcol{&o.AuthorID}, &o.Author, &o.Org, &o.Position, &o.Text, tcol{&o.CreatedAt}); err != nil {
				return mapError(err)
			}
			out = append(out, o)
		}
		if err := rows.Err(); err != nil {
			return mapError(err)
		}
		// Expert and member opinions are confidential: record the read.
		return tx.audit("read", "case_opinions", id, nil, nil)
	})
	return out, err
}

func addOpinion(tx *Tx, caseID int64, kind csreview.OpinionKind, position, text string, round int) error {
	u := tx.actor
	_, err := tx.exec(`INSERT INTO opinions (case_id, kind, author_id, author, org, position, text, round, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, caseID, string(kind), idcol{actorID(tx)}, u.Username, u.Org, position, text, round, formatTime(tx.now))
	return err
}

func opinionPositions(tx *Tx, caseID int64, kind csreview.OpinionKind) (map[string]string, error) {
	rows, err := tx.query(`SELECT author, position FROM opinions WHERE case_id = ? AND kind = ? ORDER BY id`, caseID, string(kind))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var a, p string
		if err := rows.Scan(&a, &p); err != nil {
			return nil, mapError(err)
		}
		out[a] = p // the latest reply of each author counts
	}
	return out, mapError(rows.Err())
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// FindCaseNotices returns the written notices of a case, oldest first.
func (s *Store) FindCaseNotices(ctx context.Context, id int64) ([]*csreview.Notice, error) {
	var out []*csreview.Notice
	err := s.DB.read(ctx, func(tx *Tx) error {
		if _, err := visibleCase(tx, id); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT id, case_id, kind, issued_on, data_json FROM notices WHERE case_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n := new(csreview.Notice)
			var data string
			if err := rows.Scan(&n.ID, &n.CaseID, &n.Kind, &n.IssuedOn, &data); err != nil {
				return mapError(err)
			}
			n.Data = json.RawMessage(data)
			out = append(out, n)
		}
		return mapError(rows.Err())
	})
	return out, err
}
