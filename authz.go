package csreview

// This file holds every authorization decision about the registry, as plain
// functions of the acting user and the object. Deny by default: a role not
// named here may do nothing. The services call these and nothing else
// decides (DESIGN §2). Nil users are anonymous.

// Scope is what part of a collection a user may list: nothing, everything,
// or the objects of one supplier, operator, body or sector.
type Scope struct {
	None       bool
	SupplierID int64
	OperatorID int64
	BodyID     int64
	UserID     int64
	Sector     Sector
	// States, when set, further limits cases to these states — or, when
	// OrUserID is set too, to these states or filed by that user.
	States   []CaseState
	OrUserID int64
}

var (
	scopeNone = Scope{None: true}
	scopeAll  = Scope{}
)

// roleScope returns scopeAll if u has one of roles, else scopeNone.
func roleScope(u *User, roles ...Role) Scope {
	if u.Is(roles...) {
		return scopeAll
	}
	return scopeNone
}

// registryReaders may read the supplier and product registry: everyone
// signed in except suppliers, who see only their own (DESIGN §2). Operators
// and associations need the registry to check purchases and suggest reviews.
var registryReaders = []Role{RoleAdmin, RoleOffice, RoleMember, RoleExpert, RoleAssessor,
	RoleRegulator, RoleOperator, RoleAssociation}

// registrars maintain the registry for everyone.
var registrars = []Role{RoleAdmin, RoleOffice}

// SupplierScope is the part of the supplier registry u may list.
func SupplierScope(u *User) Scope {
	if u.Is(RoleSupplier) {
		return ownScope(u.SupplierID > 0, Scope{SupplierID: u.SupplierID})
	}
	return roleScope(u, registryReaders...)
}

// CanReadSupplier reports whether u may see s.
func CanReadSupplier(u *User, s *Supplier) bool {
	return SupplierScope(u).allows(s.ID, 0, 0, "")
}

// CanCreateSupplier reports whether u may register suppliers.
func CanCreateSupplier(u *User) bool { return u.Is(registrars...) }

// CanUpdateSupplier: the office and admins, and a supplier's own users for
// their own profile.
func CanUpdateSupplier(u *User, s *Supplier) bool {
	return u.Is(registrars...) || (u.Is(RoleSupplier) && u.SupplierID == s.ID)
}

// CanDeleteSupplier reports whether u may delete s.
func CanDeleteSupplier(u *User, s *Supplier) bool { return u.Is(registrars...) }

// ProductScope is the part of the product registry u may list.
func ProductScope(u *User) Scope { return SupplierScope(u) }

// CanReadProduct reports whether u may see p.
func CanReadProduct(u *User, p *Product) bool {
	return ProductScope(u).allows(p.SupplierID, 0, 0, "")
}

// CanWriteProduct reports whether u may create, change or delete p and its
// versions: the office and admins, and the users of p's supplier.
func CanWriteProduct(u *User, p *Product) bool {
	return u.Is(registrars...) || (u.Is(RoleSupplier) && u.SupplierID == p.SupplierID)
}

// OperatorScope: the office, members and admins see every operator; a
// regulator those of its sector; an operator's users only their own.
func OperatorScope(u *User) Scope {
	switch {
	case u.Is(RoleRegulator):
		return ownScope(u.Sector != "", Scope{Sector: u.Sector})
	case u.Is(RoleOperator):
		return ownScope(u.OperatorID > 0, Scope{OperatorID: u.OperatorID})
	}
	return roleScope(u, RoleAdmin, RoleOffice, RoleMember)
}

// CanReadOperator reports whether u may see o.
func CanReadOperator(u *User, o *Operator) bool {
	return OperatorScope(u).allows(0, o.ID, 0, o.Sector)
}

// CanCreateOperator: the office, admins, and a regulator for its sector.
func CanCreateOperator(u *User, o *Operator) bool {
	return u.Is(registrars...) || (u.Is(RoleRegulator) && u.Sector == o.Sector)
}

// CanUpdateOperator: as CanCreateOperator, plus the operator's own users.
func CanUpdateOperator(u *User, o *Operator) bool {
	return CanCreateOperator(u, o) || (u.Is(RoleOperator) && u.OperatorID == o.ID)
}

// CanDeleteOperator reports whether u may delete o.
func CanDeleteOperator(u *User, o *Operator) bool { return u.Is(registrars...) }

