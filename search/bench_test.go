package search

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Names like those of the generated networks: organizations named after a
// city by pattern, two in five with a description, people and events.
var (
	benchPatterns = []string{
		"%s Refugee Services", "International Institute of %s", "%s Immigrant Rights Coalition",
		"%s Community College", "%s Office of New Americans", "%s Workforce Partnership",
		"%s Community Foundation", "Welcoming %s", "%s Adult Learning Center",
		"%s Federal Credit Union", "%s Immigrant Legal Services", "%s Economic Opportunity Fund",
		"%s Language Access Network", "%s Newcomer Business Alliance", "%s Career Pathways Institute",
		"%s Health Careers Bridge", "%s Center for Immigrant Research", "%s Worker Center",
		"%s Public Library New Americans Corner", "%s Interfaith Refugee Ministry",
		"%s Asian Pacific Community Network", "%s Latino Economic Development Center",
	}
	benchCities = []string{
		"Austin", "Houston", "Dallas", "San Antonio", "El Paso", "Denver", "Boise", "Chicago",
		"Detroit", "Cleveland", "Columbus", "Atlanta", "Nashville", "Charlotte", "Raleigh",
		"Richmond", "Baltimore", "Philadelphia", "Newark", "Boston", "Hartford", "Buffalo",
		"Portland", "Seattle", "Spokane", "Fresno", "Sacramento", "San José", "Tucson", "Phoenix",
		"Albuquerque", "Omaha", "Des Moines", "Minneapolis", "Milwaukee", "St. Louis", "Memphis",
		"Louisville", "Lexington", "Pittsburgh",
	}
	benchDistricts = []string{"", "Greater", "North", "South", "East", "West", "Central", "Metro", "Downtown", "Upper", "Lower"}
	benchFirst     = []string{"Ana", "José", "María", "Wei", "Amina", "Olga", "Tomás", "Priya", "Kwame", "Léa", "Cristina", "Omar"}
	benchLast      = []string{"García", "Nguyen", "Tzintzún", "Okafor", "Haddad", "Kowalski", "Sato", "Díaz", "Mensah", "Rossi"}
)

// benchDoc is doc i of a generated network.
func benchDoc(i int) Doc {
	id := fmt.Sprintf("n%d", i)
	city := func(j int) string {
		c := benchCities[j%len(benchCities)]
		if d := benchDistricts[(j/len(benchCities))%len(benchDistricts)]; d != "" {
			c = d + " " + c
		}
		if k := j / (len(benchCities) * len(benchDistricts)); k > 0 {
			c += fmt.Sprint(" ", k+1)
		}
		return c
	}
	switch i % 10 {
	case 6, 7, 8:
		name := benchFirst[i%len(benchFirst)] + " " + benchLast[(i/len(benchFirst))%len(benchLast)]
		if k := i / (len(benchFirst) * len(benchLast)); k > 0 {
			name += fmt.Sprint(" ", k)
		}
		return Doc{ID: id, Type: graph.TypePerson, Names: []string{name}}
	case 9:
		return Doc{ID: id, Type: graph.TypeEvent, Names: []string{fmt.Sprintf("%s Community Convening %d", city(i/10), 2000+i%25)}}
	}
	j := i / 10 * 6
	name := fmt.Sprintf(benchPatterns[j%len(benchPatterns)], city(j/len(benchPatterns)+i%6))
	d := Doc{ID: id, Type: graph.TypeOrganization, Names: []string{name}}
	if i%5 < 2 {
		d.Descriptions = []string{fmt.Sprintf("%s works with immigrants and refugees in %s.", name, city(i))}
	}
	return d
}

// benchDocs returns n generated docs.
func benchDocs(n int) []Doc {
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = benchDoc(i)
	}
	return docs
}

// BenchmarkBuild builds the index of 50,000 random docs (as graph's
// BenchmarkSearchIndexBuild did) and of 100,000 generated ones.
func BenchmarkBuild(b *testing.B) {
	for _, tc := range benchCorpora() {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Build(tc.docs)
			}
		})
	}
}

// BenchmarkUpdate changes one doc per op and updates the index: the cost,
// amortised over the merges of delta parts and the rebuilds of main, of a
// small write. It reports the rebuilds of main per op. Run it long enough
// for a few rebuilds (one per 1/8 of the docs), e.g. -benchtime=40000x.
func BenchmarkUpdate(b *testing.B) {
	for _, tc := range benchCorpora() {
		b.Run(tc.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(3, 5))
			ix := Build(tc.docs)
			docs := append([]Doc(nil), tc.docs...)
			rebuilds, n := 0, 0
			b.ReportAllocs()
			for b.Loop() {
				i := r.IntN(len(docs))
				d := docs[i]
				d.Names = []string{randomText(r, 1, 4)}
				docs[i] = d
				next := ix.Update([]Doc{d}, nil)
				if next.main != ix.main {
					rebuilds++
				}
				ix = next
				n++
			}
			b.ReportMetric(float64(rebuilds)/float64(n), "rebuilds/op")
		})
	}
}

// benchCorpus is a set of docs to benchmark with.
type benchCorpus struct {
	name string
	docs []Doc
}

func benchCorpora() []benchCorpus {
	return []benchCorpus{
		{"random-50k", randomCorpus(rand.New(rand.NewPCG(3, 5)), 50_000).docs()},
		{"generated-100k", benchDocs(100_000)},
	}
}

// BenchmarkMatchCommonPhrase ranks the first 10 matches of phrases many
// docs share, as typed and in another order, and reports how many docs
// the matcher looked at ("looked" per op): that number, like the time,
// should not grow with the docs. Part of the docs are in delta.
func BenchmarkMatchCommonPhrase(b *testing.B) {
	phrases := []string{"refugee services", "community", "immigrants and refugees", "services refugee", "refugees immigrants"}
	for _, n := range []int{10_000, 100_000} {
		docs := benchDocs(n)
		ix := Build(docs)
		for i := 0; i < n; i += 100 { // a hundredth in delta
			ix = ix.Update(docs[i:i+1], nil)
		}
		for _, phrase := range phrases {
			b.Run(fmt.Sprintf("%s/%dk", phrase, n/1000), func(b *testing.B) {
				b.ReportAllocs()
				answer, looked := 0, 0
				for b.Loop() {
					looked = 0
					answer = len(ix.Match(phrase, false, 10, func(string, graph.NodeType) bool { looked++; return true }))
				}
				b.ReportMetric(float64(answer), "answer")
				b.ReportMetric(float64(looked), "looked")
			})
		}
	}
}
