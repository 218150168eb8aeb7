package live_test

import (
	"context"
	"os"
	"reflect"
	"testing"

	"github.com/thrivegraph/thrivegraph/data"
	"github.com/thrivegraph/thrivegraph/generate"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/loader"
)

// generatedNetwork opens a memory store holding a generated network.
func generatedNetwork(t testing.TB, orgs int, seed uint64) *live.Graph {
	t.Helper()
	ctx := context.Background()
	res, err := generate.Write(ctx, t.TempDir(), generate.Options{Orgs: orgs, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	s, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f, err := os.Open(res.NQuads)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := loader.ImportNQuads(ctx, s, f, generate.NQuadsName); err != nil {
		t.Fatal(err)
	}
	return s
}

// idsOf lists the ids of every entity of a type, by name.
func idsOf(t *testing.T, s *live.Graph, typ graph.NodeType) []string {
	t.Helper()
	ctx := context.Background()
	var ids []string
	switch typ {
	case graph.TypeOrganization:
		for p := (graph.Page{First: graph.MaxPageSize}); ; {
			c, err := s.Organizations(ctx, graph.OrganizationFilter{}, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range c.Items {
				ids = append(ids, o.ID)
			}
			if !c.HasNextPage {
				return ids
			}
			p.After = c.Cursors[len(c.Cursors)-1]
		}
	case graph.TypeEvent:
		for p := (graph.Page{First: graph.MaxPageSize}); ; {
			c, err := s.Events(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range c.Items {
				ids = append(ids, o.ID)
			}
			if !c.HasNextPage {
				return ids
			}
			p.After = c.Cursors[len(c.Cursors)-1]
		}
	case graph.TypeTheme:
		ts, err := s.Themes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range ts {
			ids = append(ids, th.ID)
		}
	}
	return ids
}

// same checks that a batch method answers, for every id, what the
// one-id method answers.
func same[T any](t *testing.T, what string, ids []string, batch []T, err error, one func(id string) (T, error)) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s batch: %v", what, err)
	}
	if len(batch) != len(ids) {
		t.Fatalf("%s batch: %d results for %d ids", what, len(batch), len(ids))
	}
	for i, id := range ids {
		want, err := one(id)
		if err != nil {
			t.Fatalf("%s(%s): %v", what, id, err)
		}
		if !reflect.DeepEqual(batch[i], want) {
			t.Fatalf("%s(%s):\nbatch %+v\none   %+v", what, id, batch[i], want)
		}
	}
}

func samePaged[T any](t *testing.T, what string, ids []string, batch []T, errs []error, one func(id string) (T, error)) {
	t.Helper()
	if errs != nil {
		for i, err := range errs {
			if err != nil {
				t.Fatalf("%s batch, %s: %v", what, ids[i], err)
			}
		}
	}
	// An empty page may hold nil or empty Items (both are empty lists to
	// the API); compare them as equal.
	norm := func(c *T) {
		if items := reflect.ValueOf(c).Elem().FieldByName("Items"); items.Len() == 0 {
			items.Set(reflect.Zero(items.Type()))
		}
	}
	for i := range batch {
		norm(&batch[i])
	}
	same(t, what, ids, batch, nil, func(id string) (T, error) {
		c, err := one(id)
		norm(&c)
		return c, err
	})
}

// TestBatchReadsMatchSingleReads checks every batch method against the
// method it batches, on the seed graph and on a generated network, with
// repeated ids and ids that are not entities.
func TestBatchReadsMatchSingleReads(t *testing.T) {
	t.Run("generated", func(t *testing.T) { checkBatchReads(t, generatedNetwork(t, 250, 5), 30) })
	t.Run("seed", func(t *testing.T) { checkBatchReads(t, seedNetwork(t), 30) })
	small(t, func(t *testing.T, s *live.Graph) { checkBatchReads(t, s, 1) })
}

// seedNetwork opens a memory store holding the built-in seed data set.
func seedNetwork(t *testing.T) *live.Graph {
	t.Helper()
	ctx := context.Background()
	s, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	names, err := data.SeedFiles()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loader.Load(ctx, s, loader.FromFS(data.Seed, names...)...); err != nil {
		t.Fatal(err)
	}
	return s
}

// checkBatchReads compares every batch read of s with its one-id read.
func checkBatchReads(t *testing.T, s *live.Graph, minOrgs int) {
	ctx := context.Background()
	{
		{ // (kept as a block: the checks read top to bottom)
			orgs := idsOf(t, s, graph.TypeOrganization)
			events := idsOf(t, s, graph.TypeEvent)
			themes := idsOf(t, s, graph.TypeTheme)
			if len(orgs) < minOrgs || len(events) == 0 || len(themes) == 0 {
				t.Fatalf("%d organizations, %d events, %d themes", len(orgs), len(events), len(themes))
			}
			orgs = append(orgs, orgs[0], "no-such-node")
			all := append(append(append([]string{}, orgs...), events...), themes...)

			nodes, err := s.Nodes(ctx, all)
			same(t, "Nodes", all, nodes, err, func(id string) (graph.Node, error) { return s.Node(ctx, id) })

			tl, err := s.OrganizationThemesBatch(ctx, orgs)
			same(t, "OrganizationThemes", orgs, tl, err, func(id string) ([]graph.ThemeLink, error) { return s.OrganizationThemes(ctx, id) })
			pl, err := s.OrganizationPolicyLevelsBatch(ctx, orgs)
			same(t, "OrganizationPolicyLevels", orgs, pl, err, func(id string) ([]*graph.PolicyLevel, error) { return s.OrganizationPolicyLevels(ctx, id) })
			op, err := s.OrganizationParticipationsBatch(ctx, orgs)
			same(t, "OrganizationParticipations", orgs, op, err, func(id string) ([]graph.Participation, error) { return s.OrganizationParticipations(ctx, id) })
			ep, err := s.EventParticipationsBatch(ctx, events)
			same(t, "EventParticipations", events, ep, err, func(id string) ([]graph.Participation, error) { return s.EventParticipations(ctx, id) })
			oa, err := s.OrganizationAffiliationsBatch(ctx, orgs)
			same(t, "OrganizationAffiliations", orgs, oa, err, func(id string) ([]graph.Affiliation, error) { return s.OrganizationAffiliations(ctx, id) })
			of, err := s.FiguresBatch(ctx, all)
			same(t, "Figures", all, of, err, func(id string) ([]*graph.Figure, error) { return s.Figures(ctx, id) })

			places, err := s.RelatedBatch(ctx, orgs, graph.HopOrganizationPlaces)
			same(t, "OrganizationPlaces", orgs, places, err, func(id string) ([]graph.Node, error) {
				ps, err := s.OrganizationPlaces(ctx, id)
				return asNodes(ps), err
			})
			hosts, err := s.RelatedBatch(ctx, events, graph.HopEventHosts)
			same(t, "EventHosts", events, hosts, err, func(id string) ([]graph.Node, error) {
				hs, err := s.EventHosts(ctx, id)
				return asNodes(hs), err
			})
			speakers, err := s.RelatedBatch(ctx, events, graph.HopEventSpeakers)
			same(t, "EventSpeakers", events, speakers, err, func(id string) ([]graph.Node, error) {
				ps, err := s.EventSpeakers(ctx, id)
				return asNodes(ps), err
			})
			themeEvents, err := s.RelatedBatch(ctx, themes, graph.HopThemeEvents)
			same(t, "ThemeEvents", themes, themeEvents, err, func(id string) ([]graph.Node, error) {
				es, err := s.ThemeEvents(ctx, id)
				return asNodes(es), err
			})

			for _, p := range []graph.Page{{First: 5}, {First: graph.MaxPageSize}} {
				pc, errs := s.PartnersBatch(ctx, orgs, p)
				samePaged(t, "Partners", orgs, pc, errs, func(id string) (graph.Connection[graph.Partner], error) { return s.Partners(ctx, id, p) })
				ec, errs := s.EventParticipantsBatch(ctx, events, p)
				samePaged(t, "EventParticipants", events, ec, errs, func(id string) (graph.Connection[*graph.Organization], error) {
					return s.EventParticipants(ctx, id, p)
				})
				tc, errs := s.ThemeOrganizationsBatch(ctx, themes, p)
				samePaged(t, "ThemeOrganizations", themes, tc, errs, func(id string) (graph.Connection[*graph.Organization], error) {
					return s.ThemeOrganizations(ctx, id, p)
				})
			}
		}
	}
}

func asNodes[T graph.Node](list []T) []graph.Node {
	out := make([]graph.Node, len(list))
	for i, n := range list {
		out[i] = n
	}
	return out
}

// TestPagedBatchErrorsAreTheirIDs checks that a cursor valid for one
// organization's partners and not another's fails only the other.
func TestPagedBatchErrorsAreTheirIDs(t *testing.T) {
	ctx := context.Background()
	s := generatedNetwork(t, 300, 9)
	orgs := idsOf(t, s, graph.TypeOrganization)
	var a, b string
	var cursor string
	for _, id := range orgs {
		c, err := s.Partners(ctx, id, graph.Page{First: 1})
		if err != nil {
			t.Fatal(err)
		}
		if c.HasNextPage && a == "" {
			a, cursor = id, c.Cursors[0]
		} else if c.TotalCount == 0 && b == "" {
			b = id
		}
	}
	if a == "" || b == "" {
		t.Fatal("no organization with two partners, or none without")
	}
	conns, errs := s.PartnersBatch(ctx, []string{a, b}, graph.Page{First: 1, After: cursor})
	if len(errs) != 2 || errs[0] != nil || graph.ErrorCode(errs[1]) != graph.CodeInvalid {
		t.Fatalf("errors %v, want nil and a BAD_USER_INPUT", errs)
	}
	if len(conns[0].Items) != 1 {
		t.Errorf("the valid cursor gave %d partners", len(conns[0].Items))
	}
}
