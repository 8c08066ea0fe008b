package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

var _ csreview.SelfReviewService = (*Store)(nil)

// CreateSelfReview runs a self-review under the regime in force: the
// engine on the version's SBOM (counts per criterion only — the details of
// unfixed vulnerabilities stay with those who may see them), the answers
// filed under the criteria of their themes, and the draft analysis report
// (2021 Measures Art. 8(2)).
func (s *Store) CreateSelfReview(ctx context.Context, r *csreview.SelfReview) error {
	u := actor(ctx)
	if u == nil {
		return errUnauthenticated()
	}
	// Who may, before what (canSelfReview then decides per product).
	if !csreview.CanSelfReview(u) {
		return errForbidden()
	}
	if r.ProductID == 0 && r.VersionID == 0 {
		return invalid("version_id", "required")
	}
	if r.ProductID == 0 { // the version names its product
		s.DB.read(ctx, func(tx *Tx) error {
			return tx.queryRow(`SELECT product_id FROM product_versions WHERE id = ?`, r.VersionID).Scan(&r.ProductID)
		})
	}
	p, err := s.FindProductByID(ctx, r.ProductID)
	if err != nil {
		return err
	}
	if !csreview.CanSelfReviewProduct(u, p) {
		return errForbidden()
	}
	var version string
	for _, v := range p.Versions {
		if v.ID == r.VersionID {
			version = v.Version
		}
	}
	var v csreview.Invalid
	if version == "" {
		v.Add("version_id", "not_of_product")
	}
	for _, q := range csreview.SelfReviewQuestions {
		a := r.Answers[q.ID]
		if a == "" {
			a = "unknown"
			if r.Answers == nil {
				r.Answers = map[string]string{}
			}
			r.Answers[q.ID] = a
		}
		v.OneOf(q.ID, a, []string{"yes", "no", "unknown"})
	}
	if err := v.Err(); err != nil {
		return err
	}
	rules, err := s.rules()
	if err != nil {
		return err
	}
	pack := rules.InForceOn(csreview.DateOf(s.DB.Now().In(beijing)))
	if r.Regime != "" {
		if pack, err = rules.Pack(r.Regime); err != nil {
			return err
		}
	}
	r.Regime, r.SupplierID = pack.ID, p.SupplierID
	r.OperatorID = csreview.ActingOperator(u)
	// The engine, as the system: the self-review keeps counts only.
	highest := map[string]csreview.Severity{}
	findings, unrated := map[string]int{}, map[string]int{}
	sys := csreview.NewContextWithUser(ctx, csreview.SystemUser("self-review"))
	r.SBOM = true
	rep, err := s.AssessVersion(sys, p.ID, r.VersionID, pack.ID, "self-review")
	switch {
	case csreview.ErrorCode(err) == csreview.ENOTFOUND:
		r.SBOM = false
	case err != nil:
		return err
	default:
		for _, c := range rep.Criteria {
			findings[c.ID] = c.Findings
			highest[c.ID] = c.Highest
			unrated[c.ID] = c.Unrated
		}
	}
	concerns := map[string][]string{}
	for _, q := range csreview.SelfReviewQuestions {
		if r.Answers[q.ID] != q.ConcernIf {
			continue
		}
		for _, c := range pack.Criteria {
			if c.Theme == q.Theme {
				concerns[c.ID] = append(concerns[c.ID], q.ID)
				break
			}
		}
	}
	r.Summary = nil
	for _, c := range pack.Criteria {
		r.Summary = append(r.Summary, csreview.SelfReviewItem{Criterion: c.ID, Text: csreview.Text{ZH: c.Text.ZH, EN: c.Text.EN},
			Article: c.Article, Findings: findings[c.ID], Highest: highest[c.ID], Unrated: unrated[c.ID], Concerns: concerns[c.ID]})
	}
	r.Report = draftReport(pack, p, version, r)
	return s.DB.write(ctx, func(tx *Tx) error {
		r.CreatedBy, r.CreatedAt = u.ID, tx.now
		answers, _ := json.Marshal(map[string]any{"answers": r.Answers, "notes": r.Notes, "lang": r.Lang, "sbom": r.SBOM})
		summary, _ := json.Marshal(r.Summary)
		if err := tx.queryRow(`INSERT INTO self_reviews (product_id, version_id, supplier_id, operator_id, regime, answers_json,
			summary_json, report, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.ProductID, r.VersionID, r.SupplierID, idcol{&r.OperatorID}, r.Regime, string(answers), string(summary), r.Report,
			idcol{&r.CreatedBy}, formatTime(tx.now)).Scan(&r.ID); err != nil {
			return mapError(err)
		}
		return tx.audit("create", "self_review", r.ID, nil, map[string]any{"version_id": r.VersionID, "regime": r.Regime})
	})
}

// draftReport writes the draft analysis report on national-security
// impact that a filing attaches (2021 Measures Art. 8(2)).
func draftReport(pack *regime.Pack, p *csreview.Product, version string, r *csreview.SelfReview) string {
	lang := r.Lang
	en := strings.HasPrefix(lang, "en")
	t := func(zh, e string) string {
		if en {
			return e
		}
		return zh
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", t("国家安全影响分析报告（草稿）", "Analysis report on national-security impact (draft)"))
	fmt.Fprintf(&b, "%s%s %s\n", t("产品或服务：", "Product or service: "), p.Name(lang), version)
	fmt.Fprintf(&b, "%s%s\n", t("适用办法：", "Measures: "), pack.Title.In(lang))
	for _, m := range pack.Materials {
		if m.ID == "impact_report" {
			fmt.Fprintf(&b, "%s\n", t("（申报材料之一，依据"+pack.Cite(m.Article, "zh")+"。）",
				"(A filing material under "+pack.Cite(m.Article, "en")+".)"))
		}
	}
	b.WriteString("\n" + t("一、技术评估（按审查要素）", "1. Technical assessment, by review factor") + "\n")
	if !r.SBOM {
		b.WriteString(t("  该版本未登记 SBOM，未能进行组件与漏洞分析；建议由供应商提供 SBOM 后补充。\n",
			"  No SBOM is registered for this version, so components and vulnerabilities were not analysed; ask the supplier for one.\n"))
	}
	qs := map[string]csreview.Question{}
	for _, q := range csreview.SelfReviewQuestions {
		qs[q.ID] = q
	}
	for _, it := range r.Summary {
		txt := it.Text.ZH
		if en {
			txt = it.Text.EN
		}
		fmt.Fprintf(&b, "- %s [%s]\n", txt, pack.Cite(it.Article, lang))
		if r.SBOM {
			if it.Findings > 0 {
				line := fmt.Sprintf(t("自动化分析发现 %d 项问题", "Automated analysis: %d findings"), it.Findings)
				if it.Highest != "" {
					line += fmt.Sprintf(t("，已评级的最高严重程度：%s", ", the highest rated severity %s"), severityWord(it.Highest, en))
				}
				if it.Unrated > 0 {
					line += fmt.Sprintf(t("；其中 %d 个漏洞未评级，风险未知，须由评估人员评级", "; %d vulnerabilities are unrated: their risk is unknown until an assessor rates them"), it.Unrated)
				}
				fmt.Fprintf(&b, "  %s\n", line+t("。", "."))
			} else {
				fmt.Fprintf(&b, "  %s\n", t("自动化分析未发现问题。", "Automated analysis: no findings."))
			}
		}
		for _, id := range it.Concerns {
			q := qs[id]
			text := q.ZH
			if en {
				text = q.EN
			}
			note := r.Notes[id]
			fmt.Fprintf(&b, "  %s%s%s\n", t("需关注：", "Concern: "), text, map[bool]string{true: "", false: " — " + note}[note == ""])
		}
	}
	b.WriteString("\n" + t("二、非技术因素问卷", "2. Questionnaire on non-technical factors") + "\n")
	for _, q := range csreview.SelfReviewQuestions {
		text := q.ZH
		if en {
			text = q.EN
		}
		ans := map[string]string{"yes": t("是", "yes"), "no": t("否", "no"), "unknown": t("不清楚", "unknown")}[r.Answers[q.ID]]
		fmt.Fprintf(&b, "- %s %s\n", text, ans)
	}
	n := 0
	for _, it := range r.Summary {
		n += len(it.Concerns)
		// An unrated vulnerability is not known to be below high: it
		// needs attention as a high one does.
		if it.Highest == csreview.SeverityCritical || it.Highest == csreview.SeverityHigh || it.Unrated > 0 {
			n++
		}
	}
	b.WriteString("\n" + t("三、初步结论", "3. Preliminary conclusion") + "\n")
	if n == 0 {
		b.WriteString(t("  自查未发现明显的国家安全风险；是否申报仍应由运营者依据第五条作出预判。\n",
			"  The self-review found no evident national-security risk; whether to file remains the operator's forecast under Art. 5.\n"))
	} else {
		fmt.Fprintf(&b, "  %s\n", fmt.Sprintf(t("自查发现 %d 项需关注的风险，采购可能影响国家安全，建议申报网络安全审查并说明缓解措施。",
			"The self-review found %d risks needing attention; the purchase may affect national security, and filing for review with mitigation measures is advised."), n))
	}
	return b.String()
}

func scanSelfReview(row interface{ Scan(...any) error }) (*csreview.SelfReview, error) {
	r := new(csreview.SelfReview)
	var answers, summary string
	if err := row.Scan(&r.ID, &r.ProductID, &r.VersionID, &r.SupplierID, idcol{&r.OperatorID}, &r.Regime, &answers, &summary,
		&r.Report, idcol{&r.CreatedBy}, tcol{&r.CreatedAt}); err != nil {
		return nil, mapError(err)
	}
	var a struct {
		Answers map[string]string `json:"answers"`
		Notes   map[string]string `json:"notes"`
		Lang    string            `json:"lang"`
		SBOM    bool              `json:"sbom"`
	}
	json.Unmarshal([]byte(answers), &a)
	r.Answers, r.Notes, r.Lang, r.SBOM = a.Answers, a.Notes, a.Lang, a.SBOM
	json.Unmarshal([]byte(summary), &r.Summary)
	return r, nil
}

const selfReviewCols = `id, product_id, version_id, supplier_id, operator_id, regime, answers_json, summary_json, report, created_by, created_at`

// FindSelfReview returns a self-review the caller may read.
func (s *Store) FindSelfReview(ctx context.Context, id int64) (r *csreview.SelfReview, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		r, err = scanSelfReview(tx.queryRow(`SELECT `+selfReviewCols+` FROM self_reviews WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "self_review", id)
		}
		if !csreview.CanReadSelfReview(tx.actor, r) {
			return errNotFound("self_review", id)
		}
		return nil
	})
	return r, err
}