// BodyScope: accreditation of third-party bodies is public information
// (2017 Measures Art. 7), so every signed-in user may list them.
func BodyScope(u *User) Scope { return roleScope(u, Roles...) }

// CanReadBody reports whether u may see b.
func CanReadBody(u *User, b *Body) bool { return BodyScope(u).allows(0, 0, b.ID, "") }

// CanWriteBody: only the office and admins maintain accreditations.
func CanWriteBody(u *User) bool { return u.Is(registrars...) }

// UserScope: admins list every account; others only their own.
func UserScope(u *User) Scope {
	if u.Is(RoleAdmin) {
		return scopeAll
	}
	if u.Is(Roles...) {
		return ownScope(u.ID > 0, Scope{UserID: u.ID})
	}
	return scopeNone
}

// CanReadUser reports whether u may see account x.
func CanReadUser(u *User, x *User) bool {
	s := UserScope(u)
	return !s.None && (s.UserID == 0 || s.UserID == x.ID)
}

// CanManageUsers reports whether u may create, change and disable accounts.
func CanManageUsers(u *User) bool { return u.Is(RoleAdmin) }

// CanReadAudit reports whether u may read the audit log.
func CanReadAudit(u *User) bool { return u.Is(RoleAdmin, RoleOffice) }

// ownScope returns s when the user's organisation is set, else scopeNone: a
// supplier user with no supplier sees nothing rather than everything.
func ownScope(bound bool, s Scope) Scope {
	if !bound {
		return scopeNone
	}
	return s
}

// deliberating are the states in which a case is before the experts and
// the member units, and after which they keep seeing it.
var deliberating = []CaseState{StateExpertReview, StateMemberReview, StateSpecialReview, StateSpecialConsult,
	StateSpecialApproval, StateDecision, StateDecided}

// CaseScope is the part of the cases u may list (DESIGN §2): the office and
// admins all; an assessor those its body is assigned; a supplier and an
// operator their own; a regulator those of operators in its sector; an
// association those it suggested; experts and member units those put
// before them (in deliberation or decided).
func CaseScope(u *User) Scope {
	switch {
	case u.Is(RoleAdmin, RoleOffice):
		return scopeAll
	case u.Is(RoleExpert):
		return Scope{States: deliberating}
	case u.Is(RoleMember):
		// Member units see what is put before them, and what they started
		// (2021 Measures Art. 16).
		return Scope{States: deliberating, OrUserID: u.ID}
	case u.Is(RoleAssessor):
		return ownScope(u.BodyID > 0, Scope{BodyID: u.BodyID})
	case u.Is(RoleSupplier):
		return ownScope(u.SupplierID > 0, Scope{SupplierID: u.SupplierID})
	case u.Is(RoleOperator):
		return ownScope(u.OperatorID > 0, Scope{OperatorID: u.OperatorID})
	case u.Is(RoleRegulator):
		return ownScope(u.Sector != "", Scope{Sector: u.Sector})
	case u.Is(RoleAssociation):
		return ownScope(u.ID > 0, Scope{UserID: u.ID})
	}
	return scopeNone
}

// CanReadCase reports whether u may see c; sector is the sector of c's
// operator ("" when it has none).
func CanReadCase(u *User, c *Case, sector Sector) bool {
	s := CaseScope(u)
	if s.None {
		return false
	}
	if len(s.States) > 0 && !oneOf(c.State, s.States) && !(s.OrUserID != 0 && c.FiledBy == s.OrUserID) {
		return false
	}
	switch {
	case s.SupplierID != 0:
		return c.SupplierID == s.SupplierID
	case s.OperatorID != 0:
		return c.OperatorID == s.OperatorID
	case s.BodyID != 0:
		return c.BodyID == s.BodyID
	case s.UserID != 0:
		return c.FiledBy == s.UserID
	case s.Sector != "":
		return sector == s.Sector
	}
	return true
}

// allows reports whether an object with the given owner keys is in scope.
func (s Scope) allows(supplierID, operatorID, bodyID int64, sector Sector) bool {
	switch {
	case s.None:
		return false
	case s.SupplierID != 0:
		return s.SupplierID == supplierID
	case s.OperatorID != 0:
		return s.OperatorID == operatorID
	case s.BodyID != 0:
		return s.BodyID == bodyID
	case s.Sector != "":
		return s.Sector == sector
	}
	return true
}

