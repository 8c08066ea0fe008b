package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/csreview/csreview"

	"github.com/csreview/csreview/internal/indent"
	"github.com/csreview/csreview/regime"
)

func runRegime(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprint(e.stdout, regimeUsage)
		return nil
	}
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "list":
		return runRegimeList(e, args[1:])
	case "show":
		return runRegimeShow(e, args[1:])
	}
	return usagef("use: csreview regime list, or csreview regime show ID")
}

const regimeUsage = `Usage: csreview regime list
       csreview regime show [--lang zh|en] [--json] ID

The regime packs: the rules of each version of the Measures (2017 draft,
2017 trial, 2020, 2021) as data, every item with its article.
`

// cliLang is the language of human-readable output: Chinese when the
// locale is Chinese, else English.
func cliLang(e *env) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := e.getenv(k); v != "" {
			if strings.HasPrefix(v, "zh") {
				return "zh"
			}
			return "en"
		}
	}
	return "en"
}

func runRegimeList(e *env, args []string) error {
	fs := newFlags(e, "regime list", "", "List the regime packs: ID, title, and the date each came into force.")
	lang := fs.String("lang", cliLang(e), "language: zh or en")
	if err := parse(fs, e, args); err != nil {
		return err
	}
	packs, err := regime.Packs()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, p := range packs {
		when := string(p.InForce)
		if p.InForce == "" {
			when = "draft of " + string(p.Issued)
			if *lang == "zh" {
				when = string(p.Issued) + " 征求意见稿"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.ID, p.Title.In(*lang), when)
	}
	return tw.Flush()
}

func runRegimeShow(e *env, args []string) error {
	fs := newFlags(e, "regime show", "[--lang zh|en] [--on DATE] [--json] ID",
		"Print everything in a regime pack, with the article of each item; a law's article is the one of the version in force on DATE (today by default).")
	lang := fs.String("lang", cliLang(e), "language: zh or en")
	on := fs.String("on", string(today()), "date whose version of the laws is cited (YYYY-MM-DD)")
	asJSON := fs.Bool("json", false, "print the pack as JSON")
	if err := parse(fs, e, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("give one regime ID (see 'csreview regime list')")
	}
	if !csreview.Date(*on).Valid() {
		return usagef("--on %q is not a date: use YYYY-MM-DD", *on)
	}
	packs, err := regime.Packs()
	if err != nil {
		return err
	}
	byID := map[string]*regime.Pack{}
	for _, p := range packs {
		byID[p.ID] = p
	}
	p, ok := byID[fs.Arg(0)]
	if !ok {
		ids := make([]string, len(packs))
		for i, q := range packs {
			ids[i] = q.ID
		}
		return usagef("no regime %q: use one of %s", fs.Arg(0), strings.Join(ids, ", "))
	}
	if *asJSON {
		b, err := indent.Marshal(p)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "%s\n", b)
		return err
	}
	printPack(e.stdout, byID, p, *lang, csreview.Date(*on))
	return nil
}

