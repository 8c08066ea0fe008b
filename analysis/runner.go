// Package analysis runs the assessment engine in the server: it claims the
// queued analyses of cases' SBOMs, runs them with the store's advisories,
// reports progress, and records the findings as evidence of the case.
package analysis

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/sbom"
)

// Store is what the runner needs: the job queue, and the stored advisories
// as the engine's source (whose type is assess's, so this interface is
// declared here rather than in the root package).
type Store interface {
	csreview.AnalysisQueue
	AdvisorySource(ctx context.Context) assess.Source
}

// Runner claims and runs analysis jobs.
type Runner struct {
	Store   Store
	Rules   *review.Rules
	Worker  string        // names this server in claims
	Poll    time.Duration // how often to look for work when idle
	Log     *slog.Logger
	Version string
}

// Run works until ctx ends.
func (r *Runner) Run(ctx context.Context) {
	poll := r.Poll
	if poll <= 0 {
		poll = 2 * time.Second
	}
	for ctx.Err() == nil {
		ran, err := r.RunOnce(ctx)
		if err != nil {
			r.Log.Error("analysis", "err", err)
		}
		if ran {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(poll):
		}
	}
}

// RunOnce claims one job and runs it; it reports whether there was one.
func (r *Runner) RunOnce(ctx context.Context) (bool, error) {
	sys := csreview.NewContextWithUser(ctx, csreview.SystemUser("analysis"))
	job, err := r.Store.ClaimJob(sys, r.Worker)
	if err != nil || job == nil {
		return false, err
	}
	report, summary, findings, highest, err := r.run(sys, job)
	if err != nil {
		r.Log.Warn("analysis failed", "job", job.ID, "case", job.CaseID, "err", err)
	}
	return true, r.Store.FinishJob(sys, job.ID, report, summary, findings, highest, err)
}

func (r *Runner) run(ctx context.Context, job *csreview.AnalysisJob) ([]byte, csreview.Text, []csreview.AutoFinding, csreview.Severity, error) {
	in, err := r.Store.LoadJobInput(ctx, job)
	if err != nil {
		return nil, csreview.Text{}, nil, "", err
	}
	if len(in.SBOMs) == 0 {
		return nil, csreview.Text{}, nil, "", csreview.Errorf(csreview.EINVALID, "the case has no SBOM")
	}
	pack, err := r.Rules.Pack(in.Case.Regime)
	if err != nil {
		return nil, csreview.Text{}, nil, "", err
	}
	var statements []assess.VEXStatement
	for _, v := range in.VEX {
		st, err := assess.ParseVEX(v.Content, v.Name)
		if err != nil {
			return nil, csreview.Text{}, nil, "", err
		}
		statements = append(statements, st...)
	}
	src := r.Store.AdvisorySource(ctx)
	var docs []*sbom.Document
	var names []string
	var results []*assess.Result
	total := 0
	for i, f := range in.SBOMs {
		doc, err := sbom.Parse(bytes.NewReader(f.Content), sbom.Limits{})
		if err != nil {
			return nil, csreview.Text{}, nil, "", fmt.Errorf("%s: %w", f.Name, err)
		}
		docs, names = append(docs, doc), append(names, f.Name)
		total += len(doc.Components)
		_ = i
	}
	done := 0
	last := time.Time{}
	for i, doc := range docs {
		base := done
		res, err := assess.Assess(doc, src, assess.Options{Pack: pack, SBOMName: names[i], VEX: statements,
			Progress: func(d, _ int) {
				if time.Since(last) > 300*time.Millisecond {
					last = time.Now()
					r.Store.SetJobProgress(ctx, job.ID, base+d, total)
				}
			}})
		if err != nil {
			return nil, csreview.Text{}, nil, "", err
		}
		done += len(doc.Components)
		results = append(results, res)
	}
	db, err := r.Store.AdvisoryDatabase(ctx)
	if err != nil {
		return nil, csreview.Text{}, nil, "", err
	}
	now := time.Now()
	adv := assess.DatabaseInfo("store", *db, now)
	rep := assess.Build(pack, assess.Tool{Name: "csreview", Version: r.Version}, adv, docs, names, results, now)
	b, err := json.Marshal(rep)
	if err != nil {
		return nil, csreview.Text{}, nil, "", err
	}
	var out []csreview.AutoFinding
	for _, f := range rep.Findings {
		risk := assess.Risk(f.Severity)
		zh, en := f.MessageZH, f.Message
		if zh == "" {
			zh = en
		}
		if f.Advisory != nil {
			ren, rzh := f.Advisory.Describe()
			zh += "（评级依据：" + rzh + "）"
			en += " (rated by: " + ren + ")"
		}
		if f.VEX != nil && !f.Counts() {
			risk = "none"
			zh += "；供应商 VEX 声明：" + vexStatusZH[f.VEX.Status]
			if j := f.VEX.Justification; j != "" {
				zh += "（" + or(vexJustificationZH[j], j) + "）"
			}
			en += fmt.Sprintf(" — supplier's VEX: %s %s", f.VEX.Status, f.VEX.Justification)
		}
		out = append(out, csreview.AutoFinding{Criterion: f.Criterion, Risk: risk, Text: zh, TextEN: en})
	}
	// The evidence record is read in each reader's language.
	summary := csreview.Text{
		ZH: fmt.Sprintf("%d 个组件，其中 %d 个组件存在 %d 个漏洞；%s。", rep.Summary.Components, rep.Summary.Vulnerable,
			rep.Summary.Vulnerabilities, rep.Summary.ReasonZH),
		EN: fmt.Sprintf("%d components, %d vulnerabilities in %d components; %s.", rep.Summary.Components,
			rep.Summary.Vulnerabilities, rep.Summary.Vulnerable, rep.Summary.Reason)}
	for _, n := range rep.Advisories.Warnings {
		summary.ZH += "\n" + n.ZH
		summary.EN += "\n" + n.EN
	}
	return b, summary, out, rep.Summary.Highest, nil
}

// vexStatusZH names the VEX statuses in Chinese.
var vexStatusZH = map[string]string{"not_affected": "不受影响", "affected": "受影响", "fixed": "已修复", "under_investigation": "调查中"}

// vexJustificationZH names the justifications of OpenVEX and CycloneDX VEX
// in Chinese.
var vexJustificationZH = map[string]string{
	"component_not_present": "组件不存在", "vulnerable_code_not_present": "存在漏洞的代码不存在",
	"vulnerable_code_not_in_execute_path":               "存在漏洞的代码不在执行路径上",
	"vulnerable_code_cannot_be_controlled_by_adversary": "攻击者无法控制存在漏洞的代码",
	"inline_mitigations_already_exist":                  "已有内置缓解措施", "code_not_present": "代码不存在", "code_not_reachable": "代码不可达",
	"requires_configuration": "需特定配置", "requires_dependency": "需特定依赖", "requires_environment": "需特定环境",
	"protected_by_compiler": "编译器防护", "protected_at_runtime": "运行时防护", "protected_at_perimeter": "边界防护",
	"protected_by_mitigating_control": "已有缓解措施"}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
