package advisory

import (
	"github.com/csreview/csreview/internal/testenv"
	"path/filepath"
	"sync"
	"testing"
)

// osvTestdata is the shared OSV test data (see shared/testdata/README.md).
var osvTestdata = filepath.Join("..", "..", "shared", "testdata", "advisories", "osv")

// corpus is every record of the shared OSV test data, read once.
type corpus struct {
	byEco map[string][]*Record // by folder
	byID  map[string]*Record
	// byPkg indexes records by base ecosystem and normalised package name.
	byPkg map[string][]*Record
}

var (
	corpusOnce sync.Once
	corpusData *corpus
	corpusErr  error
)

func loadCorpus(t *testing.T) *corpus {
	t.Helper()
	testenv.Shared(t, "advisories", "osv")
	corpusOnce.Do(func() {
		c := &corpus{byEco: map[string][]*Record{}, byID: map[string]*Record{}, byPkg: map[string][]*Record{}}
		for _, eco := range []string{"Go", "PyPI", "npm", "Maven"} {
			err := Walk(filepath.Join(osvTestdata, eco), Limits{}, func(r *Record, where string) error {
				c.byEco[eco] = append(c.byEco[eco], r)
				c.byID[r.ID] = r
				seen := map[string]bool{}
				for _, a := range r.Affected {
					if a.Package.Name == "" {
						continue
					}
					k := pkgKey(a.Package.Ecosystem, a.Package.Name)
					if !seen[k] {
						seen[k] = true
						c.byPkg[k] = append(c.byPkg[k], r)
					}
				}
				return nil
			})
			if err != nil {
				corpusErr = err
				return
			}
		}
		corpusData = c
	})
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpusData
}

func pkgKey(ecosystem, name string) string {
	return baseEcosystem(ecosystem) + "\x00" + NormalizeName(ecosystem, name)
}
