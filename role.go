package csreview

// Role is what a user does in the review (DESIGN §2). A user has exactly one.
type Role string

// The roles. The Measures name the bodies behind them: the Review Office and
// Committee (2017 Measures Art. 5; 2021 Measures Art. 4), the Expert
// Committee (2017 Art. 6), accredited third-party bodies (2017 Art. 7), the
// sector regulators (2017 trial Art. 9) and CII protection departments
// (2017 trial Art. 10), operators (2021 Art. 5), suppliers (2017 Art. 13) and
// national industry associations (2017 draft Art. 8).
const (
	RoleOffice      Role = "office"      // review office case officer
	RoleMember      Role = "member"      // member unit of the review committee
	RoleExpert      Role = "expert"      // expert committee member
	RoleAssessor    Role = "assessor"    // staff of an accredited third-party body
	RoleRegulator   Role = "regulator"   // sector competent / CII protection department
	RoleOperator    Role = "operator"    // CII or platform operator
	RoleSupplier    Role = "supplier"    // provider of products or services
	RoleAssociation Role = "association" // national industry association
	RoleAdmin       Role = "admin"       // system administrator
)

// Roles lists every role in display order.
var Roles = []Role{RoleOffice, RoleMember, RoleExpert, RoleAssessor, RoleRegulator,
	RoleOperator, RoleSupplier, RoleAssociation, RoleAdmin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return oneOf(r, Roles) }
