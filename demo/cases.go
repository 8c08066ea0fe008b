package demo

import (
	"context"
	"fmt"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/review"
)

// CaseServices is what loading the demo cases needs; Load walks the cases
// when its services have them.
type CaseServices interface {
	CreateCase(ctx context.Context, c *csreview.Case, files []csreview.FileUpload) error
	Act(ctx context.Context, id int64, in csreview.CaseAction) (*csreview.Case, error)
	CreateEvidence(ctx context.Context, e *csreview.Evidence, files []csreview.FileUpload) error
	PublishCase(ctx context.Context, caseID int64, opt csreview.PublishOptions) ([]*csreview.ListEntry, error)
}

// demoCase is a filing under the 2021 Measures by the demo bank, walked as
// far as decision and publication.
type demoCase struct {
	title    string
	product  string // NameEN
	versions []string
	// outcome is "pass" or "fail"; "" leaves the case in assessment.
	outcome  string
	evidence []csreview.Evidence
	reasons  map[string]string
	// reReview, when set, is re-reviewed and failed after publication.
	reReview *demoCase
}

func demoCases() []demoCase {
	return []demoCase{
		{title: "海川银行新一代核心账务系统数据库采购", product: "HengDB Distributed Relational Database", versions: []string{"5.2.1"},
			outcome: "pass",
			evidence: []csreview.Evidence{
				{Method: "lab_test", Summary: "源代码安全审计与渗透测试：未发现未声明的远程访问接口；透明数据加密使用国密 SM4。",
					Findings: []*csreview.Finding{{Criterion: "cac2021.10.1", Risk: "low", Text: "管理端口默认仅监听内网地址，未发现后门。"}}},
				{Method: "onsite_inspection", Summary: "现场核查研发与交付环境：代码仓库、构建流水线和制品签名均在境内。",
					Findings: []*csreview.Finding{{Criterion: "cac2021.10.2", Risk: "low", Text: "两地三中心部署，关键组件有备选供应商。"}}},
			},
			reasons: map[string]string{"cac2021.10.1": "未发现被非法控制的风险。", "cac2021.10.2": "供应中断风险可控。"}},
		{title: "海川银行 5G 专网核心网采购", product: "Revontuli Cloud-Native 5G Core", versions: []string{"25.1"},
			outcome: "fail",
			evidence: []csreview.Evidence{
				{Method: "lab_test", Summary: "对核心网网元进行协议模糊测试和固件分析。",
					Findings: []*csreview.Finding{{Criterion: "cac2021.10.1", Risk: "high", Text: "远程技术支持通道可绕过运营商堡垒机直连 UPF 管理面。"}}},
				{Method: "background_investigation", Summary: "背景调查：供应商受境外出口管制法律约束，可能被要求停止技术支持。",
					Findings: []*csreview.Finding{{Criterion: "cac2021.10.3", Risk: "high", Text: "存在因外部因素导致供应中断的风险。"}}},
			},
			reasons: map[string]string{"cac2021.10.1": "存在被非法控制的风险。", "cac2021.10.3": "供应渠道可靠性不足。"}},
		{title: "海川银行数据中心服务器集中采购", product: "Fengsuan FS-R5280 2-Socket Rack Server", versions: []string{"BMC V3.1.6"},
			outcome: "pass",
			evidence: []csreview.Evidence{
				{Method: "lab_test", Summary: "BMC 固件分析与 Redfish 接口测试。",
					Findings: []*csreview.Finding{{Criterion: "cac2021.10.1", Risk: "low", Text: "未发现未声明的管理账户。"}}},
			},
			reasons: map[string]string{"cac2021.10.1": "未发现被非法控制的风险。"},
			reReview: &demoCase{title: "复审：FS-R5280 BMC 固件降级漏洞", outcome: "fail",
				evidence: []csreview.Evidence{
					{Method: "online_monitoring", Summary: "持续监测发现 BMC 固件可被降级到未签名版本。",
						Findings: []*csreview.Finding{{Criterion: "cac2021.10.1", Risk: "critical", Text: "攻击者可降级固件后植入持久化后门。"}}},
				},
				reasons: map[string]string{"cac2021.10.1": "存在被非法控制的风险，原通过结论撤销。"}}},
		{title: "海川银行分布式存储扩容采购", product: "Fengsuan FS-S9000 All-Flash Distributed Storage", versions: []string{"V6.1"}},
	}
}

