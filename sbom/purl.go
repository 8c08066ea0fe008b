package sbom

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/csreview/csreview"
)

// Ecosystem returns the OSV ecosystem of a package URL ("" for a purl type
// OSV has no ecosystem for), the package's name as OSV names it (Maven
// "group:artifact", npm "@scope/name", Go the module path with its case
// kept, PyPI normalised per PEP 503, Packagist "vendor/name"), and the
// version the purl gives. A purl that writes '@' as %40 still yields its
// version. A purl that does not parse is an EINVALID *csreview.Error.
func Ecosystem(purl string) (eco, name, version string, err error) {
	p, err := parsePURL(purl)
	if err != nil {
		return "", "", "", err
	}
	return p.eco, p.name, p.version, nil
}

type purlInfo struct {
	eco, name, version string
	encodedAt          bool // the version was found after a %40
}

func parsePURL(purl string) (purlInfo, error) {
	purl = strings.TrimSpace(purl)
	p, err := packageurl.FromString(purl)
	if err != nil {
		return purlInfo{}, csreview.Errorf(csreview.EINVALID, "invalid purl %q: %v", clip(purl), err)
	}
	ns, name, version := p.Namespace, p.Name, p.Version
	var info purlInfo
	if p.Type == packageurl.TypeGolang {
		// packageurl-go lower-cases Go paths; module paths are case-sensitive.
		ns, name, version = rawPath(purl)
	}
	if version == "" {
		if i := strings.LastIndexByte(name, '@'); i > 0 {
			name, version = name[:i], name[i+1:]
			info.encodedAt = true
		}
	}
	if name == "" {
		return purlInfo{}, csreview.Errorf(csreview.EINVALID, "invalid purl %q: no name", clip(purl))
	}
	info.version = version
	info.eco, info.name = osvName(p, ns, name)
	return info, nil
}

// rawPath splits a purl's namespace, name and version as written, only
// percent-decoded. It is called on purls packageurl-go has accepted.
func rawPath(purl string) (ns, name, version string) {
	rest := purl[len("pkg:"):]
	rest = strings.TrimLeft(rest, "/")
	rest, _, _ = strings.Cut(rest, "#")
	rest, _, _ = strings.Cut(rest, "?")
	_, rest, _ = strings.Cut(rest, "/")
	if i := strings.LastIndexByte(rest, '@'); i > 0 {
		rest, version = rest[:i], unescape(rest[i+1:])
	}
	var segs []string
	for _, s := range strings.Split(rest, "/") {
		if s != "" {
			segs = append(segs, unescape(s))
		}
	}
	if len(segs) == 0 {
		return "", "", version
	}
	return strings.Join(segs[:len(segs)-1], "/"), segs[len(segs)-1], version
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// osvName maps a purl's type (and, for Linux distributions, its namespace)
// to an OSV ecosystem and the name OSV gives the package there.
func osvName(p packageurl.PackageURL, ns, name string) (eco, osv string) {
	joined := name
	if ns != "" {
		joined = ns + "/" + name
	}
	switch p.Type {
	case "npm":
		if ns != "" && !strings.HasPrefix(ns, "@") {
			ns = "@" + ns
		}
		if ns != "" {
			return "npm", ns + "/" + name
		}
		return "npm", name
	case "pypi":
		return "PyPI", pep503(name)
	case "maven":
		if ns != "" {
			return "Maven", ns + ":" + name
		}
		return "Maven", name
	case "golang":
		// A subpath names a module inside the repository, as Go's major
		// versions do (pkg:golang/github.com/go-chi/chi@v5.0.11#v5 is the
		// module github.com/go-chi/chi/v5).
		if sp := strings.Trim(p.Subpath, "/"); sp != "" {
			return "Go", joined + "/" + sp
		}
		return "Go", joined
	case "cargo":
		return "crates.io", name
	case "gem":
		return "RubyGems", name
	case "nuget":
		return "NuGet", name
	case "composer":
		return "Packagist", joined
	case "hex":
		return "Hex", name
	case "pub":
		return "Pub", name
	case "conan":
		return "ConanCenter", name
	case "cran":
		return "CRAN", name
	case "swift":
		return "SwiftURL", joined
	case "hackage":
		return "Hackage", name
	case "bitnami":
		return "Bitnami", name
	case "github":
		return "GitHub Actions", joined
	case "deb":
		distro := strings.ToLower(p.Qualifiers.Map()["distro"])
		switch {
		case ns == "ubuntu" || strings.HasPrefix(distro, "ubuntu"):
			return "Ubuntu", name
		case ns == "debian" || ns == "" || strings.HasPrefix(distro, "debian"):
			return "Debian", name
		}
		return "", name
	case "alpine": // old syft: pkg:alpine/name@version
		return "Alpine", name
	case "apk":
		switch ns {
		case "alpine", "":
			return "Alpine", name
		case "wolfi":
			return "Wolfi", name
		case "chainguard":
			return "Chainguard", name
		}
		return "", name
	case "rpm":
		if eco := rpmEcosystems[ns]; eco != "" {
			return eco, name
		}
		return "", name
	}
	return "", joined
}

// rpmEcosystems names the OSV ecosystem of each rpm purl namespace (vendor)
// that has one.
var rpmEcosystems = map[string]string{
	"redhat":     "Red Hat",
	"rocky":      "Rocky Linux",
	"rockylinux": "Rocky Linux",
	"almalinux":  "AlmaLinux",
	"alma":       "AlmaLinux",
	"opensuse":   "openSUSE",
	"suse":       "SUSE",
	"sles":       "SUSE",
	"mageia":     "Mageia",
	"openeuler":  "openEuler",
}

var pep503Runs = regexp.MustCompile(`[-_.]+`)

// pep503 normalises a Python distribution name (PEP 503).
func pep503(name string) string {
	return strings.ToLower(pep503Runs.ReplaceAllString(name, "-"))
}
