package analysis

import (
	"slices"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// Relation of the derived ties between organizations in an export.
const RelSharedEvent = "sharedEvent"

// Export is the analysed network for network tools (loader.WriteGraphML,
// loader.WriteGEXF): the organizations with their metrics and community,
// the events they took part in, every participation a source states
// (organization to event, with its relation and the source, the first by
// id when several state it) and the ties derived from shared events
// (organization to organization, weighted, with the events), yielded by
// Ties as they are written.
//
// The writers are in package loader, with every other file format, and
// take this graph.NetworkExport: loader knows no analysis, and analysis
// (which builds the export from a Result) never imports loader, so that
// neither depends on the other.
func Export(r *Result) graph.NetworkExport {
	n := r.network()
	s := n.S
	x := graph.NetworkExport{Exact: r.Info.Exact, ErrorBound: r.Info.ErrorBound,
		Nodes: make([]graph.ExportNode, 0, n.N()+len(n.Events))}
	themeLevels := map[view.Ref][]view.Ref{}
	levelsOf := func(stated []view.Ref, themes []view.Ref) []view.Ref {
		levels := slices.Clone(stated)
		for _, t := range themes {
			ls, ok := themeLevels[t]
			if !ok {
				ls = s.LinkedRefs(t, true, graph.TypePolicyLevel, graph.RelPolicyLevel)
				themeLevels[t] = ls
			}
			levels = append(levels, ls...)
		}
		return s.SortRefs(levels)
	}
	evThemes := make([][]view.Ref, len(n.Events))
	for k, e := range n.Events {
		evThemes[k] = s.LinkedRefs(e, true, graph.TypeTheme, graph.RelTheme)
	}
	for i, o := range n.Orgs {
		themes := s.LinkedRefs(o, true, graph.TypeTheme, graph.RelTheme)
		for _, k := range n.OrgEvents[i] {
			themes = append(themes, evThemes[k]...)
		}
		themes = s.SortRefs(themes)
		c := r.Centrality[i]
		x.Nodes = append(x.Nodes, graph.ExportNode{
			ID: r.ids[i], Type: string(graph.TypeOrganization), Name: nameOf(s, o),
			Themes: s.IDs(themes), Places: s.IDs(s.LinkedRefs(o, true, graph.TypePlace, graph.RelPlace)),
			Levels:     s.IDs(levelsOf(s.LinkedRefs(o, true, graph.TypePolicyLevel, graph.RelPolicyLevel), themes)),
			Centrality: &c,
		})
	}
	for k, e := range n.Events {
		x.Nodes = append(x.Nodes, graph.ExportNode{
			ID: s.Record(e).Key, Type: string(graph.TypeEvent), Name: nameOf(s, e),
			Themes: s.IDs(evThemes[k]), Places: s.IDs(s.LinkedRefs(e, true, graph.TypePlace, graph.RelPlace)),
			Levels: s.IDs(levelsOf(nil, evThemes[k])),
		})
	}
	for i, o := range n.Orgs {
		for _, rel := range view.ParticipationRels {
			first := map[view.Ref]string{} // event: the first source by id
			var events []view.Ref
			for _, e := range s.LinkRefs(o, rel, true) {
				if rec := s.Record(e.Other); rec == nil || rec.Type != graph.TypeEvent {
					continue
				}
				src, seen := first[e.Other]
				if id := s.SourceID(e.Src); !seen || id < src {
					if !seen {
						events = append(events, e.Other)
					}
					first[e.Other] = id
				}
			}
			for _, e := range s.SortRefs(events) {
				x.Edges = append(x.Edges, graph.ExportEdge{From: r.ids[i], To: s.Record(e).Key, Relation: string(rel), Source: first[e], Weight: 1})
			}
		}
	}
	x.Ties = func(yield func(graph.ExportEdge) bool) {
		for i := range n.N() {
			adj, w := n.Partners(i)
			for k, j := range adj {
				if int(j) > i && !yield(graph.ExportEdge{From: r.ids[i], To: r.ids[j], Relation: RelSharedEvent, Derived: true,
					Weight: int(w[k]), Events: r.sharedEvents(i, int(j))}) {
					return
				}
			}
		}
	}
	return x
}

// nameOf returns the name of an organization or event.
func nameOf(s *view.Snapshot, r view.Ref) string {
	switch n := s.Node(r).(type) {
	case *graph.Organization:
		return n.Name
	case *graph.Event:
		return n.Name
	}
	return ""
}
