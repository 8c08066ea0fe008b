package csreview

import (
	"context"
	"time"
)

// AnalysisService attaches the inputs of a case's automated analysis and
// reads its jobs and reports. A case the caller may not see is ENOTFOUND.
type AnalysisService interface {
	// AttachAnalysisInputs stores SBOM and VEX files on an open case and
	// queues a job: EFORBIDDEN unless CanAttachAnalysisInputs (a VEX also
	// CanStateVEX), ECONFLICT unless AnalysisOpen, EINVALID naming a bad file.
	AttachAnalysisInputs(ctx context.Context, caseID int64, files []FileUpload) (*AnalysisJob, error)
	// FindAnalysisJobs lists the case's last 20 jobs, newest first; their
	// findings, severity and error are blanked unless CanReadAnalysis.
	FindAnalysisJobs(ctx context.Context, caseID int64) ([]*AnalysisJob, error)
	// AnalysisReport is a finished job's report as JSON: EFORBIDDEN unless
	// CanReadAnalysis, ENOTFOUND when the job is not the case's or not
	// done; the read is audited, for the report lists unfixed
	// vulnerabilities.
	AnalysisReport(ctx context.Context, caseID, jobID int64) ([]byte, error)
}

// AnalysisQueue is the background runner's side of the jobs; it acts as
// the system.
type AnalysisQueue interface {
	// ClaimJob takes the oldest queued job (or one whose lease ran out) for
	// worker, nil when there is none; several servers claim concurrently
	// without sharing a job. Only internal errors.
	ClaimJob(ctx context.Context, worker string) (*AnalysisJob, error)
	// LoadJobInput reads a job's case and attached files: ENOTFOUND when
	// the case is gone.
	LoadJobInput(ctx context.Context, job *AnalysisJob) (*JobInput, error)
	// SetJobProgress records how far a running job has got; a job that is
	// unknown or not running is left alone, without error. Only internal
	// errors.
	SetJobProgress(ctx context.Context, id int64, progress, total int) error
	// FinishJob records the outcome in one transaction: on success the
	// report and the findings as the case's automated-analysis evidence
	// (replacing the previous analysis's); on failure the error. ENOTFOUND
	// for an unknown job or case; neither its state nor its worker is checked.
	FinishJob(ctx context.Context, id int64, report []byte, summary Text, findings []AutoFinding, highest Severity, failure error) error
	// AdvisoryDatabase describes the stored advisories an analysis runs
	// against. Only internal errors.
	AdvisoryDatabase(ctx context.Context) (*AdvisoryDB, error)
}

// AdvisoryDB describes an advisory database: how many records it holds
// (withdrawn ones left out) and of which ecosystems, the newest record's
// modified time and when it was last imported (zero when unknown).
type AdvisoryDB struct {
	Records int `json:"records"`
	// Ecosystems counts the records naming a package of each ecosystem; a
	// record naming packages of two ecosystems counts in both.
	Ecosystems     map[string]int `json:"ecosystems"`
	NewestModified time.Time      `json:"newest_modified"`
	LastImport     time.Time      `json:"last_import"`
}

// JobInput is what an analysis job reads: its case and the attached files.
type JobInput struct {
	Case  *Case
	SBOMs []FileUpload
	VEX   []FileUpload
}

// AutoFinding is one automated finding recorded as evidence: the review
// criterion it bears on, its risk and its text.
type AutoFinding struct {
	Criterion string
	Risk      Severity
	// Text is the finding in Chinese, TextEN in English.
	Text, TextEN string
}
