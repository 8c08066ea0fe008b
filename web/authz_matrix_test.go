package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/analysis"
	"github.com/csreview/csreview/demo"
	"github.com/csreview/csreview/internal/syncbuf"
	"github.com/csreview/csreview/review"
	sbomlib "github.com/csreview/csreview/sbom"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/web"
)

// The authorization matrix: every route of the registry, called as every
// role and anonymously, on an object the caller owns, one owned by another
// party and one that does not exist, must give the outcome written here.
// The table is the specification, written from DESIGN §2 and the Measures
// rather than read off the code; a route missing from it fails the test,
// as does an entry naming no route.

// Short names for the roles in the table.
const (
	rOffice    = csreview.RoleOffice
	rMember    = csreview.RoleMember
	rExpert    = csreview.RoleExpert
	rAssessor  = csreview.RoleAssessor
	rRegulator = csreview.RoleRegulator
	rOperator  = csreview.RoleOperator
	rSupplier  = csreview.RoleSupplier
	rAssoc     = csreview.RoleAssociation
	rAdmin     = csreview.RoleAdmin
)

// Groups of roles the table uses.
var (
	everyone   = csreview.Roles
	registrars = []csreview.Role{rOffice, rAdmin}
	// registryReaders read the whole registry; suppliers only their own.
	registryReaders = []csreview.Role{rOffice, rMember, rExpert, rAssessor, rRegulator, rOperator, rAssoc, rAdmin}
	// inventoryReaders read operators' inventories (their scope decides which).
	inventoryReaders = []csreview.Role{rOffice, rMember, rAdmin, rRegulator, rOperator}
	// oversight sees procurement checks and enforcement (scoped).
	oversight = []csreview.Role{rOffice, rAdmin, rRegulator, rOperator}
	// webhookOwners are the parties alerts go to.
	webhookOwners = []csreview.Role{rOffice, rAdmin, rSupplier, rOperator, rRegulator}
	// alertReaders receive monitoring alerts (their scope decides which).
	alertReaders = []csreview.Role{rOffice, rAdmin, rSupplier, rOperator, rRegulator}
)

func roles(rs ...csreview.Role) []csreview.Role { return rs }

// grant is who may call a route. For a route on an object, roles in any
// may call it on any object of the kind, roles in own only on their own;
// for a route without one, any ∪ own may call it. anon: anonymous callers
// too (a public route). Everyone else is refused: anonymous callers must
// sign in (401, or a redirect to the login page for a page), signed-in ones
// get 403 or 404, never more.
type grant struct {
	kind string
	any  []csreview.Role
	own  []csreview.Role
	anon bool
	// anyID: the route answers every ID alike, known or not (a public
	// status that is "none" for what was never published).
	anyID bool
	// fields are sent with the request, when what the caller may do
	// depends on them (a regulator registers operators of its sector).
	fields map[string]string
	// reads names the confidential material the route shows, each read
	// recorded exactly once in the audit log; readsSome: any of them, by
	// what the caller may see (a case page).
	reads     []string
	readsSome bool
	// notSelf: not on the caller's own account (an admin cannot lock
	// itself out).
	notSelf bool
	// status, when set, is the one answer every caller gets to the
	// empty request (a failed sign-in, a sign-out).
	status int
}

