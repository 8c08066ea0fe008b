package sbom

import (
	"testing"

	"github.com/csreview/csreview"
)

func TestEcosystem(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, purl        string
		eco, pkg, version string
	}{
		{"Maven", "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10.4?type=jar", "Maven", "com.fasterxml.jackson.core:jackson-databind", "2.9.10.4"},
		{"NPM", "pkg:npm/lodash@2.4.2", "npm", "lodash", "2.4.2"},
		{"NPMScoped", "pkg:npm/%40babel/core@7.20.0", "npm", "@babel/core", "7.20.0"},
		{"NPMScopedWithSubpath", "pkg:npm/%40babel/helper-validator-identifier@7.19.1#packages/babel-helper-validator-identifier", "npm", "@babel/helper-validator-identifier", "7.19.1"},
		{"NPMScopeWithoutAt", "pkg:npm/angular/core@1.0.0", "npm", "@angular/core", "1.0.0"},
		{"Golang", "pkg:golang/github.com/AndreasBriese/bbloom@v0.0.0-20190306092124-e2d15f34fcf9", "Go", "github.com/AndreasBriese/bbloom", "v0.0.0-20190306092124-e2d15f34fcf9"},
		{"GolangQualifiers", "pkg:golang/filippo.io/edwards25519@v1.0.0-rc.1?type=module", "Go", "filippo.io/edwards25519", "v1.0.0-rc.1"},
		{"GolangSingleSegment", "pkg:golang/stdlib@1.20.1", "Go", "stdlib", "1.20.1"},
		{"GolangPercent40", "pkg:golang/github.com/pmezard/go-difflib%40v1.0.0", "Go", "github.com/pmezard/go-difflib", "v1.0.0"},
		{"GolangPercent40Lower", "pkg:golang/cloud.google.com/go/pubsub%40v1.5.0", "Go", "cloud.google.com/go/pubsub", "v1.5.0"},
		{"PyPI", "pkg:pypi/Django@4.2", "PyPI", "django", "4.2"},
		{"PyPIPEP503", "pkg:pypi/Zope.Interface_Extra--x@1.0", "PyPI", "zope-interface-extra-x", "1.0"},
		{"Cargo", "pkg:cargo/serde@1.0.0", "crates.io", "serde", "1.0.0"},
		{"Gem", "pkg:gem/rails@7.0.0", "RubyGems", "rails", "7.0.0"},
		{"NuGet", "pkg:nuget/Newtonsoft.Json@13.0.1", "NuGet", "Newtonsoft.Json", "13.0.1"},
		{"Composer", "pkg:composer/laravel/framework@7.12.0", "Packagist", "laravel/framework", "7.12.0"},
		{"Hex", "pkg:hex/phoenix@1.6.0", "Hex", "phoenix", "1.6.0"},
		{"Pub", "pkg:pub/http@0.13.0", "Pub", "http", "0.13.0"},
		{"Debian", "pkg:deb/debian/apt@2.2.4?arch=amd64&distro=debian-11", "Debian", "apt", "2.2.4"},
		{"Ubuntu", "pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1?distro=ubuntu-22.04", "Ubuntu", "openssl", "3.0.2-0ubuntu1"},
		{"UbuntuByDistro", "pkg:deb/openssl@3.0.2?distro=ubuntu-22.04", "Ubuntu", "openssl", "3.0.2"},
		{"DebianDerivative", "pkg:deb/raspbian/openssl@1.1", "", "openssl", "1.1"},
		{"Apk", "pkg:apk/alpine/musl@1.2.3-r0?arch=x86_64", "Alpine", "musl", "1.2.3-r0"},
		{"OldSyftAlpine", "pkg:alpine/busybox@1.35.0-r17?arch=x86_64&upstream=busybox&distro=alpine-3.16.2", "Alpine", "busybox", "1.35.0-r17"},
		{"Wolfi", "pkg:apk/wolfi/glibc@2.38-r1", "Wolfi", "glibc", "2.38-r1"},
		{"RedHat", "pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?arch=x86_64", "Red Hat", "openssl-libs", "1.1.1k-7.el8_6"},
		{"Rocky", "pkg:rpm/rocky/bash@4.4", "Rocky Linux", "bash", "4.4"},
		{"SLES", "pkg:rpm/sles/libz1@1.2.11", "SUSE", "libz1", "1.2.11"},
		{"RPMUnknownVendor", "pkg:rpm/fedora/curl@7.0", "", "curl", "7.0"},
		{"Conan", "pkg:conan/openssl@3.0.0", "ConanCenter", "openssl", "3.0.0"},
		{"CRAN", "pkg:cran/ggplot2@3.4.0", "CRAN", "ggplot2", "3.4.0"},
		{"Swift", "pkg:swift/github.com/apple/swift-nio@2.40.0", "SwiftURL", "github.com/apple/swift-nio", "2.40.0"},
		{"Hackage", "pkg:hackage/aeson@2.0.0", "Hackage", "aeson", "2.0.0"},
		{"Bitnami", "pkg:bitnami/wordpress@6.2.0", "Bitnami", "wordpress", "6.2.0"},
		{"GitHubActions", "pkg:github/actions/checkout@v4", "GitHub Actions", "actions/checkout", "v4"},
		{"Unknown", "pkg:generic/openssl@1.1.1", "", "openssl", "1.1.1"},
		{"UnknownWithNamespace", "pkg:oci/registry.example/image@sha256:abc", "", "registry.example/image", "sha256:abc"},
		{"NoVersion", "pkg:npm/lodash", "npm", "lodash", ""},
		{"Spaces", "  pkg:npm/lodash@1.0.0\n", "npm", "lodash", "1.0.0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			eco, pkg, version, err := Ecosystem(tt.purl)
			if err != nil {
				t.Fatal(err)
			}
			if eco != tt.eco || pkg != tt.pkg || version != tt.version {
				t.Errorf("got (%q, %q, %q), want (%q, %q, %q)", eco, pkg, version, tt.eco, tt.pkg, tt.version)
			}
		})
	}
}