// printPack writes a pack for a reader, section by section.
func printPack(w io.Writer, packs map[string]*regime.Pack, p *regime.Pack, lang string, on csreview.Date) {
	zh := lang == "zh"
	h := func(zhText, en string) {
		if zh {
			fmt.Fprintf(w, "\n%s\n", zhText)
		} else {
			fmt.Fprintf(w, "\n%s\n", en)
		}
	}
	cite := func(it regime.Item) string { return "[" + regime.CiteItem(packs, p, it, lang, on) + "]" }
	line := func(it regime.Item, extra string) {
		fmt.Fprintf(w, "  %-26s %s%s %s\n", it.ID, regime.ItemText(it, on).In(lang), extra, cite(it))
	}
	fmt.Fprintf(w, "%s  %s\n", p.ID, p.Title.In(lang))
	fmt.Fprintf(w, "%s: %s\n", pick(zh, "发布", "Source"), p.Source.In(lang))
	fmt.Fprintf(w, "%s: %s", pick(zh, "发布日期", "Issued"), p.Issued)
	if p.InForce != "" {
		fmt.Fprintf(w, "   %s: %s", pick(zh, "施行日期", "In force"), p.InForce)
	}
	if p.SupersededBy != "" {
		fmt.Fprintf(w, "   %s: %s", pick(zh, "已被替代", "Superseded by"), p.SupersededBy)
	}
	fmt.Fprintln(w)
	h("适用范围", "Scope")
	fmt.Fprintf(w, "  %s %s\n", p.Scope.Text.In(lang), cite(p.Scope))
	h("启动审查的途径", "Initiation channels")
	for _, c := range p.Channels {
		extra := " (" + pick(zh, "发起", "by") + " " + string(c.Initiator)
		if len(c.Materials) > 0 {
			extra += "; " + pick(zh, "材料", "materials") + ": " + strings.Join(c.Materials, ", ")
		}
		line(c.Item, extra+")")
	}
	for _, x := range p.Excluded {
		fmt.Fprintf(w, "  %-26s %s: %s [%s]\n", x.Channel, pick(zh, "不适用", "not allowed"), x.Reason.In(lang), p.Cite(x.Article, lang))
	}
	section := func(zhText, en string, items []regime.Item) {
		h(zhText, en)
		if len(items) == 0 {
			fmt.Fprintf(w, "  %s\n", pick(zh, "（本办法未作规定）", "(none in these Measures)"))
		}
		for _, it := range items {
			line(it, "")
		}
	}
	section("申报材料", "Filing materials", p.Materials)
	section("审查方式", "Review methods", p.Methods)
	h("审查标准", "Review criteria")
	for _, c := range p.Criteria {
		kind := c.Kind
		if zh {
			kind = map[string]string{"static": "静态", "dynamic": "动态"}[c.Kind]
		}
		line(c.Item, " ("+kind+")")
	}
	h("程序", "Procedure")
	for _, s := range p.Steps {
		roles := make([]string, len(s.Actors))
		for i, r := range s.Actors {
			roles[i] = string(r)
		}
		extra := " (" + strings.Join(roles, ", ")
		if s.Clock != "" {
			extra += "; " + pick(zh, "时限", "clock") + " " + s.Clock
		}
		line(s.Item, extra+")")
	}
	h("时限（工作日）", "Clocks (working days)")
	if len(p.Clocks) == 0 {
		fmt.Fprintf(w, "  %s\n", pick(zh, "（本办法未规定时限）", "(these Measures set no time limits)"))
	}
	for _, c := range p.Clocks {
		extra := fmt.Sprintf(" %d", c.Workdays)
		if c.Extension > 0 {
			extra += fmt.Sprintf(" +%d [%s]", c.Extension, p.Cite(c.ExtensionArticle, lang))
		}
		if c.Open {
			extra += pick(zh, "，情况复杂的可以延长", ", extendable where complex")
		}
		if c.PausesForMaterials {
			extra += fmt.Sprintf("; %s [%s]", pick(zh, "补充材料时间不计入", "time awaiting materials not counted"), p.Cite(c.PauseArticle, lang))
		}
		line(c.Item, extra)
	}
	section("审查结论", "Outcomes", p.Outcomes)
	section("公开与通知", "Publication and notice", p.Publication)
	if len(p.Notes) > 0 {
		section("其他规定", "Other provisions", p.Notes)
	}
	who := pick(zh, "由关键信息基础设施保护工作部门确定", "determined by the CII protection department")
	if p.Procurement.Decides == "forecast" {
		who = pick(zh, "由运营者自行预判", "forecast by the operator")
	}
	title := pick(zh, "采购审查（是否需要审查：", "Procurement check (whether review is needed: ") + who + pick(zh, "）", ")")
	section(title, title, p.Procurement.Items)
}

func pick(zh bool, a, b string) string {
	if zh {
		return a
	}
	return b
}

// today is the date in Beijing, where the review's dates are kept.
func today() csreview.Date { return csreview.DateOf(time.Now().In(beijingTZ())) }