// InventoryScope: an operator's inventory is its own business; the office,
// admins and member units read every inventory, a regulator those of its
// sector (the entry's sector), an operator its own (DESIGN §6).
func InventoryScope(u *User) Scope { return OperatorScope(u) }

// CanReadInventory reports whether u may see e.
func CanReadInventory(u *User, e *InventoryEntry) bool {
	return InventoryScope(u).allows(0, e.OperatorID, 0, e.Sector)
}

// CanWriteInventory: the operator's own users keep its inventory; the
// office and admins may correct it.
func CanWriteInventory(u *User, e *InventoryEntry) bool {
	return u.Is(registrars...) || (u.Is(RoleOperator) && u.OperatorID > 0 && u.OperatorID == e.OperatorID)
}

// CanWriteDetermination: only the sector's CII protection department
// determines whether its CII purchases affect national security (2017
// trial Measures Art. 10).
func CanWriteDetermination(u *User, d *Determination) bool {
	return u.Is(RoleRegulator) && u.Sector != "" && u.Sector == d.Sector
}

// CanReadDetermination: the office, admins and member units read all; a
// regulator its sector's; an operator those that apply to it (its sector,
// all operators or itself). operatorSector is u's operator's sector.
func CanReadDetermination(u *User, d *Determination, operatorSector Sector) bool {
	switch {
	case u.Is(RoleAdmin, RoleOffice, RoleMember):
		return true
	case u.Is(RoleRegulator):
		return u.Sector != "" && u.Sector == d.Sector
	case u.Is(RoleOperator):
		return u.OperatorID > 0 && d.Sector == operatorSector && (d.OperatorID == 0 || d.OperatorID == u.OperatorID)
	}
	return false
}

// OversightScope is who sees operators' procurement checks and enforcement
// records: the office and admins all, a regulator its sector's, an
// operator its own.
func OversightScope(u *User) Scope {
	switch {
	case u.Is(RoleRegulator):
		return ownScope(u.Sector != "", Scope{Sector: u.Sector})
	case u.Is(RoleOperator):
		return ownScope(u.OperatorID > 0, Scope{OperatorID: u.OperatorID})
	}
	return roleScope(u, RoleAdmin, RoleOffice)
}

// CanCheckProcurement: an operator checks its own purchases; the office,
// admins and the operator's sector regulator check any operator's.
func CanCheckProcurement(u *User, o *Operator) bool {
	switch {
	case u.Is(RoleAdmin, RoleOffice):
		return true
	case u.Is(RoleRegulator):
		return u.Sector != "" && u.Sector == o.Sector
	case u.Is(RoleOperator):
		return u.OperatorID > 0 && u.OperatorID == o.ID
	}
	return false
}

// CanReadAlert: monitoring alerts go to the office and admins (all), the
// supplier of the product, and the operators whose inventories hold the
// version — and, for those operators, their sector's regulator (DESIGN §4).
// sectors maps the alert's operators to their sectors.
func CanReadAlert(u *User, a *Alert, sectors map[int64]Sector) bool {
	switch {
	case u.Is(RoleAdmin, RoleOffice):
		return true
	case u.Is(RoleSupplier):
		return u.SupplierID > 0 && u.SupplierID == a.SupplierID
	case u.Is(RoleOperator):
		_, ok := sectors[u.OperatorID]
		return u.OperatorID > 0 && ok
	case u.Is(RoleRegulator):
		for _, s := range sectors {
			if u.Sector != "" && s == u.Sector {
				return true
			}
		}
	}
	return false
}

// VisibleOperators keeps, of an alert's operators, those u may know of:
// all for the office, its own for an operator, its sector's for a
// regulator, none for a supplier (who its customers are is not the
// supplier's to learn here).
func VisibleOperators(u *User, sectors map[int64]Sector) map[int64]bool {
	out := map[int64]bool{}
	for id, s := range sectors {
		switch {
		case u.Is(RoleAdmin, RoleOffice),
			u.Is(RoleOperator) && u.OperatorID == id,
			u.Is(RoleRegulator) && u.Sector != "" && u.Sector == s:
			out[id] = true
		}
	}
	return out
}

