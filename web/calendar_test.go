package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/demo"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/sqlstore/sqltest"
	"github.com/csreview/csreview/web"
)

// beijing is the time zone of the working-day calendar.
var beijing = time.FixedZone("CST", 8*3600)

// calendarDemo serves the demo as `serve --demo` loads it on day, walked
// that day, from the store at dsn, over HTTPS; the server's clock reads
// what *now holds, day at 10:00 Beijing time to begin with.
func calendarDemo(t *testing.T, dsn string, day csreview.Date) (*httptest.Server, *sqlstore.Store, *atomic.Pointer[time.Time]) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(day.Time().Year(), day.Time().Month(), day.Time().Day(), 10, 0, 0, 0, beijing)
	now := &atomic.Pointer[time.Time]{}
	now.Store(&at)
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return at }
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	store := sqlstore.NewStore(db)
	if _, err := demo.LoadAll(csreview.NewContextWithUser(ctx, csreview.SystemUser("demo")), store, day); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(store, db, slog.New(slog.NewTextHandler(io.Discard, nil)),
		web.Config{Version: "test", Now: func() time.Time { return *now.Load() }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv)
	t.Cleanup(ts.Close)
	return ts, store, now
}

// caseByRef finds a case of the store by its reference.
func caseByRef(t *testing.T, store *sqlstore.Store, ref string) *csreview.Case {
	t.Helper()
	list, _, err := store.FindCases(adminCtx(), csreview.CaseFilter{Page: csreview.Page{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Ref == ref {
			return c
		}
	}
	t.Fatalf("no case %s", ref)
	return nil
}

// TestProvisionalDueDates: on 4 December 2026 the calendar has no holiday
// notice for 2027. The demo case CSR-2026-0005, accepted that day, has its
// 30 working days of preliminary review (2021 Measures Art. 11) due on
// Monday 18 January 2027, 1 January being a statutory holiday, not on 15
// January as weekends alone would have it, and the date is marked
// provisional in the API, on the case page, in the case list and on the
// home pages; the office is warned on its home page and /metrics says so.
func TestProvisionalDueDates(t *testing.T) {
	t.Parallel()
	sqltest.ForEachEngine(t, func(t *testing.T, dsn string) {
		ts, store, now := calendarDemo(t, dsn, "2026-12-04")
		c := caseByRef(t, store, "CSR-2026-0005")
		path := fmt.Sprintf("/cases/%d", c.ID)

		// The API, in the language asked for.
		office, err := store.FindUserByUsername(adminCtx(), "office")
		if err != nil {
			t.Fatal(err)
		}
		_, token, err := store.CreateToken(adminCtx(), office.ID, "t", 0)
		if err != nil {
			t.Fatal(err)
		}
		for lang, note := range map[string]string{
			"zh-CN": "暂定：日历尚未收录2027年放假安排通知，已计入法定节假日（《全国年节及纪念日放假办法》第二条），补休和调休上班日以国务院办公厅通知为准，尚未计入。",
			"en":    "Provisional: the calendar does not have the holiday notice for 2027 yet. Statutory holidays are counted (National Holidays Measures Art. 2)",
		} {
			req, _ := http.NewRequest("GET", ts.URL+"/api/v1"+path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Accept-Language", lang)
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var view struct {
				Clocks []struct {
					Clock             string        `json:"clock"`
					Due               csreview.Date `json:"due"`
					Provisional       bool          `json:"provisional"`
					ProvisionalYears  []int         `json:"provisional_years"`
					ProvisionalReason string        `json:"provisional_reason"`
					ProvisionalNote   string        `json:"provisional_note"`
				} `json:"clocks"`
			}
			err = json.NewDecoder(resp.Body).Decode(&view)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
			}
			found := false
			for _, k := range view.Clocks {
				switch k.Clock {
				case "preliminary":
					found = true
					if k.Due != "2027-01-18" || !k.Provisional || fmt.Sprint(k.ProvisionalYears) != "[2027]" ||
						k.ProvisionalReason != "holiday_notice_missing" || !strings.HasPrefix(k.ProvisionalNote, note) {
						t.Errorf("%s: preliminary review clock: %+v", lang, k)
					}
				case "screening":
					// Stopped on the day it started, within 2026.
					if k.Provisional || k.ProvisionalNote != "" || k.ProvisionalReason != "" {
						t.Errorf("%s: screening clock: %+v", lang, k)
					}
				}
			}
			if !found {
				t.Fatalf("%s: no preliminary review clock: %+v", lang, view.Clocks)
			}
		}

		// The case page: the date, its mark and the reason under the table.
		zh := signIn(t, ts, "office", "zh-CN")
		_, page := zh.get(path)
		clocks := page[strings.Index(page, `id="clocks"`):]
		clocks = clocks[:strings.Index(clocks, "<h2")]
		for _, want := range []string{
			`<td>2027-01-18 <a class="provisional" href="#provisional"`, ">暂定</a>",
			`<div id="provisional" class="caution"><p>暂定：日历尚未收录2027年放假安排通知，已计入法定节假日（《全国年节及纪念日放假办法》第二条）`,
		} {
			if !strings.Contains(clocks, want) {
				t.Errorf("case page lacks %q:\n%s", want, clocks)
			}
		}
		if strings.Contains(page, "2027-01-15") {
			t.Error("case page shows 2027-01-15, counted over weekends only")
		}
		// The case list and the home pages mark it too.
		_, list := zh.get("/cases")
		if !strings.Contains(list, `2027-01-18</span> <abbr class="provisional" title="暂定：日历尚未收录2027年放假安排通知`) {
			t.Errorf("case list does not mark the due date provisional:\n%s", list)
		}
		_, home := zh.get("/")
		for _, want := range []string{
			`<section class="caution" id="calendar-missing"`, "工作日日历尚未收录2027年放假安排",
			"审查时限按工作日计算（《网络安全审查办法》第九条、第十一条、第十二条、第十四条）",
			"已计入法定节假日（《全国年节及纪念日放假办法》第二条），补休和调休上班日尚未计入",
		} {
			if !strings.Contains(home, want) {
				t.Errorf("office home page lacks %q", want)
			}
		}
		en := signIn(t, ts, "assessor", "en")
		_, home = en.get("/")
		if !strings.Contains(home, `2027-01-18</strong> <abbr class="provisional" title="Provisional: the calendar does not have the holiday notice for 2027 yet.`) {
			t.Errorf("the assessor's task does not mark its due date provisional:\n%s", home)
		}
		if strings.Contains(home, "calendar-missing") {
			t.Error("the calendar warning is shown to an assessor, who does not keep the calendar")
		}

		// /metrics, and the day before 1 November.
		metric := func() string {
			resp, err := ts.Client().Get(ts.URL + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return string(b)
		}
		m := metric()
		for _, want := range []string{
			"# HELP csreview_calendar_next_year_missing 1 from 1 November when the working-day calendar has no State Council holiday notice for next year",
			"# TYPE csreview_calendar_next_year_missing gauge\ncsreview_calendar_next_year_missing 1\n",
			"# TYPE csreview_calendar_current_year_missing gauge\ncsreview_calendar_current_year_missing 0\n",
		} {
			if !strings.Contains(m, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
		oct31 := time.Date(2026, 10, 31, 23, 0, 0, 0, beijing)
		now.Store(&oct31)
		if m := metric(); !strings.Contains(m, "\ncsreview_calendar_next_year_missing 0\n") {
			t.Error("/metrics warns of the 2027 notice on 31 October 2026")
		}
		if _, home := zh.get("/"); strings.Contains(home, "calendar-missing") {
			t.Error("the office is warned of the 2027 notice on 31 October 2026")
		}
		jan := time.Date(2027, 1, 4, 10, 0, 0, 0, beijing)
		now.Store(&jan)
		if m := metric(); !strings.Contains(m, "\ncsreview_calendar_current_year_missing 1\n") || !strings.Contains(m, "\ncsreview_calendar_next_year_missing 0\n") {
			t.Error("/metrics does not say on 4 January 2027 that the year's notice is missing")
		}
		if _, home := zh.get("/"); !strings.Contains(home, "工作日日历尚未收录2027年放假安排") {
			t.Error("the office is not warned on 4 January 2027 that the year's notice is missing")
		}
	})
}

// TestOpenAPIProvisional: the OpenAPI document describes the clock fields
// that mark a provisional due date.
func TestOpenAPIProvisional(t *testing.T) {
	t.Parallel()
	ts, _ := demoServer(t)
	resp, err := ts.Client().Get(ts.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Type        string   `json:"type"`
					Enum        []string `json:"enum"`
					Description string   `json:"description"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	clock, ok := doc.Components.Schemas["ClockView"]
	if !ok {
		t.Fatal("no ClockView schema")
	}
	p := clock.Properties
	if p["provisional"].Type != "boolean" || !strings.Contains(p["provisional"].Description, "holiday notice") {
		t.Errorf("provisional: %+v", p["provisional"])
	}
	if fmt.Sprint(p["provisional_reason"].Enum) != "[holiday_notice_missing holiday_notice_missing_weekends_only]" ||
		!strings.Contains(p["provisional_reason"].Description, "National Holidays Measures Art. 2") {
		t.Errorf("provisional_reason: %+v", p["provisional_reason"])
	}
	if p["provisional_note"].Type != "string" || p["provisional_years"].Type != "array" || p["due"].Type != "string" {
		t.Errorf("clock fields: %+v", p)
	}
}