// FindSelfReviews lists the caller's self-reviews (of one version, or
// all), newest first.
func (s *Store) FindSelfReviews(ctx context.Context, versionID int64) (list []*csreview.SelfReview, err error) {
	// The newest 200 the caller may read: read newest first in batches
	// until that many are found, so that others' newer self-reviews never
	// hide the caller's own.
	const want, batch = 200, 500
	err = s.DB.read(ctx, func(tx *Tx) error {
		before := int64(-1)
		for {
			q := `SELECT ` + selfReviewCols + ` FROM self_reviews WHERE 1 = 1`
			var args []any
			if versionID != 0 {
				q += ` AND version_id = ?`
				args = append(args, versionID)
			}
			if before >= 0 {
				q += ` AND id < ?`
				args = append(args, before)
			}
			rows, err := tx.query(q+` ORDER BY id DESC LIMIT `+strconv.Itoa(batch), args...)
			if err != nil {
				return err
			}
			n := 0
			for rows.Next() {
				r, err := scanSelfReview(rows)
				if err != nil {
					rows.Close()
					return err
				}
				n++
				before = r.ID
				if csreview.CanReadSelfReview(tx.actor, r) && len(list) < want {
					list = append(list, r)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return mapError(err)
			}
			if n < batch || len(list) >= want {
				return nil
			}
		}
	})
	return list, err
}

// severityWord names a severity in the draft's language; "" is a criterion
// whose findings the supplier's VEX all states not affected or fixed.
func severityWord(s csreview.Severity, en bool) string {
	zh := map[csreview.Severity]string{csreview.SeverityCritical: "严重", csreview.SeverityHigh: "高", csreview.SeverityMedium: "中",
		csreview.SeverityLow: "低", csreview.SeverityInfo: "提示", csreview.SeverityNone: "无风险", csreview.SeverityUnrated: "未评级"}
	switch {
	case s == "" && en:
		return "none that counts (the supplier's VEX states the rest not affected or fixed)"
	case s == "":
		return "无（其余均经供应商 VEX 声明不受影响或已修复）"
	case en:
		return string(s)
	}
	if w, ok := zh[s]; ok {
		return w
	}
	return string(s)
}
