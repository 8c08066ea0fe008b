package demo

import (
	"context"
	"fmt"

	"github.com/csreview/csreview"
)

// OversightServices is what loading the demo inventory needs.
type OversightServices interface {
	ImportInventory(ctx context.Context, list []*csreview.InventoryEntry) error
	CreateDetermination(ctx context.Context, d *csreview.Determination) error
	CheckProcurement(ctx context.Context, r csreview.ProcurementRequest) (*csreview.ProcurementAnswer, error)
	AddProhibition(ctx context.Context, p *csreview.Prohibition) (*csreview.MonitorResult, error)
	Sweep(ctx context.Context) (*csreview.SweepResult, error)
	CreateSelfReview(ctx context.Context, r *csreview.SelfReview) error
}

// loadOversight gives the demo bank an inventory that covers every status
// — a passed database, a failed 5G core it planned to buy, a revoked
// server still in use, storage under review, a firewall nobody reviewed —
// the finance regulator's determinations, and the bank's first checks.
func loadOversight(ctx context.Context, s OversightServices, users map[csreview.Role]*csreview.User, today csreview.Date,
	versionID func(product, version string) (supplierID, id int64)) error {
	as := func(r csreview.Role) context.Context { return csreview.NewContextWithUser(ctx, users[r]) }
	for _, d := range []*csreview.Determination{
		{Category: csreview.CategorySoftware, Affects: true, DecidedOn: date(today, 0, -4, 0),
			Reason: "银行核心业务系统使用的大型数据库一旦被控制或中断，将影响支付清算和金融稳定，采购可能影响国家安全。"},
		{Category: csreview.CategorySecurity, Affects: true, DecidedOn: date(today, 0, -4, 0),
			Reason: "部署在互联网边界和核心区的网络安全设备掌握全部流量，采购可能影响国家安全。"},
		{Category: csreview.CategoryStorage, Affects: false, DecidedOn: date(today, 0, -4, 0),
			Reason: "办公和归档用途的存储设备不承载核心业务数据，采购不影响国家安全。"},
	} {
		if err := s.CreateDetermination(as(csreview.RoleRegulator), d); err != nil {
			return fmt.Errorf("determination: %w", err)
		}
	}
	type entry struct {
		product, version string
		csreview.InventoryEntry
	}
	entries := []entry{
		{"HengDB Distributed Relational Database", "5.2.1", csreview.InventoryEntry{System: "新一代核心账务系统",
			Stage: csreview.StageInUse, Amount: 18_600_000, PurchasedOn: date(today, 0, -1, 0), Forecast: "may_affect",
			CommitData: true, CommitControl: true, CommitSupply: true, CommitmentsRef: "HC-CG-2025-0117 第九章",
			Agreement: true, AgreementOn: date(today, 0, -1, 0), AgreementRef: "HC-AQ-2025-031"}},
		{"Revontuli Cloud-Native 5G Core", "25.1", csreview.InventoryEntry{System: "5G 专网（营业网点互联）",
			Stage: csreview.StagePlanned, Amount: 32_000_000, Forecast: "may_affect"}},
		{"Fengsuan FS-R5280 2-Socket Rack Server", "BMC V3.1.6", csreview.InventoryEntry{System: "同城灾备数据中心计算资源池",
			Stage: csreview.StageInUse, Amount: 4_800_000, PurchasedOn: date(today, 0, -1, 0), Forecast: "may_affect",
			CommitData: true, CommitControl: true, CommitSupply: true, Agreement: true}},
		{"Fengsuan FS-S9000 All-Flash Distributed Storage", "V6.1", csreview.InventoryEntry{System: "影像档案存储",
			Stage: csreview.StagePlanned, Amount: 6_500_000, Forecast: "no_effect"}},
		{"Panyuan Next-Generation Firewall", "V7.0.2", csreview.InventoryEntry{System: "互联网边界防护",
			Stage: csreview.StageInUse, Amount: 2_350_000, PurchasedOn: date(today, -1, 0, 0), Agreement: true,
			Notes: "2024 年采购时未作国家安全风险预判。"}},
		{"Xinghe XR-9000 Series Core Router", "V8.2.1", csreview.InventoryEntry{System: "总行骨干网",
			Stage: csreview.StageRetired, Amount: 9_100_000, PurchasedOn: date(today, -2, 0, 0)}},
	}
	list := make([]*csreview.InventoryEntry, len(entries))
	for i := range entries {
		e := &entries[i]
		if _, e.VersionID = versionID(e.product, e.version); e.VersionID == 0 {
			return fmt.Errorf("demo inventory: no version %s of %s", e.version, e.product)
		}
		list[i] = &e.InventoryEntry
	}
	if err := s.ImportInventory(as(csreview.RoleOperator), list); err != nil {
		return fmt.Errorf("demo inventory: %w", err)
	}
	// The office lists the supplier whose 5G core failed: every version of
	// its products is flagged, and the bank's planned purchase with them.
	if _, err := s.AddProhibition(as(csreview.RoleOffice), &csreview.Prohibition{Supplier: "Revontuli Networks Oy",
		Reason: "受境外出口管制法律约束，可能被要求停止对境内用户的供应和技术支持（供应中断风险）。"}); err != nil {
		return fmt.Errorf("demo prohibition: %w", err)
	}
	for _, e := range list[:3] {
		if _, err := s.CheckProcurement(as(csreview.RoleOperator), csreview.ProcurementRequest{InventoryID: e.ID}); err != nil {
			return fmt.Errorf("demo procurement check: %w", err)
		}
	}
	// The bank self-reviews the storage it plans to buy.
	if err := s.CreateSelfReview(as(csreview.RoleOperator), &csreview.SelfReview{VersionID: list[3].VersionID, Lang: "zh-CN",
		Answers: map[string]string{"supply_alternatives": "yes", "supply_commitment": "yes", "data_outbound": "no",
			"remote_access": "yes", "export_control": "no", "legal_record": "no", "foreign_control": "no"},
		Notes: map[string]string{"remote_access": "厂商原厂维保需通过 VPN 远程登录管理节点，拟改为现场陪同。"}}); err != nil {
		return fmt.Errorf("demo self-review: %w", err)
	}
	// The sweep finds the revoked server and the unreviewed firewall still
	// in use.
	if _, err := s.Sweep(as(csreview.RoleOffice)); err != nil {
		return fmt.Errorf("demo sweep: %w", err)
	}
	return nil
}
