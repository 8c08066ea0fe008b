//go:build race

package web_test

// raceBuild: the race detector slows every instruction several times.
const raceBuild = true
