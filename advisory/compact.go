package advisory

import "encoding/json"

// compactVersion numbers the layout Compact writes. A stored compact form
// of another version is not read: the record's OSV JSON is parsed instead.
// Bump it whenever Record changes shape.
const compactVersion = 1

// compactRecord is the compact form: the parsed record in csreview's own
// JSON, with the layout version. Its Raw, never set, hides the record's.
type compactRecord struct {
	V int `json:"v"`
	Record
	Raw json.RawMessage `json:",omitempty"`
}

// Compact returns the record as the store keeps it beside the OSV JSON:
// the fields of Record, already checked, without Raw. Reading it back
// with ParseCompact costs about a third of parsing the OSV record through
// the schema's protobuf bindings again, and an assessment against the
// store reads a hundred or more records per SBOM.
func (r *Record) Compact() ([]byte, error) {
	return json.Marshal(&compactRecord{V: compactVersion, Record: *r})
}

// ParseCompact reads what Compact wrote. It reports false when b is not a
// compact form of the current version (written by an older csreview, or
// empty): the caller then parses the OSV JSON. The record's Raw is nil.
func ParseCompact(b []byte) (*Record, bool) {
	if len(b) == 0 {
		return nil, false
	}
	var c compactRecord
	if err := json.Unmarshal(b, &c); err != nil || c.V != compactVersion || c.ID == "" {
		return nil, false
	}
	return &c.Record, true
}