// authzMatrix is the table, by route name.
var authzMatrix = map[string]grant{
	// The registry (DESIGN §2): registrars write, readers read, a supplier
	// its own supplier profile and products.
	"api.suppliers.list":           {any: everyone},
	"api.suppliers.create":         {any: registrars},
	"api.suppliers.get":            {kind: "supplier", any: registryReaders, own: roles(rSupplier)},
	"api.suppliers.update":         {kind: "supplier", any: registrars, own: roles(rSupplier)},
	"api.suppliers.delete":         {kind: "supplier", any: registrars},
	"api.products.list":            {any: everyone},
	"api.products.create":          {any: registrars, own: roles(rSupplier)},
	"api.products.get":             {kind: "product", any: registryReaders, own: roles(rSupplier)},
	"api.products.update":          {kind: "product", any: registrars, own: roles(rSupplier)},
	"api.products.delete":          {kind: "product", any: registrars, own: roles(rSupplier)},
	"api.products.versions.create": {kind: "product", any: registrars, own: roles(rSupplier)},
	"api.products.versions.update": {kind: "version", any: registrars, own: roles(rSupplier)},
	"api.products.versions.delete": {kind: "version", any: registrars, own: roles(rSupplier)},
	"api.operators.list":           {any: everyone},
	"api.operators.create":         {any: roles(rOffice, rAdmin, rRegulator), fields: map[string]string{"sector": "finance"}},
	"api.operators.get":            {kind: "operator", any: roles(rOffice, rMember, rAdmin), own: roles(rOperator, rRegulator)},
	"api.operators.update":         {kind: "operator", any: registrars, own: roles(rOperator, rRegulator)},
	"api.operators.delete":         {kind: "operator", any: registrars},
	"api.bodies.list":              {any: everyone},
	"api.bodies.create":            {any: registrars},
	"api.bodies.get":               {kind: "body", any: everyone},
	"api.bodies.update":            {kind: "body", any: registrars},
	"api.bodies.delete":            {kind: "body", any: registrars},
	"api.bodies.relations.create":  {kind: "body", any: registrars},
	"api.users.list":               {any: everyone},
	"api.users.create":             {any: roles(rAdmin)},
	"api.users.get":                {kind: "user", any: roles(rAdmin), own: everyone},
	"api.users.update":             {kind: "user", any: roles(rAdmin)},
	"api.users.disable":            {kind: "user", any: roles(rAdmin), notSelf: true},
	"api.users.enable":             {kind: "user", any: roles(rAdmin)},
	"api.me":                       {any: everyone},
	"api.tokens.list":              {any: everyone},
	"api.tokens.create":            {any: everyone},
	"api.tokens.delete":            {kind: "token", any: roles(rAdmin), own: everyone},
	"api.audit.list":               {any: registrars},
	"api.regimes.list":             {any: everyone, anon: true},
	"api.regimes.get":              {kind: "regime", any: everyone, anon: true},
	"api.openapi":                  {any: everyone, anon: true},

	// Cases (DESIGN §2–3): the office all; each party the cases it is
	// party to; experts and member units those put before them.
	"api.cases.list":            {any: everyone},
	"api.cases.create":          {any: filers},
	"api.cases.get":             {kind: "case", any: registrars, own: caseParties},
	"api.cases.act":             {kind: "case", any: registrars, own: caseParties},
	"api.cases.opinions":        {kind: "case", any: registrars, own: roles(rMember, rExpert), reads: []string{"case_opinions"}},
	"api.cases.evidence.create": {kind: "case", own: roles(rAssessor)},
	"api.cases.evidence.list":   {kind: "case", any: registrars, own: roles(rAssessor, rMember, rExpert), reads: []string{"case_evidence"}},
	"api.cases.sboms":           {kind: "case", any: registrars, own: roles(rSupplier, rAssessor)},
	"api.cases.analysis":        {kind: "case", any: registrars, own: caseParties},
	"api.cases.analysis.report": {kind: "job", any: registrars, own: roles(rSupplier, rAssessor, rMember, rExpert), reads: []string{"analysis_report"}},
	"api.cases.supplier_record": {kind: "case", any: registrars, own: roles(rMember, rExpert), reads: []string{"supplier_record"}},
	// The materials: every party lists those it may read; the content of
	// one the operator filed goes to the operator, the lab and those who
	// deliberate, never to the supplier, and each read is recorded.
	"api.cases.files": {kind: "case", any: registrars, own: caseParties},
	// The archive of a closed case: the office and admins only (case A is
	// open, so they hear 409; case P, decided, is exported below).
	"api.cases.archive": {kind: "case", any: roles(rOffice, rAdmin)},
	// The findings table and the lab's triage: those who read the evidence
	// (the supplier reads its analysis, not the lab's judgement of it);
	// only the assigned body's assessors set a state (case A is past the
	// assessment, so they hear 409).
	"api.cases.findings":               {kind: "case", any: registrars, own: roles(rAssessor, rMember, rExpert), reads: []string{"analysis_report", "finding_triage"}},
	"api.cases.findings.vex":           {kind: "case", any: registrars, own: roles(rAssessor, rMember, rExpert), reads: []string{"analysis_report", "finding_triage"}},
	"api.cases.findings.triage":        {kind: "case", any: registrars, own: roles(rAssessor, rMember, rExpert), reads: []string{"finding_triage"}},
	"api.cases.findings.triage.set":    {kind: "case", own: roles(rAssessor)},
	"api.cases.files.get":              {kind: "file", any: registrars, own: roles(rOperator, rAssessor, rMember, rExpert), reads: []string{"case_file"}},
	"api.cases.publication.preview":    {kind: "case", any: registrars},
	"api.cases.publication.publish":    {kind: "case", any: registrars},
	"api.products.versions.sbom":       {kind: "version", any: registrars, own: roles(rSupplier)},
	"api.products.versions.assessment": {kind: "version", any: registrars, own: roles(rSupplier, rAssessor, rMember, rExpert), reads: []string{"version_assessment", "version_sboms"}},
	"ui.product.version.sbom":          {kind: "version", any: registrars, own: roles(rSupplier)},
	"ui.product.version.assessment":    {kind: "version", any: registrars, own: roles(rSupplier, rAssessor, rMember, rExpert), reads: []string{"version_assessment", "version_sboms"}},
	// The public site and its data (DESIGN §5): anyone, signed in or not;
	// a product never published is not there.
	"public.lists":            {any: everyone, anon: true},
	"public.lists.csv":        {any: everyone, anon: true},
	"public.feed":             {any: everyone, anon: true},
	"public.schema":           {any: everyone, anon: true},
	"public.product":          {kind: "published", any: everyone, anon: true, anyID: true},
	"public.report":           {kind: "report", any: everyone, anon: true},
	"public.log.key":          {any: everyone, anon: true},
	"public.log.checkpoint":   {any: everyone, anon: true},
	"public.log.leaves":       {any: everyone, anon: true},
	"public.log.inclusion":    {any: everyone, anon: true},
	"public.log.consistency":  {any: everyone, anon: true},
	"public.feedback":         {any: everyone, anon: true},
	"ui.public":               {any: everyone, anon: true},
	"ui.public.product":       {kind: "published", own: everyone, anon: true},
	"ui.public.report":        {kind: "report", any: everyone, anon: true},
	"ui.public.log":           {any: everyone, anon: true},
	"ui.public.feedback":      {any: everyone, anon: true},
	"ui.public.feedback.post": {any: everyone, anon: true},
	"ui.case.publication":     {kind: "case", any: registrars},
	"ui.case.publish":         {kind: "case", any: registrars},
	"ui.feedback":             {any: registrars, reads: []string{"feedback"}},
	"ui.feedback.state":       {kind: "feedback", any: registrars},
	"api.feedback.list":       {any: registrars, reads: []string{"feedback"}},
	"api.feedback.update":     {kind: "feedback", any: registrars},

	// Operators (DESIGN §6): inventories, determinations, purchase checks.
	"api.inventory.list":         {any: inventoryReaders},
	"api.inventory.create":       {any: roles(rOffice, rAdmin, rOperator)},
	"api.inventory.get":          {kind: "inventory", any: roles(rOffice, rMember, rAdmin), own: roles(rOperator, rRegulator)},
	"api.inventory.update":       {kind: "inventory", any: registrars, own: roles(rOperator)},
	"api.inventory.delete":       {kind: "inventory", any: registrars, own: roles(rOperator)},
	"api.determinations.list":    {any: inventoryReaders},
	"api.determinations.create":  {any: roles(rRegulator)},
	"api.determinations.get":     {kind: "determination", any: roles(rOffice, rMember, rAdmin), own: roles(rRegulator, rOperator)},
	"api.determinations.update":  {kind: "determination", own: roles(rRegulator)},
	"api.determinations.delete":  {kind: "determination", own: roles(rRegulator)},
	"api.inventory.import":       {any: roles(rOffice, rAdmin, rOperator)},
	"api.procurement.check":      {any: oversight},
	"api.procurement.checks":     {any: oversight},
	"api.procurement.checks.get": {kind: "check", any: registrars, own: roles(rOperator, rRegulator)},
	"ui.inventory.import.form":   {any: roles(rOffice, rAdmin, rOperator)},
	"ui.inventory.import":        {any: roles(rOffice, rAdmin, rOperator)},
	"ui.procurement":             {any: oversight},
	"ui.procurement.check":       {any: oversight},
	"ui.procurement.answer":      {kind: "check", any: registrars, own: roles(rOperator, rRegulator)},
	"ui.inventory.list":          {any: inventoryReaders},
	"ui.inventory.detail":        {kind: "inventory", any: roles(rOffice, rMember, rAdmin), own: roles(rOperator, rRegulator)},
	"ui.inventory.edit":          {kind: "inventory", any: registrars, own: roles(rOperator)},
	"ui.inventory.update":        {kind: "inventory", any: registrars, own: roles(rOperator)},
	"ui.inventory.new":           {any: roles(rOffice, rAdmin, rOperator)},
	"ui.inventory.create":        {any: roles(rOffice, rAdmin, rOperator)},
	"ui.inventory.delete":        {kind: "inventory", any: registrars, own: roles(rOperator)},
	"ui.determination.list":      {any: inventoryReaders},
	"ui.determination.detail":    {kind: "determination", any: roles(rOffice, rMember, rAdmin), own: roles(rRegulator, rOperator)},
	"ui.determination.edit":      {kind: "determination", own: roles(rRegulator)},
	"ui.determination.update":    {kind: "determination", own: roles(rRegulator)},
	"ui.determination.new":       {any: roles(rRegulator)},
	"ui.determination.create":    {any: roles(rRegulator)},
	"ui.determination.delete":    {kind: "determination", own: roles(rRegulator)},

	// Monitoring (DESIGN §4, §6): alerts to the parties concerned, the
	// prohibited list kept by the office, webhooks per owner.
	"api.alerts.list":         {any: alertReaders},
	"api.alerts.get":          {kind: "alert", any: registrars, own: roles(rSupplier, rOperator, rRegulator)},
	"api.alerts.update":       {kind: "alert", any: registrars},
	"api.prohibitions.list":   {any: everyone},
	"api.prohibitions.create": {any: registrars},
	"api.prohibitions.lift":   {kind: "prohibition", any: registrars},
	"api.webhooks.list":       {any: webhookOwners},
	"api.webhooks.create":     {any: webhookOwners},
	"api.webhooks.delete":     {kind: "webhook", own: webhookOwners},
	"ui.alerts":               {any: alertReaders},
	"ui.alert":                {kind: "alert", any: registrars, own: roles(rSupplier, rOperator, rRegulator)},
	"ui.alert.state":          {kind: "alert", any: registrars},
	"ui.prohibitions":         {any: everyone},
	"ui.prohibitions.add":     {any: registrars},
	"ui.prohibitions.lift":    {kind: "prohibition", any: registrars},
	"ui.webhooks":             {any: webhookOwners},
	"ui.webhooks.create":      {any: webhookOwners},
	"ui.webhooks.delete":      {kind: "webhook", own: webhookOwners},

	// Enforcement and oversight (DESIGN §6; CSL Art. 65).
	"api.enforcement.sweep": {any: roles(rOffice, rAdmin, rRegulator)},
	"api.enforcement.list":  {any: oversight},
	"api.enforcement.get":   {kind: "enforcement", any: registrars, own: roles(rOperator, rRegulator)},
	"api.enforcement.move":  {kind: "enforcement", any: registrars, own: roles(rRegulator)},
	"ui.enforcement":        {any: oversight},
	"ui.enforcement.sweep":  {any: roles(rOffice, rAdmin, rRegulator)},
	"ui.enforcement.one":    {kind: "enforcement", any: registrars, own: roles(rOperator, rRegulator)},
	"ui.enforcement.move":   {kind: "enforcement", any: registrars, own: roles(rRegulator)},
	"api.oversight":         {any: roles(rOffice, rAdmin, rMember, rRegulator)},
	"ui.oversight":          {any: roles(rOffice, rAdmin, rMember, rRegulator)},
	// Self-review (2021 Measures Art. 8(2)): operators and suppliers.
	"api.selfreviews.create": {any: selfReviewers},
	"api.selfreviews.get":    {kind: "selfreview", any: registrars, own: roles(rOperator)},
	"ui.selfreview.form":     {any: selfReviewers},
	"ui.selfreview.create":   {any: selfReviewers},
	"ui.selfreview":          {kind: "selfreview", any: registrars, own: roles(rOperator)},
	"ui.selfreview.report":   {kind: "selfreview", any: registrars, own: roles(rOperator)},

	// Operations and the pages around signing in.
	"healthz":                 {any: everyone, anon: true},
	"metrics":                 {any: everyone, anon: true},
	"ui.home":                 {any: everyone, anon: true, reads: []string{"feedback"}, readsSome: true},
	"ui.login":                {any: everyone, anon: true},
	"ui.login.post":           {any: everyone, anon: true, status: http.StatusUnauthorized},
	"ui.logout":               {any: everyone, anon: true, status: http.StatusSeeOther},
	"ui.lang":                 {any: everyone, anon: true},
	"ui.account":              {any: everyone},
	"ui.account.token":        {any: everyone},
	"ui.account.token.delete": {kind: "token", any: roles(rAdmin), own: everyone},
	"ui.account.password":     {any: everyone},
	"ui.audit":                {any: registrars},
	"ui.regimes":              {any: everyone, anon: true},
	"ui.regime":               {kind: "regime", any: everyone, anon: true},

	// Case pages: as the API.
	"ui.cases":         {any: everyone},
	"ui.case.new":      {any: filers},
	"ui.case.file":     {any: filers},
	"ui.case":          {kind: "case", any: registrars, own: caseParties, reads: caseMaterial, readsSome: true},
	"ui.case.sboms":    {kind: "case", any: registrars, own: roles(rSupplier, rAssessor)},
	"ui.case.evidence": {kind: "case", own: roles(rAssessor)},
	"ui.case.notice":   {kind: "notice", any: registrars, own: caseParties},
	"ui.case.archive":  {kind: "case", any: roles(rOffice, rAdmin)},
	"ui.deadlines":     {any: roles(rOffice, rAdmin)},
	// Each user's own calendar feed; the feed itself answers its secret
	// only, and an unknown one is no page, for everyone.
	"ui.account.calendar":        {any: everyone},
	"ui.account.calendar.delete": {any: everyone},
	"ui.calendar":                {kind: "calfeed", anon: true, any: everyone, status: 404},
	"ui.case.findings":           {kind: "case", any: registrars, own: roles(rAssessor, rMember, rExpert), reads: []string{"analysis_report", "finding_triage"}},
	"ui.case.findings.vex":       {kind: "case", any: registrars, own: roles(rAssessor, rMember, rExpert), reads: []string{"analysis_report", "finding_triage"}},
	"ui.case.finding":            {kind: "case", any: registrars, own: roles(rAssessor, rMember, rExpert), reads: []string{"finding_triage"}},
	"ui.case.finding.triage":     {kind: "case", own: roles(rAssessor)},
	"ui.case.material":           {kind: "file", any: registrars, own: roles(rOperator, rAssessor, rMember, rExpert), reads: []string{"case_file"}},
	"ui.case.act":                {kind: "case", any: registrars, own: caseParties},
	"ui.product.version.create":  {kind: "product", any: registrars, own: roles(rSupplier)},
	"ui.product.version.delete":  {kind: "version", any: registrars, own: roles(rSupplier)},
	"ui.user.disable":            {kind: "user", any: roles(rAdmin), notSelf: true},
	"ui.user.enable":             {kind: "user", any: roles(rAdmin)},
}

