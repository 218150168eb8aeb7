package resolvers

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Limits bound what one request may ask of the server. A zero field takes
// its default from DefaultLimits.
type Limits struct {
	MaxDepth      int   // nesting of fields, fragments followed
	MaxAliases    int   // aliased fields in one operation, fragments expanded
	MaxComplexity int   // cost by ComplexityOf, checked by extension.FixedComplexityLimit
	MaxTokens     int   // lexer tokens in one query document
	MaxBodyBytes  int64 // bytes of one POST body
	// Timeout bounds the execution of one operation; its context reaches
	// every store traversal, which stops when it expires.
	Timeout time.Duration
}

// DefaultLimits are the limits of a handler whose Options leave them zero.
var DefaultLimits = Limits{
	MaxDepth:      12,
	MaxAliases:    30,
	MaxComplexity: 5000,
	MaxTokens:     5000,
	MaxBodyBytes:  1 << 20,
	Timeout:       10 * time.Second,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	if l.MaxAliases > 0 {
		d.MaxAliases = l.MaxAliases
	}
	if l.MaxComplexity > 0 {
		d.MaxComplexity = l.MaxComplexity
	}
	if l.MaxTokens > 0 {
		d.MaxTokens = l.MaxTokens
	}
	if l.MaxBodyBytes > 0 {
		d.MaxBodyBytes = l.MaxBodyBytes
	}
	if l.Timeout > 0 {
		d.Timeout = l.Timeout
	}
	return d
}

// Costs of the complexity limit. Every field costs 1 plus the cost of its
// selections; a field with a `first` argument multiplies the cost of its
// selections by first (its default when not given); any other list field
// multiplies them by UnpagedListFactor, except the edges and nodes of a
// connection, which first counts already. Some fields cost more by
// themselves (fieldCosts).
const UnpagedListFactor = 2

// fieldCosts are the fields whose own cost is more than 1: they traverse a
// large part of the graph whatever they select.
var fieldCosts = map[string]int{
	"Query.path":            50, // breadth-first search, at most maxHops levels
	"Query.paths":           50, // several shortest paths
	"Query.neighborhood":    50, // breadth-first walk of up to limit nodes
	"Query.commonGround":    50, // shared neighbours and a shortest path
	"Query.search":          10, // scores every name
	"Query.introductions":   10, // shared themes with every organization
	"Query.facets":          10, // counts over the whole catalog
	"Query.organizations":   5,  // filters over the whole catalog
	"Organization.partners": 10,
	// Network analysis (schema/analysis.graphqls): the whole network's is
	// computed in the background and read here; a filter analyses its
	// sub-network in the request (up to ~0.5 s for 5,000 organizations),
	// and costs filteredAnalysisCost instead.
	"Query.ranking":     10,
	"Query.brokers":     10,
	"Query.communities": 10,
	"Query.bridges":     10,
}

// filteredAnalysisCost is the own cost of an analysis field given a
// filter, which may analyse a sub-network in the request: the default
// limit lets one request ask about at most 20 of them through Query, and
// at most 100 through Organization (whose fields cost a fifth, as they are
// asked of many organizations that share one filter).
const filteredAnalysisCost = 250

// analysisFields are the fields that take the filter of a sub-network.
var analysisFields = map[string]bool{
	"Query.ranking": true, "Query.brokers": true, "Query.communities": true, "Query.bridges": true,
	"Organization.centrality": true, "Organization.community": true,
}

// costedSchema is the executable schema with ThriveGraph's field costs. It
// computes costs from field definitions and arguments, so that it needs no
// change when the schema grows.
type costedSchema struct {
	graphql.ExecutableSchema
}

// Complexity implements the cost rules above for extension.FixedComplexityLimit.
func (s costedSchema) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	if strings.HasPrefix(typeName, "__") {
		return 0, false
	}
	own := 1
	if c, ok := fieldCosts[typeName+"."+field]; ok {
		own = c
	}
	if analysisFields[typeName+"."+field] && hasFilter(args["filter"]) {
		own = filteredAnalysisCost
		if typeName == "Organization" {
			own /= 5
		}
	}
	mult := 1
	if first, ok := args["first"]; ok {
		mult = max(intArg(first), 1)
	} else if def := s.Schema().Types[typeName]; def != nil && !strings.HasSuffix(typeName, "Connection") {
		if f := def.Fields.ForName(field); f != nil && f.Type.Elem != nil {
			mult = UnpagedListFactor
		}
	}
	return satAdd(own, satMul(mult, child)), true
}

// hasFilter reports whether an OrganizationFilter argument was given (the
// raw argument: an input object, or a typed pointer once coerced).
func hasFilter(v any) bool {
	switch f := v.(type) {
	case nil:
		return false
	case *graph.OrganizationFilter:
		return f != nil
	case map[string]any:
		return len(f) > 0
	}
	return true
}

