package site

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/indent"
)

// ArchiveManifest is manifest.json of a case archive: what the archive
// holds, each file with its SHA-256, who exported it and when, and until
// when it is to be kept.
type ArchiveManifest struct {
	Case           string          `json:"case"` // the case's reference
	CaseID         int64           `json:"case_id"`
	Regime         string          `json:"regime"`
	ClosedOn       csreview.Date   `json:"closed_on"`
	RetentionYears int             `json:"retention_years"`
	RetainUntil    csreview.Date   `json:"retain_until"`
	ExportedAt     time.Time       `json:"exported_at"`
	ExportedBy     string          `json:"exported_by"`
	Files          []ArchiveMember `json:"files"`
}

// ArchiveMember is one file of an archive.
type ArchiveMember struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
}

// ServeCaseArchive answers GET …/cases/{id}/archive with the closed case
// as one zip: case.json (the case, its clocks, timeline and subject), its
// notices, opinions, evidence with findings, analysis reports, the lab's
// triage of the findings, every
// material, the audit trail of the case and its files, and manifest.json
// with the SHA-256 of each. Every confidential part is read through the
// services, so each read is recorded; the export is recorded with the
// manifest's SHA-256, against which the archive can be checked later.
func (s *Server) ServeCaseArchive(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	u := csreview.UserFromContext(ctx)
	v, err := s.CaseView(r, id)
	if err != nil {
		return err
	}
	c := v.Case
	// Who may export is asked of the case as if closed, so that a caller
	// who may never export hears 403, and one who may hears why not yet.
	closed := *c
	closed.State = csreview.StateDecided
	if !csreview.CanExportCase(u, &closed) {
		return csreview.KeyErrorf(csreview.EFORBIDDEN, "err.forbidden", "You are not allowed to do this.")
	}
	if !c.State.Closed() {
		return csreview.KeyErrorf(csreview.ECONFLICT, "err.archive_open", "A case is archived once it is closed.")
	}
	type part struct {
		name string
		body []byte
	}
	var parts []part
	addJSON := func(name string, x any) error {
		b, err := indent.Marshal(x)
		if err != nil {
			return err
		}
		parts = append(parts, part{name, b})
		return nil
	}
	if err := addJSON("case.json", v); err != nil {
		return err
	}
	notices, err := s.Cases.FindCaseNotices(ctx, id)
	if err != nil {
		return err
	}
	if err := addJSON("notices.json", notices); err != nil {
		return err
	}
	opinions, err := s.Cases.FindCaseOpinions(ctx, id)
	if err != nil {
		return err
	}
	if err := addJSON("opinions.json", opinions); err != nil {
		return err
	}
	evidence, err := s.Cases.FindEvidence(ctx, id)
	if err != nil {
		return err
	}
	if err := addJSON("evidence.json", evidence); err != nil {
		return err
	}
	jobs, err := s.Cases.FindAnalysisJobs(ctx, id)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if j.State != csreview.JobDone {
			continue
		}
		rep, err := s.Cases.AnalysisReport(ctx, id, j.ID)
		if err != nil {
			return err
		}
		parts = append(parts, part{fmt.Sprintf("analysis/%d-report.json", j.ID), rep})
	}
	triage, err := s.Cases.FindTriage(ctx, id)
	if err != nil {
		return err
	}
	// The triage with its history: every change of every finding.
	history := map[string][]*csreview.Triage{}
	for key := range triage {
		if history[key], err = s.Cases.TriageHistory(ctx, id, key); err != nil {
			return err
		}
	}
	if err := addJSON("triage.json", history); err != nil {
		return err
	}
	mats, err := s.Cases.FindCaseMaterials(ctx, id)
	if err != nil {
		return err
	}
	if err := addJSON("materials.json", mats); err != nil {
		return err
	}
	for _, m := range mats {
		_, content, err := s.Cases.ReadCaseFile(ctx, id, m.ID)
		if err != nil {
			return err
		}
		parts = append(parts, part{fmt.Sprintf("materials/%d-%s", m.ID, archiveName(m.Name)), content})
	}
	// The audit trail, read last so that it holds the reads above: every
	// record of the case, its evidence, opinions, triage, earlier exports,
	// its files and analysis reports, every page of each. The supplier's
	// record is read under the supplier, for this case among others.
	type ent struct {
		entity string
		id     int64
	}
	ents := []ent{{"case", id}, {"case_evidence", id}, {"case_opinions", id}, {"finding_triage", id}, {"case_archive", id}}
	for _, m := range mats {
		ents = append(ents, ent{"case_file", m.ID})
	}
	for _, j := range jobs {
		ents = append(ents, ent{"analysis_report", j.ID})
	}
	var trail []*csreview.AuditRecord
	for _, e := range ents {
		recs, err := s.auditRecords(ctx, csreview.AuditFilter{Entity: e.entity, EntityID: e.id})
		if err != nil {
			return err
		}
		trail = append(trail, recs...)
	}
	recs, err := s.auditRecords(ctx, csreview.AuditFilter{Entity: "supplier_record", EntityID: c.SupplierID})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		var after struct {
			CaseID int64 `json:"case_id"`
		}
		if json.Unmarshal(rec.After, &after) == nil && after.CaseID == id {
			trail = append(trail, rec)
		}
	}
	if err := addJSON("audit.json", trail); err != nil {
		return err
	}

	closedOn := c.FiledOn
	for _, ev := range v.Events {
		if ev.To.Closed() {
			closedOn = ev.On
		}
	}
	years := s.cfg.RetentionYears
	if years <= 0 {
		years = DefaultRetentionYears
	}
	man := ArchiveManifest{Case: c.Ref, CaseID: c.ID, Regime: c.Regime, ClosedOn: closedOn, RetentionYears: years,
		RetainUntil: csreview.DateOf(closedOn.Time().AddDate(years, 0, 0)), ExportedAt: s.Now().UTC(), ExportedBy: u.Username}
	for _, p := range parts {
		sum := sha256.Sum256(p.body)
		man.Files = append(man.Files, ArchiveMember{Path: p.name, SHA256: hex.EncodeToString(sum[:]), Size: len(p.body)})
	}
	mb, err := indent.Marshal(man)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(mb)
	if err := s.Cases.RecordCaseExport(ctx, id, hex.EncodeToString(sum[:])); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-archive.zip"`, c.Ref))
	h.Set("Cache-Control", "no-store")
	zw := zip.NewWriter(w)
	for _, p := range append([]part{{"manifest.json", mb}}, parts...) {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: c.Ref + "/" + p.name, Method: zip.Deflate, Modified: man.ExportedAt})
		if err != nil {
			return err
		}
		if _, err := f.Write(p.body); err != nil {
			return err
		}
	}
	return zw.Close()
}

// auditRecords are every record f selects, read a page at a time.
func (s *Server) auditRecords(ctx context.Context, f csreview.AuditFilter) ([]*csreview.AuditRecord, error) {
	var out []*csreview.AuditRecord
	for off := 0; ; off += csreview.MaxLimit {
		f.Page = csreview.Page{Limit: csreview.MaxLimit, Offset: off}
		recs, total, err := s.Accounts.FindAuditRecords(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
		if len(recs) == 0 || off+len(recs) >= total {
			return out, nil
		}
	}
}

// archiveName keeps a file's name inside its folder of the archive.
func archiveName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == ".." {
		return "file"
	}
	return name
}