// CanManageMonitoring: the office and admins keep the prohibited list and
// handle alerts.
func CanManageMonitoring(u *User) bool { return u.Is(RoleAdmin, RoleOffice) }

// CanWatchCalendar: the office counts the working-day time limits and
// admins extend the working-day calendar (csreview serve --calendar), so
// both are warned when a year's holiday notice is missing from it.
func CanWatchCalendar(u *User) bool { return u.Is(RoleAdmin, RoleOffice) }

// CanOwnWebhook: the parties alerts go to may have them sent to a webhook.
func CanOwnWebhook(u *User) bool { return CanReceiveAlerts(u) }

// CanReceiveAlerts: monitoring alerts go to the office and admins, and to
// the suppliers, operators and sector regulators they concern (DESIGN §4).
func CanReceiveAlerts(u *User) bool {
	return u.Is(RoleAdmin, RoleOffice, RoleSupplier, RoleOperator, RoleRegulator)
}

// CanKeepInventory: an operator's users keep its inventory (DESIGN §6); the
// office and admins may correct any.
func CanKeepInventory(u *User) bool {
	return u.Is(registrars...) || (u.Is(RoleOperator) && u.OperatorID > 0)
}

// CanListDeterminations: who reads some determinations (see
// CanReadDetermination for which).
func CanListDeterminations(u *User) bool {
	return u.Is(RoleAdmin, RoleOffice, RoleMember) || (u.Is(RoleRegulator) && u.Sector != "") ||
		(u.Is(RoleOperator) && u.OperatorID > 0)
}

// CanCreateProducts: registrars for any supplier, a supplier's users for
// their own (see CanWriteProduct).
func CanCreateProducts(u *User) bool {
	return u.Is(registrars...) || (u.Is(RoleSupplier) && u.SupplierID > 0)
}

// CanSelfReview: an operator before buying, a supplier for its own
// products (2021 Measures Art. 8(2)); the office and admins any.
func CanSelfReview(u *User) bool {
	return u.Is(registrars...) || (u.Is(RoleOperator) && u.OperatorID > 0) || (u.Is(RoleSupplier) && u.SupplierID > 0)
}

// Initiators is implemented by a regime pack: the roles that open cases
// through its channels.
type Initiators interface {
	// InitiatorRoles lists the roles that initiate the pack's channels;
	// it returns no error.
	InitiatorRoles() []Role
}

// CanFileCase: the office and admins record a case under any pack; the
// parties file through a channel of the pack in force (nil: none), whose
// initiator they are (2021 Measures Art. 5, 16).
func CanFileCase(u *User, inForce Initiators) bool {
	if u.Is(registrars...) {
		return true
	}
	return inForce != nil && u.Is(inForce.InitiatorRoles()...)
}

// CanReadOpinions reports whether u may read a case's opinions, replies
// and conclusions, and which unit said what: the office, admins, experts
// and member units (2021 Measures Art. 17: confidential to those taking
// part).
func CanReadOpinions(u *User) bool { return u.Is(RoleOffice, RoleAdmin, RoleExpert, RoleMember) }

// CanDateAction reports whether u may date a case action other than
// today (never in the future nor before the case's last event): only the
// office and admins, so that no party moves the statutory clocks.
func CanDateAction(u *User) bool { return u.Is(RoleOffice, RoleAdmin) }

// Deliberates reports whether u takes part in deliberation as a person —
// an expert or a member unit's staff — and so may recuse.
func Deliberates(u *User) bool { return u.Is(RoleExpert, RoleMember) }

// CanComplainOn reports whether u may complain about the reviewers of c
// (2021 Measures Art. 18; trial Art. 14): the party and the supplier.
func CanComplainOn(u *User, c *Case) bool {
	return u.Is(RoleOperator) && u.OperatorID != 0 && u.OperatorID == c.OperatorID ||
		u.Is(RoleSupplier) && u.SupplierID != 0 && u.SupplierID == c.SupplierID
}

// assessesCase: u is staff of the body assigned to c.
func assessesCase(u *User, c *Case) bool {
	return u.Is(RoleAssessor) && c.BodyID != 0 && u.BodyID == c.BodyID
}

// suppliesCase: u is staff of the supplier whose products c reviews.
func suppliesCase(u *User, c *Case) bool {
	return u.Is(RoleSupplier) && u.SupplierID != 0 && u.SupplierID == c.SupplierID
}

