-- The SBOM of a product version and the components it lists, indexed by
-- ecosystem and name, so that a new advisory or a prohibited component
-- finds at once every product version it touches.
CREATE TABLE version_sboms (
  id {{id}},
  version_id BIGINT NOT NULL REFERENCES product_versions (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  format TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL REFERENCES blobs (sha256),
  size BIGINT NOT NULL,
  uploaded_by BIGINT,
  created_at TEXT NOT NULL
);
CREATE INDEX version_sboms_version ON version_sboms (version_id);

CREATE TABLE version_components (
  version_id BIGINT NOT NULL REFERENCES product_versions (id) ON DELETE CASCADE,
  ref TEXT NOT NULL,
  ecosystem TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT '',
  purl TEXT NOT NULL DEFAULT '',
  supplier TEXT NOT NULL DEFAULT ''
);
CREATE INDEX version_components_version ON version_components (version_id);
CREATE INDEX version_components_pkg ON version_components (ecosystem, name);
