// Package demo loads a small, realistic data set so that a newcomer sees a
// living review system with one command (`csreview serve --demo`, DESIGN §7):
// suppliers at home and abroad, products and services in every category of
// the 2021 Measures Art. 21, CII operators in every sector of CSL Art. 31, a
// platform operator over the Art. 7 threshold, accredited third-party bodies
// (one of them lapsed), and one account per role.
//
// Every organisation, person, code and address here is fictional; websites
// use the reserved ".example" domain (RFC 2606).
package demo

import (
	"context"
	"fmt"

	"github.com/csreview/csreview"
)

// Password is the password of every demo account. It is published on
// purpose: demo data is for trying the system, never for production.
const Password = "csreview-demo"

// Services is what Load needs.
type Services interface {
	csreview.SupplierService
	csreview.ProductService
	csreview.OperatorService
	csreview.BodyService
	csreview.UserService
}

// Account is a demo sign-in, for the start-up log.
type Account struct {
	Username, Password string
	Role               csreview.Role
	// Org is the organisation the account acts for: its supplier, operator,
	// body, sector department or institution.
	Org string
}

// Load loads the demo data set through the services, so that every record
// is validated, authorized and audited like any other, using ctx's actor,
// which must be allowed to create everything (callers pass
// csreview.NewContextWithUser(ctx, csreview.SystemUser("demo"))). It returns
// the demo accounts, one per role, each with the username of its role.
//
// Load does not check whether the store is empty: the caller does. Run on a
// store that already holds the demo data it fails with ECONFLICT at the
// first record, before writing anything. today anchors the accreditation
// periods of the bodies, so that most are valid and one lapsed last year
// whenever the demo starts; a today that is not a date is EINVALID.
func Load(ctx context.Context, s Services, today csreview.Date) (accounts []Account, err error) {
	defer csreview.Wrap(&err, "demo.Load")
	return load(ctx, s, nil, today)
}

// LoadAll is Load followed by the demo review cases: filed by the demo
// bank under the 2021 Measures and walked by each role as far as a
// decision and its publication, with one pass revoked by a re-review and
// one case left in assessment. The store's clock must read today.
func LoadAll(ctx context.Context, s interface {
	Services
	CaseServices
}, today csreview.Date) (accounts []Account, err error) {
	defer csreview.Wrap(&err, "demo.LoadAll")
	return load(ctx, s, s, today)
}

func load(ctx context.Context, s Services, cs CaseServices, today csreview.Date) (accounts []Account, err error) {
	if !today.Valid() {
		return nil, csreview.Errorf(csreview.EINVALID, "Invalid date %q for today.", today)
	}

	// Each organisation is created, then referred to by its key; names
	// are kept for the accounts' Org.
	ids := map[string]int64{}
	orgNames := map[string]string{}

	for _, x := range suppliers() {
		if err := s.CreateSupplier(ctx, &x.Supplier); err != nil {
			return nil, fmt.Errorf("supplier %s: %w", x.NameZH, err)
		}
		ids[x.key], orgNames[x.key] = x.ID, x.NameZH
	}
	for _, x := range bodies(today) {
		if err := s.CreateBody(ctx, &x.Body); err != nil {
			return nil, fmt.Errorf("body %s: %w", x.NameZH, err)
		}
		ids[x.key], orgNames[x.key] = x.ID, x.NameZH
	}
	for _, x := range operators() {
		if err := s.CreateOperator(ctx, &x.Operator); err != nil {
			return nil, fmt.Errorf("operator %s: %w", x.NameZH, err)
		}
		ids[x.key], orgNames[x.key] = x.ID, x.NameZH
	}
	var prods []*csreview.Product
	for _, x := range products() {
		x.SupplierID = ids[x.supplier]
		if err := s.CreateProduct(ctx, &x.Product); err != nil {
			return nil, fmt.Errorf("product %s: %w", x.NameZH, err)
		}
		prods = append(prods, &x.Product)
	}
	byRole := map[csreview.Role]*csreview.User{}
	for _, x := range users() {
		u := x.User
		u.SupplierID, u.OperatorID, u.BodyID = ids[x.supplier], ids[x.operator], ids[x.body]
		if err := s.CreateUser(ctx, &u, Password); err != nil {
			return nil, fmt.Errorf("user %s: %w", u.Username, err)
		}
		org := u.Org
		for _, key := range []string{x.supplier, x.operator, x.body} {
			if key != "" {
				org = orgNames[key]
			}
		}
		accounts = append(accounts, Account{Username: u.Username, Password: Password, Role: u.Role, Org: org})
		byRole[u.Role] = &u
	}
	if cs != nil {
		versionID := func(product, version string) (int64, int64) {
			for _, p := range prods {
				for _, v := range p.Versions {
					if p.NameEN == product && v.Version == version {
						return p.SupplierID, v.ID
					}
				}
			}
			return 0, 0
		}
		if err := loadCases(ctx, cs, byRole, ids["haichuan"], ids["hengxin"], versionID); err != nil {
			return nil, err
		}
		if os, ok := cs.(OversightServices); ok {
			if err := loadOversight(ctx, os, byRole, today, versionID); err != nil {
				return nil, err
			}
		}
	}
	return accounts, nil
}

