//go:build !race

package sbom

// raceSlowdown scales time bounds: the race detector slows parsing several times.
const raceSlowdown = 1
