package network

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// cmpName orders entity refs by folded name, then id: the order of the
// snapshot's lists.
func cmpName(s *view.Snapshot, a, b view.Ref) int {
	ra, rb := s.Record(a), s.Record(b)
	if c := strings.Compare(ra.NameKey, rb.NameKey); c != 0 {
		return c
	}
	return strings.Compare(ra.Key, rb.Key)
}

// item is an entity of a list and its sort key: the list is ordered by key,
// largest first, then by name. A list by name has every key 0.
type item struct {
	ref view.Ref
	key int
}

// cmpItems is the order of a list of items.
func cmpItems(s *view.Snapshot) func(a, b item) int {
	return func(a, b item) int {
		if a.key != b.key {
			return cmp.Compare(b.key, a.key)
		}
		return cmpName(s, a.ref, b.ref)
	}
}

// firstK returns the k first of list by cmpf among those keep accepts (all
// when keep is nil), in order, and how many keep accepts: a bounded heap,
// O(n log k), so a page of a long unsorted list never sorts the list.
func firstK[T any](list []T, cmpf func(a, b T) int, keep func(T) bool, k int) ([]T, int) {
	h := make([]T, 0, min(k, len(list)))
	// h is a max-heap by cmpf: its worst item on top.
	down := func(i int) {
		for {
			l, worst := 2*i+1, i
			if l < len(h) && cmpf(h[l], h[worst]) > 0 {
				worst = l
			}
			if r := l + 1; r < len(h) && cmpf(h[r], h[worst]) > 0 {
				worst = r
			}
			if worst == i {
				return
			}
			h[i], h[worst] = h[worst], h[i]
			i = worst
		}
	}
	n := 0
	for _, x := range list {
		if keep != nil && !keep(x) {
			continue
		}
		n++
		switch {
		case k == 0:
		case len(h) < k:
			h = append(h, x)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if cmpf(h[i], h[p]) <= 0 {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
		case cmpf(x, h[0]) < 0:
			h[0] = x
			down(0)
		}
	}
	slices.SortFunc(h, cmpf)
	return h, n
}

// checkFirst validates the size of a page.
func checkFirst(op string, first int) error {
	if first < 0 {
		return graph.Errorf(graph.CodeInvalid, op, "first must not be negative")
	}
	if first > graph.MaxPageSize {
		return graph.Errorf(graph.CodeLimit, op, "first must be at most %d", graph.MaxPageSize)
	}
	return nil
}

// checkOrder validates an order.
func checkOrder(op string, o graph.Order) error {
	switch o {
	case "", graph.OrderName, graph.OrderDegree, graph.OrderEvents:
		return nil
	}
	return graph.Errorf(graph.CodeInvalid, op, "unknown order %q (known: NAME, DEGREE, EVENTS)", o)
}

// window returns the items of one page of a list and their cursors, and
// whether more follow. The list is ordered by cmpItems (sorted tells
// whether it already comes in that order). Under keyed "" the cursors are
// graph.Cursor's, of the item's id, and must point into the list; under
// DEGREE or EVENTS they carry the sort key too, so that a page continues
// after the place its cursor's item had even when a write has moved or
// removed it.
func window(s *view.Snapshot, op string, list []item, sorted bool, keyed graph.Order, p graph.Page) (page []item, cursors []string, hasNext bool, err error) {
	if err := checkFirst(op, p.First); err != nil {
		return nil, nil, false, err
	}
	cmpf := cmpItems(s)
	var after func(item) bool // whether an item comes after the cursor's
	switch {
	case p.After == "":
	case keyed == "":
		id, err := graph.ParseCursor(op, p.After)
		if err != nil {
			return nil, nil, false, err
		}
		i := slices.IndexFunc(list, func(it item) bool { return s.Record(it.ref).Key == id })
		if i < 0 {
			return nil, nil, false, graph.Errorf(graph.CodeInvalid, op, "cursor %q does not point into this list", p.After)
		}
		pivot := list[i]
		after = func(it item) bool { return cmpf(it, pivot) > 0 }
	default:
		key, id, err := parseOrderedCursor(op, keyed, p.After)
		if err != nil {
			return nil, nil, false, err
		}
		after = func(it item) bool {
			if it.key != key {
				return it.key < key
			}
			return s.Less(id, s.Record(it.ref).Key)
		}
	}
	if sorted {
		start := 0
		if after != nil {
			start = sort.Search(len(list), func(i int) bool { return after(list[i]) })
		}
		end := min(start+p.First, len(list))
		page, hasNext = list[start:end], end < len(list)
	} else {
		var n int
		page, n = firstK(list, cmpf, after, p.First)
		hasNext = n > len(page)
	}
	cursors = make([]string, len(page))
	for i, it := range page {
		id := s.Record(it.ref).Key
		if keyed == "" {
			cursors[i] = graph.Cursor(id)
		} else {
			cursors[i] = orderedCursor(keyed, it.key, id)
		}
	}
	return page, cursors, hasNext, nil
}

// pageByName is window over refs in name order (cmpItems with every key
// 0), for a list it need not wrap whole: the cursor's place is found by
// binary search, and only the page becomes items.
func pageByName(s *view.Snapshot, op string, refs []view.Ref, p graph.Page) (page []item, cursors []string, hasNext bool, err error) {
	if err := checkFirst(op, p.First); err != nil {
		return nil, nil, false, err
	}
	start := 0
	if p.After != "" {
		id, err := graph.ParseCursor(op, p.After)
		if err != nil {
			return nil, nil, false, err
		}
		cmpf := cmpItems(s)
		i := -1
		if r := s.Refs([]string{id}); len(r) == 1 {
			pivot := item{ref: r[0]}
			j, found := slices.BinarySearchFunc(refs, pivot, func(r view.Ref, t item) int { return cmpf(item{ref: r}, t) })
			if found && refs[j] == pivot.ref {
				i = j
			}
		}
		if i < 0 {
			return nil, nil, false, graph.Errorf(graph.CodeInvalid, op, "cursor %q does not point into this list", p.After)
		}
		start = i + 1
	}
	end := min(start+p.First, len(refs))
	page = items(refs[start:end])
	cursors = make([]string, len(page))
	for i, it := range page {
		cursors[i] = graph.Cursor(s.Record(it.ref).Key)
	}
	return page, cursors, end < len(refs), nil
}

const orderedCursorPrefix = "tg2:"

// orderedCursor is the cursor of id in a list ordered by o, where its sort
// key is key (the format graph's ordered lists have always used).
func orderedCursor(o graph.Order, key int, id string) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s%s:%d:%s", orderedCursorPrefix, o, key, id))
}

