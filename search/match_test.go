package search

import (
	"fmt"
	"slices"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

func TestTier(t *testing.T) {
	for _, tc := range []struct {
		text, q string
		want    int
	}{
		{"refugee services", "refugee services", tierExact},
		{"refugee services", "refugee", tierPrefix},
		{"refugee services", "refugee serv", tierPrefix},
		{"refugee services", "ref", tierPrefix},
		{"austin refugee services", "refugee", tierWord},
		{"austin refugee services", "refugee services", tierWord},
		{"austin refugees", "refugee", tierSubstring},
		{"austin refugee services", "ugee serv", tierSubstring},
		{"austin refugee services", "re", tierSubstring}, // a short query: the start of a word
		{"austin refugee services", "ee", 0},             // not the start of a word
		{"austin refugee services", "a", tierPrefix},
		{"austin refugee services", "s", tierSubstring},
		{"austin refugee services", "services refugee", 0}, // another order is not a tier
		{"ab", "abc", 0},
		{"x ab abc", "ab", tierWord},
		{"x abc ab", "ab", tierWord},
		{"x abc", "ab", tierSubstring},
	} {
		if got := tier(tc.text, tc.q); got != tc.want {
			t.Errorf("tier(%q, %q) = %d, want %d", tc.text, tc.q, got, tc.want)
		}
		if got := refTier(tc.text, tc.q); got != tc.want {
			t.Errorf("refTier(%q, %q) = %d, want %d", tc.text, tc.q, got, tc.want)
		}
	}
}

func TestAnyOrder(t *testing.T) {
	for _, tc := range []struct {
		text, q string
		want    float64
	}{
		{"cristina tzintzun", "tzintzun cristina", anyOrderWords},
		{"maria cristina tzintzun lopez", "tzintzun cristina", anyOrderWords},
		{"cristina tzintzun", "tzintzun cris", anyOrderParts},
		{"cristina tzintzun", "tzin cristina", anyOrderParts},
		{"cristina tzintzun", "intzun cristina", anyOrderParts}, // inside a word, three bytes or more
		{"cristina tzintzun", "tz cristina", anyOrderParts},     // a short word: the start of a word
		{"cristina tzintzun", "in cristina", 0},                 // a short word not at the start of one
		{"cristina tzintzun", "tzintzun maria", 0},
		{"services for refugees", "refugee services", anyOrderParts},
		{"services for refugee", "refugee services", anyOrderWords},
	} {
		if got := anyOrder(tc.text, newQuery(tc.q, false).words); got != tc.want {
			t.Errorf("anyOrder(%q, %q) = %v, want %v", tc.text, tc.q, got, tc.want)
		}
		if got := refAnyOrder(tc.text, tc.q); got != tc.want {
			t.Errorf("refAnyOrder(%q, %q) = %v, want %v", tc.text, tc.q, got, tc.want)
		}
	}
}

// matchDocs are a few docs like those of the seed.
var matchDocs = []Doc{
	{ID: "cristina-tzintzun", Type: graph.TypePerson, Names: []string{"Cristina Tzintzún"}},
	{ID: "tzintzun-cristina-fund", Type: graph.TypeOrganization, Names: []string{"Tzintzún Cristina Fund"}},
	{ID: "maria-cristina", Type: graph.TypePerson, Names: []string{"María Cristina Tzintzún-López"}},
	{ID: "jolt", Type: graph.TypeOrganization, Names: []string{"Jolt Initiative"}, Descriptions: []string{"Founded by Cristina Tzintzún Ramirez"}},
	{ID: "austin-refugee-services", Type: graph.TypeOrganization, Names: []string{"Austin Refugee Services"}},
	{ID: "refugee-services-texas", Type: graph.TypeOrganization, Names: []string{"Refugee Services of Texas"}, Descriptions: []string{"Resettles refugees"}},
	{ID: "services-for-refugees", Type: graph.TypeOrganization, Names: []string{"Services for Refugees"}},
	{ID: "services-refugee", Type: graph.TypeOrganization, Names: []string{"Services: Refugee"}},
	{ID: "rs", Type: graph.TypeOrganization, Names: []string{"RS"}, Descriptions: []string{"Refugee services"}},
	{ID: "welcome-fair", Type: graph.TypeEvent, Names: []string{"Welcome Fair"}, Descriptions: []string{"A fair of services for refugees and immigrants"}},
	{ID: "cafe", Type: graph.TypeOrganization, Names: []string{"Café Olé"}, Descriptions: []string{"Coffee"}},
	{ID: "ecole", Type: graph.TypeOrganization, Names: []string{"Ecole Ole", "École Olé Montréal"}},
	{ID: "nameless", Type: graph.TypeTheme},
}

// TestMatch checks hits and scores of queries on matchDocs: tiers, the
// description's half, accents and case, word order, namesOnly, limits,
// wanted, and ties in name order.
func TestMatch(t *testing.T) {
	ix := Build(matchDocs)
	orgs := func(_ string, t graph.NodeType) bool { return t == graph.TypeOrganization }
	for _, tc := range []struct {
		q         string
		namesOnly bool
		limit     int
		wanted    func(string, graph.NodeType) bool
		want      string
	}{
		{q: "Cristina Tzintzún", want: "[cristina-tzintzun 4 maria-cristina 2 jolt 1 tzintzun-cristina-fund 0.8]"},
		{q: "cristina tzintzun", limit: 1, want: "[cristina-tzintzun 4]"},
		{q: "CRISTINA TZINTZUN", want: "[cristina-tzintzun 4 maria-cristina 2 jolt 1 tzintzun-cristina-fund 0.8]"},
		// Word order: as typed first, then the words in another order.
		{q: "Tzintzún Cristina", want: "[tzintzun-cristina-fund 3 cristina-tzintzun 0.8 maria-cristina 0.8 jolt 0.4]"},
		{q: "tzintzun cristina", namesOnly: true, want: "[tzintzun-cristina-fund 3]"},
		{q: "tzintzun cristina", wanted: orgs, want: "[tzintzun-cristina-fund 3 jolt 0.4]"},
		{q: "tzin crist", want: "[cristina-tzintzun 0.6 maria-cristina 0.6 tzintzun-cristina-fund 0.6 jolt 0.3]"},
		{q: "tzintzun crist", want: "[tzintzun-cristina-fund 3 cristina-tzintzun 0.6 maria-cristina 0.6 jolt 0.3]"},
		{q: "refugee services", want: "[refugee-services-texas 3 austin-refugee-services 2 rs 2 services-refugee 0.8 services-for-refugees 0.6 welcome-fair 0.3]"},
		{q: "refugee services", limit: 3, want: "[refugee-services-texas 3 austin-refugee-services 2 rs 2]"},
		{q: "refugee services", limit: 5, want: "[refugee-services-texas 3 austin-refugee-services 2 rs 2 services-refugee 0.8 services-for-refugees 0.6]"},
		{q: "services refugee", want: "[services-refugee 4 austin-refugee-services 0.8 refugee-services-texas 0.8 services-for-refugees 0.6 rs 0.4 welcome-fair 0.3]"},
		{q: "refugee services", namesOnly: true, want: "[refugee-services-texas 3 austin-refugee-services 2]"},
		// Tiers, accents, descriptions.
		{q: "refugee", want: "[refugee-services-texas 3 austin-refugee-services 2 services-refugee 2 rs 1.5 services-for-refugees 1 welcome-fair 0.5]"},
		{q: "cafe ole", want: "[cafe 4]"},
		{q: "ole cafe", want: "[cafe 0.8]"},
		{q: "École", want: "[ecole 3]"},
		{q: "ecole ole montreal", want: "[ecole 4]"},
		{q: "ole", want: "[cafe 2 ecole 2]"},
		{q: "coffee", want: "[cafe 2]"},
		{q: "coffee", namesOnly: true, want: "[]"},
		{q: "montreal", want: "[ecole 2]"},
		{q: "re", want: "[refugee-services-texas 3 rs 1.5 austin-refugee-services 1 services-for-refugees 1 services-refugee 1 welcome-fair 0.5]"},
		{q: "ugee", namesOnly: true, want: "[austin-refugee-services 1 refugee-services-texas 1 services-for-refugees 1 services-refugee 1]"},
		{q: "nameless", want: "[]"}, // an id is not a text
		{q: "!!", want: "[]"},
		{q: "", want: "[]"},
	} {
		t.Run(fmt.Sprintf("%s/%v/%d", tc.q, tc.namesOnly, tc.limit), func(t *testing.T) {
			var got []any
			for _, h := range ix.Match(tc.q, tc.namesOnly, tc.limit, tc.wanted) {
				got = append(got, h.ID, h.Score)
			}
			if s := fmt.Sprint(got); s != tc.want && !(s == "[]" && tc.want == "[]") {
				t.Errorf("Match(%q, %v, %d)\n got %s\nwant %s", tc.q, tc.namesOnly, tc.limit, s, tc.want)
			}
			if tc.limit != 0 {
				return
			}
			all := ix.Match(tc.q, tc.namesOnly, 0, tc.wanted)
			for limit := 1; limit <= len(all)+1; limit++ { // the early cut
				if got := ix.Match(tc.q, tc.namesOnly, limit, tc.wanted); !slices.Equal(got, all[:min(limit, len(all))]) {
					t.Errorf("Match(%q, %v, %d) = %v, want the first of %v", tc.q, tc.namesOnly, limit, got, all)
				}
			}
		})
	}
}

// TestMatchEmpty checks the empty indexes.
func TestMatchEmpty(t *testing.T) {
	var nilIndex *Index
	for _, ix := range []*Index{nilIndex, {}, Build(nil)} {
		if ix.Len() != 0 || len(ix.Match("a", false, 0, nil)) != 0 {
			t.Errorf("%#v is not empty", ix)
		}
		next := ix.Update(matchDocs[:1], nil)
		if next.Len() != 1 || len(next.Match("cristina", false, 0, nil)) != 1 {
			t.Errorf("%#v updated has not the doc", ix)
		}
		if ix.Len() != 0 {
			t.Errorf("%#v changed with its update", ix)
		}
	}
}

// TestUpdateSemantics checks what Update does with the same id twice,
// with an id both changed and removed, and with ids it does not know;
// and that Build keeps the last doc of an id.
func TestUpdateSemantics(t *testing.T) {
	a := Doc{ID: "x", Type: graph.TypeOrganization, Names: []string{"Alpha"}}
	b := Doc{ID: "x", Type: graph.TypeOrganization, Names: []string{"Beta"}}
	names := func(ix *Index) []string {
		var out []string
		for _, q := range []string{"alpha", "beta", "gamma"} {
			for _, h := range ix.Match(q, false, 0, nil) {
				out = append(out, q+":"+h.ID)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		ix      *Index
		want    []string
		wantLen int
	}{
		{"build keeps the last", Build([]Doc{a, b}), []string{"beta:x"}, 1},
		{"update keeps the last", Build(nil).Update([]Doc{b, a}, nil), []string{"alpha:x"}, 1},
		{"replace", Build([]Doc{a}).Update([]Doc{b}, nil), []string{"beta:x"}, 1},
		{"changed and removed", Build([]Doc{a}).Update([]Doc{b}, []string{"x"}), nil, 0},
		{"remove unknown", Build([]Doc{a}).Update(nil, []string{"y", "y"}), []string{"alpha:x"}, 1},
		{"replace twice", Build([]Doc{a}).Update([]Doc{b}, nil).Update([]Doc{a}, nil), []string{"alpha:x"}, 1},
		{"remove and add", Build([]Doc{a}).Update(nil, []string{"x"}).Update([]Doc{b}, nil), []string{"beta:x"}, 1},
	} {
		if got := names(tc.ix); !slices.Equal(got, tc.want) || tc.ix.Len() != tc.wantLen {
			t.Errorf("%s: %v (Len %d), want %v (Len %d)", tc.name, got, tc.ix.Len(), tc.want, tc.wantLen)
		}
	}
}

// TestEarlyCut checks that a limited match of a phrase many docs share
// looks at a number of docs that grows with the limit, not with the docs:
// a phrase in many names (each scoring 2), and one in many descriptions
// only (each scoring 1), some of the docs in delta; and that it returns
// the first hits of the unlimited match.
func TestEarlyCut(t *testing.T) {
	docs := map[string]Doc{}
	var all []Doc
	for i := range 5000 {
		d := Doc{
			ID:           fmt.Sprintf("org-%04d", i),
			Type:         graph.TypeOrganization,
			Names:        []string{fmt.Sprintf("City %04d Refugee Services", i)},
			Descriptions: []string{fmt.Sprintf("City %04d works with immigrants and refugees", i)},
		}
		docs[d.ID] = d
		all = append(all, d)
	}
	ix := Build(all)
	var changed []Doc
	for i := 0; i < 5000; i += 200 {
		d := docs[fmt.Sprintf("org-%04d", i)]
		d.Names = append(d.Names, "Refugee Services Network")
		changed = append(changed, d)
		docs[d.ID] = d
	}
	ix = ix.Update(changed, nil)
	if ix.deltaDocs != len(changed) {
		t.Fatalf("delta has %d docs, want %d", ix.deltaDocs, len(changed))
	}
	ref := refDocs(docs)
	for _, tc := range []struct {
		query     string
		limit     int
		wantScore float64
		maxLooked int
	}{
		{"refugee services", 10, tierPrefix, 2 * len(changed)},
		{"refugee services", 40, tierWord, 2*len(changed) + 40},
		{"services", 5, tierWord, 2*len(changed) + 5},
		{"immigrants and refugees", 10, descriptionWeight * tierWord, 2*len(changed) + 10},
		{"refugees", 100, descriptionWeight * tierWord, 2*len(changed) + 100},
		{"services refugee", 10, anyOrderWords, 2*len(changed) + 10},
		{"refugees immigrants", 10, descriptionWeight * anyOrderWords, 2*len(changed) + 10},
	} {
		looked := 0
		wanted := func(string, graph.NodeType) bool { looked++; return true }
		hits := ix.Match(tc.query, false, tc.limit, wanted)
		want := referenceMatch(ref, tc.query, false, tc.limit, nil)
		if !slices.Equal(hits, want) {
			t.Fatalf("%q: hits\n%v, want\n%v", tc.query, hits, want)
		}
		if unlimited := ix.Match(tc.query, false, 0, nil); !slices.Equal(hits, unlimited[:tc.limit]) {
			t.Fatalf("%q: limited hits\n%v, unlimited\n%v", tc.query, hits, unlimited[:tc.limit])
		}
		if last := hits[len(hits)-1].Score; last != tc.wantScore {
			t.Errorf("%q: last hit scores %v, want %v", tc.query, last, tc.wantScore)
		}
		if looked > tc.maxLooked {
			t.Errorf("%q, limit %d: looked at %d docs, want at most %d", tc.query, tc.limit, looked, tc.maxLooked)
		}
	}
}