// uscc completes the first 17 characters of a unified social credit code
// with its check character (GB 32100-2015). A bad prefix gives a code that
// fails validation, so a typo here shows up as EINVALID, not as a panic.
func uscc(first17 string) string { return first17 + string([]byte{csreview.USCCCheck(first17)}) }

// date returns the day n years, m months and d days from day.
func date(day csreview.Date, years, months, days int) csreview.Date {
	return csreview.DateOf(day.Time().AddDate(years, months, days))
}

// Groups shared between suppliers and bodies, or between a foreign parent
// and its Chinese subsidiary: the data later checks for conflicts of
// interest and for foreign control need them spelt identically.
const (
	groupXinghe   = "星河通信集团"
	groupYunxiu   = "云岫控股集团"
	groupCascadia = "Cascadia Data Systems"
)

type supplier struct {
	key string
	csreview.Supplier
}

func suppliers() []supplier {
	return []supplier{
		{"xinghe", csreview.Supplier{
			NameZH:    "北京星河网络技术有限公司",
			NameEN:    "Beijing Xinghe Network Technology Co., Ltd.",
			Country:   "CN",
			USCC:      uscc("91110108MA01R7K3X"),
			Group:     groupXinghe,
			Ownership: "国有控股：星河通信集团有限公司持股 51%，最终控制人为地方国有资产监督管理机构；其余股份由员工持股平台和境内产业基金持有。",
			Address:   "北京市海淀区西北旺东路 10 号院星河科技园 3 号楼",
			Contact:   "合规与网络安全部 赵立群，010-5687 3100，compliance@xinghe-net.example",
			Website:   "https://www.xinghe-net.example",
		}},
		{"yunxiu", csreview.Supplier{
			NameZH:    "江苏云岫数据科技有限公司",
			NameEN:    "Jiangsu Yunxiu Data Technology Co., Ltd.",
			Country:   "CN",
			USCC:      uscc("91320115MA1WQ8T5E"),
			Group:     groupYunxiu,
			Ownership: "民营：云岫控股集团有限公司持股 68%，创始团队持股 20%，境内外财务投资者合计持股 12%。",
			Address:   "江苏省南京市江宁区秣陵街道云岫路 88 号",
			Contact:   "政企合规中心 刘晓燕，025-6910 2288，gov-compliance@yunxiu-cloud.example",
			Website:   "https://www.yunxiu-cloud.example",
		}},
		{"fengsuan", csreview.Supplier{
			NameZH:    "杭州峰算信息技术有限公司",
			NameEN:    "Hangzhou Fengsuan Information Technology Co., Ltd.",
			Country:   "CN",
			USCC:      uscc("91330108MA2H4C9L6"),
			Group:     "峰算科技集团",
			Ownership: "混合所有制：峰算科技集团有限公司持股 45%，地方国有资本投资公司持股 30%，员工持股平台持股 25%。",
			Address:   "浙江省杭州市滨江区长河街道江虹路 1750 号",
			Contact:   "产品安全响应中心，0571-8655 0199，psirt@fengsuan.example",
			Website:   "https://www.fengsuan.example",
		}},
		{"hengshu", csreview.Supplier{
			NameZH:    "上海恒数软件股份有限公司",
			NameEN:    "Shanghai Hengshu Software Co., Ltd.",
			Country:   "CN",
			USCC:      uscc("91310115753528046"),
			Ownership: "民营上市公司（A 股），第一大股东为公司创始人，持股 23.6%；无实际控制的境外股东。",
			Address:   "上海市浦东新区张江高科技园区碧波路 690 号",
			Contact:   "董事会办公室 陈静，021-5080 6612，ir@hengshu-soft.example",
			Website:   "https://www.hengshu-soft.example",
		}},
		{"panyuan", csreview.Supplier{
			NameZH:    "成都磐垣网络安全技术有限公司",
			NameEN:    "Chengdu Panyuan Cybersecurity Technology Co., Ltd.",
			Country:   "CN",
			USCC:      uscc("91510107MA6CJ2P8Y"),
			Group:     "磐垣安全",
			Ownership: "民营：创始团队控股 61%，国有创业投资基金参股 15%，其余为境内机构投资者。",
			Address:   "四川省成都市武侯区天府大道中段 1268 号天府软件园 E 区",
			Contact:   "安全合规部 何志强，028-8532 7706，security@panyuan-sec.example",
			Website:   "https://www.panyuan-sec.example",
		}},
		{"cascadia-cn", csreview.Supplier{
			NameZH:    "卡斯卡迪亚数据系统（上海）有限公司",
			NameEN:    "Cascadia Data Systems (Shanghai) Co., Ltd.",
			Country:   "CN",
			USCC:      uscc("91310115MA1FL3N70"),
			Group:     groupCascadia,
			Ownership: "外资独资, ultimate parent Cascadia Data Systems, Inc. (United States, Nasdaq-listed, widely held)",
			Address:   "上海市浦东新区世纪大道 1168 号东方金融广场 B 座 21 层",
			Contact:   "客户支持中心，400-820-6633，support-cn@cascadia-data.example",
			Website:   "https://cn.cascadia-data.example",
		}},
		{"cascadia", csreview.Supplier{
			NameZH:         "卡斯卡迪亚数据系统公司",
			NameEN:         "Cascadia Data Systems, Inc.",
			Country:        "US",
			RegistrationNo: "Delaware 6184372",
			Group:          groupCascadia,
			Ownership:      "Publicly listed on Nasdaq, widely held; no shareholder above 10%. 境外上市公司，股权分散，无控股股东。",
			Address:        "1450 Harbor View Drive, Bellevue, WA 98004, United States",
			Contact:        "Trust & Compliance Office, +1 425 555 0142, trust@cascadia-data.example",
			Website:        "https://www.cascadia-data.example",
		}},
		{"elbtal", csreview.Supplier{
			NameZH:         "易北谷网络技术有限公司",
			NameEN:         "Elbtal Netzwerktechnik GmbH",
			Country:        "DE",
			RegistrationNo: "HRB 41873 (Amtsgericht Dresden)",
			Group:          "Elbtal Holding",
			Ownership:      "Family-owned: Elbtal Holding GmbH & Co. KG holds 100%. 家族控股的德国有限责任公司。",
			Address:        "Königsbrücker Straße 96, 01099 Dresden, Germany",
			Contact:        "Product Security, +49 351 555 2740, psirt@elbtal-net.example",
			Website:        "https://www.elbtal-net.example",
		}},
		{"kazahana", csreview.Supplier{
			NameZH:         "风花电子株式会社",
			NameEN:         "Kazahana Electronics K.K.",
			Country:        "JP",
			RegistrationNo: "8010401098765",
			Group:          "Kazahana Holdings",
			Ownership:      "Listed on the Tokyo Stock Exchange; Kazahana Holdings Co., Ltd. holds 38%. 东京证券交易所上市公司。",
			Address:        "3-4-1 Shibaura, Minato-ku, Tokyo 108-0023, Japan",
			Contact:        "Global Storage Support, +81 3 5555 0188, storage-support@kazahana.example",
			Website:        "https://www.kazahana.example",
		}},
		{"revontuli", csreview.Supplier{
			NameZH:         "极光网络有限公司",
			NameEN:         "Revontuli Networks Oy",
			Country:        "FI",
			RegistrationNo: "3145926-0",
			Ownership:      "Private; ultimate parent Nordkapp Capital Partners Fund III (Luxembourg) holds 72%, founders 28%. 私募基金控股。",
			Address:        "Otaniementie 12, 02150 Espoo, Finland",
			Contact:        "Customer Compliance, +358 9 5555 3310, compliance@revontuli.example",
			Website:        "https://www.revontuli.example",
		}},
	}
}

