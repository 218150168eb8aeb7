// Package generate makes synthetic but realistic ThriveGraph networks for
// tests, benchmarks and demonstrations: organizations named after US cities
// with kinds, places, people (with titles and second affiliations), stated
// themes and policy levels; events with power-law sizes whose hosts,
// presenters, speakers and participants come mostly from the same city and
// from a few national hubs; a theme taxonomy tied to policy levels; dates
// from 2012 to 2025, some events part of that year's National Welcoming Week.
//
// The output is deterministic: the same number of organizations, seed and
// file size give the same bytes. It is written in the project's own data
// format (docs/FORMAT.md), one file per source — taxonomy.yaml, then
// part-NNNN.yaml with Options.PerFile organizations each — and as one
// N-Quads file, graph.nq, that is exactly what `thrivegraph export` writes
// after `thrivegraph load` of the data files into an empty store.
//
// Every file is made from independent parts: any organization's name,
// people and attributes follow from its index and the seed alone, so parts
// are generated in parallel and memory stays bounded by a few parts however
// large the network (the N-Quads are sorted per part and merged).
package generate

import (
	"bufio"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/loader"
)

// DefaultPerFile is how many organizations one data file holds by default;
// it keeps files well under the loader's 16 MiB limit.
const DefaultPerFile = 5000

// Options say what to generate.
type Options struct {
	Orgs    int    // organizations, at least 1
	Seed    uint64 // the same seed gives the same network
	PerFile int    // organizations per data file; 0 means DefaultPerFile
	Workers int    // parts generated at once; 0 means GOMAXPROCS
}

// Counts size a generated network.
type Counts struct {
	Organizations  int
	People         int
	Events         int // without the Welcoming Weeks of the taxonomy
	Participations int // host, presenter and participant links
	Affiliations   int
	Quads          int // lines of graph.nq
}

// Result tells what Write wrote.
type Result struct {
	Files  []string // the data files, taxonomy first
	NQuads string   // the N-Quads file
	Counts Counts
}

// NQuadsName is the name of the N-Quads file in the output directory.
const NQuadsName = "graph.nq"

// Write generates a network and writes it into dir (created if needed).
func Write(ctx context.Context, dir string, o Options) (Result, error) {
	g, err := newGen(o)
	if err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Result{}, err
	}
	runs, err := os.MkdirTemp(dir, ".runs-")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(runs)

	parts := g.parts + 1 // part 0 is the taxonomy
	res := Result{NQuads: filepath.Join(dir, NQuadsName)}
	counts := make([]Counts, parts)
	runFiles := make([]string, parts)
	for k := range parts {
		res.Files = append(res.Files, filepath.Join(dir, g.fileName(k)))
		runFiles[k] = filepath.Join(runs, fmt.Sprintf("%05d.nq", k))
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan int)
	)
	for range min(workers, parts) {
		wg.Go(func() {
			for k := range next {
				c, err := g.writePart(ctx, k, res.Files[k], runFiles[k])
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					cancel()
					continue
				}
				counts[k] = c
			}
		})
	}
