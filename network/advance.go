package network

import (
	"maps"
	"slices"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// A write changes the profiles of few organizations: those it touches, the
// participants of the events whose participants, themes, name or type it
// changes, and the organizations of the themes whose policy levels, name
// or type it changes. advanceDerived recomputes only theirs, from the
// records the writes changed (view.Snapshot.ChangedSince), and carries the
// rest over from the older snapshot's derived data; a write that renames or
// retypes a policy level, or a snapshot the older one's log does not reach,
// makes it build again from the whole graph.

// profileChunkBits sizes the chunks of profileVec.
const profileChunkBits = 10

// profileVec holds the profile of each organization, by ref, in chunks that
// snapshots' derived data share until a write changes one of their
// profiles.
type profileVec struct {
	chunks [][]*profile
}

// get returns the profile of r, or nil.
func (v *profileVec) get(r view.Ref) *profile {
	c := int(r >> profileChunkBits)
	if r < 0 || c >= len(v.chunks) || v.chunks[c] == nil {
		return nil
	}
	return v.chunks[c][r&(1<<profileChunkBits-1)]
}

// set places p at r. owned tells the chunks this vector made itself (and
// may change in place); the others are copied first.
func (v *profileVec) set(r view.Ref, p *profile, owned map[int]bool) {
	c := int(r >> profileChunkBits)
	if c >= len(v.chunks) {
		v.chunks = append(v.chunks, make([][]*profile, c+1-len(v.chunks))...)
	}
	if !owned[c] {
		fresh := make([]*profile, 1<<profileChunkBits)
		copy(fresh, v.chunks[c])
		v.chunks[c] = fresh
		owned[c] = true
	}
	v.chunks[c][r&(1<<profileChunkBits-1)] = p
}

// advanceDerived returns the derived data of s from d, the derived data of
// old, or false when it must be built from the whole of s.
func advanceDerived(old *view.Snapshot, d *derived, s *view.Snapshot) (*derived, bool) {
	changed, ok := s.ChangedSince(old)
	if !ok {
		return nil, false
	}
	affected, ok := affectedOrgs(old, d, s, changed)
	if !ok {
		return nil, false
	}
	next := &derived{
		profiles:  profileVec{chunks: slices.Clone(d.profiles.chunks)},
		counts:    d.counts.clone(),
		themeOrgs: maps.Clone(d.themeOrgs),
		levelOrgs: maps.Clone(d.levelOrgs),
	}
	owned := map[int]bool{}
	m := newProfiler(s)
	// The organizations to take out of, and put back in, each theme's and
	// level's list.
	themeOut, themeIn := map[view.Ref][]view.Ref{}, map[view.Ref][]view.Ref{}
	levelOut, levelIn := map[view.Ref][]view.Ref{}, map[view.Ref][]view.Ref{}
	for _, o := range affected {
		before := d.profiles.get(o)
		var after *profile
		if rec := s.Record(o); rec != nil && rec.Type == graph.TypeOrganization {
			after = m.profile(o)
		}
		if before != nil {
			next.counts.add(before, -1)
			for _, t := range before.themes {
				themeOut[t] = append(themeOut[t], o)
			}
			for _, l := range before.levels {
				levelOut[l] = append(levelOut[l], o)
			}
		}
		if after != nil {
			next.counts.add(after, 1)
			for _, t := range after.themes {
				themeIn[t] = append(themeIn[t], o)
			}
			for _, l := range after.levels {
				levelIn[l] = append(levelIn[l], o)
			}
		}
		if before != nil || after != nil {
			next.profiles.set(o, after, owned)
		}
	}
	relist := func(lists, out, in map[view.Ref][]view.Ref) {
		for _, r := range slices.Collect(maps.Keys(out)) {
			if _, ok := in[r]; !ok {
				in[r] = nil
			}
		}
		for r, added := range in {
			list := s.Relist(lists[r], out[r], added)
			if len(list) == 0 {
				delete(lists, r)
			} else {
				lists[r] = list
			}
		}
	}
	relist(next.themeOrgs, themeOut, themeIn)
	relist(next.levelOrgs, levelOut, levelIn)
	return next, true
}

// affectedOrgs returns the organizations whose profiles the changes of
// records between old and s may change, once each, or false when the
// changes reach too far to follow (a policy level renamed or retyped).
func affectedOrgs(old *view.Snapshot, d *derived, s *view.Snapshot, changed []view.Ref) ([]view.Ref, bool) {
	seen := make(map[view.Ref]bool, len(changed))
	var out []view.Ref
	add := func(refs ...view.Ref) {
		for _, r := range refs {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	participants := func(snap *view.Snapshot, ev view.Ref) []view.Ref {
		return snap.LinkedRefs(ev, false, graph.TypeOrganization, view.ParticipationRels...)
	}
	done := make(map[view.Ref]bool, len(changed))
	for _, r := range changed {
		if done[r] {
			continue
		}
		done[r] = true
		was, is := old.Record(r), s.Record(r)
		if is == nil {
			continue
		}
		var wasType graph.NodeType
		wasName := ""
		if was != nil {
			wasType, wasName = was.Type, was.NameKey
		}
		renamed := wasType != is.Type || wasName != is.NameKey
		types := []graph.NodeType{wasType, is.Type}
		switch {
		case slices.Contains(types, graph.TypeOrganization):
			add(r)
			if wasType != is.Type { // its partners gain or lose it
				for _, snap := range []*view.Snapshot{old, s} {
					for _, ev := range snap.LinkedRefs(r, true, graph.TypeEvent, view.ParticipationRels...) {
						add(participants(snap, ev)...)
					}
				}
			}
		case slices.Contains(types, graph.TypeEvent):
			if renamed || edgesDiffer(old, s, r, true, graph.RelTheme) || edgesDiffer(old, s, r, false, view.ParticipationRels...) {
				add(participants(old, r)...)
				add(participants(s, r)...)
			}
		case slices.Contains(types, graph.TypeTheme):
			if renamed || edgesDiffer(old, s, r, true, graph.RelPolicyLevel) {
				add(d.themeOrgs[r]...)
				add(s.LinkedRefs(r, false, graph.TypeOrganization, graph.RelTheme)...)
				for _, ev := range s.LinkedRefs(r, false, graph.TypeEvent, graph.RelTheme) {
					add(participants(s, ev)...)
				}
			}
		case slices.Contains(types, graph.TypePlace):
			if renamed {
				add(old.LinkedRefs(r, false, graph.TypeOrganization, graph.RelPlace)...)
				add(s.LinkedRefs(r, false, graph.TypeOrganization, graph.RelPlace)...)
			}
		case slices.Contains(types, graph.TypePolicyLevel):
			if renamed {
				return nil, false
			}
		}
	}
	return out, true
}

// edgesDiffer reports whether the record r has other edges of rels in one
// direction (forward: out) in s than in old.
func edgesDiffer(old, s *view.Snapshot, r view.Ref, forward bool, rels ...graph.Relation) bool {
	for _, rel := range rels {
		if !slices.Equal(old.LinkRefs(r, rel, forward), s.LinkRefs(r, rel, forward)) {
			return true
		}
	}
	return false
}

// clone returns a copy of c that can be changed without changing c.
func (c *facetCounts) clone() *facetCounts {
	return &facetCounts{
		total:  c.total,
		themes: maps.Clone(c.themes), levels: maps.Clone(c.levels),
		places: maps.Clone(c.places), events: maps.Clone(c.events),
		matrix: maps.Clone(c.matrix),
	}
}

// add counts the profile p in c (by: 1), or takes it out (by: -1); a count
// that falls to zero is dropped.
func (c *facetCounts) add(p *profile, by int) {
	bump := func(m map[view.Ref]int, r view.Ref) {
		if m[r] += by; m[r] == 0 {
			delete(m, r)
		}
	}
	c.total += by
	for _, t := range p.themes {
		bump(c.themes, t)
		for _, l := range p.levels {
			k := [2]view.Ref{t, l}
			if c.matrix[k] += by; c.matrix[k] == 0 {
				delete(c.matrix, k)
			}
		}
	}
	for _, l := range p.levels {
		bump(c.levels, l)
	}
	for _, pl := range p.places {
		bump(c.places, pl)
	}
	for _, ev := range p.events {
		bump(c.events, ev)
	}
}
