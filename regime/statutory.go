package regime

import (
	"sync"
	"time"

	"github.com/6tail/lunar-go/calendar"

	"github.com/csreview/csreview"
)

// The statutory holidays of 《全国年节及纪念日放假办法》 Art. 2 (the
// holidays of all citizens) are what the calendar counts in a year whose
// holiday notice it lacks. The yearly notice of the State Council General
// Office adds to them: it moves a holiday that falls on a weekend to a
// substitute day off, joins holidays to weekends into longer breaks and
// names the weekend days worked instead. None of that can be known before
// the notice, so such a year counts only the statutory days themselves,
// nothing is moved, and every date resting on it is provisional
// (Calendar.Provisional). Every notice of 2017–2026 includes the
// statutory days (TestStatutoryHolidaysInNotices).

// HolidaysArticle is the article of the National Holidays Measures that
// lists the statutory holidays.
const HolidaysArticle = "Art. 2"

// HolidaysCite cites that article in lang from the laws data:
// 《全国年节及纪念日放假办法》第二条, "National Holidays Measures Art. 2".
func HolidaysCite(lang string) string { return lawsByID["holidays"].Cite(HolidaysArticle, lang) }

// holidayText is one version of Art. 2, from the first year it governs.
type holidayText struct {
	from int
	// eve: the Spring Festival begins on New Year's Eve of the lunar
	// calendar (农历除夕); otherwise on lunar 1/1. It lasts three days
	// after the eve, or three days from 1/1.
	eve bool
	// labourDays is the length of the Labour Day holiday from 1 May.
	labourDays int
}

// holidayTexts, newest first. Every year before 2027 has a notice in the
// shipped data, so the older text matters only to a calendar file that
// leaves a year out; years before 2014 (when the 2007 text gave the Spring
// Festival as 除夕 to 正月初二) have no statutory holidays here, and a
// count through them skips weekends only (StatutoryHolidays reports false).
var holidayTexts = []holidayText{
	// As amended by the State Council's Decision of 10 November 2024
	// (国务院令第795号), in force 1 January 2025: 元旦 1 day, 春节 4 days
	// (农历除夕 to 正月初三), 清明节 1 day, 劳动节 2 days (1–2 May),
	// 端午节 1 day, 中秋节 1 day, 国庆节 3 days (1–3 October).
	{from: 2025, eve: true, labourDays: 2},
	// As amended by the Decision of 11 December 2013 (国务院令第644号), in
	// force 1 January 2014: 春节 3 days (正月初一 to 初三), 劳动节 1 day;
	// the others as above.
	{from: 2014, eve: false, labourDays: 1},
}

// Holiday is a statutory holiday in one year.
type Holiday struct {
	ID    string // new_year, spring_festival, qingming, labour_day, dragon_boat, mid_autumn, national_day
	Name  Text
	Dates []csreview.Date
}

type statutoryYear struct {
	list []Holiday
	days map[csreview.Date]bool
	ok   bool
}

// statutoryCache holds each year's holidays once computed: the lunar
// calendar takes about a millisecond a year.
var statutoryCache sync.Map // int → *statutoryYear

// StatutoryHolidays returns the holidays of 《全国年节及纪念日放假办法》
// Art. 2 in year, in the order of the article, the lunar dates (Spring
// Festival, Dragon Boat, Mid-Autumn) and the Qingming solar term from the
// lunar calendar of github.com/6tail/lunar-go (Beijing time). It reports
// false for a year before 2014, whose text the calendar does not hold.
func StatutoryHolidays(year int) ([]Holiday, bool) {
	y := statutory(year)
	return y.list, y.ok
}

func statutory(year int) *statutoryYear {
	if v, ok := statutoryCache.Load(year); ok {
		return v.(*statutoryYear)
	}
	y := &statutoryYear{days: map[csreview.Date]bool{}}
	var text *holidayText
	for i := range holidayTexts {
		if year >= holidayTexts[i].from {
			text = &holidayTexts[i]
			break
		}
	}
	if text != nil {
		y.ok = true
		y.list = statutoryList(year, *text)
		for _, h := range y.list {
			for _, d := range h.Dates {
				y.days[d] = true
			}
		}
	}
	v, _ := statutoryCache.LoadOrStore(year, y)
	return v.(*statutoryYear)
}

func statutoryList(year int, text holidayText) []Holiday {
	lunar := func(month, day int) time.Time { return solarDay(calendar.NewLunarFromYmd(year, month, day).GetSolar()) }
	days := func(from time.Time, n int) []csreview.Date {
		var out []csreview.Date
		for i := range n {
			out = append(out, csreview.DateOf(from.AddDate(0, 0, i)))
		}
		return out
	}
	fixed := func(month time.Month, day int) time.Time { return time.Date(year, month, day, 0, 0, 0, 0, time.UTC) }

	spring, springDays := lunar(1, 1), 3
	if text.eve {
		// 除夕 is the last day of the twelfth lunar month, the 29th or
		// the 30th: the day before 正月初一.
		spring, springDays = spring.AddDate(0, 0, -1), 4
	}
	return []Holiday{
		{"new_year", Text{"元旦", "New Year's Day"}, days(fixed(time.January, 1), 1)},
		{"spring_festival", Text{"春节", "Spring Festival"}, days(spring, springDays)},
		{"qingming", Text{"清明节", "Qingming Festival"}, days(qingming(year), 1)},
		{"labour_day", Text{"劳动节", "Labour Day"}, days(fixed(time.May, 1), text.labourDays)},
		{"dragon_boat", Text{"端午节", "Dragon Boat Festival"}, days(lunar(5, 5), 1)},
		{"mid_autumn", Text{"中秋节", "Mid-Autumn Festival"}, days(lunar(8, 15), 1)},
		{"national_day", Text{"国庆节", "National Day"}, days(fixed(time.October, 1), 3)},
	}
}

// qingming is the day of the Qingming solar term (清明) in year, 4 or 5
// April, as the lunar calendar of year computes it.
func qingming(year int) time.Time {
	return solarDay(calendar.NewLunarFromYmd(year, 1, 1).GetJieQiTable()["清明"])
}

// solarDay is the day of a solar date at midnight UTC, as Date.Time is.
func solarDay(s *calendar.Solar) time.Time {
	return time.Date(s.GetYear(), time.Month(s.GetMonth()), s.GetDay(), 0, 0, 0, 0, time.UTC)
}

// isStatutoryHoliday reports whether d is a statutory holiday of its year.
func isStatutoryHoliday(d csreview.Date) bool {
	return statutory(d.Time().Year()).days[d]
}