// filers open cases under the 2021 Measures: operators (Art. 5, 7) and
// member units (Art. 16); the office records any.
var filers = []csreview.Role{rOffice, rAdmin, rOperator, rMember}

// selfReviewers assess a product themselves before a filing.
var selfReviewers = []csreview.Role{rOffice, rAdmin, rOperator, rSupplier}

// caseMaterial is the confidential material a case page may show, each
// recorded when shown: the evidence, the opinions, the analysis report
// (for the dependency paths) and the supplier's record.
var caseMaterial = []string{"case_evidence", "case_opinions", "analysis_report", "supplier_record"}

// caseParties are the roles that read a case they are party to.
var caseParties = []csreview.Role{rMember, rExpert, rAssessor, rRegulator, rOperator, rSupplier, rAssoc}

func init() {
	// The registry pages follow the API's grants.
	for _, e := range []struct{ page, api, kind string }{
		{"supplier", "suppliers", "supplier"}, {"product", "products", "product"},
		{"operator", "operators", "operator"}, {"body", "bodies", "body"}, {"user", "users", "user"},
	} {
		get, create, update, del := authzMatrix["api."+e.api+".get"], authzMatrix["api."+e.api+".create"],
			authzMatrix["api."+e.api+".update"], authzMatrix["api."+e.api+".delete"]
		authzMatrix["ui."+e.page+".list"] = authzMatrix["api."+e.api+".list"]
		authzMatrix["ui."+e.page+".detail"] = get
		authzMatrix["ui."+e.page+".edit"] = update
		authzMatrix["ui."+e.page+".update"] = update
		authzMatrix["ui."+e.page+".new"] = grant{any: slices.Concat(create.any, create.own)}
		authzMatrix["ui."+e.page+".create"] = grant{any: slices.Concat(create.any, create.own), fields: create.fields}
		if e.api != "users" { // accounts are disabled, not deleted
			authzMatrix["ui."+e.page+".delete"] = del
		}
	}
}