// CanReadEvidence reports whether u may read c's evidence and findings,
// unfixed vulnerabilities among them: those who read the opinions, and the
// assigned body's staff (2021 Measures Art. 17).
func CanReadEvidence(u *User, c *Case) bool { return CanReadOpinions(u) || assessesCase(u, c) }

// CanReadAnalysis reports whether u may read the automated analysis of c's
// SBOMs in full: those who read the evidence, and the supplier, whose SBOMs
// they are.
func CanReadAnalysis(u *User, c *Case) bool { return CanReadEvidence(u, c) || suppliesCase(u, c) }

// CanAttachAnalysisInputs reports whether u may attach SBOMs and VEX to c:
// the office, admins, the supplier and the assigned body.
func CanAttachAnalysisInputs(u *User, c *Case) bool {
	return u.Is(RoleOffice, RoleAdmin) || suppliesCase(u, c) || assessesCase(u, c)
}

// CanReadCaseFile reports whether u may read a file of c that uploader
// gave (2021 Measures Art. 17: the material is confidential, read by those
// whose work needs it). Those who read the evidence (the office, admins,
// the assigned body, experts, member units) read every file; a party reads
// what its own organisation gave — the operator what its users filed, the
// supplier what its users supplied.
func CanReadCaseFile(u *User, c *Case, uploader *User) bool {
	if CanReadEvidence(u, c) {
		return true
	}
	if uploader == nil {
		return false
	}
	switch {
	case u.Is(RoleOperator):
		return u.OperatorID != 0 && uploader.Is(RoleOperator) && uploader.OperatorID == u.OperatorID && c.OperatorID == u.OperatorID
	case u.Is(RoleSupplier):
		return suppliesCase(u, c) && uploader.Is(RoleSupplier) && uploader.SupplierID == u.SupplierID
	}
	return false
}

// CanExportCase reports whether u may export c as one archive, with every
// material, notice, opinion, finding and the audit trail: the office and
// admins, once the case is closed (its record is then complete).
func CanExportCase(u *User, c *Case) bool { return u.Is(RoleOffice, RoleAdmin) && c.State.Closed() }

// CanTriage reports whether u may set the analysis state of c's automated
// findings: the assigned body's assessors, whose assessment it is.
func CanTriage(u *User, c *Case) bool { return assessesCase(u, c) }

// CanStateVEX reports whether a VEX document u attaches to c counts as the
// supplier's statement on its product: the supplier's own users, or the
// office and admins on its behalf. The assigned body's assessment is its
// own state, kept apart; a VEX from anyone else is refused, not applied
// quietly.
func CanStateVEX(u *User, c *Case) bool { return u.Is(RoleOffice, RoleAdmin) || suppliesCase(u, c) }

// CanRecordEvidence reports whether u may record evidence on c: the
// assigned body's staff only.
func CanRecordEvidence(u *User, c *Case) bool { return assessesCase(u, c) }

// CanSeeSupplierRecord reports whether u may read the supplier's security
// and credibility record that the experts weigh (2017 Measures Art. 6):
// those who read the opinions.
func CanSeeSupplierRecord(u *User) bool { return CanReadOpinions(u) }

// CanPublish reports whether u may preview and publish a decided case: the
// office and admins.
func CanPublish(u *User) bool { return u.Is(RoleOffice, RoleAdmin) }

// CanSweep reports whether u may run the compliance sweep: the office and
// admins over every sector, a regulator over its own.
func CanSweep(u *User) bool {
	return u.Is(RoleAdmin, RoleOffice) || u.Is(RoleRegulator) && u.Sector != ""
}

// CanSelfReviewProduct: a supplier reviews its own products; an operator
// any product, for itself; the office and admins any.
func CanSelfReviewProduct(u *User, p *Product) bool {
	return u.Is(RoleAdmin, RoleOffice) || (u.Is(RoleOperator) && u.OperatorID > 0) ||
		(u.Is(RoleSupplier) && u.SupplierID == p.SupplierID)
}

// CanReadSelfReview: the office and admins; the operator or supplier that
// ran it (a supplier's own, not one an operator ran on its product).
func CanReadSelfReview(u *User, r *SelfReview) bool {
	switch {
	case u.Is(RoleAdmin, RoleOffice):
		return true
	case u.Is(RoleOperator):
		return u.OperatorID > 0 && r.OperatorID == u.OperatorID
	case u.Is(RoleSupplier):
		return u.SupplierID > 0 && r.SupplierID == u.SupplierID && r.OperatorID == 0
	}
	return false
}