// parseOrderedCursor decodes a cursor made by orderedCursor for order o.
func parseOrderedCursor(op string, o graph.Order, cursor string) (key int, id string, err error) {
	bad := graph.Errorf(graph.CodeInvalid, op, "invalid cursor %q for order %s", cursor, o)
	b, derr := base64.RawURLEncoding.DecodeString(cursor)
	rest, ok := strings.CutPrefix(string(b), orderedCursorPrefix)
	if derr != nil || !ok {
		return 0, "", bad
	}
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) != 3 || graph.Order(parts[0]) != o {
		return 0, "", bad
	}
	key, perr := strconv.Atoi(parts[1])
	if perr != nil {
		return 0, "", bad
	}
	return key, parts[2], nil
}

// orderKeys sets the key of every item of list by order o (NAME or none:
// 0; EVENTS: the events the organization took part in; DEGREE: its
// partners) and tells the cursor kind: "" for id cursors, o for keyed ones.
func orderKeys(s *view.Snapshot, list []item, o graph.Order) graph.Order {
	switch o {
	case graph.OrderEvents:
		for i := range list {
			list[i].key = eventCount(s, list[i].ref)
		}
		return o
	case graph.OrderDegree:
		degrees := degreesOf(s, list)
		for i := range list {
			list[i].key = degrees(list[i].ref)
		}
		return o
	}
	for i := range list {
		list[i].key = 0
	}
	return ""
}

// items wraps refs as items with key 0.
func items(refs []view.Ref) []item {
	out := make([]item, len(refs))
	for i, r := range refs {
		out[i].ref = r
	}
	return out
}