// authzWorld is the data the matrix runs on: the demo (whose accounts are
// the callers, bound to the Xinghe supplier, the Haichuan bank in finance
// and the Hengxin lab) plus a second party of every kind — another
// supplier, an energy operator, another lab, their users — each owning
// objects of every kind. ids names the objects: "case.A" is the callers'
// own, "case.B" another party's.
type authzWorld struct {
	path    string // the database, closed: each server runs on a copy
	tokens  map[csreview.Role]string
	userID  map[csreview.Role]int64
	tokenID map[csreview.Role]int64
	hookID  map[csreview.Role]int64
	ids     map[string]int64
	// markers are strings seeded into confidential fields, with the
	// callers who may see them; no one else's answer may hold them.
	markers map[string][]csreview.Role
	// logs is what the servers logged.
	logs syncbuf.Buffer
}

func buildAuthzWorld(t *testing.T) *authzWorld {
	t.Helper()
	ctx := context.Background()
	w := &authzWorld{path: filepath.Join(t.TempDir(), "world.db"), tokens: map[csreview.Role]string{},
		userID: map[csreview.Role]int64{}, tokenID: map[csreview.Role]int64{}, hookID: map[csreview.Role]int64{},
		ids: map[string]int64{}, markers: map[string][]csreview.Role{}}
	mark := func(m string, who ...csreview.Role) string { w.markers[m] = who; return m }
	db, err := sqlstore.Open(ctx, w.path)
	apiMust(t, err)
	defer db.Close()
	_, err = db.Migrate(ctx)
	apiMust(t, err)
	store := sqlstore.NewStore(db)
	today := csreview.DateOf(db.Now().In(time.FixedZone("CST", 8*3600)))
	sys := csreview.NewContextWithUser(ctx, csreview.SystemUser("test"))
	_, err = demo.LoadAll(csreview.NewContextWithUser(ctx, csreview.SystemUser("demo")), store, today)
	apiMust(t, err)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("matrix world: %s: %v", what, err)
		}
	}
	as := func(u *csreview.User) context.Context { return csreview.NewContextWithUser(ctx, u) }
	users := map[csreview.Role]*csreview.User{}
	for _, r := range everyone {
		u, err := store.FindUserByUsername(sys, string(r))
		must("demo user "+string(r), err)
		users[r] = u
		w.userID[r] = u.ID
		tok, secret, err := store.CreateToken(sys, u.ID, "matrix", 0)
		must("token", err)
		w.tokens[r], w.tokenID[r] = secret, tok.ID
	}
	a := func(k string, id int64) { w.ids[k+".A"] = id }
	b := func(k string, id int64) { w.ids[k+".B"] = id }
	a("supplier", users[rSupplier].SupplierID)
	a("operator", users[rOperator].OperatorID)
	a("body", users[rAssessor].BodyID)
	prods, _, err := store.FindProducts(sys, csreview.ProductFilter{SupplierID: w.ids["supplier.A"], Page: csreview.Page{Limit: 100}})
	must("products", err)
	for _, p := range prods {
		full, err := store.FindProductByID(sys, p.ID)
		must("product", err)
		if len(full.Versions) > 0 && w.ids["product.A"] == 0 {
			a("product", p.ID)
			a("version", full.Versions[0].ID)
		}
	}
	if w.ids["version.A"] == 0 {
		t.Fatal("matrix world: the demo supplier has no product with a version")
	}

	// The other party.
	supB := &csreview.Supplier{NameZH: "乙方网络设备有限公司", NameEN: "Beta Network Equipment Ltd", Country: "CN", USCC: apiUSCC()}
	must("supplier B", store.CreateSupplier(sys, supB))
	b("supplier", supB.ID)
	var versB []int64
	for i, name := range []string{"乙方交换机", "乙方防火墙"} {
		p := &csreview.Product{SupplierID: supB.ID, NameZH: name, Category: csreview.CategorySoftware}
		must("product B", store.CreateProduct(sys, p))
		v := &csreview.ProductVersion{ProductID: p.ID, Version: fmt.Sprintf("V%d.0", i+1)}
		must("version B", store.CreateProductVersion(sys, v))
		if i == 0 {
			b("product", p.ID)
			b("version", v.ID)
		}
		versB = append(versB, v.ID)
	}
	opB := &csreview.Operator{NameZH: "乙方电网有限公司", USCC: apiUSCC(), Sector: csreview.SectorEnergy, CII: true}
	must("operator B", store.CreateOperator(sys, opB))
	b("operator", opB.ID)
	bodyB := &csreview.Body{NameZH: "乙方测评中心", USCC: apiUSCC(), AccreditationNo: "ACC-B-1",
		Scope:     []csreview.Category{csreview.CategorySoftware},
		ValidFrom: csreview.DateOf(db.Now().AddDate(-1, 0, 0)), ValidUntil: csreview.DateOf(db.Now().AddDate(1, 0, 0))}
	must("body B", store.CreateBody(sys, bodyB))
	b("body", bodyB.ID)
	usersB := map[csreview.Role]*csreview.User{}
	for _, u := range []*csreview.User{
		{Username: "supplier2", Role: rSupplier, SupplierID: supB.ID},
		{Username: "operator2", Role: rOperator, OperatorID: opB.ID},
		{Username: "assessor2", Role: rAssessor, BodyID: bodyB.ID},
		{Username: "regulator2", Role: rRegulator, Sector: csreview.SectorEnergy},
	} {
		u.DisplayName = u.Username
		must("user "+u.Username, store.CreateUser(sys, u, mark("MARKPASSWORD"+u.Username)))
		usersB[u.Role] = u
	}
	b("user", usersB[rOperator].ID)
	tokB, secretB, err := store.CreateToken(sys, usersB[rOperator].ID, "matrix", 0)
	must("token B", err)
	mark(secretB) // an API token's secret is shown once, to its holder
	b("token", tokB.ID)

	// Cases: A on the demo supplier's product, filed by the demo bank,
	// assessed by the demo lab and before the member units; B on the other
	// supplier's, filed by the energy operator, in assessment at its lab.
	files := []csreview.FileUpload{
		{Kind: "application_form", Name: "a.pdf", MediaType: "application/pdf", Content: []byte("%PDF-1.4 a")},
		{Kind: "impact_report", Name: "b.pdf", MediaType: "application/pdf", Content: []byte("%PDF-1.4 b")},
		{Kind: "procurement_documents", Name: "c.pdf", MediaType: "application/pdf", Content: []byte("%PDF-1.4 c")},
	}
	sbom, _, err := demo.AnalysisInputs()
	must("demo SBOM", err)
	act := func(u *csreview.User, id int64, in csreview.CaseAction) {
		t.Helper()
		_, err := store.Act(as(u), id, in)
		must("case "+in.Action, err)
	}
	fileCase := func(k string, op, sup *csreview.User, supplierID, versionID, bodyID int64, assessor *csreview.User) int64 {
		c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "矩阵案件 " + k + " MARK" + k + "TITLE",
			SupplierID: supplierID, VersionIDs: []int64{versionID}, PurchaseAmount: 1_000_000}
		must("case "+k, store.CreateCase(as(op), c, files))
		act(users[rOffice], c.ID, csreview.CaseAction{Action: review.ActAccept, Note: "受理"})
		act(users[rOffice], c.ID, csreview.CaseAction{Action: review.ActAssignBody, BodyID: bodyID})
		job, err := store.AttachAnalysisInputs(as(sup), c.ID, []csreview.FileUpload{sbom})
		must("SBOM "+k, err)
		w.ids["job."+k] = job.ID
		must("evidence "+k, store.CreateEvidence(as(assessor), &csreview.Evidence{CaseID: c.ID, Method: "lab_test",
			Summary: "矩阵测试证据 MARK" + k + "EVID"}, nil))
		notices, err := store.FindCaseNotices(sys, c.ID)
		must("notices", err)
		if len(notices) == 0 {
			t.Fatalf("matrix world: case %s has no notice", k)
		}
		w.ids["notice."+k] = notices[0].ID
		w.ids["case."+k] = c.ID
		mats, err := store.FindCaseMaterials(sys, c.ID)
		must("materials", err)
		if len(mats) == 0 || mats[0].Kind != "application_form" {
			t.Fatalf("matrix world: case %s has no application form among its materials", k)
		}
		w.ids["file."+k] = mats[0].ID
		return c.ID
	}
	runJobs := func() {
		t.Helper()
		rules, err := review.DefaultRules()
		must("rules", err)
		runner := &analysis.Runner{Store: store, Rules: rules, Worker: "matrix", Version: "test",
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		for {
			ran, err := runner.RunOnce(ctx)
			must("analysis", err)
			if !ran {
				return
			}
		}
	}
	caseA := fileCase("A", users[rOperator], users[rSupplier], w.ids["supplier.A"], w.ids["version.A"], w.ids["body.A"], users[rAssessor])
	runJobs()
	act(users[rAssessor], caseA, csreview.CaseAction{Action: review.ActSubmitReport})
	act(users[rOffice], caseA, csreview.CaseAction{Action: review.ActRecommend, Consult: []string{"工业和信息化部"}, Position: "pass", Note: "建议通过"})
	act(users[rMember], caseA, csreview.CaseAction{Action: review.ActMemberReply, Position: "agree", Note: "同意 MARKAOPIN"})
	// P: the demo supplier's product again, decided and published: what
	// was confidential in it stays so on the public site.
	caseP := fileCase("P", users[rOperator], users[rSupplier], w.ids["supplier.A"], w.ids["version.A"], w.ids["body.A"], users[rAssessor])
	runJobs()
	for _, st := range []struct {
		u  *csreview.User
		in csreview.CaseAction
	}{
		{users[rAssessor], csreview.CaseAction{Action: review.ActSubmitReport}},
		{users[rOffice], csreview.CaseAction{Action: review.ActRecommend, Consult: []string{"工业和信息化部"}, Position: "pass", Note: "建议通过 MARKPNOTE"}},
		{users[rMember], csreview.CaseAction{Action: review.ActMemberReply, Position: "agree", Note: "同意 MARKPOPIN"}},
		{users[rOffice], csreview.CaseAction{Action: review.ActCloseReplies}},
		{users[rOffice], csreview.CaseAction{Action: review.ActDecide, Position: "pass",
			Reasons: map[string]string{"cac2021.10.1": "未发现被非法控制的风险。"}}},
	} {
		act(st.u, caseP, st.in)
	}
	pub, err := store.PublishCase(as(users[rOffice]), caseP, csreview.PublishOptions{ConfirmNoBasis: true})
	must("publish P", err)
	fileCase("B", usersB[rOperator], usersB[rSupplier], supB.ID, w.ids["version.B"], bodyB.ID, usersB[rAssessor])
	runJobs()

	// Operators' records: A the demo bank's, B the energy operator's.
	inv, _, err := store.FindInventory(as(users[rOperator]), csreview.InventoryFilter{Page: csreview.Page{Limit: 1}})
	must("inventory A", err)
	a("inventory", inv[0].ID)
	invB := &csreview.InventoryEntry{VersionID: versB[1], System: "乙方调度系统 " + mark("MARKBINV", rOffice, rAdmin, rMember), Stage: csreview.StageInUse,
		Amount: 2_000_000, PurchasedOn: csreview.DateOf(db.Now().AddDate(0, -2, 0)), Forecast: "may_affect"}
	must("inventory B", store.CreateInventoryEntry(as(usersB[rOperator]), invB))
	b("inventory", invB.ID)
	dets, _, err := store.FindDeterminations(as(users[rRegulator]), csreview.DeterminationFilter{Page: csreview.Page{Limit: 1}})
	must("determination A", err)
	a("determination", dets[0].ID)
	detB := &csreview.Determination{Category: csreview.CategorySoftware, Affects: true, DecidedOn: today, Reason: "矩阵测试 " + mark("MARKBDET", rOffice, rAdmin, rMember)}
	must("determination B", store.CreateDetermination(as(usersB[rRegulator]), detB))
	b("determination", detB.ID)
	checks, _, err := store.FindProcurementChecks(as(users[rOperator]), csreview.ProcurementFilter{Page: csreview.Page{Limit: 1}})
	must("check A", err)
	a("check", checks[0].ID)
	chkB, err := store.CheckProcurement(as(usersB[rOperator]), csreview.ProcurementRequest{InventoryID: invB.ID})
	must("check B", err)
	b("check", chkB.ID)
	answers := map[string]string{"supply_alternatives": "yes", "supply_commitment": "yes", "data_outbound": "no",
		"remote_access": "no", "export_control": "no", "legal_record": "no", "foreign_control": "no"}
	srA := &csreview.SelfReview{VersionID: w.ids["version.A"], Lang: "zh-CN", Answers: answers}
	must("self-review A", store.CreateSelfReview(as(users[rOperator]), srA))
	a("selfreview", srA.ID)
	srB := &csreview.SelfReview{VersionID: versB[1], Lang: "zh-CN", Answers: answers,
		Notes: map[string]string{"remote_access": mark("MARKBSELF", rOffice, rAdmin)}}
	must("self-review B", store.CreateSelfReview(as(usersB[rOperator]), srB))
	b("selfreview", srB.ID)

	// Monitoring: the demo's prohibition raised the bank's alert, seen by
	// the bank and its regulator (A); both versions get an SBOM, and
	// listing a component of the demo supplier's version raises the
	// supplier's alert (S); listing supplier B raises the energy
	// operator's (B).
	firstAlert := func(u *csreview.User, missing string) int64 {
		t.Helper()
		alerts, _, err := store.FindAlerts(as(u), csreview.AlertFilter{Page: csreview.Page{Limit: 1}})
		must("alerts", err)
		if len(alerts) == 0 {
			t.Fatal("matrix world: " + missing)
		}
		return alerts[0].ID
	}
	a("alert", firstAlert(users[rOperator], "the demo bank has no alert"))
	for _, k := range []string{"A", "B"} {
		_, err := store.AttachVersionSBOM(sys, w.ids["product."+k], w.ids["version."+k], sbom)
		must("version SBOM "+k, err)
	}
	doc, err := sbomlib.Parse(bytes.NewReader(sbom.Content), sbomlib.Limits{})
	must("parse demo SBOM", err)
	purl := ""
	for _, c := range doc.Components {
		if c.PURL != "" && purl == "" {
			purl = c.PURL
		}
	}
	_, err = store.AddProhibition(as(users[rOffice]), &csreview.Prohibition{PURL: purl, Reason: "矩阵测试"})
	must("prohibition A", err)
	w.ids["alert.S"] = firstAlert(users[rSupplier], "listing a component of the supplier's version raised no alert")
	pro, _, err := store.FindProhibitions(sys, true, csreview.Page{Limit: 1})
	must("prohibition A", err)
	a("prohibition", pro[0].ID)
	proB := &csreview.Prohibition{Supplier: supB.NameZH, Reason: "矩阵测试"}
	_, err = store.AddProhibition(as(users[rOffice]), proB)
	must("prohibition B", err)
	b("prohibition", proB.ID)
	b("alert", firstAlert(usersB[rOperator], "listing supplier B raised no alert for its operator"))
	for _, r := range webhookOwners {
		h := &csreview.Webhook{URL: "https://hooks.example.com/" + string(r)}
		must("webhook", store.CreateWebhook(as(users[r]), h))
		w.hookID[r] = h.ID
	}
	// The webhook's address is in the audit log, which the office and
	// admins read; its secret, shown once to its owner, is nowhere.
	hB := &csreview.Webhook{URL: "https://hooks.example.com/" + mark("MARKBHOOK", rOffice, rAdmin)}
	must("webhook B", store.CreateWebhook(as(usersB[rSupplier]), hB))
	b("webhook", hB.ID)
	if hB.Secret == "" {
		t.Fatal("matrix world: no webhook secret")
	}
	mark(hB.Secret)
	_, err = store.Sweep(as(users[rOffice]))
	must("sweep", err)
	enfA, _, err := store.FindEnforcements(as(users[rOperator]), csreview.EnforcementFilter{Page: csreview.Page{Limit: 1}})
	must("enforcement A", err)
	enfB, _, err := store.FindEnforcements(as(usersB[rOperator]), csreview.EnforcementFilter{Page: csreview.Page{Limit: 1}})
	must("enforcement B", err)
	if len(enfA) == 0 || len(enfB) == 0 {
		t.Fatalf("matrix world: enforcement records A %d, B %d", len(enfA), len(enfB))
	}
	a("enforcement", enfA[0].ID)
	b("enforcement", enfB[0].ID)

	// The public: feedback, and what was published.
	for _, k := range []string{"A", "B"} {
		f := &csreview.Feedback{Product: "矩阵产品 " + k, Text: "矩阵测试反馈：该产品的远程维护通道值得关注 " + k,
			Contact: mark("MARKCONTACT"+k, rOffice, rAdmin)}
		must("feedback", store.SubmitFeedback(ctx, f, "192.0.2."+k))
		w.ids["feedback."+k] = f.ID
	}
	entries, _, err := store.FindListEntries(ctx, csreview.ListFilter{Page: csreview.Page{Limit: 1}})
	must("list entries", err)
	a("published", entries[0].ProductID)
	b("published", w.ids["product.B"])
	a("report", pub[0].ID)
	// Who may see what of the cases: the evidence goes to the office, the
	// lab and those who deliberate; the opinions to the office and those
	// who deliberate; nothing of B's to A's side.
	deliberators := []csreview.Role{rOffice, rAdmin, rMember, rExpert}
	for _, k := range []string{"A", "P"} {
		w.markers["MARK"+k+"EVID"] = append(slices.Clone(deliberators), rAssessor)
		w.markers["MARK"+k+"OPIN"] = deliberators
	}
	w.markers["MARKPNOTE"] = append(slices.Clone(deliberators), rAssessor)
	w.markers["MARKBTITLE"] = registrars
	w.markers["MARKBEVID"] = registrars
	return w
}