// ActingOperator is the operator u acts for, 0 when u is not an operator's
// user: an operator files, checks and self-reviews for itself.
func ActingOperator(u *User) int64 {
	if u.Is(RoleOperator) {
		return u.OperatorID
	}
	return 0
}

// CanReadFeedback: the public's feedback carries the submitters' contact
// details, so only the office and admins read it.
func CanReadFeedback(u *User) bool { return u.Is(RoleOffice, RoleAdmin) }

// CanImportAdvisories: the office and admins import advisories and requeue
// the analyses they change (the command line acts as admin).
func CanImportAdvisories(u *User) bool { return u.Is(RoleAdmin, RoleOffice) }

// CanResetAnalysis: only admins release analysis jobs a server left running.
func CanResetAnalysis(u *User) bool { return u.Is(RoleAdmin) }

// CanReadCaseRefs: which case a monitoring alert would re-review is the
// office's to know.
func CanReadCaseRefs(u *User) bool { return u.Is(RoleAdmin, RoleOffice) }

// The sections of the site a role works in, for the navigation; each page
// and call still decides per object.

// UsesProcurement: operators ask "may I buy this?"; regulators, the office
// and admins read and ask for those in their scope.
func UsesProcurement(u *User) bool { return u.Is(RoleOperator, RoleRegulator, RoleOffice, RoleAdmin) }

// RunsSelfReviews: operators and suppliers run self-reviews of their own.
func RunsSelfReviews(u *User) bool { return u.Is(RoleOperator, RoleSupplier) }

// UsesDeterminations: regulators record determinations; the office, admins
// and member units read them.
func UsesDeterminations(u *User) bool { return u.Is(RoleRegulator, RoleOffice, RoleAdmin, RoleMember) }

// UsesEnforcement: those who enforce, and the operators concerned.
func UsesEnforcement(u *User) bool { return u.Is(RoleAdmin, RoleOffice, RoleRegulator, RoleOperator) }

// UsesOversight: the office, admins, regulators and member units read the
// oversight figures.
func UsesOversight(u *User) bool { return u.Is(RoleAdmin, RoleOffice, RoleRegulator, RoleMember) }

// CanRegisterOperators: the office, admins, and a regulator for its sector
// (see CanCreateOperator for which operators).
func CanRegisterOperators(u *User) bool {
	return u.Is(registrars...) || (u.Is(RoleRegulator) && u.Sector != "")
}

// CanSetOperatorStanding: what decides whether a purchase needs review and
// who oversees it — sector (CSL Art. 31), CII identification, platform
// status and users held (2021 Measures Art. 7), group — is recorded by the
// office and the sector regulator, not by the operator itself.
func CanSetOperatorStanding(u *User, o *Operator) bool { return CanCreateOperator(u, o) }

// CanSetSupplierIdentity: a supplier keeps its contact details up to date;
// what it is — identity, group and ownership, which the experts weigh
// (2017 Measures Art. 6) and conflicts of interest turn on — the office
// records.
func CanSetSupplierIdentity(u *User) bool { return u.Is(registrars...) }

// RegulatedSector is the sector u oversees as a CII protection department,
// "" for every other role: a regulator organises reviews, determines and
// sweeps in its own sector only (2017 trial Measures Art. 9-10).
func RegulatedSector(u *User) Sector {
	if u.Is(RoleRegulator) {
		return u.Sector
	}
	return ""
}

// BindFiler fixes the parties of a new case that the filer's role decides:
// an operator files for itself (2021 Measures Art. 5) and a supplier
// applies for itself; neither a supplier nor an association names an
// operator.
func BindFiler(u *User, c *Case) {
	switch {
	case u.Is(RoleOperator):
		c.OperatorID = u.OperatorID
	case u.Is(RoleSupplier):
		c.SupplierID, c.OperatorID = u.SupplierID, 0
	case u.Is(RoleAssociation):
		c.OperatorID = 0
	}
}

// CanRecordPastFiling: the parties file today, under the rules in force
// today; only the office and admins record a filing made earlier (on paper,
// or under an earlier pack) and link a re-review to its parent case.
func CanRecordPastFiling(u *User) bool { return u.Is(registrars...) }