type product struct {
	supplier string
	csreview.Product
}

// versions lists a product's versions, oldest first.
func versions(vs ...csreview.ProductVersion) []*csreview.ProductVersion {
	list := make([]*csreview.ProductVersion, len(vs))
	for i := range vs {
		list[i] = &vs[i]
	}
	return list
}

func products() []product {
	return []product{
		{"xinghe", csreview.Product{
			NameZH: "星河 XR-9000 系列核心路由器", NameEN: "Xinghe XR-9000 Series Core Router",
			Category: csreview.CategoryCoreNetwork, Model: "XR-9016",
			Description: "面向运营商骨干网和城域网核心的高端路由器，单框 16 个业务槽位，支持 SRv6、EVPN 和 400GE 接口，控制平面与转发平面物理分离。",
			Versions: versions(
				csreview.ProductVersion{Version: "V8.2.1", ReleasedOn: "2023-04-18", Notes: "首个支持 400GE 线卡的商用版本。"},
				csreview.ProductVersion{Version: "V8.3.0", ReleasedOn: "2024-06-25", Notes: "默认关闭 Telnet 和 SNMPv2c，管理面仅允许 SSH 密钥登录。"},
			),
		}},
		{"xinghe", csreview.Product{
			NameZH: "星河 XS-7800 数据中心交换机", NameEN: "Xinghe XS-7800 Data Center Switch",
			Category: csreview.CategoryCoreNetwork, Model: "XS-7850-64C",
			Description: "数据中心核心与汇聚层交换机，64 个 100GE 端口，支持 VXLAN、BGP EVPN 和 RoCEv2 无损以太网。",
			Versions: versions(
				csreview.ProductVersion{Version: "V5.1.0", ReleasedOn: "2023-09-12"},
				csreview.ProductVersion{Version: "V5.2.3", ReleasedOn: "2024-11-05", Notes: "修复管理接口远程拒绝服务漏洞。"},
			),
		}},
		{"xinghe", csreview.Product{
			NameZH: "星河 5G 宏基站", NameEN: "Xinghe 5G NR Macro Base Station",
			Category: csreview.CategoryCommunication, Model: "XG-gNB-3600",
			Description: "5G NR 宏基站（BBU 加 AAU），支持 SA/NSA 组网，工作于 3.5 GHz 频段，64T64R 大规模天线阵列。",
			Versions: versions(
				csreview.ProductVersion{Version: "V3.1.2", ReleasedOn: "2023-12-20"},
				csreview.ProductVersion{Version: "V3.2.0", ReleasedOn: "2025-03-10", Notes: "新增基站侧远程维护通道的双因素认证。"},
			),
		}},
		{"revontuli", csreview.Product{
			NameZH: "Revontuli 云原生 5G 核心网", NameEN: "Revontuli Cloud-Native 5G Core",
			Category: csreview.CategoryCommunication, Model: "RC-5GC",
			Description: "云原生 5G 核心网软件，提供 AMF、SMF、UPF 等网络功能，以容器方式部署于运营商电信云，支持网络切片。",
			Versions: versions(
				csreview.ProductVersion{Version: "23.2", ReleasedOn: "2023-08-30"},
				csreview.ProductVersion{Version: "24.1", ReleasedOn: "2024-05-14"},
				csreview.ProductVersion{Version: "25.1", ReleasedOn: "2025-04-22", Notes: "远程技术支持改为经运营商堡垒机接入。"},
			),
		}},
		{"fengsuan", csreview.Product{
			NameZH: "峰算 FS-H8000 高性能计算系统", NameEN: "Fengsuan FS-H8000 High-Performance Computing System",
			Category: csreview.CategoryComputing, Model: "FS-H8000",
			Description: "液冷高性能计算集群，单机柜 128 个计算节点，200 Gb/s 高速互连，面向气象、能源勘探和科学计算。",
			Versions: versions(
				csreview.ProductVersion{Version: "V2.4.0", ReleasedOn: "2024-01-16", Notes: "集群管理软件与节点固件版本。"},
			),
		}},
		{"fengsuan", csreview.Product{
			NameZH: "峰算 FS-R5280 双路机架式服务器", NameEN: "Fengsuan FS-R5280 2-Socket Rack Server",
			Category: csreview.CategoryComputing, Model: "FS-R5280 G3",
			Description: "2U 双路通用服务器，最多 32 根内存、24 块 NVMe 硬盘，带外管理控制器（BMC）支持 Redfish。",
			Versions: versions(
				csreview.ProductVersion{Version: "BMC V3.1.6", ReleasedOn: "2024-02-20"},
				csreview.ProductVersion{Version: "BMC V3.2.1", ReleasedOn: "2025-01-15", Notes: "BMC 固件签名校验，禁止降级到未签名版本。"},
			),
		}},
		{"fengsuan", csreview.Product{
			NameZH: "峰算 FS-S9000 全闪存分布式存储", NameEN: "Fengsuan FS-S9000 All-Flash Distributed Storage",
			Category: csreview.CategoryStorage, Model: "FS-S9000",
			Description: "全闪存分布式块存储与文件存储系统，单集群可扩展至 4096 个节点、数十 PB 容量，支持跨数据中心双活。",
			Versions: versions(
				csreview.ProductVersion{Version: "V6.0", ReleasedOn: "2023-10-09"},
				csreview.ProductVersion{Version: "V6.1", ReleasedOn: "2024-09-27"},
			),
		}},
		{"kazahana", csreview.Product{
			NameZH: "风花 TL-6000 企业级磁带库", NameEN: "Kazahana TL-6000 Enterprise Tape Library",
			Category: csreview.CategoryStorage, Model: "TL-6000",
			Description: "企业级 LTO-9 磁带库，最多 6000 个槽位，用于数据长期归档和离线备份，支持远程诊断。",
			Versions: versions(
				csreview.ProductVersion{Version: "4.12", ReleasedOn: "2023-06-01"},
				csreview.ProductVersion{Version: "4.20", ReleasedOn: "2024-10-08"},
			),
		}},
		{"hengshu", csreview.Product{
			NameZH: "恒数分布式关系型数据库", NameEN: "HengDB Distributed Relational Database",
			Category: csreview.CategorySoftware, Model: "HengDB",
			Description: "金融级分布式关系型数据库，多副本强一致，支持两地三中心部署，用于银行核心交易和账务系统。",
			Versions: versions(
				csreview.ProductVersion{Version: "5.0.3", ReleasedOn: "2023-05-10"},
				csreview.ProductVersion{Version: "5.1.0", ReleasedOn: "2024-03-22"},
				csreview.ProductVersion{Version: "5.2.1", ReleasedOn: "2025-02-18", Notes: "透明数据加密支持国密 SM4 算法。"},
			),
		}},
		{"cascadia", csreview.Product{
			NameZH: "Cascadia 企业级数据库", NameEN: "Cascadia Enterprise Database",
			Category: csreview.CategorySoftware, Model: "CEDB Enterprise Edition",
			Description: "商用关系型数据库管理系统，提供集群、数据复制和在线备份功能，广泛用于大型企业的 ERP 和计费系统。",
			Versions: versions(
				csreview.ProductVersion{Version: "19.8", ReleasedOn: "2023-07-18"},
				csreview.ProductVersion{Version: "21.3", ReleasedOn: "2024-08-06"},
			),
		}},
		{"panyuan", csreview.Product{
			NameZH: "磐垣下一代防火墙", NameEN: "Panyuan Next-Generation Firewall",
			Category: csreview.CategorySecurity, Model: "PY-NGFW-6000",
			Description: "下一代防火墙，集成入侵防御、应用识别和病毒过滤，吞吐量 80 Gb/s，特征库在线升级。",
			Versions: versions(
				csreview.ProductVersion{Version: "V7.0.2", ReleasedOn: "2023-11-28"},
				csreview.ProductVersion{Version: "V7.1.0", ReleasedOn: "2024-12-03", Notes: "特征库升级包改为签名校验后安装。"},
			),
		}},
		{"elbtal", csreview.Product{
			NameZH: "易北谷 EIG-400 工业安全网关", NameEN: "Elbtal EIG-400 Industrial Security Gateway",
			Category: csreview.CategorySecurity, Model: "EIG-400",
			Description: "面向电力和轨道交通工业控制网络的安全网关，深度解析 Modbus、IEC 60870-5-104 和 PROFINET 协议。",
			Versions: versions(
				csreview.ProductVersion{Version: "2.8.1", ReleasedOn: "2023-03-02"},
				csreview.ProductVersion{Version: "3.0.0", ReleasedOn: "2024-07-15"},
			),
		}},
		{"yunxiu", csreview.Product{
			NameZH: "云岫政务云", NameEN: "Yunxiu Government Cloud",
			Category: csreview.CategoryCloud, Service: true, Model: "YX-GovCloud",
			Description: "面向省市两级政务部门的专属云服务，提供计算、存储、网络和数据库等云资源，按网络安全等级保护第三级要求建设。",
			Versions: versions(
				csreview.ProductVersion{Version: "2024.06", ReleasedOn: "2024-06-30"},
				csreview.ProductVersion{Version: "2025.03", ReleasedOn: "2025-03-31", Notes: "新增租户自管密钥。"},
			),
		}},
		{"yunxiu", csreview.Product{
			NameZH: "云岫对象存储服务", NameEN: "Yunxiu Object Storage Service",
			Category: csreview.CategoryCloud, Service: true, Model: "YX-OSS",
			Description: "兼容 S3 接口的对象存储云服务，数据三副本跨可用区存储，支持服务端加密和访问日志审计。",
			Versions: versions(
				csreview.ProductVersion{Version: "v3", ReleasedOn: "2024-04-12"},
			),
		}},
		{"cascadia-cn", csreview.Product{
			NameZH: "Cascadia 数据库远程技术支持服务", NameEN: "Cascadia Database Remote Support Service",
			Category: csreview.CategoryOther, Service: true, Model: "CEDB Premier Support",
			Description: "为境内用户提供数据库补丁、远程诊断和 7×24 小时故障处理；远程会话由境外原厂工程师经跳板机接入。",
			Versions: versions(
				csreview.ProductVersion{Version: "2024.1", ReleasedOn: "2024-01-01", Notes: "2024 年度服务条款。"},
			),
		}},
	}
}

