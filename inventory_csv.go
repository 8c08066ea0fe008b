package csreview

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// InventoryCSVColumns are the columns an inventory CSV may have, named as
// the JSON fields; "version" (the version's name, with product_id) may
// stand for version_id. The header row is required; order is free.
var InventoryCSVColumns = []string{"operator_id", "product_id", "version_id", "version", "system", "sector", "stage",
	"amount", "purchased_on", "forecast", "commit_data", "commit_control", "commit_supply", "commitments_ref",
	"agreement", "agreement_on", "agreement_ref", "case_id", "notes"}

// MaxInventoryRows bounds one import.
const MaxInventoryRows = 10000

// InventoryRow is one parsed CSV row: the entry, and the version name when
// the row names the version rather than its ID.
type InventoryRow struct {
	Line    int // the row number a spreadsheet shows
	Entry   *InventoryEntry
	Version string
}

// ParseInventoryCSV reads an inventory CSV (UTF-8, with or without a BOM,
// comma-separated). Every defect is reported as a field error
// "ROW.COLUMN" (rows counted as a spreadsheet shows them, the header
// being row 1); nothing is returned unless every row is good.
func ParseInventoryCSV(r io.Reader) ([]InventoryRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, csvInvalid("1", "empty")
		}
		return nil, csvInvalid("1", "not_csv", err.Error())
	}
	cols := map[string]int{}
	var v Invalid
	// A spreadsheet saved in a legacy encoding (GBK) is refused rather
	// than stored as mojibake; the error says how to save it.
	if !utf8.ValidString(strings.Join(header, ",")) {
		return nil, csvInvalid("1", "invalid_utf8", "CSV UTF-8")
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !oneOf(h, InventoryCSVColumns) {
			v.Add("1."+h, "unknown_column", strings.Join(InventoryCSVColumns, ", "))
			continue
		}
		if _, dup := cols[h]; dup {
			v.Add("1."+h, "duplicate_column")
		}
		cols[h] = i
	}
	_, hasID := cols["version_id"]
	_, hasName := cols["version"]
	if !hasID && !hasName {
		v.Add("1.version_id", "required")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out []InventoryRow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == nil {
			line, _ = cr.FieldPos(0) // csv skips blank lines
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			v.Add(strconv.Itoa(line), "not_csv", err.Error())
			break
		}
		if len(out) >= MaxInventoryRows {
			v.Add(strconv.Itoa(line), "too_many_rows", strconv.Itoa(MaxInventoryRows))
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		get := func(c string) string {
			if i, ok := cols[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		bad := func(c, rule string, param ...string) { v.Add(fmt.Sprintf("%d.%s", line, c), rule, param...) }
		for c, i := range cols {
			if i < len(rec) && !utf8.ValidString(rec[i]) {
				bad(c, "invalid_utf8", "CSV UTF-8")
			}
		}
		num := func(c string) int64 {
			s := strings.NewReplacer(",", "", "，", "", "元", "").Replace(get(c))
			if s == "" {
				return 0
			}
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				bad(c, "not_integer")
			}
			return n
		}
		flag := func(c string) bool {
			switch strings.ToLower(get(c)) {
			case "", "0", "no", "n", "false", "否", "无":
				return false
			case "1", "yes", "y", "true", "是", "有":
				return true
			}
			bad(c, "not_yes_no")
			return false
		}
		e := &InventoryEntry{OperatorID: num("operator_id"), ProductID: num("product_id"), VersionID: num("version_id"),
			System: get("system"), Sector: Sector(get("sector")), Stage: get("stage"), Amount: num("amount"),
			PurchasedOn: Date(get("purchased_on")), Forecast: get("forecast"), CommitData: flag("commit_data"),
			CommitControl: flag("commit_control"), CommitSupply: flag("commit_supply"), CommitmentsRef: get("commitments_ref"),
			Agreement: flag("agreement"), AgreementOn: Date(get("agreement_on")), AgreementRef: get("agreement_ref"),
			CaseID: num("case_id"), Notes: get("notes")}
		row := InventoryRow{Line: line, Entry: e, Version: get("version")}
		if e.VersionID == 0 && (row.Version == "" || e.ProductID == 0) {
			bad("version_id", "required")
		}
		out = append(out, row)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func csvInvalid(field, rule string, param ...string) error {
	var v Invalid
	v.Add(field, rule, param...)
	return v.Err()
}
