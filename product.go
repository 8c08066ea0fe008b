package csreview

import (
	"context"
	"strings"
	"time"
)

// Product is a network product or service of one supplier (2021 Measures
// Art. 21 lists the categories). Reviews and list entries are about specific
// versions.
type Product struct {
	ID         int64    `json:"id"`
	SupplierID int64    `json:"supplier_id"`
	NameZH     string   `json:"name_zh"`
	NameEN     string   `json:"name_en,omitempty"`
	Category   Category `json:"category"`
	// Service is true for a network service (such as a cloud service) rather
	// than a product.
	Service     bool   `json:"service"`
	Model       string `json:"model,omitempty"`
	Description string `json:"description,omitempty"`
	// Versions is filled by FindProductByID, newest first.
	Versions  []*ProductVersion `json:"versions,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Name returns the name in the given language, falling back to Chinese.
func (p *Product) Name(lang string) string { return pickName(lang, p.NameZH, p.NameEN) }

// Validate checks the fields a user enters.
func (p *Product) Validate() error {
	p.NameZH, p.NameEN = strings.TrimSpace(p.NameZH), strings.TrimSpace(p.NameEN)
	p.Model = strings.TrimSpace(p.Model)
	var v Invalid
	if p.SupplierID <= 0 {
		v.Add("supplier_id", "required")
	}
	v.Required("name_zh", p.NameZH)
	v.MaxLen("name_zh", p.NameZH, 200)
	v.MaxLen("name_en", p.NameEN, 200)
	if v.Required("category", string(p.Category)) {
		v.OneOf("category", string(p.Category), names(Categories))
	}
	v.MaxLen("model", p.Model, 100)
	v.MaxLen("description", p.Description, 4000)
	return v.Err()
}

// ProductVersion is one released version of a product.
type ProductVersion struct {
	ID         int64     `json:"id"`
	ProductID  int64     `json:"product_id"`
	Version    string    `json:"version"`
	ReleasedOn Date      `json:"released_on,omitempty"`
	Notes      string    `json:"notes,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Validate checks the fields a user enters.
func (pv *ProductVersion) Validate() error {
	pv.Version = strings.TrimSpace(pv.Version)
	var v Invalid
	v.Required("version", pv.Version)
	v.MaxLen("version", pv.Version, 100)
	if pv.ReleasedOn != "" && !pv.ReleasedOn.Valid() {
		v.Add("released_on", "invalid_date")
	}
	v.MaxLen("notes", pv.Notes, 2000)
	return v.Err()
}

// ProductFilter selects products. Zero fields do not filter.
type ProductFilter struct {
	Query      string // substring of either name or the model
	SupplierID int64
	Category   Category
	Page
}

// ProductService manages products and their versions, under the same
// authorization contract as SupplierService: a supplier's users manage only
// that supplier's products.
type ProductService interface {
	// FindProductByID returns the product with its versions: ENOTFOUND
	// unless CanReadProduct.
	FindProductByID(ctx context.Context, id int64) (*Product, error)
	// FindProducts lists one page of the products in ProductScope and the
	// total. Only internal errors.
	FindProducts(ctx context.Context, f ProductFilter) ([]*Product, int, error)
	// CreateProduct returns EUNAUTHORIZED when anonymous, EFORBIDDEN unless
	// CanCreateProducts and CanWriteProduct, EINVALID naming each bad field
	// (a supplier the caller may not see is "unknown"), and ECONFLICT when
	// the supplier has a product of the same Chinese name.
	CreateProduct(ctx context.Context, p *Product) error
	// UpdateProduct saves p.ID's fields (under review, not its supplier or
	// category): ENOTFOUND unless CanReadProduct, EFORBIDDEN unless
	// CanWriteProduct before and after, EINVALID, ECONFLICT on a duplicate name.
	UpdateProduct(ctx context.Context, p *Product) error
	// DeleteProduct deletes a product and its versions: ENOTFOUND unless
	// CanReadProduct, EFORBIDDEN unless CanWriteProduct, ECONFLICT while
	// cases, inventory or list entries refer to it.
	DeleteProduct(ctx context.Context, id int64) error
	// CreateProductVersion returns ENOTFOUND unless CanReadProduct,
	// EFORBIDDEN unless CanWriteProduct, EINVALID naming each bad field,
	// ECONFLICT on a duplicate version string.
	CreateProductVersion(ctx context.Context, v *ProductVersion) error
	// UpdateProductVersion saves v.ID's fields: ENOTFOUND for a product the
	// caller may not read or a version not of it, EFORBIDDEN unless
	// CanWriteProduct, EINVALID, ECONFLICT while a case reviews the version.
	UpdateProductVersion(ctx context.Context, v *ProductVersion) error
	// DeleteProductVersion returns ENOTFOUND and EFORBIDDEN as
	// UpdateProductVersion, ECONFLICT while a case or inventory entry
	// refers to the version.
	DeleteProductVersion(ctx context.Context, productID, id int64) error
	// VersionChoices lists the versions of the products the caller may
	// see, by product name, for forms that pick one (a bounded number).
	// Only internal errors.
	VersionChoices(ctx context.Context) ([]VersionChoice, error)
}

// VersionChoice is one product version offered by a form.
type VersionChoice struct {
	ProductID            int64
	ProductZH, ProductEN string
	VersionID            int64
	Version              string
}

// VersionSBOM is an SBOM or VEX document attached to a product version,
// without its content.
type VersionSBOM struct {
	ID         int64     `json:"id"`
	VersionID  int64     `json:"version_id"`
	Kind       string    `json:"kind"`
	Name       string    `json:"name"`
	Format     string    `json:"format,omitempty"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size"`
	Components int       `json:"components,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// VersionSBOMService keeps the SBOM and VEX documents of product versions,
// the supplier's material. A product or version the caller may not see is
// ENOTFOUND.
type VersionSBOMService interface {
	// AttachVersionSBOM stores a version's SBOM (replacing the previous one
	// and its component index) or adds a VEX document: EFORBIDDEN unless
	// CanAttachVersionSBOM, EINVALID when the file is of another kind, empty,
	// over MaxFileSize or unparsable (ETOOLARGE past the SBOM parser's limits).
	AttachVersionSBOM(ctx context.Context, productID, versionID int64, f FileUpload) (*VersionSBOM, error)
	// VersionSBOMs lists the version's documents, without their content
	// (which only an audited assessment reads): EFORBIDDEN unless
	// CanReadVersionSBOM, ENOTFOUND for a product or version not seen.
	VersionSBOMs(ctx context.Context, productID, versionID int64) ([]*VersionSBOM, error)
}