func TestEcosystem_Invalid(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, purl string }{
		{"Empty", ""},
		{"URL", "https://github.com/actions/virtual-environments"},
		{"NoType", "pkg:lodash"},
		{"NoName", "pkg:npm/@4.17.21"},
		{"BadType", "pkg:n%20pm/x@1"},
		{"BadEscape", "pkg:npm/lo%zzdash@1"},
		{"BadQualifier", "pkg:npm/lodash@1?1a=b"},
		{"CPE", "cpe:2.3:a:lodash:lodash:4.17.21:*:*:*:*:*:*:*"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := Ecosystem(tt.purl)
			assertError(t, err, csreview.EINVALID, "invalid purl")
		})
	}
}

// FuzzEcosystem: Ecosystem must never panic, must fail only with a
// *csreview.Error, and must name the package whenever it succeeds.
func FuzzEcosystem(f *testing.F) {
	for _, s := range []string{
		"pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10.4?type=jar",
		"pkg:npm/%40babel/core@7.20.0#packages/core",
		"pkg:golang/github.com/pmezard/go-difflib%40v1.0.0",
		"pkg:golang/./api/auth/kubernetes@(devel)",
		"pkg:pypi/Zope.Interface@1.0",
		"pkg:deb/debian/apt@2.2.4?arch=amd64&distro=debian-11",
		"pkg:alpine/busybox@1.35.0-r17?arch=x86_64&upstream=busybox&distro=alpine-3.16.2",
		"pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?arch=x86_64",
		"pkg://npm//lodash@",
		"https://example.com",
		"pkg:npm/@4",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, purl string) {
		eco, name, _, err := Ecosystem(purl)
		if err != nil {
			if e, ok := err.(*csreview.Error); !ok || e.Code != csreview.EINVALID {
				t.Fatalf("got %T %v, want an EINVALID *csreview.Error", err, err)
			}
			return
		}
		if name == "" {
			t.Fatalf("%q: ecosystem %q but no name", purl, eco)
		}
	})
}
