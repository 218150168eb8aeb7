package loader

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
)

// MaxIssues is the number of issues a ValidationError lists; the rest are
// only counted.
const MaxIssues = 100

// Issue is one problem found in a data file.
type Issue struct {
	File   string // the file's name as given to Parse or Load
	Line   int    // 1-based; 0 when the problem concerns the whole file
	Column int    // 1-based, in characters; 0 when unknown
	Field  string // path of the field, like "organizations[3].places[0]"; "" for the file or document
	Msg    string
}

// String formats the issue as "FILE:LINE:COLUMN: FIELD: message", leaving
// out the parts that are unknown.
func (i Issue) String() string {
	var b strings.Builder
	b.WriteString(i.File)
	if i.Line > 0 {
		fmt.Fprintf(&b, ":%d", i.Line)
		if i.Column > 0 {
			fmt.Fprintf(&b, ":%d", i.Column)
		}
	}
	b.WriteString(": ")
	if i.Field != "" {
		b.WriteString(i.Field)
		b.WriteString(": ")
	}
	b.WriteString(i.Msg)
	return b.String()
}

// ValidationError reports every problem found in a set of data files. A load
// that returns it has written nothing. It unwraps to a *graph.Error with code
// graph.CodeInvalid, so graph.ErrorCode and graph.ErrorMessage classify it.
type ValidationError struct {
	Issues  []Issue // at most MaxIssues, in file order, then by position
	Omitted int     // further issues that were found but not listed
}

// Error lists the issues one per line.
func (e *ValidationError) Error() string {
	lines := make([]string, 0, len(e.Issues)+1)
	for _, i := range e.Issues {
		lines = append(lines, i.String())
	}
	if e.Omitted > 0 {
		lines = append(lines, fmt.Sprintf("... and %d more errors", e.Omitted))
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the error as a *graph.Error with code graph.CodeInvalid
// whose message is the full list of issues.
func (e *ValidationError) Unwrap() error {
	return &graph.Error{Code: graph.CodeInvalid, Op: "load", Msg: e.Error()}
}

// newValidationError sorts issues by the order of files (names in order),
// then by position, and caps them at MaxIssues. It returns nil for no issues.
func newValidationError(order []string, issues []Issue) error {
	if len(issues) == 0 {
		return nil
	}
	rank := make(map[string]int, len(order))
	for i, name := range order {
		if _, ok := rank[name]; !ok {
			rank[name] = i
		}
	}
	issues = slices.Clone(issues)
	slices.SortStableFunc(issues, func(a, b Issue) int {
		return cmp.Or(
			cmp.Compare(rank[a.File], rank[b.File]),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	issues = slices.Compact(issues) // a file given twice reports its issues once
	e := &ValidationError{Issues: issues}
	if len(issues) > MaxIssues {
		e.Issues, e.Omitted = issues[:MaxIssues], len(issues)-MaxIssues
	}
	return e
}