feed:
	for k := range parts {
		select {
		case next <- k:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	if first != nil {
		return Result{}, first
	}
	for _, c := range counts {
		res.Counts.Organizations += c.Organizations
		res.Counts.People += c.People
		res.Counts.Events += c.Events
		res.Counts.Participations += c.Participations
		res.Counts.Affiliations += c.Affiliations
	}
	res.Counts.Quads, err = mergeRuns(res.NQuads, runFiles)
	return res, err
}

// gen holds what every part needs to know of the whole network.
type gen struct {
	n, perFile, parts int
	seed              uint64
	hubStep           int // a step coprime with n: hub k is organization k*hubStep mod n
}

func newGen(o Options) (*gen, error) {
	if o.Orgs < 1 {
		return nil, errors.New("generate: --orgs must be at least 1")
	}
	per := o.PerFile
	if per <= 0 {
		per = DefaultPerFile
	}
	g := &gen{n: o.Orgs, perFile: per, parts: (o.Orgs + per - 1) / per, seed: o.Seed}
	for _, p := range []int{7919, 7927, 7933, 7937, 7949} {
		if o.Orgs%p != 0 {
			g.hubStep = p % o.Orgs
			break
		}
	}
	if g.hubStep == 0 {
		g.hubStep = 1
	}
	return g, nil
}

func (g *gen) fileName(k int) string {
	if k == 0 {
		return "taxonomy.yaml"
	}
	return fmt.Sprintf("part-%04d.yaml", k)
}

func (g *gen) sourceID(k int) string {
	if k == 0 {
		return fmt.Sprintf("synthetic-%d-taxonomy", g.seed)
	}
	return fmt.Sprintf("synthetic-%d-part-%04d", g.seed, k)
}

// writePart generates part k and writes its data file and its N-Quads run:
// the lines Export would write for a store holding only the part (sorted,
// without repeats), which mergeRuns merges into the graph's export.
func (g *gen) writePart(ctx context.Context, k int, file, run string) (Counts, error) {
	var (
		b *graph.Batch
		c Counts
	)
	if k == 0 {
		b = taxonomy(g.sourceID(0))
	} else {
		b, c = g.part(k)
	}
	if err := writeFile(file, func(w io.Writer) error { return writeYAML(w, b) }); err != nil {
		return c, err
	}
	if err := ctx.Err(); err != nil {
		return c, err
	}
	return c, writeFile(run, func(w io.Writer) error {
		for _, l := range loader.NQuadLines(b) {
			if _, err := io.WriteString(w, l+"\n"); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeFile(name string, fn func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := fn(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// org is what the generator knows of one organization. It follows from the
// organization's index and the seed alone.
type org struct {
	id, name string
	city     int
	kinds    []string
	desc     string
	themes   []string
	levels   []string
	people   []person
}

type person struct {
	id, name, title string
	second          int // index of a second organization, or -1
	secondTitle     string
}

const peopleSlots = 4 // person numbers per organization

// orgRand is the random source of organization i.
func (g *gen) orgRand(i int) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed^0x9e3779b97f4a7c15, uint64(i)))
}

// orgName names organization i: a pattern and a city, varied by a district
// and then numbered when patterns and cities run out.
func orgName(i int) (name string, cityIndex int) {
	p, c := len(orgPatterns), len(cities)
	pat, ci, round := i%p, (i/p)%c, i/(p*c)
	place := cities[ci].name
	if round >= 1 && round <= len(districts) {
		place = districts[round-1] + " " + place
	}
	name = fmt.Sprintf(orgPatterns[pat].format, place)
	if round > len(districts) {
		name += " No. " + itoa(round-len(districts)+1)
	}
	return name, ci
}

// personName names person number n, a bijection onto distinct names.
func personName(n int) string {
	f, l := len(firstNames), len(lastNames)
	base := f * l
	m := (n % base) * 48271 % base // scramble: 48271 is prime to base
	name := firstNames[m%f]
	r := n / base
	if mid := r % 27; mid > 0 {
		name += " " + string(rune('A'+mid-1)) + "."
	}
	name += " " + lastNames[m/f]
	if k := r / 27; k > 0 {
		name += " " + itoa(k+1)
	}
	return name
}

// org returns organization i.
func (g *gen) org(i int) org {
	r := g.orgRand(i)
	name, ci := orgName(i)
	pat := orgPatterns[i%len(orgPatterns)]
	o := org{id: graph.Slug(name), name: name, city: ci, kinds: pat.kinds}
	c := cities[ci]
	if r.IntN(10) < 4 {
		o.desc = fmt.Sprintf("%s works with immigrants and refugees in %s, %s.", name, c.name, states[c.state].name)
	}
	if r.IntN(10) < 3 {
		for range 1 + r.IntN(2) {
			t := graph.Slug(themes[weighted(r, len(themes), func(j int) int { return themes[j].weight })].name)
			o.themes = appendNew(o.themes, t)
		}
	}
	if lvl, ok := stateKinds[pat.kinds[0]]; ok && r.IntN(2) == 0 {
		o.levels = []string{lvl}
	}
	count := []int{0, 0, 0, 1, 1, 1, 1, 2, 2, 3}[r.IntN(10)]
	if r.IntN(20) == 0 {
		count = peopleSlots
	}
	for j := range count {
		n := i*peopleSlots + j
		pname := personName(n)
		p := person{id: graph.Slug(pname), name: pname, second: -1}
		if j == 0 {
			p.title = titles[0]
			if r.IntN(3) == 0 {
				p.title = titles[8]
			}
		} else {
			p.title = titles[1+r.IntN(len(titles)-1)]
		}
		if r.IntN(10) == 0 && g.n > 1 {
			if s := g.hub(r); s != i {
				p.second = s
				p.secondTitle = boardTitles[r.IntN(len(boardTitles))]
			}
		}
		o.people = append(o.people, p)
	}
	return o
}

// hub draws a well-connected organization: a Zipf draw over a permutation
// that spreads hubs over every city.
func (g *gen) hub(r *rand.Rand) int {
	z := rand.NewZipf(r, 1.3, 4, uint64(g.n-1))
	return int(z.Uint64()) * g.hubStep % g.n
}

// sameCity draws an organization in city ci, or -1 when it has none.
func (g *gen) sameCity(r *rand.Rand, ci int) int {
	p, c := len(orgPatterns), len(cities)
	base := r.IntN(p) + p*ci
	if base >= g.n {
		return -1
	}
	rounds := (g.n-1-base)/(p*c) + 1
	return base + p*c*r.IntN(rounds)
}

// part generates part k (k ≥ 1): its organizations, their people, and
// events hosted by them.
func (g *gen) part(k int) (*graph.Batch, Counts) {
	lo := (k - 1) * g.perFile
	hi := min(lo+g.perFile, g.n)
	pub := "2025-01-01"
	publisher := "ThriveGraph generator"
	note := fmt.Sprintf("Synthetic data made by `thrivegraph generate --orgs %d --seed %d`: names, people and events are invented; no fact is real.", g.n, g.seed)
	b := &graph.Batch{Source: graph.Source{
		ID:        g.sourceID(k),
		Title:     fmt.Sprintf("Synthetic network, part %d of %d (seed %d)", k, g.parts, g.seed),
		Publisher: &publisher, Published: &pub, Note: &note,
	}}
	var c Counts
	orgs := make([]org, 0, hi-lo)
	for i := lo; i < hi; i++ {
		o := g.org(i)
		orgs = append(orgs, o)
		c.Organizations++
		b.Nodes = append(b.Nodes, graph.NodeRecord{ID: o.id, Type: graph.TypeOrganization, Name: o.name, Description: o.desc, Kinds: o.kinds})
		city := cities[o.city]
		b.Links = append(b.Links,
			graph.Link{From: o.id, Relation: graph.RelPlace, To: graph.Slug(cityName(city))},
			graph.Link{From: o.id, Relation: graph.RelPlace, To: graph.Slug(states[city.state].name)})
		for _, t := range o.themes {
			b.Links = append(b.Links, graph.Link{From: o.id, Relation: graph.RelTheme, To: t})
		}
		for _, l := range o.levels {
			b.Links = append(b.Links, graph.Link{From: o.id, Relation: graph.RelPolicyLevel, To: l})
		}
	}
	for _, o := range orgs {
		for _, p := range o.people {
			c.People++
			b.Nodes = append(b.Nodes, graph.NodeRecord{ID: p.id, Type: graph.TypePerson, Name: p.name})
			title := p.title
			b.Affiliations = append(b.Affiliations, graph.Affiliation{PersonID: p.id, OrganizationID: o.id, Title: &title})
			if p.second >= 0 {
				st := p.secondTitle
				b.Affiliations = append(b.Affiliations, graph.Affiliation{PersonID: p.id, OrganizationID: g.orgID(p.second), Title: &st})
			}
		}
	}
	c.Affiliations = len(b.Affiliations)
	g.events(k, orgs, lo, b, &c)
	return b, c
}

// orgID returns the id of organization i without generating the rest of it.
func (g *gen) orgID(i int) string { return OrganizationID(i) }

// OrganizationID returns the id of the organization with index i (0 ≤ i <
// Options.Orgs) in any generated network. Index 0 is the best-connected
// hub; hubs thin out along a permutation of the indexes, so most other
// indexes are ordinary organizations.
func OrganizationID(i int) string {
	name, _ := orgName(i)
	return graph.Slug(name)
}

// events adds the events of part k, hosted by its organizations orgs (the
// first of which has index lo).
func (g *gen) events(k int, orgs []org, lo int, b *graph.Batch, c *Counts) {
	r := rand.New(rand.NewPCG(g.seed, uint64(k)))
	nEvents := (len(orgs)*3 + 9) / 10
	hostZipf := rand.NewZipf(r, 1.2, 2, uint64(len(orgs)-1))
	names := map[string]bool{}
	for range nEvents {
		kind := eventKinds[weighted(r, len(eventKinds), func(j int) int { return eventKinds[j].weight })]
		// Hosting follows a Zipf law too, over a scrambled order.
		local := int(hostZipf.Uint64()) * 7919 % len(orgs)
		host, hostIdx := orgs[local], lo+local
		topic := topics[r.IntN(len(topics))]
		year := firstYear + r.IntN(lastYear-firstYear+1)
		month, day := 1+r.IntN(12), 1+r.IntN(28)
		welcoming := r.IntN(12) == 0
		if welcoming {
			month, day = 9, 12+r.IntN(7)
		}
		name := fmt.Sprintf("%s: %s %s %d", host.name, topic.phrase, kind.title, year)
		for n := 2; names[name]; n++ {
			name = fmt.Sprintf("%s: %s %s %d, Part %d", host.name, topic.phrase, kind.title, year, n)
		}
		names[name] = true
		id := graph.Slug(name)
		rec := graph.NodeRecord{ID: id, Type: graph.TypeEvent, Name: name, EventKind: kind.kind,
			StartDate: fmt.Sprintf("%04d-%02d-%02d", year, month, day)}
		if r.IntN(10) < 3 {
			rec.Description = fmt.Sprintf("A %s on %s hosted by %s.", kind.kind, strings.ToLower(topic.phrase), host.name)
		}
		if r.IntN(5) == 0 {
			for range 1 + r.IntN(2) {
				rec.Questions = appendNew(rec.Questions, questions[r.IntN(len(questions))])
			}
		}
		b.Nodes = append(b.Nodes, rec)
		c.Events++
		if welcoming {
			b.Links = append(b.Links, graph.Link{From: id, Relation: graph.RelPartOf, To: graph.Slug(umbrellaName(year))})
		}
		// Themes: the topic's and up to two more.
		evThemes := []string{graph.Slug(themes[topic.theme].name)}
		for range r.IntN(3) {
			evThemes = appendNew(evThemes, graph.Slug(themes[weighted(r, len(themes), func(j int) int { return themes[j].weight })].name))
		}
		for _, t := range evThemes {
			b.Links = append(b.Links, graph.Link{From: id, Relation: graph.RelTheme, To: t})
		}
		if kind.local {
			city := cities[host.city]
			b.Links = append(b.Links,
				graph.Link{From: id, Relation: graph.RelPlace, To: graph.Slug(cityName(city))},
				graph.Link{From: id, Relation: graph.RelPlace, To: graph.Slug(states[city.state].name)})
		}
		// Roles: hosts, presenters, participants, each organization once.
		taken := map[int]bool{hostIdx: true}
		hosts := []int{hostIdx}
		pick := func(local bool) int {
			for range 8 {
				var i int
				switch x := r.IntN(10); {
				case local && x < 5 || !local && x < 2:
					i = g.sameCity(r, host.city)
				case x < 8:
					i = g.hub(r)
				default:
					i = r.IntN(g.n)
				}
				if i >= 0 && !taken[i] {
					taken[i] = true
					return i
				}
			}
			return -1
		}
		if kind.maxHosts > 1 && r.IntN(3) == 0 {
			if h := pick(false); h >= 0 {
				hosts = append(hosts, h)
			}
		}
		var presenters []int
		if hi := kind.presenters[1]; hi > 0 {
			for range kind.presenters[0] + r.IntN(hi-kind.presenters[0]+1) {
				if p := pick(kind.local); p >= 0 {
					presenters = append(presenters, p)
				}
			}
		}
		// Sizes follow a Pareto law (alpha 1.5): most events are small, a
		// few gather hundreds; chats draw more.
		xm := 2.0
		if kind.kind == "twitter chat" || kind.kind == "conference" || kind.kind == "summit" {
			xm = 8
		}
		size := int(xm / math.Pow(1-r.Float64(), 1/1.5))
		size = min(size, 400, g.n)
		var participants []int
		for range size - len(hosts) - len(presenters) {
			if p := pick(kind.local); p >= 0 {
				participants = append(participants, p)
			}
		}
		var speakers []string
		for _, list := range [][]int{hosts, presenters} {
			for _, i := range list {
				if people := g.peopleOf(i); len(people) > 0 && r.IntN(10) < 7 {
					speakers = appendNew(speakers, people[r.IntN(len(people))])
				}
			}
		}
		for _, role := range []struct {
			rel  graph.Relation
			orgs []int
		}{{graph.RelHosted, hosts}, {graph.RelPresentedAt, presenters}, {graph.RelParticipatedIn, participants}} {
			for _, i := range role.orgs {
				b.Links = append(b.Links, graph.Link{From: g.orgID(i), Relation: role.rel, To: id})
				c.Participations++
			}
		}
		for _, p := range speakers {
			b.Links = append(b.Links, graph.Link{From: p, Relation: graph.RelSpokeAt, To: id})
		}
	}
}

// peopleOf returns the person ids of organization i.
func (g *gen) peopleOf(i int) []string {
	o := g.org(i)
	ids := make([]string, len(o.people))
	for j, p := range o.people {
		ids[j] = p.id
	}
	return ids
}

// weighted draws an index in [0, n) with probability proportional to w.
func weighted(r *rand.Rand, n int, w func(int) int) int {
	total := 0
	for i := range n {
		total += w(i)
	}
	x := r.IntN(total)
	for i := range n {
		if x < w(i) {
			return i
		}
		x -= w(i)
	}
	return n - 1
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func itoa(i int) string { return strconv.Itoa(i) }

// mergeRuns merges sorted N-Quads runs into one sorted file without
// repeated lines, as Export writes it, and returns its number of lines.
func mergeRuns(out string, runs []string) (int, error) {
	h := &runHeap{}
	for _, name := range runs {
		f, err := os.Open(name)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), loader.MaxNQuadsLine+1)
		if sc.Scan() {
			heap.Push(h, &run{sc: sc, line: sc.Text()})
		} else if err := sc.Err(); err != nil {
			return 0, err
		}
	}
	lines := 0
	err := writeFile(out, func(w io.Writer) error {
		last := ""
		for h.Len() > 0 {
			top := (*h)[0]
			if lines == 0 || top.line != last {
				if _, err := io.WriteString(w, top.line+"\n"); err != nil {
					return err
				}
				last = top.line
				lines++
			}
			if top.sc.Scan() {
				top.line = top.sc.Text()
				heap.Fix(h, 0)
			} else {
				if err := top.sc.Err(); err != nil {
					return err
				}
				heap.Pop(h)
			}
		}
		return nil
	})
	return lines, err
}

type run struct {
	sc   *bufio.Scanner
	line string
}

type runHeap []*run

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return h[i].line < h[j].line }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*run)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
