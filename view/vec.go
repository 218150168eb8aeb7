package view

// Ref is the dense number of a record in a snapshot. Refs are never reused:
// a record that loses its last fact stays, empty.
type Ref = int32

// noRef stands for "no record".
const noRef Ref = -1

const (
	chunkBits = 10
	chunkSize = 1 << chunkBits
)

// records is a persistent vector of records: a table of fixed-size chunks.
// with copies the table and only the chunks it changes, so snapshots share
// every untouched chunk.
type records struct {
	chunks [][]*Record
	n      int
}

func (v *records) get(r Ref) *Record {
	if r < 0 || int(r) >= v.n {
		return nil
	}
	return v.chunks[r>>chunkBits][r&(chunkSize-1)]
}

func (v *records) len() int { return v.n }

// with returns the vector with the records of set placed at their refs and
// the records of added appended.
func (v *records) with(set map[Ref]*Record, added []*Record) records {
	out := records{n: v.n + len(added)}
	nchunks := (out.n + chunkSize - 1) >> chunkBits
	out.chunks = make([][]*Record, nchunks)
	copy(out.chunks, v.chunks)
	copied := make(map[int]bool)
	place := func(r Ref, rec *Record) {
		c := int(r >> chunkBits)
		if !copied[c] {
			copied[c] = true
			fresh := make([]*Record, chunkSize)
			copy(fresh, out.chunks[c])
			out.chunks[c] = fresh
		}
		out.chunks[c][r&(chunkSize-1)] = rec
	}
	for r, rec := range set {
		place(r, rec)
	}
	for i, rec := range added {
		place(Ref(v.n+i), rec)
	}
	return out
}

// keyIndex maps keys to refs: a large base map shared by snapshots and a
// small overlay of the keys added since, copied on write. The overlay is
// folded into a new base once it grows past an eighth of the base, so a
// write costs the keys it adds, amortised.
type keyIndex struct {
	base, over map[string]Ref
}

func (x *keyIndex) get(k string) (Ref, bool) {
	if r, ok := x.over[k]; ok {
		return r, true
	}
	r, ok := x.base[k]
	return r, ok
}

func (x *keyIndex) len() int { return len(x.base) + len(x.over) }

// with returns the index with added keys.
func (x *keyIndex) with(added map[string]Ref) keyIndex {
	if len(added) == 0 {
		return *x
	}
	if len(x.over)+len(added) > 1024+len(x.base)/8 {
		base := make(map[string]Ref, x.len()+len(added))
		for _, m := range []map[string]Ref{x.base, x.over, added} {
			for k, r := range m {
				base[k] = r
			}
		}
		return keyIndex{base: base}
	}
	over := make(map[string]Ref, len(x.over)+len(added))
	for _, m := range []map[string]Ref{x.over, added} {
		for k, r := range m {
			over[k] = r
		}
	}
	return keyIndex{base: x.base, over: over}
}
