package explorer

import (
	"cmp"
	"os"
	"os/exec"
	"testing"
)

// TestBrowser runs the end-to-end test of e2e/explore.test.mjs through
// e2e/run.sh: the real server on loopback over the seed graph, driven in
// headless Chromium. Screenshots of each step go to the test's artifact
// directory (kept with `go test -artifacts -outputdir DIR`).
//
// Without Chromium (/usr/bin/chromium or $THRIVEGRAPH_CHROMIUM), Node, or
// the e2e folder's node_modules (npm ci), the test is skipped; with
// THRIVEGRAPH_TEST_REQUIRE_BROWSER=1 (as CI sets it) a missing Chromium or
// Node fails it, and run.sh installs the node_modules.
func TestBrowser(t *testing.T) {
	require := os.Getenv("THRIVEGRAPH_TEST_REQUIRE_BROWSER") == "1"
	missing := func(format string, args ...any) {
		t.Helper()
		if require {
			t.Fatalf(format+" (THRIVEGRAPH_TEST_REQUIRE_BROWSER=1)", args...)
		}
		t.Skipf(format, args...)
	}
	chromium := cmp.Or(os.Getenv("THRIVEGRAPH_CHROMIUM"), "/usr/bin/chromium")
	if _, err := os.Stat(chromium); err != nil {
		missing("no Chromium at %s: apt-get install chromium", chromium)
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing("no node on PATH")
	}
	if _, err := os.Stat("e2e/node_modules/playwright-core"); err != nil && !require {
		t.Skip("explorer/e2e/node_modules is missing: run npm ci in explorer/e2e")
	}
	if testing.Short() && !require {
		t.Skip("-short: the browser test builds and starts the server")
	}
	out := t.ArtifactDir()
	cmd := exec.Command("bash", "e2e/run.sh")
	cmd.Env = append(os.Environ(), "THRIVEGRAPH_E2E_OUT="+out, "THRIVEGRAPH_CHROMIUM="+chromium)
	cmd.Stdout = t.Output()
	cmd.Stderr = t.Output()
	if err := cmd.Run(); err != nil {
		t.Fatalf("browser test: %v (screenshots in %s)", err, out)
	}
}
