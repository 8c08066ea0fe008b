package advisory

import (
	"strings"
	"testing"
)

func ids(group []*Record) string {
	var s []string
	for _, r := range group {
		s = append(s, r.ID)
	}
	return strings.Join(s, ",")
}

func TestGroup(t *testing.T) {
	t.Parallel()
	ghsa := &Record{ID: "GHSA-1", Aliases: []string{"CVE-1"}}
	other := &Record{ID: "PYSEC-9", Aliases: []string{"CVE-9"}}
	gov := &Record{ID: "GO-1", Aliases: []string{"CVE-1", "GHSA-1"}}
	chain := &Record{ID: "OSV-7", Aliases: []string{"CVE-7", "GO-1"}} // joins via GO-1
	late := &Record{ID: "CVE-7"}                                      // an ID that is another's alias
	lone := &Record{ID: "X-1", Aliases: []string{"X-1"}}
	dup := &Record{ID: "GHSA-1", Aliases: []string{"CVE-1"}}
	got := Group([]*Record{ghsa, other, nil, gov, lone, chain, late, dup})
	var s []string
	for _, g := range got {
		s = append(s, ids(g))
	}
	if got, want := strings.Join(s, " | "), "GHSA-1,GO-1,OSV-7,CVE-7,GHSA-1 | PYSEC-9 | X-1"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if got, want := strings.Join(GroupIDs(got[0]), ","), "CVE-1,CVE-7,GHSA-1,GO-1,OSV-7"; got != want {
		t.Fatalf("GroupIDs: got %s, want %s", got, want)
	}
	if got := Group(nil); len(got) != 0 {
		t.Fatalf("Group(nil) = %v", got)
	}
}

// TestGroupTestdata groups every record of the test data: each record in
// exactly one group, and the Go and GitHub records of one CVE together.
func TestGroupTestdata(t *testing.T) {
	t.Parallel()
	c := loadCorpus(t)
	var all []*Record
	for _, eco := range []string{"Go", "PyPI", "npm", "Maven"} {
		all = append(all, c.byEco[eco]...)
	}
	groups := Group(all)
	seen := map[*Record]int{}
	for i, g := range groups {
		for _, r := range g {
			if _, ok := seen[r]; ok {
				t.Fatalf("%s in two groups", r.ID)
			}
			seen[r] = i
		}
	}
	if len(seen) != len(all) {
		t.Fatalf("%d records grouped, want %d", len(seen), len(all))
	}
	// No two groups may share a name.
	owner := map[string]int{}
	for i, g := range groups {
		for _, id := range GroupIDs(g) {
			if j, ok := owner[id]; ok && j != i {
				t.Fatalf("%s names groups %d and %d", id, j, i)
			}
			owner[id] = i
		}
	}
	t.Logf("%d records in %d groups", len(all), len(groups))
}
