package network

import (
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// randomWrite returns the deltas of one random write over the ids of
// randomNetwork and a few new ones: participations, event and organization
// themes, theme and organization levels, places, names (renames), types
// stated or removed, new organizations, events and themes.
func randomWrite(r *rand.Rand) []view.Delta {
	src := graph.SourceIRI("rnd")
	pick := func(prefix string, n, extra int) quad.IRI {
		return graph.NodeIRI(fmt.Sprintf("%s%02d", prefix, r.Intn(n+extra)))
	}
	org := func() quad.IRI { return pick("o", 24, 3) }
	event := func() quad.IRI { return pick("e", 8, 2) }
	theme := func() quad.IRI { return pick("t", 6, 2) }
	level := func() quad.IRI { return pick("l", 3, 0) }
	place := func() quad.IRI { return pick("p", 3, 1) }
	rel := func(s quad.IRI, rel graph.Relation, o quad.IRI) quad.Quad {
		return quad.Make(s, graph.RelIRI(rel), o, src)
	}
	typed := func(s quad.IRI, t graph.NodeType) quad.Quad {
		return quad.Make(s, graph.PredType, graph.ClassIRI(t), src)
	}
	var out []view.Delta
	for range 1 + r.Intn(6) {
		var q quad.Quad
		switch r.Intn(12) {
		case 0, 1, 2:
			q = rel(org(), view.ParticipationRels[r.Intn(3)], event())
		case 3:
			q = rel(event(), graph.RelTheme, theme())
		case 4:
			q = rel(org(), graph.RelTheme, theme())
		case 5:
			q = rel(theme(), graph.RelPolicyLevel, level())
		case 6:
			q = rel(org(), graph.RelPolicyLevel, level())
		case 7:
			q = rel(org(), graph.RelPlace, place())
		case 8: // a name that may sort the entity elsewhere
			ids := []quad.IRI{org(), event(), theme(), place()}
			q = quad.Make(ids[r.Intn(len(ids))], graph.PredName, quad.String(fmt.Sprintf("%c renamed", 'a'+rune(r.Intn(26)))), src)
		case 9:
			q = typed(org(), graph.TypeOrganization)
		case 10:
			q = typed(event(), graph.TypeEvent)
		case 11:
			q = typed(theme(), graph.TypeTheme)
		}
		out = append(out, view.Delta{Quad: q, Remove: r.Intn(3) == 0})
	}
	return out
}

// TestAdvanceMatchesBuild makes random writes and checks, after each, that
// the derived data advanced from the snapshot before (advanceDerived) is
// the derived data built from the whole snapshot after.
func TestAdvanceMatchesBuild(t *testing.T) {
	advanced := 0
	for seed := range int64(12) {
		s, _ := randomNetwork(t, seed)
		r := rand.New(rand.NewSource(seed))
		d := buildDerived(s)
		for step := range 60 {
			next := s.Apply(randomWrite(r))
			want := buildDerived(next)
			got, ok := advanceDerived(s, d, next)
			if ok {
				advanced++
				if diff := derivedDiff(next, got, want); diff != "" {
					t.Fatalf("seed %d step %d: advanced derived data differs from a fresh build: %s", seed, step, diff)
				}
			} else {
				got = want
			}
			s, d = next, got
		}
	}
	if advanced < 600 {
		t.Errorf("only %d of 720 writes were advanced rather than built whole", advanced)
	}
}

// TestAdvanceNeedsTheLog checks that derived data is not advanced across
// lineages or from a newer snapshot.
func TestAdvanceNeedsTheLog(t *testing.T) {
	a, _ := randomNetwork(t, 1)
	b, _ := randomNetwork(t, 1)
	next := a.Apply(randomWrite(rand.New(rand.NewSource(1))))
	if _, ok := advanceDerived(b, buildDerived(b), next); ok {
		t.Error("advanced from a snapshot of another lineage")
	}
	if _, ok := advanceDerived(next, buildDerived(next), a); ok {
		t.Error("advanced backwards")
	}
	if _, ok := advanceDerived(a, buildDerived(a), next); !ok {
		t.Error("not advanced from the snapshot before")
	}
}

// TestWholeGraphAdvances checks that the cache advances the latest
// snapshot's derived data to the next one's.
func TestWholeGraphAdvances(t *testing.T) {
	builds := 0
	c := perSnapshot[*derived]{
		build:   func(s *view.Snapshot) *derived { builds++; return buildDerived(s) },
		advance: advanceDerived,
	}
	s, _ := randomNetwork(t, 3)
	c.get(s)
	r := rand.New(rand.NewSource(3))
	for range 10 {
		s = s.Apply(randomWrite(r))
		if diff := derivedDiff(s, c.get(s), buildDerived(s)); diff != "" {
			t.Fatal(diff)
		}
	}
	if builds > 3 {
		t.Errorf("%d whole builds for 1 start and 10 writes", builds)
	}
}

// derivedDiff describes how two derived data of s differ, or "".
func derivedDiff(s *view.Snapshot, got, want *derived) string {
	for r := range view.Ref(s.Len()) {
		g, w := got.profiles.get(r), want.profiles.get(r)
		if !reflect.DeepEqual(g, w) && (g == nil || w == nil || !sameProfile(g, w)) {
			return fmt.Sprintf("profile of %s: got %+v, want %+v", s.Record(r).Key, g, w)
		}
	}
	if !reflect.DeepEqual(got.counts, want.counts) {
		return fmt.Sprintf("counts: got %+v, want %+v", got.counts, want.counts)
	}
	for _, l := range []struct {
		what      string
		got, want map[view.Ref][]view.Ref
	}{{"theme lists", got.themeOrgs, want.themeOrgs}, {"level lists", got.levelOrgs, want.levelOrgs}} {
		if len(l.got) != len(l.want) {
			return fmt.Sprintf("%s: %d lists, want %d", l.what, len(l.got), len(l.want))
		}
		for k, w := range l.want {
			if !slices.Equal(l.got[k], w) {
				return fmt.Sprintf("%s of %s: got %v, want %v", l.what, s.Record(k).Key, s.IDs(l.got[k]), s.IDs(w))
			}
		}
	}
	return ""
}

// sameProfile compares profiles with nil and empty lists alike.
func sameProfile(a, b *profile) bool {
	return a.degree == b.degree && slices.Equal(a.themes, b.themes) && slices.Equal(a.levels, b.levels) &&
		slices.Equal(a.places, b.places) && slices.Equal(a.events, b.events)
}

// TestWholeGraphFacetsMatchFiltered makes random writes and checks, after
// each, that the facets of the whole graph (counts advanced from the
// snapshot before, ranked once per snapshot) are those of a filter that
// selects every organization (counted and ranked for the question), for
// whole lists and for pages, and that the snapshot before still answers
// as it did.
func TestWholeGraphFacetsMatchFiltered(t *testing.T) {
	for seed := range int64(4) {
		s, _ := randomNetwork(t, seed)
		r := rand.New(rand.NewSource(seed))
		for step := range 30 {
			before, err := Facets(s, nil, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			next := s.Apply(randomWrite(r))
			// Growing firsts, then all, then a smaller one: the ranking
			// kept for the snapshot must serve each.
			for _, first := range []int{1, 3, 0, 2} {
				got, err := Facets(next, nil, first, nil)
				if err != nil {
					t.Fatal(err)
				}
				want, err := Facets(next, &graph.OrganizationFilter{}, first, nil)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("seed %d step %d first %d: whole-graph facets %+v, want %+v", seed, step, first, got, want)
				}
			}
			if again, _ := Facets(s, nil, 0, nil); !reflect.DeepEqual(again, before) {
				t.Fatalf("seed %d step %d: the snapshot before the write answers differently after it", seed, step)
			}
			s = next
		}
	}
}
