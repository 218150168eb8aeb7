package graph

import (
	"encoding/base64"
	"strings"
)

const cursorPrefix = "tg1:"

// Cursor returns the opaque cursor of an item id in a list.
func Cursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id))
}

// ParseCursor decodes a cursor made by Cursor.
func ParseCursor(op, cursor string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return "", Errorf(CodeInvalid, op, "invalid cursor %q", cursor)
	}
	return strings.TrimPrefix(string(b), cursorPrefix), nil
}

// Window checks p and returns the range of ids (an ordered list) it asks for.
func Window(op string, ids []string, p Page) (start, end int, err error) {
	if p.First < 0 {
		return 0, 0, Errorf(CodeInvalid, op, "first must not be negative")
	}
	if p.First > MaxPageSize {
		return 0, 0, Errorf(CodeLimit, op, "first must be at most %d", MaxPageSize)
	}
	if p.After != "" {
		after, err := ParseCursor(op, p.After)
		if err != nil {
			return 0, 0, err
		}
		start = -1
		for i, id := range ids {
			if id == after {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return 0, 0, Errorf(CodeInvalid, op, "cursor %q does not point into this list", p.After)
		}
	}
	return start, min(start+p.First, len(ids)), nil
}
