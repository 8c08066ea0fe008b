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

func (r *Runner) run(ctx context.Context, job *csreview.AnalysisJob) ([]byte, string, []csreview.AutoFinding, csreview.Severity, error) {
	in, err := r.Store.LoadJobInput(ctx, job)
	if err != nil {
		return nil, "", nil, "", err
	}
	if len(in.SBOMs) == 0 {
		return nil, "", nil, "", csreview.Errorf(csreview.EINVALID, "the case has no SBOM")
	}
	pack, err := r.Rules.Pack(in.Case.Regime)
	if err != nil {
		return nil, "", nil, "", err
	}
	var statements []assess.VEXStatement
	for _, v := range in.VEX {
		st, err := assess.ParseVEX(v.Content, v.Name)
		if err != nil {
			return nil, "", nil, "", err
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
			return nil, "", nil, "", fmt.Errorf("%s: %w", f.Name, err)
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
			return nil, "", nil, "", err
		}
		done += len(doc.Components)
		results = append(results, res)
	}
	db, err := r.Store.AdvisoryDatabase(ctx)
	if err != nil {
		return nil, "", nil, "", err
	}
	now := time.Now()
	adv := assess.DatabaseInfo("store", *db, now)
	rep := assess.Build(pack, assess.Tool{Name: "csreview", Version: r.Version}, adv, docs, names, results, now)
	b, err := json.Marshal(rep)
	if err != nil {
		return nil, "", nil, "", err
	}
	var out []csreview.AutoFinding
	for _, f := range rep.Findings {
		risk := assess.Risk(f.Severity)
		text := f.Message
		if f.Advisory != nil {
			en, zh := f.Advisory.Describe()
			if en == zh {
				text += " — 评级依据 rated by: " + en
			} else {
				text += " — 评级依据：" + zh + " | rated by: " + en
			}
		}
		if f.VEX != nil && !f.Counts() {
			risk = "none"
			text += fmt.Sprintf(" — supplier's VEX: %s %s", f.VEX.Status, f.VEX.Justification)
		}
		out = append(out, csreview.AutoFinding{Criterion: f.Criterion, Risk: risk, Text: text})
	}
	// The evidence record is read in Chinese first: the summary says it in
	// both languages.
	summary := fmt.Sprintf("%d 个组件，其中 %d 个组件存在 %d 个漏洞；%s。\n%d components, %d vulnerabilities in %d components; %s.",
		rep.Summary.Components, rep.Summary.Vulnerable, rep.Summary.Vulnerabilities, rep.Summary.ReasonZH,
		rep.Summary.Components, rep.Summary.Vulnerabilities, rep.Summary.Vulnerable, rep.Summary.Reason)
	for _, n := range rep.Advisories.Warnings {
		summary += "\n" + n.ZH + "\n" + n.EN
	}
	return b, summary, out, rep.Summary.Highest, nil
}
