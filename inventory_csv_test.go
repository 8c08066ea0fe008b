package csreview

import (
	"strings"
	"testing"
)

func TestParseInventoryCSV(t *testing.T) {
	t.Parallel()
	in := "\ufeffversion_id,system,amount,purchased_on,forecast,commit_data,commit_control,commit_supply,agreement\n" +
		"12,核心账务系统,\"1,200,000\",2024-02-01,may_affect,是,是,是,yes\n" +
		"\n" +
		"13,网银,0,,no_effect,0,0,0,no\n"
	rows, err := ParseInventoryCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	e := rows[0].Entry
	if e.VersionID != 12 || e.System != "核心账务系统" || e.Amount != 1_200_000 || !e.Commitments() || !e.Agreement || rows[0].Line != 2 {
		t.Errorf("row 2: %+v", e)
	}
	if rows[1].Line != 4 || rows[1].Entry.Forecast != "no_effect" {
		t.Errorf("row 4: %+v", rows[1])
	}
	for _, tc := range []struct{ in, field string }{
		{"", "1"},
		{"system,colour\n", "1.colour"},
		{"system\nx\n", "1.version_id"},
		{"version_id,amount\n1,lots\n", "2.amount"},
		{"version_id,agreement\n1,maybe\n", "2.agreement"},
		{"version,system\nV5,x\n", "2.version_id"},
		{"version_id,system\n1,\"unterminated\n", "2"},
	} {
		_, err := ParseInventoryCSV(strings.NewReader(tc.in))
		ae := AsError(err)
		if ae == nil || len(ae.Fields) == 0 || ae.Fields[0].Field != tc.field {
			t.Errorf("%q: %v, want a field error on %s", tc.in, err, tc.field)
		}
	}
}

func FuzzParseInventoryCSV(f *testing.F) {
	f.Add("version_id,system,amount\n1,x,100\n")
	f.Add("\ufeffversion,product_id,agreement\nV1,3,是\n")
	f.Add("version_id\n\"\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := ParseInventoryCSV(strings.NewReader(in))
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("error %v is not a field error", err)
			}
			if rows != nil {
				t.Fatal("rows returned with an error")
			}
			return
		}
		for _, r := range rows {
			if r.Entry == nil || (r.Entry.VersionID == 0 && (r.Version == "" || r.Entry.ProductID == 0)) {
				t.Fatalf("row without a version: %+v", r)
			}
		}
	})
}
