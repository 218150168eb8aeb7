package graph

import (
	"errors"
	"fmt"
)

// Code classifies an application error so that adapters (GraphQL, HTTP, CLI)
// can report it without looking at its text.
type Code string

// The error codes of ThriveGraph.
const (
	CodeNotFound Code = "NOT_FOUND"
	CodeInvalid  Code = "BAD_USER_INPUT"
	CodeLimit    Code = "LIMIT_EXCEEDED"
	CodeInternal Code = "INTERNAL"
	// CodeNotReady: what was asked is being computed in the background
	// (the network metrics of a large graph after start or a write); ask
	// again shortly.
	CodeNotReady Code = "NOT_READY"
	// CodeUnavailable: the database the request needs does not answer (it
	// is stopped, restarting or unreachable); ask again later. Nothing was
	// written.
	CodeUnavailable Code = "UNAVAILABLE"
)

// Error is the one application error type. Op names the operation that
// failed, Msg is safe to show to a client, Err is the underlying cause (never
// shown to clients for CodeInternal).
type Error struct {
	Code Code
	Op   string
	Msg  string
	Err  error
	// Suggestions are the ids the client may have meant, when an id names
	// nothing (suggest.go); Msg names them too.
	Suggestions []string
}

func (e *Error) Error() string {
	switch {
	case e.Msg != "" && e.Err != nil:
		return fmt.Sprintf("%s: %s: %v", e.Op, e.Msg, e.Err)
	case e.Msg != "":
		return fmt.Sprintf("%s: %s", e.Op, e.Msg)
	default:
		return fmt.Sprintf("%s: %v", e.Op, e.Err)
	}
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a client-safe message.
func Errorf(code Code, op, format string, args ...any) error {
	return &Error{Code: code, Op: op, Msg: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected error (from Cayley, the disk, the network).
func Internal(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: CodeInternal, Op: op, Err: err}
}

// Unavailable wraps an error of a database that does not answer.
func Unavailable(op string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Code: CodeUnavailable, Op: op, Msg: "the database is unavailable; try again shortly", Err: err}
}

// ErrorCode returns the code of err, CodeInternal for errors of other types,
// and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorSuggestions returns the suggestions of err (an *Error), or nil.
func ErrorSuggestions(err error) []string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Suggestions
	}
	return nil
}

// ErrorMessage returns the client-safe message of err: the message of an
// *Error that is not internal, or "internal error".
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != CodeInternal && e.Msg != "" {
		return e.Msg
	}
	return "internal error"
}
