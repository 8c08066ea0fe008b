package sqlstore

import (
	"context"

	"github.com/csreview/csreview"
)

// materialCols reads a case file with its uploader: the account, its role
// and organisation bindings (for csreview.CanReadCaseFile) and the name of
// the organisation it acts for.
const materialCols = `f.id, f.kind, f.name, f.media_type, f.sha256, f.size, f.evidence_id, f.uploaded_by, f.uploaded_at,
	COALESCE(u.display_name, ''), COALESCE(u.role, ''), u.supplier_id, u.operator_id, u.body_id, COALESCE(u.org, ''),
	COALESCE(sp.name_zh, op.name_zh, bd.name_zh, u.org, '')`

const materialFrom = ` FROM case_files f LEFT JOIN users u ON u.id = f.uploaded_by
	LEFT JOIN suppliers sp ON sp.id = u.supplier_id LEFT JOIN operators op ON op.id = u.operator_id
	LEFT JOIN bodies bd ON bd.id = u.body_id`

func scanMaterial(row interface{ Scan(...any) error }) (*csreview.CaseMaterial, *csreview.User, error) {
	m := new(csreview.CaseMaterial)
	up := new(csreview.User)
	err := row.Scan(&m.ID, &m.Kind, &m.Name, &m.MediaType, &m.SHA256, &m.Size, idcol{&m.EvidenceID}, idcol{&m.UploadedBy},
		tcol{&m.UploadedAt}, &m.Uploader, &up.Role, idcol{&up.SupplierID}, idcol{&up.OperatorID}, idcol{&up.BodyID}, &up.Org,
		&m.UploaderOf)
	if err != nil {
		return nil, nil, mapError(err)
	}
	up.ID = m.UploadedBy
	if m.UploadedBy == 0 {
		up = nil // the system, or an account since deleted
	}
	return m, up, nil
}

// FindCaseMaterials lists the files of a case that the caller may read.
func (s *Store) FindCaseMaterials(ctx context.Context, caseID int64) ([]*csreview.CaseMaterial, error) {
	out := []*csreview.CaseMaterial{}
	err := s.DB.read(ctx, func(tx *Tx) error {
		c, err := visibleCase(tx, caseID)
		if err != nil {
			return err
		}
		rows, err := tx.query(`SELECT `+materialCols+materialFrom+` WHERE f.case_id = ? ORDER BY f.id`, caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, up, err := scanMaterial(rows)
			if err != nil {
				return err
			}
			if csreview.CanReadCaseFile(tx.actor, c, up) {
				out = append(out, m)
			}
		}
		return mapError(rows.Err())
	})
	return out, err
}

// ReadCaseFile returns a case file with its content, recording the read.
func (s *Store) ReadCaseFile(ctx context.Context, caseID, fileID int64) (*csreview.CaseMaterial, []byte, error) {
	var m *csreview.CaseMaterial
	var content []byte
	err := s.DB.write(ctx, func(tx *Tx) error {
		c, err := visibleCase(tx, caseID)
		if err != nil {
			return err
		}
		var up *csreview.User
		m, up, err = scanMaterial(tx.queryRow(`SELECT `+materialCols+materialFrom+` WHERE f.case_id = ? AND f.id = ?`, caseID, fileID))
		if csreview.ErrorCode(err) == csreview.ENOTFOUND {
			return errNotFound("case_file", fileID)
		}
		if err != nil {
			return err
		}
		if !csreview.CanReadCaseFile(tx.actor, c, up) {
			// Not listed for the caller, so not confirmed either.
			return errNotFound("case_file", fileID)
		}
		if err := tx.queryRow(`SELECT content FROM blobs WHERE sha256 = ?`, m.SHA256).Scan(&content); err != nil {
			return mapError(err)
		}
		return tx.audit("read", "case_file", fileID, nil, map[string]any{"case_id": caseID, "name": m.Name, "sha256": m.SHA256})
	})
	if err != nil {
		return nil, nil, err
	}
	return m, content, nil
}

// RecordCaseExport records an export of the case's archive.
func (s *Store) RecordCaseExport(ctx context.Context, caseID int64, manifestSHA256 string) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		c, err := visibleCase(tx, caseID)
		if err != nil {
			return err
		}
		if !csreview.CanExportCase(tx.actor, c) {
			return errForbidden()
		}
		return tx.audit("export", "case_archive", caseID, nil, map[string]any{"manifest_sha256": manifestSHA256})
	})
}
