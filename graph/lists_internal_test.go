package graph

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// TestIntersect checks both ways intersect takes (sorting a small set,
// walking the list for a large one) against a plain filter of the list.
func TestIntersect(t *testing.T) {
	c := newCatalog()
	r := rand.New(rand.NewSource(1))
	for i := range 400 {
		id := fmt.Sprintf("o%03d", i)
		c.byID[id] = &entry{id: id, typ: TypeOrganization, names: []string{fmt.Sprintf("%c org %d", 'a'+r.Intn(26), i)}}
	}
	c.finish()
	all := c.byType[TypeOrganization]
	randomSet := func(n int) map[string]bool {
		set := map[string]bool{}
		for len(set) < n {
			set[all[r.Intn(len(all))]] = true
		}
		return set
	}
	for _, tc := range []struct {
		name  string
		sizes []int
	}{
		{"one small set", []int{5}},
		{"one large set", []int{300}},
		{"small and large", []int{10, 350}},
		{"two large", []int{200, 250}},
		{"empty set", []int{0, 100}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sets []map[string]bool
			for _, n := range tc.sizes {
				sets = append(sets, randomSet(n))
			}
			var want []string
			for _, id := range all {
				in := true
				for _, set := range sets {
					in = in && set[id]
				}
				if in {
					want = append(want, id)
				}
			}
			if got := c.intersect(all, sets); !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
	if got := c.intersect(all, nil); !slices.Equal(got, all) {
		t.Fatal("with no sets, intersect must give the whole list")
	}
}
