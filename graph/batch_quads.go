package graph

import "sort"

// NQuadLines returns the quads a batch writes as N-Quads lines, sorted and
// without repeats: what Export writes for a store holding only the batch.
// It lets a producer of large data sets (package generate) write N-Quads
// without holding them in a store.
func NQuadLines(b *Batch) []string {
	qs := quadsOf(b)
	lines := make([]string, len(qs))
	for i, q := range qs {
		lines[i] = q.NQuad()
	}
	sort.Strings(lines)
	return dedupe(lines)
}
