package graph_test

import (
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"CASA de Maryland", "casa de maryland"},
		{"  Upwardly   Global!  ", "upwardly global"},
		{"St. Louis (MO) & co", "st louis mo co"},
		{"Cristina Tzintzún", "cristina tzintzun"},
		{"ÉCOLE Naïve Café", "ecole naive cafe"},
		{"Straße 5", "stra e 5"},
		{"refugee-services_2020", "refugee services 2020"},
	} {
		if got := graph.Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