// CanOpenChannel: a case is opened through a channel by its initiator, or by
// the office recording a request that reached it on paper (national
// requirements, user feedback, association letters).
func CanOpenChannel(u *User, initiator Role) bool { return u.Is(initiator) || u.Is(registrars...) }

// CanRecordFeedbackCase: the office and admins open a case from the
// public's feedback (2021 Measures Art. 7), whose contact details only
// they read.
func CanRecordFeedbackCase(u *User) bool { return CanReadFeedback(u) }

// NamesOperator reports whether u names the operator of a case it files:
// everyone but an operator's user, who files for its own (BindFiler).
func NamesOperator(u *User) bool { return !u.Is(RoleOperator) }

// MayAct reports whether u holds one of the roles a rule pack names as the
// actors of a step; the pack decides who acts, and this is where it is
// checked.
func MayAct(u *User, actors []Role) bool { return u.Is(actors...) }

// DeterminationScope is the part of the determinations u may list (see
// CanReadDetermination): an operator's scope is its own operator, which the
// store widens to its sector's determinations that apply to it.
func DeterminationScope(u *User) Scope {
	switch {
	case u.Is(RoleAdmin, RoleOffice, RoleMember):
		return scopeAll
	case u.Is(RoleRegulator):
		return ownScope(u.Sector != "", Scope{Sector: u.Sector})
	case u.Is(RoleOperator):
		return ownScope(u.OperatorID > 0, Scope{OperatorID: u.OperatorID})
	}
	return scopeNone
}

// AlertScope is the part of the monitoring alerts u may list (see
// CanReadAlert): all for the office and admins, a supplier's for its
// products, an operator's for versions it holds, a regulator's for those its
// sector's operators hold.
func AlertScope(u *User) Scope {
	switch {
	case u.Is(RoleAdmin, RoleOffice):
		return scopeAll
	case u.Is(RoleSupplier):
		return ownScope(u.SupplierID > 0, Scope{SupplierID: u.SupplierID})
	case u.Is(RoleOperator):
		return ownScope(u.OperatorID > 0, Scope{OperatorID: u.OperatorID})
	case u.Is(RoleRegulator):
		return ownScope(u.Sector != "", Scope{Sector: u.Sector})
	}
	return scopeNone
}

// StatsScope is which sectors' oversight figures u may compute: any for the
// office, admins and member units; a regulator only its own.
func StatsScope(u *User) Scope {
	if u.Is(RoleRegulator) {
		return ownScope(u.Sector != "", Scope{Sector: u.Sector})
	}
	return roleScope(u, RoleAdmin, RoleOffice, RoleMember)
}

// PicksSector reports whether u chooses the sector of the oversight figures
// (a regulator always sees its own).
func PicksSector(u *User) bool { return RegulatedSector(u) == "" }

// AccountBinding names the field that ties an account of role r to its
// organisation — "supplier_id", "operator_id", "body_id" or "sector" — or
// "" for the roles that act for the review itself.
func AccountBinding(r Role) string {
	switch r {
	case RoleSupplier:
		return "supplier_id"
	case RoleOperator:
		return "operator_id"
	case RoleAssessor:
		return "body_id"
	case RoleRegulator:
		return "sector"
	}
	return ""
}

// CanReadVersionSBOM: a product's SBOM and VEX documents are the supplier's
// material. Its writers (the supplier, the office and admins) read them, and
// so does anyone who may read the evidence of a case, among cases, that
// holds the version (2021 Measures Art. 17: what is submitted stays with
// those taking part in the review). cases are the visible cases that hold the version.
func CanReadVersionSBOM(u *User, p *Product, cases []*Case) bool {
	if CanWriteProduct(u, p) {
		return true
	}
	for _, c := range cases {
		if CanReadEvidence(u, c) {
			return true
		}
	}
	return false
}

// CanAttachVersionSBOM: the product's writers attach documents to its
// versions, and so does the assessor of a case holding the version while
// the assessment is open (before its report).
func CanAttachVersionSBOM(u *User, p *Product, cases []*Case) bool {
	if CanWriteProduct(u, p) {
		return true
	}
	for _, c := range cases {
		if CanRecordEvidence(u, c) && c.State == StateAssessment && !c.ReportSubmitted {
			return true
		}
	}
	return false
}