// intArg reads an Int argument as the executor decoded it.
func intArg(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int32:
		return int(n)
	case int64:
		return int(min(n, math.MaxInt32))
	case float64:
		return int(min(n, math.MaxInt32))
	case json.Number:
		i, _ := n.Int64()
		return int(min(i, math.MaxInt32))
	case *int:
		if n != nil {
			return *n
		}
	}
	return graph.DefaultPageSize
}

func satAdd(a, b int) int {
	if a > math.MaxInt32-b {
		return math.MaxInt32
	}
	return a + b
}

func satMul(a, b int) int {
	if a != 0 && b > math.MaxInt32/a {
		return math.MaxInt32
	}
	return a * b
}

// shapeLimit is a handler extension that rejects operations that are too
// deep, have too many aliases or select more fields than the complexity
// limit allows, before the complexity limit runs. It
// follows fragment spreads, computing each fragment once, so that a
// fragment bomb costs it linear time.
type shapeLimit struct {
	limits        Limits
	introspection bool // __schema and __type are allowed
}

// CodeIntrospectionDisabled is the code of a query for __schema or __type
// on a server whose introspection is off.
const CodeIntrospectionDisabled = "INTROSPECTION_DISABLED"

// selectsIntrospection reports whether a root selection set asks for
// __schema or __type (they exist only at the root).
func selectsIntrospection(set ast.SelectionSet) bool {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if sel.Name == "__schema" || sel.Name == "__type" {
				return true
			}
		case *ast.InlineFragment:
			if selectsIntrospection(sel.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if sel.Definition != nil && selectsIntrospection(sel.Definition.SelectionSet) {
				return true
			}
		}
	}
	return false
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                          { return "ShapeLimit" }
func (shapeLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

// MutateOperationContext measures the operation and rejects it when it
// exceeds a limit.
func (l shapeLimit) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	op := rc.Operation
	if op == nil {
		return nil
	}
	if !l.introspection && selectsIntrospection(op.SelectionSet) {
		return &gqlerror.Error{Message: "introspection is disabled on this server", Extensions: map[string]any{"code": CodeIntrospectionDisabled}}
	}
	m := &measure{frags: map[string]*shape{}}
	s := m.set(op.SelectionSet)
	switch {
	case s.depth > l.limits.MaxDepth:
		return limitError("operation is nested %d levels deep, more than the limit of %d", s.depth, l.limits.MaxDepth)
	case s.aliases > l.limits.MaxAliases:
		return limitError("operation has %d aliases, more than the limit of %d", s.aliases, l.limits.MaxAliases)
	case s.fields > l.limits.MaxComplexity:
		// Every field costs at least 1: the complexity is at least this.
		return limitError("operation selects %d fields, more than the complexity limit of %d", s.fields, l.limits.MaxComplexity)
	}
	return nil
}

// shape is what measure finds in a selection set.
type shape struct {
	depth   int // levels of fields
	aliases int // aliased fields, fragments expanded (saturating)
	fields  int // fields, fragments expanded (saturating), introspection excluded
}

type measure struct {
	frags map[string]*shape
}

func (m *measure) set(set ast.SelectionSet) shape {
	var out shape
	for _, sel := range set {
		var s shape
		switch sel := sel.(type) {
		case *ast.Field:
			s = m.set(sel.SelectionSet)
			if sel.Name == "__schema" || sel.Name == "__type" {
				// Introspection is not data: gqlparser's
				// MaxIntrospectionDepth rule bounds its nesting, and
				// the cost of the schema does not grow with the graph.
				s.depth, s.fields = 0, 0
			} else {
				s.depth++
				s.fields = satAdd(s.fields, 1)
			}
			if sel.Alias != "" && sel.Alias != sel.Name {
				s.aliases = satAdd(s.aliases, 1)
			}
		case *ast.InlineFragment:
			s = m.set(sel.SelectionSet)
		case *ast.FragmentSpread:
			s = m.fragment(sel)
		}
		out.depth = max(out.depth, s.depth)
		out.aliases = satAdd(out.aliases, s.aliases)
		out.fields = satAdd(out.fields, s.fields)
	}
	return out
}

func (m *measure) fragment(sp *ast.FragmentSpread) shape {
	if sp.Definition == nil {
		return shape{}
	}
	if s, ok := m.frags[sp.Name]; ok {
		return *s // a cycle (refused by validation) counts as empty
	}
	m.frags[sp.Name] = &shape{}
	s := m.set(sp.Definition.SelectionSet)
	m.frags[sp.Name] = &s
	return s
}

// limitError is a request error with code LIMIT_EXCEEDED.
func limitError(format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": string(graph.CodeLimit)}}
}

// complexityLimit is extension.FixedComplexityLimit with its error code
// made LIMIT_EXCEEDED, like every other limit.
type complexityLimit struct {
	*extension.ComplexityLimit
}

func (c complexityLimit) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	err := c.ComplexityLimit.MutateOperationContext(ctx, rc)
	if err != nil {
		err.Extensions = map[string]any{"code": string(graph.CodeLimit)}
	}
	return err
}
