package sqlstore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// released are the migrations as committed, by SHA-256. A committed
// migration is never edited: a database that applied it keeps what it did,
// and an edit would make two databases at the same version differ. A
// change goes in a new migration; a new migration is added here.
var released = map[string]string{
	"0001_registry.sql":           "997b953bf4366935b4da2a13d8d2b707891e47600850fe83cc5a640331b312a1",
	"0002_cases.sql":              "fc72eb033004c01c3a0a74f1eb1e8390947401138e8cae2fbdd4c370c3053180",
	"0003_operator_group.sql":     "1fe6101741027a90f593289c1cd87b18e9352c4d2c3a55780f659a4d7d8b7d9c",
	"0004_advisories.sql":         "1679455b177de14c1a62ad72d0db8317fe1043910a6e46d47752d404ce25cd04",
	"0005_analysis.sql":           "85f210f01cde7bb5928b61e4e744405c372b05ebb4a1be3f3c7da009ebd7f9e7",
	"0006_version_components.sql": "0e969a0dd5e65635f0aabde547196910ffa1c7d2c8ef2d9217943e3230309261",
	"0007_publication.sql":        "159b2a316881287889c2e4f2c66b004bfebdaf41c5057bdae8763adae6e22cb2",
	"0008_oversight.sql":          "bbdbbabc6251daac983102cba9868df1fc97aa2b0bef4949d9e0fb547978c892",
	"0009_advisory_compact.sql":   "4c12e50848cca9bd7184641dfe498577ba66857e67db32cc383f2f14dfc6e63b",
	"0010_compact_binary.sql":     "c7d962c2641853aa654e5ce76700d720eea1816e2b7229b21bd42023d4a6620f",
	"0011_penalty_procedure.sql":  "5b03dd508060e1a721485dbca56ddb501cabbbcc26692a7f181a34b8d42d6572",
	"0012_consultation.sql":       "69f78552a635be14cb22713bc66a7dec3b94e3b88072c0351cbbd5c8b82b7f52",
	"0013_finding_triage.sql":     "b13338559513a126bb6c13e7a1c079612802217ff70a96b1323715c1863ffce2",
	"0014_text_en.sql":            "e177a0b1ad07d3fb5ebb86155ea342331740b7d8b5ea54b1b8c70a4ba496a3fd",
	"0015_calendar_feeds.sql":     "0ffb3326408a5bc0bde877d6fdd5427567dc2aa592f5609140e38fc6601048c8",
}

// TestMigrationsUnchanged fails when a committed migration is edited, and
// when a new one is not yet listed in released.
func TestMigrationsUnchanged(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		name := filepath.Base(f)
		seen[name] = true
		want, ok := released[name]
		switch {
		case !ok:
			t.Errorf("%s is not in released: add it, with its SHA-256 %s", name, hex.EncodeToString(sum[:]))
		case hex.EncodeToString(sum[:]) != want:
			t.Errorf("%s was edited after it was committed: write a new migration instead", name)
		}
	}
	for name := range released {
		if !seen[name] {
			t.Errorf("%s was removed", name)
		}
	}
}