// filing2021 are the materials the 2021 Measures Art. 8 require.
func filing2021(title string) []csreview.FileUpload {
	return []csreview.FileUpload{
		{Kind: "application_form", Name: "申报书.pdf", MediaType: "application/pdf", Content: []byte("%PDF-1.4 申报书：" + title)},
		{Kind: "impact_report", Name: "国家安全影响分析报告.pdf", MediaType: "application/pdf", Content: []byte("%PDF-1.4 影响分析：" + title)},
		{Kind: "procurement_documents", Name: "采购文件.pdf", MediaType: "application/pdf", Content: []byte("%PDF-1.4 采购文件：" + title)},
	}
}

// loadCases files the demo cases as the demo bank and walks them through
// the 2021 procedure as each role would, all today: screening, assessment
// by the Hengxin lab, the office's recommendation, a member unit's
// agreement, the decision and publication. One pass is later revoked by a
// failed re-review; one case stays in assessment for the assessor.
func loadCases(ctx context.Context, s CaseServices, users map[csreview.Role]*csreview.User, operatorID, bodyID int64,
	versionID func(product, version string) (supplierID, id int64)) error {
	as := func(r csreview.Role) context.Context { return csreview.NewContextWithUser(ctx, users[r]) }
	act := func(id int64, r csreview.Role, in csreview.CaseAction) error {
		if _, err := s.Act(as(r), id, in); err != nil {
			return fmt.Errorf("case %d: %s: %w", id, in.Action, err)
		}
		return nil
	}
	// The 2021 Measures send the conclusion to the party only (Art. 12–13);
	// the demo bank agreed to publication.
	publish := csreview.PublishOptions{ConfirmNoBasis: true}
	walk := func(c *csreview.Case, dc demoCase, filer csreview.Role) error {
		if err := s.CreateCase(as(filer), c, filing2021(dc.title)); err != nil {
			return fmt.Errorf("case %s: %w", dc.title, err)
		}
		steps := []struct {
			r  csreview.Role
			in csreview.CaseAction
		}{
			{csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept, Note: "材料齐全，予以受理。"}},
			{csreview.RoleOffice, csreview.CaseAction{Action: review.ActAssignBody, BodyID: bodyID}},
		}
		for _, st := range steps {
			if err := act(c.ID, st.r, st.in); err != nil {
				return err
			}
		}
		if dc.outcome == "" {
			return nil
		}
		for _, e := range dc.evidence {
			e.CaseID = c.ID
			if err := s.CreateEvidence(as(csreview.RoleAssessor), &e, nil); err != nil {
				return fmt.Errorf("case %s: evidence: %w", dc.title, err)
			}
		}
		steps = []struct {
			r  csreview.Role
			in csreview.CaseAction
		}{
			{csreview.RoleAssessor, csreview.CaseAction{Action: review.ActSubmitReport}},
			{csreview.RoleOffice, csreview.CaseAction{Action: review.ActRecommend, Consult: []string{"工业和信息化部"}, Position: dc.outcome, Note: "依据评估报告提出审查结论建议。"}},
			{csreview.RoleMember, csreview.CaseAction{Action: review.ActMemberReply, Position: "agree", Note: "同意办公室建议。"}},
			{csreview.RoleOffice, csreview.CaseAction{Action: review.ActCloseReplies}},
			{csreview.RoleOffice, csreview.CaseAction{Action: review.ActDecide, Position: dc.outcome, Reasons: dc.reasons}},
		}
		for _, st := range steps {
			if err := act(c.ID, st.r, st.in); err != nil {
				return err
			}
		}
		if _, err := s.PublishCase(as(csreview.RoleOffice), c.ID, publish); err != nil {
			return fmt.Errorf("case %s: publish: %w", dc.title, err)
		}
		return nil
	}
	for _, dc := range demoCases() {
		c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: dc.title, OperatorID: operatorID,
			PurchaseAmount: 18600000}
		for _, v := range dc.versions {
			sid, vid := versionID(dc.product, v)
			if vid == 0 {
				return fmt.Errorf("demo case %s: no version %s of %s", dc.title, v, dc.product)
			}
			c.SupplierID = sid
			c.VersionIDs = append(c.VersionIDs, vid)
		}
		if err := walk(c, dc, csreview.RoleOperator); err != nil {
			return err
		}
		if dc.reReview != nil {
			re := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: dc.reReview.title, OperatorID: operatorID,
				SupplierID: c.SupplierID, VersionIDs: c.VersionIDs, ParentID: c.ID}
			if err := walk(re, *dc.reReview, csreview.RoleOffice); err != nil {
				return err
			}
		}
	}
	return nil
}
