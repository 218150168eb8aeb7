// Package analysis computes the network analyses of ThriveGraph over one
// immutable *view.Snapshot: the organization network (organizations tied
// when they took part in a same event, weighted by shared events, or the
// bipartite organization–event network), restricted by the filter of
// organizations(filter:); every organization's centrality (degree,
// weighted degree, closeness, harmonic, betweenness, PageRank, two-step
// reach); Louvain communities; articulation points and the ties between
// communities; and the network for network tools (Export: a
// graph.NetworkExport, which loader.WriteGraphML and loader.WriteGEXF
// write; the writers live with every other file format in loader, which
// imports no analysis).
//
// Every algorithm is ours, over the compressed rows of Network: the
// shortest-path metrics (one Brandes pass per source gives betweenness,
// closeness and harmonic together, over every source or a seeded sample of
// them, with the error bound of the sample), PageRank (power iteration),
// Louvain (seeded visiting order), the two-step reach (through the events;
// HyperLogLog sketches past a share of the budget) and the articulation points
// (iterative Tarjan). gonum's graph/network and graph/community were tried
// first and were too slow at 100,000 organizations (Louvain took 72 s at
// 10,000, PageRank 12.4 s at 100,000, from a random start vector), need an
// all-pairs table for closeness (n² memory), have no sampled betweenness
// and no articulation points; the README gives the figures.
//
// An Analyzer caches one analysis per snapshot and network (the whole
// network, or the sub-network of a filter): the whole network's is
// computed in the background after start and after writes (Run, Warm);
// until it is ready, questions answer the previous snapshot's values
// marked stale, or NOT_READY (graph.CodeNotReady) when there are none. A
// network of up to Options.InlineLimit organizations (5,000) is computed
// in the request that asks, within SubBudget.
package analysis
