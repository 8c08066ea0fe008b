package csreview

import (
	"context"
	"time"
)

// CaseMaterial is one file of a case's record: a material filed with the
// case (its Kind the regime pack's material ID: application_form,
// impact_report, procurement_documents…), one supplied later or carried
// by an action (other), an analysis input (sbom, vex) or evidence's
// attachment (EvidenceID set), with who gave it and when.
type CaseMaterial struct {
	CaseFile
	UploadedBy int64     `json:"uploaded_by,omitempty"`
	Uploader   string    `json:"uploader,omitempty"` // the account's display name
	UploaderOf string    `json:"uploader_of,omitempty"`
	UploadedAt time.Time `json:"uploaded_at"`
}

// CaseFileService lists a case's materials and reads one, for those whose
// work needs it (2021 Measures Art. 17: what the parties submit is
// confidential).
type CaseFileService interface {
	// FindCaseMaterials lists the files of the case the caller may read
	// (CanReadCaseFile), oldest first: ENOTFOUND unless CanReadCase. The
	// list names the files; reading one is audited.
	FindCaseMaterials(ctx context.Context, caseID int64) ([]*CaseMaterial, error)
	// ReadCaseFile returns a file of the case with its content and records
	// the read in the audit log in the same transaction: ENOTFOUND unless
	// CanReadCase, the file is the case's and CanReadCaseFile (a file the
	// caller may not read is not confirmed to exist).
	ReadCaseFile(ctx context.Context, caseID, fileID int64) (*CaseMaterial, []byte, error)
	// RecordCaseExport records in the audit log that the caller exported
	// the case as an archive whose manifest has this SHA-256, so that the
	// archive can be checked against the log later: ENOTFOUND unless
	// CanReadCase, EFORBIDDEN unless CanExportCase.
	RecordCaseExport(ctx context.Context, caseID int64, manifestSHA256 string) error
}
