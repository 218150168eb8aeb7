package graph_test

import (
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

// commonPhrases are phrases that many entities of the generated networks
// share: "community" is a word of the names of three organization patterns
// and of the events they host, and "immigrants and refugees" is in the
// description of two organizations in five and in no name.
var commonPhrases = []string{"community", "immigrants and refugees"}

// BenchmarkSearchCommonPhrase searches, first 10, for common phrases. Its
// cost is mostly the reading of the ten nodes found.
func BenchmarkSearchCommonPhrase(b *testing.B) {
	for _, phrase := range commonPhrases {
		b.Run(phrase, func(b *testing.B) {
			eachNet(b, func(b *testing.B, n *benchNet) int {
				return len(must(n.store.Search(bctx, phrase, 10)))
			})
		})
	}
}

// BenchmarkSearchMatchCommonPhrase ranks the first 10 matches of common
// phrases without reading the nodes, and reports how many docs the matcher
// looked at ("looked" per op): that number, like the time, should not grow
// with the graph.
func BenchmarkSearchMatchCommonPhrase(b *testing.B) {
	for _, phrase := range append([]string{"refugee services"}, commonPhrases...) {
		b.Run(phrase, func(b *testing.B) {
			for _, n := range benchSizes(b) {
				b.Run(n.name, func(b *testing.B) {
					b.ReportAllocs()
					answer, looked := 0, 0
					for b.Loop() {
						answer, looked = graph.SearchMatch(n.store, phrase, 10)
					}
					b.ReportMetric(float64(answer), "answer")
					b.ReportMetric(float64(looked), "looked")
				})
			}
		})
	}
}
