package search

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestPersistRoundTrip writes indexes (fresh, and after updates, with delta
// parts and dead docs) and reads them back: the index read is the one main
// segment of the live docs, it answers every query as the written one, and
// what follows it in the bytes is left to the caller.
func TestPersistRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name    string
		docs    int
		updates int
	}{
		{"empty", 0, 0},
		{"one", 1, 0},
		{"built", 300, 0},
		{"updated", 300, 40},
		{"emptied", 5, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(tc.docs), uint64(tc.updates)))
			c := randomCorpus(r, tc.docs)
			ix := Build(c.docs())
			next := tc.docs
			for range tc.updates {
				changed, removed := randomChanges(r, c, 3, &next)
				ix = ix.Update(changed, removed)
			}
			data := append(ix.AppendBinary(nil), "tail"...)
			got, rest, err := ReadIndex(data)
			if err != nil {
				t.Fatal(err)
			}
			if string(rest) != "tail" {
				t.Errorf("rest %q, want %q", rest, "tail")
			}
			checkMatches(t, got, c, r, "read back")
			if want := fromDocs(ix.liveDocs()); got.Len() > 0 && !reflect.DeepEqual(got.main, want.main) {
				t.Error("the segment read differs from the one main segment of the live docs")
			}
		})
	}
}

// TestPersistDamaged reads every truncation and many single-byte changes
// of a written index: each is an error or an index, never a panic, and a
// truncation is always an error.
func TestPersistDamaged(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	c := randomCorpus(r, 60)
	data := Build(c.docs()).AppendBinary(nil)
	for n := range len(data) {
		if _, _, err := ReadIndex(data[:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(data))
		}
	}
	for i := range 3000 {
		bad := append([]byte(nil), data...)
		bad[r.IntN(len(bad))] ^= byte(1 + r.IntN(255))
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("change %d: panic %v", i, p)
				}
			}()
			if ix, _, err := ReadIndex(bad); err == nil {
				ix.Match("a", false, 10, nil) // a valid index answers
			}
		}()
	}
}

// FuzzReadIndex: any bytes are an error or an index that answers queries.
func FuzzReadIndex(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 3, 20} {
		f.Add(Build(randomCorpus(r, n).docs()).AppendBinary(nil))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, _, err := ReadIndex(data)
		if err != nil {
			return
		}
		for _, q := range []string{"a", "ab", "abc d"} {
			ix.Match(q, false, 5, nil)
			ix.Match(q, true, 0, nil)
		}
		if back, _, err := ReadIndex(ix.AppendBinary(nil)); err != nil || back.Len() != ix.Len() {
			t.Fatalf("written again: %v, %d docs of %d", err, back.Len(), ix.Len())
		}
	})
}
