package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/sbom"
)

// checkAnalysisFiles refuses at upload what the analysis could not read:
// a file of another kind, an empty or oversized one, one that is not an
// SBOM or not a VEX document — so that the uploader hears of it at once,
// naming the file, rather than from a failed analysis later.
func checkAnalysisFiles(files []csreview.FileUpload) error {
	var v csreview.Invalid
	if len(files) == 0 {
		v.Add("files", "required")
	}
	for i, f := range files {
		field := fmt.Sprintf("files[%d]", i)
		if onKind, rule, param := inputFileProblem(f); rule != "" {
			if onKind {
				field += ".kind"
			}
			v.Add(field, rule, param)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	for i, f := range files {
		if _, err := parseInputFile(f); err != nil {
			return csreview.Errorf(csreview.EINVALID, "files[%d] (%s): %s", i, f.Name, csreview.ErrorMessage(err))
		}
	}
	return nil
}

// inputFileProblem is what is wrong with an attached SBOM or VEX document
// before it is read: the rule it breaks ("" for none), and whether the
// rule is about its kind rather than its content.
func inputFileProblem(f csreview.FileUpload) (onKind bool, rule, param string) {
	switch {
	case f.Kind != FileSBOM && f.Kind != FileVEX:
		return true, "not_allowed", "sbom, vex"
	case len(f.Content) == 0:
		return false, "required", ""
	case len(f.Content) > csreview.MaxFileSize:
		return false, "too_large", "20 MiB"
	}
	return false, "", ""
}

// parseInputFile reads an attached SBOM, returning it, or VEX document.
func parseInputFile(f csreview.FileUpload) (*sbom.Document, error) {
	if f.Kind == FileSBOM {
		return sbom.Parse(bytesReader(f.Content), sbom.Limits{})
	}
	_, err := assess.ParseVEX(f.Content, f.Name)
	return nil, err
}

// File kinds of the analysis inputs attached to a case.
const (
	FileSBOM = "sbom"
	FileVEX  = "vex"
)

// MethodAutomated is the evidence method of the automated analysis's
// findings: they rest on the SBOM and VEX the supplier or the assessor gave.
const MethodAutomated = "automated_analysis"

// AttachAnalysisInputs attaches SBOMs (kind "sbom") and VEX documents (kind
// "vex") to an open case and queues its analysis. The supplier of the case,
// the assessors of the body assigned to it, and the office may attach.
func (s *Store) AttachAnalysisInputs(ctx context.Context, caseID int64, files []csreview.FileUpload) (*csreview.AnalysisJob, error) {
	// Who may, before what: the caller is checked first, then the files
	// are read — outside the write transaction, since a large SBOM takes
	// a moment — then the caller again as the files are stored.
	mayAttach := func(tx *Tx) (*csreview.Case, error) {
		c, err := visibleCase(tx, caseID)
		if err != nil {
			return nil, err
		}
		u := tx.actor
		if !csreview.CanAttachAnalysisInputs(u, c) {
			return nil, errForbidden()
		}
		return c, nil
	}
	if err := s.DB.read(ctx, func(tx *Tx) error { _, err := mayAttach(tx); return err }); err != nil {
		return nil, err
	}
	if err := checkAnalysisFiles(files); err != nil {
		return nil, err
	}
	var job *csreview.AnalysisJob
	err := s.DB.write(ctx, func(tx *Tx) error {
		c, err := mayAttach(tx)
		if err != nil {
			return err
		}
		if !csreview.AnalysisOpen(c) {
			return csreview.KeyErrorf(csreview.ECONFLICT, "err.analysis_closed", "SBOMs are attached during screening and assessment, before the report.")
		}
		for _, f := range files {
			if f.Kind == FileVEX && !csreview.CanStateVEX(tx.actor, c) {
				return csreview.KeyErrorp(csreview.EFORBIDDEN, "err.vex_not_supplier", []string{"name", f.Name},
					"%s: a VEX document is the supplier's statement on its product; only the supplier, or the office on its behalf, attaches one.", f.Name)
			}
		}
		if err := attachFiles(tx, caseID, 0, files); err != nil {
			return err
		}
		if job, err = enqueueJob(tx, caseID, "upload"); err != nil {
			return err
		}
		return caseEvent(tx, c, "attach_sbom", c.State, tx.today(), "", map[string]any{"files": fileNames(files), "job": job.ID})
	})
	return job, err
}

// enqueueJob queues an analysis of a case unless one is already queued.
func enqueueJob(tx *Tx, caseID int64, reason string) (*csreview.AnalysisJob, error) {
	j := &csreview.AnalysisJob{CaseID: caseID, State: csreview.JobQueued, Reason: reason, CreatedAt: tx.now}
	err := tx.queryRow(`SELECT id FROM analysis_jobs WHERE case_id = ? AND state = ?`, caseID, csreview.JobQueued).Scan(&j.ID)
	if err == nil {
		return j, nil
	}
	if err := tx.queryRow(`INSERT INTO analysis_jobs (case_id, state, reason, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		caseID, j.State, reason, formatTime(tx.now)).Scan(&j.ID); err != nil {
		return nil, mapError(err)
	}
	return j, nil
}

// EnqueueReanalysis queues an analysis of every open case that has an SBOM,
// as when new advisories arrive; it returns how many were queued.
func (s *Store) EnqueueReanalysis(ctx context.Context, reason string) (int, error) {
	if !csreview.CanImportAdvisories(actor(ctx)) {
		return 0, forbidOrUnauth(ctx)
	}
	n := 0
	err := s.DB.write(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT DISTINCT c.id FROM cases c JOIN case_files f ON f.case_id = c.id
			WHERE f.kind = ? AND c.state NOT IN (?, ?) ORDER BY c.id`, FileSBOM, string(csreview.StateDecided), string(csreview.StateNotRequired))
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return mapError(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			if _, err := enqueueJob(tx, id, reason); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// jobLease is how long a claimed job may run before another server takes it
// over (its server died).
const jobLease = 10 * time.Minute

// ClaimJob takes the oldest queued job (or one whose server's lease ran out)
// for worker. On PostgreSQL several servers claim concurrently, each row
// locked by one and skipped by the others (FOR UPDATE SKIP LOCKED); SQLite
// has one writer, so the same statement without the clause suffices.
func (s *Store) ClaimJob(ctx context.Context, worker string) (*csreview.AnalysisJob, error) {
	var job *csreview.AnalysisJob
	err := s.DB.write(ctx, func(tx *Tx) error {
		lock := ""
		if tx.db.Dialect == Postgres {
			lock = " FOR UPDATE SKIP LOCKED"
		}
		stale := formatTime(tx.now.Add(-jobLease))
		var id int64
		err := tx.queryRow(`SELECT id FROM analysis_jobs WHERE state = ? OR (state = ? AND claimed_at < ?)
			ORDER BY id LIMIT 1`+lock, csreview.JobQueued, csreview.JobRunning, stale).Scan(&id)
		if err != nil {
			if csreview.ErrorCode(mapError(err)) == csreview.ENOTFOUND {
				return nil
			}
			return mapError(err)
		}
		if _, err := tx.exec(`UPDATE analysis_jobs SET state = ?, claimed_by = ?, claimed_at = ?, progress = 0 WHERE id = ?`,
			csreview.JobRunning, worker, formatTime(tx.now), id); err != nil {
			return err
		}
		job, err = jobByID(tx, id)
		return err
	})
	return job, err
}

func jobByID(tx *Tx, id int64) (*csreview.AnalysisJob, error) {
	j := new(csreview.AnalysisJob)
	err := tx.queryRow(`SELECT id, case_id, state, reason, progress, total, error, findings, highest, created_at, finished_at
		FROM analysis_jobs WHERE id = ?`, id).Scan(&j.ID, &j.CaseID, &j.State, &j.Reason, &j.Progress, &j.Total, &j.Error,
		&j.Findings, &j.Highest, tcol{&j.CreatedAt}, ntcol{&j.FinishedAt})
	return j, mapError(err)
}

// LoadJobInput reads a job's case and attached files (system use).
func (s *Store) LoadJobInput(ctx context.Context, job *csreview.AnalysisJob) (*csreview.JobInput, error) {
	in := &csreview.JobInput{}
	err := s.DB.read(ctx, func(tx *Tx) error {
		c, err := cases.get(tx, job.CaseID)
		if err != nil {
			return err
		}
		in.Case = c
		// A VEX is the supplier's statement: only one that its author could
		// state counts (csreview.CanStateVEX), which attaching checks; one
		// stored before that check, by anyone else, is left out here.
		rows, err := tx.query(`SELECT f.kind, f.name, f.media_type, f.sha256, b.content, COALESCE(u.role, ''), u.supplier_id
			FROM case_files f JOIN blobs b ON b.sha256 = f.sha256 LEFT JOIN users u ON u.id = f.uploaded_by
			WHERE f.case_id = ? AND f.kind IN (?, ?) ORDER BY f.id`, job.CaseID, FileSBOM, FileVEX)
		if err != nil {
			return err
		}
		defer rows.Close()
		type file struct {
			csreview.FileUpload
			sha string
		}
		var files []file
		for rows.Next() {
			var f file
			author := &csreview.User{}
			if err := rows.Scan(&f.Kind, &f.Name, &f.MediaType, &f.sha, &f.Content, &author.Role, idcol{&author.SupplierID}); err != nil {
				return mapError(err)
			}
			if f.Kind == FileVEX && !csreview.CanStateVEX(author, in.Case) {
				continue
			}
			files = append(files, f)
		}
		if err := rows.Err(); err != nil {
			return mapError(err)
		}
		// A file attached again under the same name replaces the earlier
		// one in the analysis (both stay in the case file), and the same
		// content attached twice is analysed once: an assessor re-sending
		// a corrected SBOM, or the same one, must not see its findings
		// twice.
		latest := map[[2]string]int{}
		for i, f := range files {
			latest[[2]string{f.Kind, f.Name}] = i
		}
		seen := map[[2]string]bool{}
		for i, f := range files {
			if latest[[2]string{f.Kind, f.Name}] != i || seen[[2]string{f.Kind, f.sha}] {
				continue
			}
			seen[[2]string{f.Kind, f.sha}] = true
			if f.Kind == FileSBOM {
				in.SBOMs = append(in.SBOMs, f.FileUpload)
			} else {
				in.VEX = append(in.VEX, f.FileUpload)
			}
		}
		return nil
	})
	return in, err
}

// SetJobProgress records how far a running job has got.
func (s *Store) SetJobProgress(ctx context.Context, id int64, progress, total int) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE analysis_jobs SET progress = ?, total = ? WHERE id = ? AND state = ?`, progress, total, id, csreview.JobRunning)
		return err
	})
}

// FinishJob records a job's outcome: on success the report, and the
// findings as the case's automated-analysis evidence, replacing the
// previous analysis's; on failure the error. All in one transaction.
func (s *Store) FinishJob(ctx context.Context, id int64, report []byte, summary csreview.Text, findings []csreview.AutoFinding, highest csreview.Severity, failure error) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		job, err := jobByID(tx, id)
		if err != nil {
			return err
		}
		if failure != nil {
			msg := failure.Error()
			if e := csreview.AsError(failure); e != nil {
				msg = e.Error()
			}
			_, err := tx.exec(`UPDATE analysis_jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?`,
				csreview.JobFailed, clipText(msg, 2000), formatTime(tx.now), id)
			return err
		}
		if _, err := tx.exec(`UPDATE analysis_jobs SET state = ?, report = ?, findings = ?, highest = ?, progress = total, finished_at = ?
			WHERE id = ?`, csreview.JobDone, string(report), len(findings), string(highest), formatTime(tx.now), id); err != nil {
			return err
		}
		c, err := cases.get(tx, job.CaseID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM evidence WHERE case_id = ? AND method = ?`, c.ID, MethodAutomated); err != nil {
			return err
		}
		var evID int64
		if err := tx.queryRow(`INSERT INTO evidence (case_id, method, summary, summary_en, body_id, author_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, MethodAutomated, summary.ZH, summary.EN, idcol{&c.BodyID}, idcol{actorID(tx)},
			formatTime(tx.now)).Scan(&evID); err != nil {
			return mapError(err)
		}
		for _, f := range findings {
			if _, err := tx.exec(`INSERT INTO findings (case_id, evidence_id, criterion, risk, text, text_en, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				c.ID, evID, f.Criterion, f.Risk, clipText(f.Text, 4000), clipText(f.TextEN, 4000), formatTime(tx.now)); err != nil {
				return err
			}
		}
		// What the analysis found is confidential (unfixed vulnerabilities);
		// the timeline records only that it ran.
		return caseEvent(tx, c, "analysis", c.State, tx.today(), "", map[string]any{"job": id})
	})
}

