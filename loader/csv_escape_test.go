package loader

import (
	"strings"
	"testing"
)

// TestEscapeCell checks the OWASP rule one cell at a time: a cell that
// starts a formula gets a single quote in front, and UnescapeCell gives
// every value back.
func TestEscapeCell(t *testing.T) {
	tests := []struct{ value, cell string }{
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"@SUM(1+1)*cmd|x", "'@SUM(1+1)*cmd|x"},
		{`=HYPERLINK("http://evil")`, `'=HYPERLINK("http://evil")`},
		{"+1", "'+1"},
		{"-5%", "'-5%"},
		{"\t=cmd", "'\t=cmd"},
		{"\r=cmd", "'\r=cmd"},
		{" =cmd", "' =cmd"},
		{"'=already quoted", "''=already quoted"},
		{"'s-Hertogenbosch", "'s-Hertogenbosch"}, // a quote that escapes nothing stays
		{"Casa Latina", "Casa Latina"},
		{"a = b", "a = b"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := EscapeCell(tc.value); got != tc.cell {
			t.Errorf("EscapeCell(%q) = %q, want %q", tc.value, got, tc.cell)
		}
		if got := UnescapeCell(tc.cell); got != tc.value && strings.TrimSpace(tc.value) == tc.value {
			t.Errorf("UnescapeCell(%q) = %q, want %q", tc.cell, got, tc.value)
		}
	}
}

// TestCSVExportNeutralisesFormulas exports values that spreadsheets would
// run as formulas: every cell that starts one is escaped, and export → load
// → export gives the same bytes and the same graph.
func TestCSVExportNeutralisesFormulas(t *testing.T) {
	a := openStore(t)
	// Names and descriptions through a data file; a leading tab can only
	// come through linked data, which keeps it.
	mustLoad(t, a, memFiles("more.yaml", `source: {id: evil, title: "=HYPERLINK(\"http://evil\")"}
organizations:
  - name: "=cmd|' /C calc'!A0"
    id: calc
    description: "@SUM(1+1)*cmd|x"
  - name: "-2+3"
    id: sum
    aliases: ["+1", "@x"]
`)...)
	mustLoad(t, a, memFiles("tab.nq", "<https://thrivegraph.org/id/calc> <http://www.w3.org/2004/02/skos/core#altLabel> \"\\t=cmd\" <https://thrivegraph.org/source/evil> .\n")...)

	sheets := csvRoundTrip(t, a)
	for _, bad := range []string{",=", ",+", ",-2", ",@", "\n=", "\n+", "\n@", "\t=cmd"} {
		for _, line := range strings.Split(sheets, "\n") {
			if strings.Contains(line, bad) && !strings.Contains(line, "'"+strings.TrimLeft(bad, ",\n")) {
				t.Errorf("unescaped formula %q in %q", bad, line)
			}
		}
	}
	for _, want := range []string{`"'=HYPERLINK(""http://evil"")"`, `'=cmd|' /C calc'!A0`, `'@SUM(1+1)*cmd|x`, `'-2+3`, "'\t=cmd"} {
		if !strings.Contains(sheets, want) {
			t.Errorf("export lacks %s:\n%s", want, sheets)
		}
	}
}
