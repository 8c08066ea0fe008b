package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/sbom"
)

// AttachVersionSBOM stores a product version's SBOM (replacing the previous
// one, and its component index) or adds a VEX document. The SBOM must
// parse; its components are indexed by ecosystem and normalised name. The
// supplier's users, the office and admins may attach; assessors too, since
// they analyse products for reviews.
func (s *Store) AttachVersionSBOM(ctx context.Context, productID, versionID int64, f csreview.FileUpload) (*csreview.VersionSBOM, error) {
	// Who may, before what: the caller is checked before the file is
	// looked at (and again in the transaction that stores it).
	if err := s.DB.read(ctx, func(tx *Tx) error { return sbomWriter(tx, productID, versionID) }); err != nil {
		return nil, err
	}
	if onKind, rule, param := inputFileProblem(f); rule != "" {
		field := "file"
		if onKind {
			field = "kind"
		}
		return nil, invalid(field, rule, param)
	}
	doc, err := parseInputFile(f)
	if err != nil {
		return nil, err
	}
	out := &csreview.VersionSBOM{VersionID: versionID, Kind: f.Kind, Name: f.Name, Size: int64(len(f.Content))}
	err = s.DB.write(ctx, func(tx *Tx) error {
		if err := sbomWriter(tx, productID, versionID); err != nil {
			return err
		}
		sum := sha256.Sum256(f.Content)
		out.SHA256 = hex.EncodeToString(sum[:])
		if _, err := tx.exec(`INSERT INTO blobs (sha256, size, content, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
			out.SHA256, len(f.Content), f.Content, formatTime(tx.now)); err != nil {
			return err
		}
		if doc != nil {
			out.Format = doc.Format + " " + doc.SpecVersion
			out.Components = len(doc.Components)
			if _, err := tx.exec(`DELETE FROM version_sboms WHERE version_id = ? AND kind = ?`, versionID, FileSBOM); err != nil {
				return err
			}
			if _, err := tx.exec(`DELETE FROM version_components WHERE version_id = ?`, versionID); err != nil {
				return err
			}
			for _, c := range doc.Components {
				name := c.Name
				if c.PURL != "" {
					if _, n, _, err := sbom.Ecosystem(c.PURL); err == nil {
						name = advisory.NormalizeName(c.Ecosystem, n)
					}
				}
				if _, err := tx.exec(`INSERT INTO version_components (version_id, ref, ecosystem, name, version, purl, supplier)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, versionID, c.Ref, c.Ecosystem, name, c.Version, c.PURL, c.Supplier); err != nil {
					return err
				}
			}
		}
		out.CreatedAt = tx.now
		if err := tx.queryRow(`INSERT INTO version_sboms (version_id, kind, name, format, sha256, size, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, versionID, f.Kind, f.Name, out.Format, out.SHA256, out.Size,
			idcol{actorID(tx)}, formatTime(tx.now)).Scan(&out.ID); err != nil {
			return mapError(err)
		}
		return tx.audit("attach_sbom", "product_version", versionID, nil, out)
	})
	return out, err
}

// casesHolding returns the cases the caller may see that review the
// version.
func casesHolding(tx *Tx, versionID int64) ([]*csreview.Case, error) {
	ids, err := tx.ids(`SELECT c.id FROM case_versions cv JOIN cases c ON c.id = cv.case_id WHERE cv.version_id = ?`, versionID)
	if err != nil {
		return nil, err
	}
	var out []*csreview.Case
	for _, id := range ids {
		c, err := visibleCase(tx, id)
		if csreview.ErrorCode(err) == csreview.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// sbomWriter checks that the caller may attach documents to the version
// (csreview.CanAttachVersionSBOM).
func sbomWriter(tx *Tx, productID, versionID int64) error {
	p, err := findVisible(tx, products, productID, csreview.CanReadProduct)
	if err != nil {
		return err
	}
	v, err := productVersions.get(tx, versionID)
	if err != nil || v.ProductID != productID {
		return errNotFound("product_version", versionID)
	}
	cases, err := casesHolding(tx, versionID)
	if err != nil {
		return err
	}
	if !csreview.CanAttachVersionSBOM(tx.actor, p, cases) {
		return errForbidden()
	}
	return nil
}

// VersionSBOMs lists the SBOM and VEX documents of a version with their
// content. They are the supplier's documents: its users, the office,
// admins, assessors, experts and member units may read them.
func (s *Store) VersionSBOMs(ctx context.Context, productID, versionID int64) ([]*csreview.VersionSBOM, error) {
	list, _, err := s.versionSBOMs(ctx, productID, versionID, false)
	return list, err
}

// versionSBOMs lists a version's documents, with their content when
// withContent; reading the content is recorded in the audit log, in the
// same transaction (2021 Measures Art. 17: the supplier's material is
// confidential).
func (s *Store) versionSBOMs(ctx context.Context, productID, versionID int64, withContent bool) ([]*csreview.VersionSBOM, [][]byte, error) {
	var list []*csreview.VersionSBOM
	var contents [][]byte
	run := s.DB.read
	if withContent {
		run = s.DB.write
	}
	err := run(ctx, func(tx *Tx) error {
		p, err := findVisible(tx, products, productID, csreview.CanReadProduct)
		if err != nil {
			return err
		}
		v, err := productVersions.get(tx, versionID)
		if err != nil || v.ProductID != productID {
			return errNotFound("product_version", versionID)
		}
		cases, err := casesHolding(tx, versionID)
		if err != nil {
			return err
		}
		if !csreview.CanReadVersionSBOM(tx.actor, p, cases) {
			return errForbidden()
		}
		content := `''`
		if withContent {
			content = `b.content`
		}
		rows, err := tx.query(`SELECT s.id, s.version_id, s.kind, s.name, s.format, s.sha256, s.size, s.created_at, `+content+`
			FROM version_sboms s JOIN blobs b ON b.sha256 = s.sha256 WHERE s.version_id = ? ORDER BY s.id`, versionID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			x := new(csreview.VersionSBOM)
			var content []byte
			if err := rows.Scan(&x.ID, &x.VersionID, &x.Kind, &x.Name, &x.Format, &x.SHA256, &x.Size, tcol{&x.CreatedAt}, &content); err != nil {
				return mapError(err)
			}
			list = append(list, x)
			contents = append(contents, content)
		}
		if err := rows.Err(); err != nil {
			return mapError(err)
		}
		if !withContent || len(list) == 0 {
			return nil
		}
		return tx.audit("read", "version_sboms", versionID, nil, map[string]any{"files": len(list)})
	})
	return list, contents, err
}

// AssessVersion runs the assessment engine on a version's stored SBOM and
// VEX against the stored advisories, under the given regime. The result
// names unfixed vulnerabilities, so it is confidential: the supplier's
// users, the office, admins, assessors, experts and member units may run
// it, and each run is recorded.
func (s *Store) AssessVersion(ctx context.Context, productID, versionID int64, regimeID, version string) (*assess.Report, error) {
	u := actor(ctx)
	if u == nil {
		return nil, errUnauthenticated()
	}
	rules, err := s.rules()
	if err != nil {
		return nil, err
	}
	pack, err := rules.Pack(regimeID)
	if err != nil {
		return nil, err
	}
	list, contents, err := s.versionSBOMs(ctx, productID, versionID, true)
	if err != nil {
		return nil, err
	}
	var docs []*sbom.Document
	var names []string
	var statements []assess.VEXStatement
	for i, x := range list {
		switch x.Kind {
		case FileSBOM:
			d, err := sbom.Parse(bytesReader(contents[i]), sbom.Limits{})
			if err != nil {
				return nil, err
			}
			docs, names = append(docs, d), append(names, x.Name)
		case FileVEX:
			st, err := assess.ParseVEX(contents[i], x.Name)
			if err != nil {
				return nil, err
			}
			statements = append(statements, st...)
		}
	}
	if len(docs) == 0 {
		return nil, csreview.KeyErrorf(csreview.ENOTFOUND, "err.no_sbom", "This version has no SBOM.")
	}
	src := s.NewAdvisorySource(ctx)
	var results []*assess.Result
	for i, d := range docs {
		res, err := assess.Assess(d, src, assess.Options{Pack: pack, SBOMName: names[i], VEX: statements})
		if err != nil {
			return nil, err
		}
		results = append(results, res)
	}
	db, err := s.AdvisoryDatabase(ctx)
	if err != nil {
		return nil, err
	}
	now := s.DB.Now()
	rep := assess.Build(pack, assess.Tool{Name: "csreview", Version: version}, assess.DatabaseInfo("store", *db, now), docs, names, results, now)
	err = s.DB.write(ctx, func(tx *Tx) error {
		return tx.audit("read", "version_assessment", versionID, nil, map[string]any{"regime": regimeID, "findings": len(rep.Findings)})
	})
	return rep, err
}