// FindAnalysisJobs returns a case's analysis jobs, newest first. Their
// counts and highest severity describe unfixed vulnerabilities, so only
// those who may read the case's evidence (or uploaded it, the supplier)
// see them; others see the jobs' progress only.
func (s *Store) FindAnalysisJobs(ctx context.Context, caseID int64) ([]*csreview.AnalysisJob, error) {
	var out []*csreview.AnalysisJob
	err := s.DB.read(ctx, func(tx *Tx) error {
		c, err := visibleCase(tx, caseID)
		if err != nil {
			return err
		}
		u := tx.actor
		full := csreview.CanReadAnalysis(u, c)
		defer func() {
			if !full {
				for _, j := range out {
					j.Findings, j.Highest, j.Error = 0, "", ""
				}
			}
		}()
		ids, err := tx.ids(`SELECT id FROM analysis_jobs WHERE case_id = ? ORDER BY id DESC LIMIT 20`, caseID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			j, err := jobByID(tx, id)
			if err != nil {
				return err
			}
			out = append(out, j)
		}
		return nil
	})
	return out, err
}

// AnalysisReport returns the JSON report of a finished job, for those who
// may read the case's evidence.
func (s *Store) AnalysisReport(ctx context.Context, caseID, jobID int64) ([]byte, error) {
	var report string
	err := s.DB.write(ctx, func(tx *Tx) error {
		c, err := visibleCase(tx, caseID)
		if err != nil {
			return err
		}
		u := tx.actor
		if !csreview.CanReadAnalysis(u, c) {
			return errForbidden()
		}
		if err := tx.queryRow(`SELECT report FROM analysis_jobs WHERE id = ? AND case_id = ? AND state = ?`, jobID, caseID,
			csreview.JobDone).Scan(&report); err != nil {
			return notFound(mapError(err), "analysis", jobID)
		}
		// Unfixed vulnerabilities are confidential: record the read.
		return tx.audit("read", "analysis_report", jobID, nil, map[string]any{"case_id": caseID})
	})
	return []byte(report), err
}

// clipText is csreview.Clip, trimming the spaces round a text it keeps
// whole.
func clipText(s string, n int) string {
	if len([]rune(s)) > n {
		return csreview.Clip(s, n)
	}
	return strings.TrimSpace(s)
}

// RequeueAll puts every running job back in the queue, as an operator does
// after stopping all servers (and tests do).
func (s *Store) RequeueAll(ctx context.Context) error {
	if !csreview.CanResetAnalysis(actor(ctx)) {
		return forbidOrUnauth(ctx)
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE analysis_jobs SET state = ?, claimed_by = '' WHERE state = ?`, csreview.JobQueued, csreview.JobRunning)
		return err
	})
}
