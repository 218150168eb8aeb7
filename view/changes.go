package view

// Each snapshot made by Apply remembers which records its write changed,
// and those of the writes before it back to a bound, so that what is
// derived from a whole snapshot (package network's profiles and facet
// counts) can be advanced from an older snapshot's by recomputing only what
// the writes since touched, instead of over the whole graph.

// lineage tells snapshots of one history apart: those made from one Empty
// (or one checkpoint) by Apply share it. Versions count writes within a
// lineage only.
type lineage struct{ _ byte }

// changeLog is one write's changed records, and the log of the writes
// before it while the whole stays within maxLoggedRefs.
type changeLog struct {
	version uint64 // the version of the snapshot the write made
	refs    []Ref  // the records the write changed or created
	prev    *changeLog
	total   int // refs in this entry and every earlier one kept
}

// maxLoggedRefs bounds the records a snapshot's log keeps, over all its
// entries: 4 MiB of refs. A consumer further behind builds again from the
// whole snapshot.
const maxLoggedRefs = 1 << 20

// logged returns the log of a snapshot at version whose write changed refs,
// after prev (the log of the snapshot it was applied to).
func logged(prev *changeLog, version uint64, refs []Ref) *changeLog {
	if len(refs) > maxLoggedRefs {
		return nil
	}
	l := &changeLog{version: version, refs: refs, prev: prev, total: len(refs)}
	if prev != nil && prev.total+len(refs) <= maxLoggedRefs {
		l.total += prev.total
	} else {
		l.prev = nil
	}
	return l
}

// ChangedSince returns the records that the writes between old and s
// changed or created (with repeats), and true, when s descends from old by
// writes that its log still lists. It returns false when old is of another
// lineage, newer than s, or too far behind: then a consumer starts again
// from s whole.
func (s *Snapshot) ChangedSince(old *Snapshot) ([]Ref, bool) {
	if old == nil || s.lineage == nil || s.lineage != old.lineage || old.version > s.version {
		return nil, false
	}
	var refs []Ref
	v := s.version
	for l := s.log; v > old.version; l = l.prev {
		if l == nil || l.version != v {
			return nil, false
		}
		refs = append(refs, l.refs...)
		v--
	}
	return refs, true
}