type operator struct {
	key string
	csreview.Operator
}

func operators() []operator {
	return []operator{
		{"huachen", csreview.Operator{
			NameZH: "华辰通信集团有限公司", NameEN: "Huachen Telecom Group Co., Ltd.",
			USCC: uscc("9111000010001783X"), Sector: csreview.SectorCommunications, Region: "北京市", CII: true,
			Contact: "网络与信息安全部，010-6601 8200",
		}},
		{"jinyang", csreview.Operator{
			NameZH: "晋阳电力集团有限公司", NameEN: "Jinyang Electric Power Group Co., Ltd.",
			USCC: uscc("91140105110029646"), Sector: csreview.SectorEnergy, Region: "山西省", CII: true,
			Contact: "调度控制中心网络安全处，0351-555 6120",
		}},
		{"xiangjiang", csreview.Operator{
			NameZH: "湘江轨道交通集团有限公司", NameEN: "Xiangjiang Rail Transit Group Co., Ltd.",
			USCC: uscc("91430102MA4L8RT2C"), Sector: csreview.SectorTransport, Region: "湖南省", CII: true,
			Contact: "信息技术中心，0731-8555 9300",
		}},
		{"jianghuai", csreview.Operator{
			NameZH: "江淮水利水电开发集团有限公司", NameEN: "Jianghuai Water Resources and Hydropower Development Group Co., Ltd.",
			USCC: uscc("91340104149031875"), Sector: csreview.SectorWater, Region: "安徽省", CII: true,
			Contact: "水情监控中心，0551-6555 4410",
		}},
		{"haichuan", csreview.Operator{
			NameZH: "海川商业银行股份有限公司", NameEN: "Haichuan Commercial Bank Co., Ltd.",
			USCC: uscc("91330102MA27WB5DK"), Sector: csreview.SectorFinance, Region: "浙江省", CII: true,
			Contact: "信息科技部 安全管理处，0571-8555 7000",
		}},
		{"lingnan", csreview.Operator{
			NameZH: "岭南健康医疗信息服务有限公司", NameEN: "Lingnan Health Information Services Co., Ltd.",
			USCC: uscc("91440106MA5AH7Y03"), Sector: csreview.SectorPublicServices, Region: "广东省", CII: true,
			Contact: "区域卫生信息平台运维部，020-3855 1680",
		}},
		{"rongcheng", csreview.Operator{
			NameZH: "蓉城数字政务运营有限公司", NameEN: "Rongcheng Digital Government Operations Co., Ltd.",
			USCC: uscc("91510104MA6BN4Q9F"), Sector: csreview.SectorEGovernment, Region: "四川省", CII: true,
			Contact: "政务云平台安全运营中心，028-6555 2345",
		}},
		{"longjiang", csreview.Operator{
			NameZH: "龙江重型装备集团有限公司", NameEN: "Longjiang Heavy Equipment Group Co., Ltd.",
			USCC: uscc("9123010212766048L"), Sector: csreview.SectorOther, Region: "黑龙江省", CII: true,
			Contact: "工业互联网安全办公室，0451-8555 3901",
		}},
		// 2021 Measures Art. 7: a platform over one million users' personal
		// information files before listing abroad.
		{"shiguang", csreview.Operator{
			NameZH: "拾光生活网络科技有限公司", NameEN: "Shiguang Life Network Technology Co., Ltd.",
			USCC: uscc("91330110MA2CGU61P"), Sector: csreview.SectorCommunications, Region: "浙江省",
			Platform: true, PersonalInfoUsers: 86_000_000,
			Contact: "数据合规部 首席隐私官办公室，0571-8555 6618",
		}},
	}
}