// object returns the path parameters naming an object of kind for caller
// in variant ("own", "other", "none" or "cross": a parent of the caller's
// with a child of another party's); false when the variant does not
// apply.
func (w *authzWorld) object(kind string, caller csreview.Role, variant string) (map[string]string, bool) {
	id := func(k string) string { return itoa(w.ids[k]) }
	const none = "999999"
	if variant == "none" {
		switch kind {
		case "regime":
			return map[string]string{"regime": "no-such-regime"}, true
		case "version":
			return map[string]string{"id": id("product.A"), "vid": none}, true
		case "job":
			return map[string]string{"id": id("case.A"), "jid": none}, true
		case "notice":
			return map[string]string{"id": id("case.A"), "nid": none}, true
		case "file":
			return map[string]string{"id": id("case.A"), "fid": none}, true
		case "calfeed":
			return map[string]string{"file": "csrcal_unknown.ics"}, true
		}
		return map[string]string{"id": none}, true
	}
	side := "A"
	if variant == "other" {
		side = "B"
	}
	switch kind {
	case "calfeed":
		// A feed answers only its own secret, which no caller of the
		// matrix holds: every variant is an unknown one.
		return map[string]string{"file": "csrcal_unknown.ics"}, variant != "own"
	case "regime":
		return map[string]string{"regime": "cac-2021"}, variant == "own"
	case "version":
		if variant == "cross" {
			return map[string]string{"id": id("product.A"), "vid": id("version.B")}, true
		}
		return map[string]string{"id": id("product." + side), "vid": id("version." + side)}, true
	case "job", "notice", "file":
		if variant == "own" && caller == rAssoc {
			return nil, false
		}
		child := map[string]string{"job": "jid", "notice": "nid", "file": "fid"}[kind]
		if variant == "cross" {
			return map[string]string{"id": id("case.A"), child: id(kind + ".B")}, true
		}
		return map[string]string{"id": id("case." + side), child: id(kind + "." + side)}, true
	case "case":
		// An association has no case of its own: under the 2021 Measures it
		// cannot file, and what it sees are the cases it suggested.
		if variant == "own" && caller == rAssoc {
			return nil, false
		}
	case "report":
		return map[string]string{"id": id("report.A")}, variant == "own"
	case "alert":
		if variant == "own" && caller == rSupplier {
			return map[string]string{"id": id("alert.S")}, true
		}
	case "user":
		if variant == "own" {
			if caller == "" {
				return map[string]string{"id": itoa(w.userID[rOffice])}, true
			}
			return map[string]string{"id": itoa(w.userID[caller])}, true
		}
	case "token":
		if variant == "own" {
			if caller == "" {
				return map[string]string{"id": itoa(w.tokenID[rOffice])}, true
			}
			return map[string]string{"id": itoa(w.tokenID[caller])}, true
		}
	case "webhook":
		if variant == "own" {
			hid, ok := w.hookID[caller]
			if caller == "" {
				hid, ok = w.hookID[rOffice], true
			}
			return map[string]string{"id": itoa(hid)}, ok
		}
	}
	if variant == "cross" {
		return nil, false
	}
	v, ok := w.ids[kind+"."+side]
	if !ok {
		panic("matrix world has no " + kind + "." + side)
	}
	return map[string]string{"id": itoa(v)}, true
}

