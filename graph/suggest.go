package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
)

// Did you mean? When an id names nothing, the ids closest to it are
// suggested: the id of a name given instead of an id ("Digital Inclusion"
// → digital-inclusion, "Federal" → federal), and ids a few letters away
// (workers-defence-project → workers-defense-project).

// MaxSuggestions bounds the ids one error suggests.
const MaxSuggestions = 3

// Candidate is an id that may be suggested, with its name.
type Candidate struct {
	ID, Name string
}

// suggestDistance is the largest edit distance suggested for an input of n
// characters: about one typo in four characters, at least 1.
func suggestDistance(n int) int { return max(1, n/4) }

// Suggest returns the ids of cands closest to input, best first, at most
// MaxSuggestions: by edit distance between Slug(input) and the id or the
// slug of the name, then by id. An id is suggested only within a few edits;
// input itself is never suggested.
func Suggest(input string, cands []Candidate) []string {
	want := Slug(input)
	if want == "" {
		return nil
	}
	bound := suggestDistance(len(want))
	type scored struct {
		id string
		d  int
	}
	var out []scored
	dist := func(s string) int {
		if d := len(s) - len(want); d > bound || -d > bound {
			return bound + 1 // too long or short to be within the bound
		}
		return levenshtein.ComputeDistance(want, s)
	}
	for _, c := range cands {
		if c.ID == input || c.ID == "" {
			continue
		}
		d := dist(c.ID)
		if c.Name != "" {
			d = min(d, dist(Slug(c.Name)))
		}
		if d <= bound {
			out = append(out, scored{c.ID, d})
		}
	}
	slices.SortFunc(out, func(a, b scored) int { return cmp.Or(cmp.Compare(a.d, b.d), strings.Compare(a.id, b.id)) })
	out = slices.CompactFunc(out, func(a, b scored) bool { return a.id == b.id })
	if len(out) > 0 && out[0].d == 0 { // the id of the very name given
		out = out[:1]
	}
	ids := make([]string, 0, min(len(out), MaxSuggestions))
	for _, s := range out[:min(len(out), MaxSuggestions)] {
		ids = append(ids, s.id)
	}
	return ids
}

// DidYouMean is the end of a message that suggests ids: `; did you mean
// "a"?` or `; did you mean "a" or "b"?`; "" for none.
func DidYouMean(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = fmt.Sprintf("%q", id)
	}
	return "; did you mean " + strings.Join(quoted, " or ") + "?"
}

// Suggested returns an *Error whose message ends with the suggestions
// (DidYouMean), which it also carries (Error.Suggestions, shown to GraphQL
// clients in extensions.suggestions).
func Suggested(code Code, op string, suggestions []string, format string, args ...any) error {
	return &Error{Code: code, Op: op, Msg: fmt.Sprintf(format, args...) + DidYouMean(suggestions), Suggestions: suggestions}
}
