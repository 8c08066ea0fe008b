package sqlstore

import (
	"context"

	"github.com/csreview/csreview"
)

// CreateEvidence records evidence on a case in assessment: only an assessor
// of the body assigned to it, by a method of the case's pack, with findings
// on the pack's criteria; attachments are stored content-addressed. The
// evidence, its findings, files, timeline entry and audit record commit
// together.
func (s *Store) CreateEvidence(ctx context.Context, e *csreview.Evidence, files []csreview.FileUpload) error {
	u := actor(ctx)
	if u == nil {
		return errUnauthenticated()
	}
	rules, err := s.rules()
	if err != nil {
		return err
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		c, err := visibleCase(tx, e.CaseID)
		if err != nil {
			return err
		}
		if !csreview.CanRecordEvidence(u, c) {
			return errForbidden()
		}
		if err := e.Validate(); err != nil {
			return err
		}
		if c.State != csreview.StateAssessment || c.ReportSubmitted {
			e := csreview.KeyErrorf(csreview.ECONFLICT, "err.no_evidence_now", "Evidence is recorded during the assessment, before the report.")
			return e
		}
		p, err := rules.Pack(c.Regime)
		if err != nil {
			return err
		}
		var v csreview.Invalid
		known := false
		for _, m := range p.Methods {
			known = known || m.ID == e.Method
		}
		if !known {
			v.Add("method", "unknown")
		}
		for _, f := range e.Findings {
			if _, ok := p.Criterion(f.Criterion); !ok {
				v.Add("findings.criterion", "unknown", f.Criterion)
			}
		}
		for _, f := range files {
			if len(f.Content) > csreview.MaxFileSize {
				v.Add("files", "too_large", "20 MiB")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		e.BodyID, e.AuthorID, e.CreatedAt = c.BodyID, u.ID, tx.now
		if err := tx.queryRow(`INSERT INTO evidence (case_id, method, summary, body_id, author_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, e.CaseID, e.Method, e.Summary, e.BodyID, e.AuthorID,
			formatTime(tx.now)).Scan(&e.ID); err != nil {
			return mapError(err)
		}
		for _, f := range e.Findings {
			f.EvidenceID = e.ID
			if err := tx.queryRow(`INSERT INTO findings (case_id, evidence_id, criterion, risk, text, created_at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, e.CaseID, e.ID, f.Criterion, f.Risk, f.Text,
				formatTime(tx.now)).Scan(&f.ID); err != nil {
				return mapError(err)
			}
		}
		for i := range files {
			files[i].Kind = "evidence"
		}
		if err := attachFiles(tx, e.CaseID, e.ID, files); err != nil {
			return err
		}
		// Lab results are confidential: the timeline says only that evidence
		// was recorded, and by which method.
		return caseEvent(tx, c, "evidence", c.State, tx.today(), "", map[string]any{"method": e.Method})
	})
}

// FindEvidence returns a case's evidence with findings and files: lab
// results are confidential, so only the office, the assigned body, the
// experts and the member units read them, and every read is recorded.
func (s *Store) FindEvidence(ctx context.Context, caseID int64) ([]*csreview.Evidence, error) {
	var out []*csreview.Evidence
	err := s.DB.write(ctx, func(tx *Tx) error {
		c, err := visibleCase(tx, caseID)
		if err != nil {
			return err
		}
		u := tx.actor
		if !csreview.CanReadEvidence(u, c) {
			return errForbidden()
		}
		rows, err := tx.query(`SELECT id, case_id, method, summary, summary_en, body_id, author_id, created_at FROM evidence WHERE case_id = ? ORDER BY id`, caseID)
		if err != nil {
			return err
		}
		byID := map[int64]*csreview.Evidence{}
		for rows.Next() {
			e := &csreview.Evidence{Findings: []*csreview.Finding{}}
			if err := rows.Scan(&e.ID, &e.CaseID, &e.Method, &e.Summary, &e.SummaryEN, idcol{&e.BodyID}, idcol{&e.AuthorID}, tcol{&e.CreatedAt}); err != nil {
				rows.Close()
				return mapError(err)
			}
			out = append(out, e)
			byID[e.ID] = e
		}
		rows.Close()
		frows, err := tx.query(`SELECT id, evidence_id, criterion, risk, text, text_en FROM findings WHERE case_id = ? ORDER BY id`, caseID)
		if err != nil {
			return err
		}
		for frows.Next() {
			f := new(csreview.Finding)
			if err := frows.Scan(&f.ID, idcol{&f.EvidenceID}, &f.Criterion, &f.Risk, &f.Text, &f.TextEN); err != nil {
				frows.Close()
				return mapError(err)
			}
			if e := byID[f.EvidenceID]; e != nil {
				e.Findings = append(e.Findings, f)
			}
		}
		frows.Close()
		files, err := caseFiles(tx, caseID)
		if err != nil {
			return err
		}
		for _, f := range files {
			if e := byID[f.EvidenceID]; e != nil {
				e.Files = append(e.Files, f)
			}
		}
		return tx.audit("read", "case_evidence", caseID, nil, nil)
	})
	return out, err
}

func caseFiles(tx *Tx, caseID int64) ([]*csreview.CaseFile, error) {
	rows, err := tx.query(`SELECT id, kind, name, media_type, sha256, size, evidence_id FROM case_files WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*csreview.CaseFile
	for rows.Next() {
		f := new(csreview.CaseFile)
		if err := rows.Scan(&f.ID, &f.Kind, &f.Name, &f.MediaType, &f.SHA256, &f.Size, idcol{&f.EvidenceID}); err != nil {
			return nil, mapError(err)
		}
		out = append(out, f)
	}
	return out, mapError(rows.Err())
}

// FindSupplierRecord returns the record of the supplier of a case, for
// those who deliberate on it (the office, experts, member units); it is
// confidential and each read is recorded.
func (s *Store) FindSupplierRecord(ctx context.Context, caseID int64) (*csreview.SupplierRecord, error) {
	var rec csreview.SupplierRecord
	err := s.DB.write(ctx, func(tx *Tx) error {
		c, err := visibleCase(tx, caseID)
		if err != nil {
			return err
		}
		if !csreview.CanSeeSupplierRecord(tx.actor) {
			return errForbidden()
		}
		if rec.Supplier, err = suppliers.get(tx, c.SupplierID); err != nil {
			return err
		}
		var w where
		w.add("supplier_id = ?", c.SupplierID)
		w.add("id <> ?", c.ID)
		if rec.Earlier, _, err = cases.list(tx, w, "filed_on DESC, id DESC", csreview.Page{Limit: 100}); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT f.id, f.evidence_id, f.criterion, f.risk, f.text, c.id, c.ref, e.method
			FROM findings f JOIN evidence e ON e.id = f.evidence_id JOIN cases c ON c.id = f.case_id
			WHERE c.supplier_id = ? AND e.method IN ('background_investigation', 'enterprise_commitment')
			ORDER BY f.id DESC LIMIT 200`, c.SupplierID)
		if err != nil {
			return err
		}
		defer rows.Close()
		rec.Findings = []*csreview.RecordFinding{}
		for rows.Next() {
			f := new(csreview.RecordFinding)
			if err := rows.Scan(&f.ID, idcol{&f.EvidenceID}, &f.Criterion, &f.Risk, &f.Text, &f.CaseID, &f.CaseRef, &f.Method); err != nil {
				return mapError(err)
			}
			rec.Findings = append(rec.Findings, f)
		}
		if err := rows.Err(); err != nil {
			return mapError(err)
		}
		return tx.audit("read", "supplier_record", c.SupplierID, nil, map[string]any{"case_id": c.ID})
	})
	return &rec, err
}
