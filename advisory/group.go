package advisory

import (
	"slices"
)

// Group puts together the records that describe one vulnerability: records
// sharing an ID or an alias, directly or through other records (GHSA-x
// aliases CVE-1, GO-y aliases CVE-1 and GHSA-x: one group), so that a
// finding counts once and lists every ID. Groups come in the order of their
// first record in recs, and records keep their order within a group. nil
// records are skipped. "related" IDs do not group: they name other
// vulnerabilities.
func Group(recs []*Record) [][]*Record {
	parent := make([]int, len(recs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		// The earlier record is the root, which keeps group order stable.
		if rb < ra {
			ra, rb = rb, ra
		}
		parent[rb] = ra
	}
	owner := make(map[string]int) // ID or alias → first record naming it
	for i, r := range recs {
		if r == nil {
			continue
		}
		for _, id := range append([]string{r.ID}, r.Aliases...) {
			if id == "" {
				continue
			}
			if j, ok := owner[id]; ok {
				union(i, j)
			} else {
				owner[id] = i
			}
		}
	}
	index := make(map[int]int) // root → position in out
	var out [][]*Record
	for i, r := range recs {
		if r == nil {
			continue
		}
		root := find(i)
		k, ok := index[root]
		if !ok {
			k = len(out)
			index[root] = k
			out = append(out, nil)
		}
		out[k] = append(out[k], r)
	}
	return out
}

// GroupIDs returns every ID and alias of a group's records, sorted and
// without repeats: the names of the one vulnerability.
func GroupIDs(group []*Record) []string {
	var ids []string
	for _, r := range group {
		if r == nil {
			continue
		}
		if r.ID != "" {
			ids = append(ids, r.ID)
		}
		for _, a := range r.Aliases {
			if a != "" {
				ids = append(ids, a)
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
