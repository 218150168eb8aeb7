package loader

import (
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// parseSimpleNQuad parses the statements that make up nearly all of a
// large file (what export and generate write): IRIs, and literals with
// the short escapes, a language or a datatype; no blank nodes, no \u
// escapes, no comment after the statement. It returns false for anything
// else, which nquads.Parse then reads. On what it accepts it gives the
// quad nquads.Parse gives (TestSimpleNQuadMatchesParser), at about a fifth
// of the cost: that parser turns each line into runes and each term back
// into a string, which was 40% of a bulk load's time.
func parseSimpleNQuad(text string) (quad.Quad, bool) {
	if !utf8.ValidString(text) {
		return quad.Quad{}, false // nquads.Parse reads invalid bytes as U+FFFD
	}
	var q quad.Quad
	rest := text
	var ok bool
	if q.Subject, rest, ok = iriTerm(rest); !ok {
		return q, false
	}
	if rest, ok = space(rest); !ok {
		return q, false
	}
	if q.Predicate, rest, ok = iriTerm(rest); !ok {
		return q, false
	}
	if rest, ok = space(rest); !ok {
		return q, false
	}
	if strings.HasPrefix(rest, `"`) {
		q.Object, rest, ok = literalTerm(rest)
	} else {
		q.Object, rest, ok = iriTerm(rest)
	}
	if !ok {
		return q, false
	}
	if rest, ok = space(rest); !ok {
		return q, false
	}
	if strings.HasPrefix(rest, "<") {
		if q.Label, rest, ok = iriTerm(rest); !ok {
			return q, false
		}
		rest = strings.TrimLeft(rest, " \t")
	}
	if rest != "." {
		return q, false
	}
	return q, true
}

// space skips the spaces and tabs between two terms (at least one).
func space(s string) (string, bool) {
	t := strings.TrimLeft(s, " \t")
	return t, len(t) < len(s)
}

// iriTerm reads <IRI> with no escapes: N-Quads' IRIREF without UCHAR.
func iriTerm(s string) (quad.Value, string, bool) {
	if len(s) < 2 || s[0] != '<' {
		return nil, s, false
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '>':
			return quad.IRI(s[1:i]), s[i+1:], true
		case c <= ' ', c == '<', c == '"', c == '{', c == '}', c == '|', c == '^', c == '`', c == '\\':
			return nil, s, false
		}
	}
	return nil, s, false
}

// literalTerm reads a quoted literal with N-Quads' ECHAR escapes, and its
// language tag or datatype, as nquads.Parse makes its value (typed
// literals converted to native values when nquads converts them).
func literalTerm(s string) (quad.Value, string, bool) {
	i := 1
	for i < len(s) && s[i] != '"' && s[i] != '\\' && s[i] != '\n' && s[i] != '\r' {
		i++
	}
	if i >= len(s) || s[i] == '\n' || s[i] == '\r' {
		return nil, s, false
	}
	val := s[1:i]
	if s[i] == '\\' {
		var b strings.Builder
		b.Grow(len(s))
		b.WriteString(val)
		for {
			if i >= len(s) {
				return nil, s, false
			}
			c := s[i]
			if c == '"' {
				break
			}
			switch c {
			case '\n', '\r':
				return nil, s, false
			case '\\':
				if i+1 >= len(s) {
					return nil, s, false
				}
				e := echar(s[i+1])
				if e == 0 {
					return nil, s, false // \u, \U, or no escape at all
				}
				b.WriteByte(e)
				i += 2
				continue
			}
			b.WriteByte(c)
			i++
		}
		val = b.String()
	}
	rest := s[i+1:]
	switch {
	case strings.HasPrefix(rest, "@"):
		n := langTag(rest[1:])
		if n == 0 {
			return nil, s, false
		}
		return quad.LangString{Value: quad.String(val), Lang: rest[1 : 1+n]}, rest[1+n:], true
	case strings.HasPrefix(rest, "^^"):
		t, after, ok := iriTerm(rest[2:])
		if !ok {
			return nil, s, false
		}
		v := quad.TypedString{Value: quad.String(val), Type: t.(quad.IRI)}
		if nquads.AutoConvertTypedString {
			if nv, err := v.ParseValue(); err == nil {
				return nv, after, true
			}
		}
		return v, after, true
	}
	return quad.String(val), rest, true
}

// echar returns the byte an ECHAR escape (\ and c) stands for, or 0.
func echar(c byte) byte {
	switch c {
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 'f':
		return '\f'
	case '"', '\'', '\\':
		return c
	}
	return 0
}

// langTag returns the length of the LANGTAG at the start of s (after its
// '@'): [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*, or 0.
func langTag(s string) int {
	i := 0
	for i < len(s) && isLetter(s[i]) {
		i++
	}
	if i == 0 {
		return 0
	}
	for i < len(s) && s[i] == '-' {
		j := i + 1
		for j < len(s) && (isLetter(s[j]) || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if j == i+1 {
			return 0
		}
		i = j
	}
	return i
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