// open starts a server on a fresh copy of the world.
func (w *authzWorld) open(t *testing.T) *worldCopy {
	t.Helper()
	ctx := context.Background()
	dst := filepath.Join(t.TempDir(), "copy.db")
	raw, err := os.ReadFile(w.path)
	apiMust(t, err)
	apiMust(t, os.WriteFile(dst, raw, 0o600))
	db, err := sqlstore.Open(ctx, dst)
	apiMust(t, err)
	t.Cleanup(func() { db.Close() })
	srv, err := web.New(sqlstore.NewStore(db), db, slog.New(slog.NewJSONHandler(&w.logs, nil)), web.Config{Version: "test"})
	apiMust(t, err)
	log, err := sql.Open("sqlite", "file:"+dst+"?mode=ro")
	apiMust(t, err)
	t.Cleanup(func() { log.Close() })
	return &worldCopy{Server: srv, log: log}
}

// worldCopy is a server on a copy of the world, with the copy's audit log.
type worldCopy struct {
	*web.Server
	log *sql.DB
}

// auditRow is one audit record.
type auditRow struct {
	id             int64
	action, entity string
	entityID       int64
}

// lastAudit returns the newest audit record's ID.
func (c *worldCopy) lastAudit(t *testing.T) int64 {
	var id int64
	apiMust(t, c.log.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM audit_log`).Scan(&id))
	return id
}

// auditSince returns the records written after ID after.
func (c *worldCopy) auditSince(t *testing.T, after int64) []auditRow {
	rows, err := c.log.Query(`SELECT id, action, entity, COALESCE(entity_id, 0) FROM audit_log WHERE id > ? ORDER BY id`, after)
	apiMust(t, err)
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		apiMust(t, rows.Scan(&r.id, &r.action, &r.entity, &r.entityID))
		out = append(out, r)
	}
	apiMust(t, rows.Err())
	return out
}

// checkReads holds a GET's audit records to the matrix: a read changes
// nothing, so it writes only "read" records; each confidential item it
// shows is recorded exactly once; a route not marked as reading
// confidential material records nothing, nor does a refused call.
func checkReads(t *testing.T, call string, g grant, outcome string, recs []auditRow) {
	t.Helper()
	seen := map[string]int{}
	for _, r := range recs {
		if r.action != "read" {
			t.Errorf("%s wrote a %q audit record: a read must change nothing", call, r.action)
		}
		key := fmt.Sprintf("%s %d", r.entity, r.entityID)
		if seen[key]++; seen[key] == 2 {
			t.Errorf("%s recorded its read of %s twice", call, key)
		}
		if !slices.Contains(g.reads, r.entity) {
			t.Errorf("%s recorded a read of %s, which its matrix entry does not name as confidential", call, r.entity)
		}
	}
	if outcome != allow {
		if len(recs) > 0 {
			t.Errorf("%s was refused but recorded %d reads", call, len(recs))
		}
		return
	}
	if g.readsSome {
		return
	}
	for _, e := range g.reads {
		n := 0
		for _, r := range recs {
			if r.entity == e {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s recorded %d reads of %s, want exactly 1", call, n, e)
		}
	}
}

// Outcomes.
const (
	allow = "allowed"
	deny  = "refused"
	login = "sent to sign in"
)

// want is the outcome the table specifies.
func (g grant) want(caller csreview.Role, variant string) string {
	switch {
	case g.anyID && (caller != "" || g.anon):
		return allow
	case caller == "" && g.anon:
		if variant == "none" || variant == "other" || variant == "cross" {
			return deny
		}
		return allow
	case caller == "":
		return login
	case variant == "none" || variant == "cross", g.notSelf && variant == "own":
		return deny
	case slices.Contains(g.any, caller):
		return allow
	case slices.Contains(g.own, caller) && (variant == "own" || g.kind == ""):
		return allow
	}
	return deny
}

// outcome classifies an answer: a validation error (400, 409, 413, 415,
// 422) means the caller got past authorization.
func outcome(status int, location string) string {
	switch {
	case status == 401 || status == 303 && strings.HasPrefix(location, "/login"):
		return login
	case status == 403 || status == 404:
		return deny
	case status < 400, slices.Contains([]int{400, 409, 413, 415, 422}, status):
		return allow
	}
	return fmt.Sprintf("status %d", status)
}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	w := buildAuthzWorld(t)
	srv := w.open(t)
	routes := srv.Routes()
	names := map[string]bool{}
	for _, rt := range routes {
		names[rt.Name] = true
		if _, ok := authzMatrix[rt.Name]; !ok {
			t.Errorf("route %s (%s %s) has no entry in the authorization matrix", rt.Name, rt.Method, rt.Pattern)
		}
	}
	for name := range authzMatrix {
		if !names[name] {
			t.Errorf("the authorization matrix names %s, which is no route", name)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	calls, resets := 0, 0
	reads := map[string]int{}  // confidential reads recorded, by material
	shown := map[string]bool{} // markers seen by a caller who may see them
	// scan is the leak scan: no answer — page, API, feed, error — holds a
	// marker its caller may not see.
	scan := func(call string, caller csreview.Role, body string) {
		t.Helper()
		for m, may := range w.markers {
			if !strings.Contains(body, m) {
				continue
			}
			ok := caller != "" && slices.Contains(may, caller)
			shown[m] = shown[m] || ok
			if !ok {
				t.Errorf("%s: the answer holds %s, which only %v may see", call, m, may)
			}
		}
	}
	for _, rt := range routes {
		g := authzMatrix[rt.Name]
		if g.kind == "" && strings.Contains(strings.TrimSuffix(rt.Pattern, "{$}"), "{") {
			t.Errorf("route %s has path parameters but its matrix entry names no object kind", rt.Name)
			continue
		}
		variants := []string{""}
		if g.kind != "" {
			variants = []string{"own", "other", "none", "cross"}
		}
		for _, caller := range append([]csreview.Role{""}, everyone...) {
			for _, variant := range variants {
				path := rt.Pattern
				if g.kind != "" {
					params, ok := w.object(g.kind, caller, variant)
					if !ok {
						continue
					}
					for k, v := range params {
						path = strings.ReplaceAll(path, "{"+k+"}", v)
					}
				}
				path = strings.TrimSuffix(path, "{$}")
				before := srv.lastAudit(t)
				rec := w.call(srv.Server, rt, path, caller, g.fields)
				calls++
				got, want := outcome(rec.Code, rec.Header().Get("Location")), g.want(caller, variant)
				if g.status != 0 {
					got, want = fmt.Sprint(rec.Code), fmt.Sprint(g.status)
				}
				who := string(caller)
				if who == "" {
					who = "anonymous"
				}
				scan(fmt.Sprintf("%s %s as %s (%s object)", rt.Method, path, who, variant), caller,
					rec.Body.String()+rec.Header().Get("Location"))
				recs := srv.auditSince(t, before)
				switch {
				case rt.Method == "GET":
					checkReads(t, fmt.Sprintf("GET %s as %s", path, who), g, got, recs)
					for _, r := range recs {
						reads[r.entity]++
					}
				case got != allow:
					// A refused form may come back on its page, whose
					// reads are recorded; nothing else may be.
					for _, r := range recs {
						if r.action != "read" {
							t.Errorf("%s %s as %s was refused but recorded %s %s", rt.Method, path, who, r.action, r.entity)
						}
					}
				}
				if got != want {
					t.Errorf("%s %s (%s) as %s on %s object: %s (%d), want %s",
						rt.Method, path, rt.Name, who, variant, got, rec.Code, want)
				}
				// An allowed change may have changed the world: the next
				// call gets a fresh copy.
				if rt.Method != "GET" && rec.Code < 400 {
					srv = w.open(t)
					resets++
				}
			}
		}
	}
	// The decided and published case P, through every page and answer
	// about a case: its evidence and opinions stay with those who may
	// see them after publication too.
	for _, rt := range routes {
		if g := authzMatrix[rt.Name]; rt.Method != "GET" || g.kind != "case" {
			continue
		}
		path := strings.ReplaceAll(rt.Pattern, "{id}", itoa(w.ids["case.P"]))
		for _, caller := range append([]csreview.Role{""}, everyone...) {
			scan(fmt.Sprintf("GET %s as %q", path, caller), caller, w.call(srv.Server, rt, path, caller, nil).Body.String())
		}
	}
	// A marker no one was shown proves nothing: each must reach someone
	// who may see it (the secrets no one may see aside).
	for m, may := range w.markers {
		if len(may) > 0 && !shown[m] {
			t.Errorf("marker %s reached none of %v: the scan does not cover its field", m, may)
		}
	}
	logs := w.logs.String()
	for m := range w.markers {
		if strings.Contains(logs, m) {
			t.Errorf("the server's log holds %s", m)
		}
	}
	t.Logf("%d routes, %d calls, %d fresh worlds, %d markers scanned for; confidential reads recorded once each: %v", len(routes), calls, resets, len(w.markers), reads)
}

// call sends an empty request (an empty JSON object or form) to path as
// caller, with its API token.
func (w *authzWorld) call(srv *web.Server, rt web.Route, path string, caller csreview.Role, fields map[string]string) *httptest.ResponseRecorder {
	var req *http.Request
	switch {
	case rt.Method == "GET" || rt.Method == "DELETE":
		req = httptest.NewRequest(rt.Method, path, nil)
	case rt.API():
		body, _ := json.Marshal(fields)
		if fields == nil {
			body = []byte("{}")
		}
		req = httptest.NewRequest(rt.Method, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	default:
		form := url.Values{}
		for k, v := range fields {
			form.Set(k, v)
		}
		req = httptest.NewRequest(rt.Method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if caller != "" {
		req.Header.Set("Authorization", "Bearer "+w.tokens[caller])
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}