type body struct {
	key string
	csreview.Body
}

// bodies returns the accredited bodies with periods around today: three
// valid, one that lapsed a year ago (its cases must go elsewhere).
func bodies(today csreview.Date) []body {
	all := append([]csreview.Category(nil), csreview.Categories...)
	lapsed := date(today, -1, 0, 0)
	return []body{
		{"hengxin", csreview.Body{
			NameZH: "北京衡信网络安全测评技术有限公司", NameEN: "Beijing Hengxin Cybersecurity Evaluation Technology Co., Ltd.",
			USCC: uscc("91110108MA00D6T2R"), AccreditationNo: "DEMO-ACC-2023-0007",
			Scope:     all,
			ValidFrom: date(today, -1, -2, 0), ValidUntil: date(today, 1, 10, -1),
			Group:   "衡信检测集团",
			Contact: "测评业务部 马文博，010-5555 8123，evaluation@hengxin-lab.example",
		}},
		{"chengming", csreview.Body{
			NameZH: "上海澄明网络安全检测有限公司", NameEN: "Shanghai Chengming Cybersecurity Testing Co., Ltd.",
			USCC: uscc("91310104MA1G9K4WB"), AccreditationNo: "DEMO-ACC-2024-0012",
			Scope: []csreview.Category{csreview.CategorySoftware, csreview.CategoryCloud,
				csreview.CategorySecurity, csreview.CategoryStorage, csreview.CategoryOther},
			ValidFrom: date(today, 0, -5, 0), ValidUntil: date(today, 2, 7, -1),
			Contact: "检测实验室 沈佳怡，021-5555 3086，lab@chengming-test.example",
		}},
		// Same group as the supplier Yunxiu: it may not assess Yunxiu's
		// cloud services (2017 Measures Art. 12: objective and fair).
		{"yunxiu-lab", csreview.Body{
			NameZH: "江苏云岫信息安全测评有限公司", NameEN: "Jiangsu Yunxiu Information Security Evaluation Co., Ltd.",
			USCC: uscc("91320115MA20XP7UH"), AccreditationNo: "DEMO-ACC-2024-0031",
			Scope: []csreview.Category{csreview.CategoryCloud, csreview.CategorySoftware,
				csreview.CategoryComputing, csreview.CategoryStorage},
			ValidFrom: date(today, -2, 0, 0), ValidUntil: date(today, 1, 0, -1),
			Group:   groupYunxiu,
			Contact: "测评中心，025-5555 7720，eval@yunxiu-lab.example",
		}},
		{"suitong", csreview.Body{
			NameZH: "广州穗通通信设备检测有限公司", NameEN: "Guangzhou Suitong Telecom Equipment Testing Co., Ltd.",
			USCC: uscc("91440106MA59EQ3L1"), AccreditationNo: "DEMO-ACC-2020-0019",
			Scope:     []csreview.Category{csreview.CategoryCoreNetwork, csreview.CategoryCommunication},
			ValidFrom: date(lapsed, -3, 0, 1), ValidUntil: lapsed,
			Contact: "通信检测部，020-5555 4417，test@suitong-lab.example",
		}},
	}
}

