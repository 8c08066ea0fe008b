package assess

import (
	"html/template"

	"io"
	"strings"

	"github.com/csreview/csreview"
)

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"join":  strings.Join,
	"sevzh": func(s csreview.Severity) string { return severityZH[s] },
	"rated": func(a *AdvisoryRef) [2]string { en, zh := a.Describe(); return [2]string{en, zh} },
}).Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>技术评估报告 · Technical assessment — {{.Regime.ID}}</title>
<style>
body{font-family:"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1b1f24;line-height:1.5}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:2px solid #9b1c1c;padding-bottom:.2em}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d5dbe1;padding:.35em .5em;text-align:left;vertical-align:top;font-size:.92em}
th{background:#eef1f4}.critical,.high{color:#a11;font-weight:600}.medium{color:#8a4b00}.unrated{color:#5a3d8a;font-weight:600}.muted{color:#5b6570;font-weight:normal}
.warn{border-left:4px solid #8a4b00;background:#fff6e5;padding:.4em .8em}
.sum{display:flex;gap:1em;flex-wrap:wrap}.sum div{border:1px solid #d5dbe1;padding:.6em 1em}.sum b{display:block;font-size:1.4em}
@media print{body{margin:0;max-width:none}}
</style></head><body>
<h1>技术评估报告 Technical assessment</h1>
<p class="muted">{{.Regime.Title}} ({{.Regime.ID}}) · {{.Tool.Name}} {{.Tool.Version}} · {{.Generated.Format "2006-01-02 15:04 MST"}}</p>
{{with .Advisories}}<p>漏洞库 Advisory database: {{.Records}} 条记录 records · {{.Source}}{{range $e, $n := .Ecosystems}} · {{$e}} {{$n}}{{end}}{{with .NewestModified}} · 最新记录修改于 newest record modified {{.Format "2006-01-02"}}{{end}}{{with .LastImport}} · 最近导入 last imported {{.Format "2006-01-02 15:04 MST"}}{{end}}</p>
{{range .Warnings}}<p class="warn"><strong>警告 Warning:</strong> {{.ZH}}<br>{{.EN}}</p>{{end}}{{end}}
<div class="sum">
<div><b>{{.Summary.Components}}</b>组件 components</div>
<div><b>{{.Summary.Vulnerabilities}}</b>漏洞 vulnerabilities</div>
<div><b>{{.Summary.Vulnerable}}</b>受影响组件 affected components</div>
<div><b class="{{.Summary.Highest}}">{{if .Summary.Highest}}{{sevzh .Summary.Highest}} {{.Summary.Highest}}{{else}}—{{end}}</b>已评级中最高 highest rated</div>
<div><b class="unrated">{{.Summary.Unrated}}</b>未评级 unrated</div>
</div>
<p><strong>{{.Summary.ReasonZH}}</strong><br>{{.Summary.Recommendation}} — {{.Summary.Reason}}</p>
<h2>SBOM</h2>
<table><tr><th>file</th><th>format</th><th>components</th><th>defects read past</th></tr>
{{range .SBOMs}}<tr><td>{{.Name}}</td><td>{{.Format}} {{.Spec}}</td><td>{{.Components}}</td><td>{{len .Warnings}}</td></tr>{{end}}</table>
{{$f := .Findings}}
{{range .Criteria}}{{if .Findings}}{{$id := .ID}}
<h2>{{.TextZH}}<br><span class="muted">{{.Text}} [{{.Article}}]</span></h2>
<table><tr><th>等级 severity</th><th>组件 component</th><th>漏洞 advisory</th><th>VEX</th><th>发现 finding</th></tr>
{{range $f}}{{if eq .Criterion $id}}<tr><td class="{{.Severity}}">{{sevzh .Severity}} {{.Severity}}{{with .Advisory}}{{$r := rated .}}<br><span class="muted">{{if eq .Rating.Source "cvss"}}{{index $r 0}}{{else}}{{index $r 1}}<br>{{index $r 0}}{{end}}</span>{{end}}</td>
<td>{{with .Component}}{{.Name}}@{{.Version}}<br><span class="muted">{{.PURL}}</span>{{else}}{{len .Components}} components{{end}}</td>
<td>{{with .Advisory}}{{join .Aliases " "}}{{with .Fixed}}<br><span class="muted">fixed: {{join . ", "}}</span>{{end}}{{end}}</td>
<td>{{with .VEX}}{{.Status}}{{with .Justification}}<br><span class="muted">{{.}}</span>{{end}}{{end}}</td>
<td>{{.Message}}</td></tr>{{end}}{{end}}
</table>{{end}}{{end}}
</body></html>
`))

// severityZH names the levels in Chinese.
var severityZH = map[csreview.Severity]string{csreview.SeverityCritical: "严重", csreview.SeverityHigh: "高",
	csreview.SeverityMedium: "中", csreview.SeverityLow: "低", csreview.SeverityInfo: "提示", csreview.SeverityNone: "无",
	csreview.SeverityUnrated: "未评级"}

// WriteHTML writes the report as one self-contained page (no scripts, no
// external resources), in Chinese and English, that prints cleanly.
func WriteHTML(w io.Writer, r *Report) error { return htmlReport.Execute(w, r) }
