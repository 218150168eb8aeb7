package graph

import (
	"bytes"
	"encoding/json"
	"slices"

	"github.com/cayleygraph/quad"
)

// Source order. A document orders some of its lists: the authors of a
// source, the speakers, questions and themes (takeaways) of an event. A
// quad states a fact, not a place in a list, so each such list a source
// states with two members or more is stored as one more quad of that
// source: the list's owner, an order predicate, and the members in the
// document's order as a JSON array of strings (ids, or the questions'
// text):
//
//	<https://thrivegraph.org/id/EVENT> <https://thrivegraph.org/ns#speakerOrder> "[\"a\",\"b\"]" <https://thrivegraph.org/source/SRC> .
//
// Batch.Quads writes these quads from the order of the batch's lists
// (a data file's order), and BatchesOf puts the lists back in that order,
// so the order goes through every export format.
var (
	PredAuthorOrder   = quad.IRI(NSVocab + "authorOrder")   // source → its authors (person ids)
	PredSpeakerOrder  = quad.IRI(NSVocab + "speakerOrder")  // event → its speakers (person ids)
	PredThemeOrder    = quad.IRI(NSVocab + "themeOrder")    // event → its themes (theme ids)
	PredQuestionOrder = quad.IRI(NSVocab + "questionOrder") // event → its questions (their text)
)

// OrderPreds are the order predicates.
var OrderPreds = []quad.IRI{PredAuthorOrder, PredSpeakerOrder, PredThemeOrder, PredQuestionOrder}

// EncodeOrder is the value of an order quad for a list.
func EncodeOrder(list []string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(list) // a []string always encodes
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// DecodeOrder reads the value of an order quad; ok is false when it is not
// a JSON array of strings.
func DecodeOrder(v string) (list []string, ok bool) {
	if err := json.Unmarshal([]byte(v), &list); err != nil || list == nil {
		return nil, false
	}
	return list, true
}

// MergeOrders joins the orders of several sources (or several quads of
// one source) into one: each member at its first place.
func MergeOrders(orders ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, o := range orders {
		for _, m := range o {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// SortByOrder sorts list, in place and stably, by the place of key(item)
// in order; items order does not name keep their order, after the others.
func SortByOrder[T any](list []T, order []string, key func(T) string) {
	if len(order) == 0 {
		return
	}
	at := make(map[string]int, len(order))
	for i, m := range order {
		if _, ok := at[m]; !ok {
			at[m] = i
		}
	}
	place := func(x T) int {
		if i, ok := at[key(x)]; ok {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(list, func(a, b T) int { return place(a) - place(b) })
}

// unique returns the distinct members of list, at their first place.
func unique(list []string) []string { return MergeOrders(list) }

// orderKey names one ordered list of a batch: its owner's IRI and its
// order predicate.
type orderKey struct {
	owner quad.Value
	pred  quad.IRI
}

// orders returns the ordered lists of the batch with two members or more,
// in a fixed order: what Quads writes as order quads.
func (b *Batch) orders() []orderedList {
	var out []orderedList
	add := func(owner quad.Value, pred quad.IRI, list []string) {
		if list = unique(list); len(list) >= 2 {
			out = append(out, orderedList{orderKey{owner, pred}, list})
		}
	}
	add(SourceIRI(b.Source.ID), PredAuthorOrder, b.Source.Authors)
	orgs := map[string]bool{}
	for _, n := range b.Nodes {
		add(NodeIRI(n.ID), PredQuestionOrder, n.Questions)
		if n.Type == TypeOrganization {
			orgs[n.ID] = true
		}
	}
	for _, g := range b.linkLists(orgs) {
		add(NodeIRI(g.owner), g.pred, g.members)
	}
	return out
}

type orderedList struct {
	key  orderKey
	list []string
}

// linkList is one ordered list of links: an event's speakers or themes.
type linkList struct {
	owner   string
	pred    quad.IRI
	members []string
	slots   []int // indexes of the list's links in Batch.Links
}

// linkLists groups the batch's ordered links by owner, in the order of
// Links: the speakers of each event (spokeAt links to it) and the themes
// of each subject that is not one of the batch's organizations (orgs).
func (b *Batch) linkLists(orgs map[string]bool) []*linkList {
	var out []*linkList
	by := map[orderKey]*linkList{}
	for i, l := range b.Links {
		var owner, member string
		var pred quad.IRI
		switch {
		case l.Relation == RelSpokeAt:
			owner, member, pred = l.To, l.From, PredSpeakerOrder
		case l.Relation == RelTheme && !orgs[l.From]:
			owner, member, pred = l.From, l.To, PredThemeOrder
		default:
			continue
		}
		k := orderKey{NodeIRI(owner), pred}
		g := by[k]
		if g == nil {
			g = &linkList{owner: owner, pred: pred}
			by[k] = g
			out = append(out, g)
		}
		g.members = append(g.members, member)
		g.slots = append(g.slots, i)
	}
	return out
}

// applyOrders puts the lists of b in the orders given (by BatchesOf, from
// the order quads of b's source): the authors, each node's questions, and
// the ordered links, which move only among their own places in Links.
func (b *Batch) applyOrders(orders map[orderKey][]string) {
	if len(orders) == 0 {
		return
	}
	id := func(s string) string { return s }
	SortByOrder(b.Source.Authors, orders[orderKey{SourceIRI(b.Source.ID), PredAuthorOrder}], id)
	orgs := map[string]bool{}
	for i := range b.Nodes {
		n := &b.Nodes[i]
		SortByOrder(n.Questions, orders[orderKey{NodeIRI(n.ID), PredQuestionOrder}], id)
		if n.Type == TypeOrganization {
			orgs[n.ID] = true
		}
	}
	for _, g := range b.linkLists(orgs) {
		order := orders[orderKey{NodeIRI(g.owner), g.pred}]
		if len(order) == 0 {
			continue
		}
		links := make([]Link, len(g.slots))
		for j, i := range g.slots {
			links[j] = b.Links[i]
		}
		SortByOrder(links, order, func(l Link) string {
			if l.Relation == RelSpokeAt {
				return l.From
			}
			return l.To
		})
		for j, i := range g.slots {
			b.Links[i] = links[j]
		}
	}
}

// orderFact records an order quad for BatchesOf; false when its value is
// not an order.
func orderFact(orders map[orderKey][]string, subject quad.Value, p quad.IRI, o quad.Value) bool {
	v, ok := str(o)
	if !ok {
		return false
	}
	list, ok := DecodeOrder(v)
	if !ok {
		return false
	}
	k := orderKey{subject, p}
	orders[k] = MergeOrders(orders[k], list)
	return true
}

func isOrderPred(p quad.IRI) bool { return slices.Contains(OrderPreds, p) }
