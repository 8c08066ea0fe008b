package csreview

// Category is the kind of a network product or service. The list follows the
// 2021 Cybersecurity Review Measures Art. 21, which names what counts as a
// network product or service for the review.
type Category string

// Categories of 2021 Measures Art. 21.
const (
	CategoryCoreNetwork   Category = "core_network"  // 核心网络设备
	CategoryCommunication Category = "communication" // 重要通信产品
	CategoryComputing     Category = "computing"     // 高性能计算机和服务器
	CategoryStorage       Category = "storage"       // 大容量存储设备
	CategorySoftware      Category = "software"      // 大型数据库和应用软件
	CategorySecurity      Category = "security"      // 网络安全设备
	CategoryCloud         Category = "cloud"         // 云计算服务
	CategoryOther         Category = "other"         // 其他有重要影响的网络产品和服务
)

// Categories lists the categories in the order of Art. 21.
var Categories = []Category{CategoryCoreNetwork, CategoryCommunication, CategoryComputing,
	CategoryStorage, CategorySoftware, CategorySecurity, CategoryCloud, CategoryOther}

// CategoryCitation is the article that defines Categories.
const CategoryCitation = "cac-2021 Art. 21"

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool { return oneOf(c, Categories) }

// Sector is a field of critical information infrastructure. The list follows
// the Cybersecurity Law Art. 31 (and CII Regulations 2021 Art. 2).
type Sector string

// Sectors of CSL Art. 31.
const (
	SectorCommunications Sector = "communications"  // 公共通信和信息服务
	SectorEnergy         Sector = "energy"          // 能源
	SectorTransport      Sector = "transport"       // 交通
	SectorWater          Sector = "water"           // 水利
	SectorFinance        Sector = "finance"         // 金融
	SectorPublicServices Sector = "public_services" // 公共服务
	SectorEGovernment    Sector = "e_government"    // 电子政务
	SectorOther          Sector = "other"           // 其他重要行业和领域
)

// Sectors lists the sectors in the order of CSL Art. 31.
var Sectors = []Sector{SectorCommunications, SectorEnergy, SectorTransport, SectorWater,
	SectorFinance, SectorPublicServices, SectorEGovernment, SectorOther}

// Valid reports whether s is one of Sectors.
func (s Sector) Valid() bool { return oneOf(s, Sectors) }

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if v == x {
			return true
		}
	}
	return false
}

func names[T ~string](list []T) []string {
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = string(x)
	}
	return s
}