type user struct {
	csreview.User
	supplier, operator, body string // keys of the organisation bound to
}

func users() []user {
	email := func(name string) string { return name + "@demo.csreview.example" }
	return []user{
		{User: csreview.User{Username: "office", DisplayName: "李慧敏", Email: email("office"),
			Role: csreview.RoleOffice, Org: "网络安全审查办公室"}},
		{User: csreview.User{Username: "member", DisplayName: "陈志远", Email: email("member"),
			Role: csreview.RoleMember, Org: "网络安全审查工作机制成员单位（工业和信息化部）"}},
		{User: csreview.User{Username: "expert", DisplayName: "赵明哲", Email: email("expert"),
			Role: csreview.RoleExpert, Org: "网络安全审查专家委员会（东岳大学网络空间安全学院）"}},
		{User: csreview.User{Username: "assessor", DisplayName: "孙雅琪", Email: email("assessor"),
			Role: csreview.RoleAssessor}, body: "hengxin"},
		{User: csreview.User{Username: "regulator", DisplayName: "周海涛", Email: email("regulator"),
			Role: csreview.RoleRegulator, Sector: csreview.SectorFinance, Org: "金融行业网络安全主管部门"}},
		{User: csreview.User{Username: "operator", DisplayName: "吴晓峰", Email: email("operator"),
			Role: csreview.RoleOperator}, operator: "haichuan"},
		{User: csreview.User{Username: "supplier", DisplayName: "郑国华", Email: email("supplier"),
			Role: csreview.RoleSupplier}, supplier: "xinghe"},
		{User: csreview.User{Username: "association", DisplayName: "冯丽娟", Email: email("association"),
			Role: csreview.RoleAssociation, Org: "全国网络产品安全行业协会"}},
		{User: csreview.User{Username: "admin", DisplayName: "韩磊", Email: email("admin"),
			Role: csreview.RoleAdmin, Org: "网络安全审查办公室信息中心"}},
	}
}