// AwaitsSBOM reports whether u is the supplier of c, whom the home page
// asks for the product's SBOM until one is in.
func AwaitsSBOM(u *User, c *Case) bool { return suppliesCase(u, c) }

// CanRequestRereview: the office opens a re-review when an alert concerns
// a passed product (2021 Measures Art. 19: the office supervises during and
// after the review).
func CanRequestRereview(u *User) bool { return u.Is(registrars...) }

// EnforcementAwaiting are the enforcement states in which a record waits on
// u: the office and regulators move open records; an operator must comply
// with an order and may state its case on a notice (Administrative Penalty
// Law Art. 44-45). An admin keeps the system, and no enforcement decision
// waits on it, though it may act.
func EnforcementAwaiting(u *User) []string {
	switch {
	case u.Is(RoleOffice, RoleRegulator):
		return []string{EnfOpen, EnfOrdered, EnfNotified, EnfHeard, EnfPenalised, EnfNotPenalised}
	case u.Is(RoleOperator):
		return []string{EnfOrdered, EnfNotified}
	}
	return nil
}

// CanFileFromSelfReview: an operator whose self-review says a review is
// needed files it from there (2021 Measures Art. 5).
func CanFileFromSelfReview(u *User, r *SelfReview) bool {
	return u.Is(RoleOperator) && u.OperatorID > 0 && r.OperatorID == u.OperatorID
}

// CaseAccess is what the caller may do with one case, decided here and
// carried with the case's work so that pages and API clients do not decide
// again.
type CaseAccess struct {
	// Opinions: read the opinions, replies and conclusions, and who said
	// what (CanReadOpinions).
	Opinions bool `json:"opinions"`
	// Evidence: read the evidence and findings (CanReadEvidence).
	Evidence bool `json:"evidence"`
	// Analysis: read the automated analysis and its report (CanReadAnalysis).
	Analysis bool `json:"analysis"`
	// AttachInputs: attach SBOM and VEX now (AnalysisOpen).
	AttachInputs bool `json:"attach_inputs"`
	// RecordEvidence: record evidence now — the assigned body, during the
	// assessment, before its report.
	RecordEvidence bool `json:"record_evidence"`
	// SupplierRecord: read the supplier's earlier reviews
	// (CanSeeSupplierRecord).
	SupplierRecord bool `json:"supplier_record"`
	// Publish: publish the decision on the public lists — a pass or a fail
	// once decided (the list itself says whether it is already there).
	Publish bool `json:"publish"`
	// DateActions: record an action on an earlier day (CanDateAction).
	DateActions bool `json:"date_actions"`
	// Complain: complain about the reviewers' objectivity or
	// confidentiality (CanComplainOn).
	Complain bool `json:"complain"`
	// Export: export the closed case as one archive (CanExportCase).
	Export bool `json:"export"`
	// Triage: set the automated findings' analysis states now — the
	// assigned body, during the assessment, before its report.
	Triage bool `json:"triage"`
}

// AccessTo is what u may do with c.
func AccessTo(u *User, c *Case) CaseAccess {
	return CaseAccess{
		Opinions:       CanReadOpinions(u),
		Evidence:       CanReadEvidence(u, c),
		Analysis:       CanReadAnalysis(u, c),
		AttachInputs:   AnalysisOpen(c) && CanAttachAnalysisInputs(u, c),
		RecordEvidence: CanRecordEvidence(u, c) && c.State == StateAssessment && !c.ReportSubmitted,
		SupplierRecord: CanSeeSupplierRecord(u),
		Publish:        CanPublish(u) && c.State == StateDecided && (c.Outcome == OutcomePass || c.Outcome == OutcomeFail),
		DateActions:    CanDateAction(u),
		Complain:       CanComplainOn(u, c),
		Export:         CanExportCase(u, c),
		Triage:         CanTriage(u, c) && c.State == StateAssessment && !c.ReportSubmitted,
	}
}

// AnalysisOpen reports whether c takes SBOM and VEX files now: the analysis
// is part of the assessment, so files are attached during screening and
// the assessment, and once the report is in its evidence is frozen.
func AnalysisOpen(c *Case) bool {
	return c.State == StateScreening || (c.State == StateAssessment && !c.ReportSubmitted)
}
