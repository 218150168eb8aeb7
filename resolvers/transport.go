package resolvers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/httpapi"
)

// Media types of GraphQL over HTTP.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpTransport is GraphQL over HTTP as the spec
// (https://graphql.github.io/graphql-over-http/draft/) says, in place of
// gqlgen's GET and POST transports:
//
//   - POST with Content-Type application/json (a missing or other type is
//     415), GET with query, operationName, variables and extensions in the URL;
//     mutations only over POST (405 otherwise);
//   - the response is application/graphql-response+json or application/json
//     as the Accept header prefers (no Accept, */* and application/* mean
//     application/json; nothing acceptable is 406);
//   - a body that is not JSON, or not one request object, is 400 and is never
//     echoed back; JSON-array batches are refused; a body over the limit is
//     413;
//   - request errors (parse, validation, variables, limits) have no "data";
//     their status is 400 under application/graphql-response+json and 200
//     under application/json; a write without a valid token is 401 (403 on a
//     read-only server) under both.
type httpTransport struct {
	maxBody int64
	timeout time.Duration
	tokens  *httpapi.Tokens
}

var _ graphql.Transport = httpTransport{}

func (httpTransport) Supports(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodPost) && r.Header.Get("Upgrade") == ""
}

// request is the body of a POST; every field is checked for its JSON type.
type request struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		httpapi.WriteError(w, r, http.StatusNotAcceptable, httpapi.CodeNotAcceptable,
			"the Accept header allows neither application/graphql-response+json nor application/json")
		return
	}
	start := graphql.Now()
	var (
		params graphql.RawParams
		err    error
		status int
	)
	if r.Method == http.MethodGet {
		status, err = paramsFromURL(r.URL.RawQuery, &params)
	} else {
		status, err = t.paramsFromBody(r, &params)
	}
	if err != nil {
		code := httpapi.CodeBadRequest
		switch status {
		case http.StatusRequestEntityTooLarge:
			code = httpapi.CodeLimitExceeded
		case http.StatusUnsupportedMediaType:
			code = httpapi.CodeUnsupportedMedia
		}
		httpapi.WriteError(w, r, status, code, err.Error())
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	info := httpapi.InfoFrom(ctx)
	rc, errs := exec.CreateOperationContext(ctx, &params)
	if rc != nil && rc.Operation != nil {
		info.SetOperation(rc.Operation.Name, string(rc.Operation.Operation))
	} else {
		info.SetOperation(params.OperationName, "")
	}
	if errs != nil {
		status := http.StatusOK
		if media == mediaGraphQLResponse {
			status = http.StatusBadRequest
		}
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		writeResponse(w, media, status, &graphql.Response{Errors: resp.Errors, Extensions: resp.Extensions}, false)
		return
	}
	switch rc.Operation.Operation {
	case ast.Query:
	case ast.Mutation:
		if r.Method == http.MethodGet {
			w.Header().Set("Allow", http.MethodPost)
			httpapi.WriteError(w, r, http.StatusMethodNotAllowed, httpapi.CodeMethodNotAllowed, "a mutation must be sent with POST")
			return
		}
		if status, code, msg, ok := t.tokens.Authorize(r); !ok {
			if status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="thrivegraph"`)
			}
			httpapi.WriteError(w, r, status, code, msg)
			return
		}
	default:
		httpapi.WriteError(w, r, http.StatusBadRequest, httpapi.CodeBadRequest, "only queries and mutations are served over HTTP")
		return
	}

	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	responses, ctx := exec.DispatchOperation(ctx, rc)
	resp := responses(ctx)
	if resp == nil { // the client went away
		return
	}
	writeResponse(w, media, http.StatusOK, resp, true)
}

// negotiate picks the response media type from an Accept header.
func negotiate(accept string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			} else {
				q = 0
			}
		}
		var m string
		switch mt {
		case mediaGraphQLResponse, mediaJSON:
			m = mt
		case "*/*", "application/*":
			m = mediaJSON
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = m, q
		}
	}
	return best, best != ""
}

// paramsFromURL reads the parameters of a GET request.
func paramsFromURL(rawQuery string, p *graphql.RawParams) (int, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return http.StatusBadRequest, errors.New("the URL query string is malformed")
	}
	if !q.Has("query") && q.Get("extensions") == "" {
		return http.StatusBadRequest, errors.New("the request has no query parameter")
	}
	p.Query = q.Get("query")
	p.OperationName = q.Get("operationName")
	if v := q.Get("variables"); v != "" {
		if err := decodeObject([]byte(v), &p.Variables); err != nil {
			return http.StatusBadRequest, errors.New("the variables parameter must be a JSON object")
		}
	}
	if v := q.Get("extensions"); v != "" {
		if err := decodeObject([]byte(v), &p.Extensions); err != nil {
			return http.StatusBadRequest, errors.New("the extensions parameter must be a JSON object")
		}
	}
	return 0, nil
}

// paramsFromBody reads the parameters of a POST request.
func (t httpTransport) paramsFromBody(r *http.Request, p *graphql.RawParams) (int, error) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return http.StatusUnsupportedMediaType, errors.New("a POST request needs Content-Type: application/json")
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != mediaJSON {
		return http.StatusUnsupportedMediaType, errors.New("a POST request needs Content-Type: application/json")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return http.StatusUnsupportedMediaType, errors.New("the request body must be UTF-8")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, t.maxBody+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || int64(len(body)) > t.maxBody:
		return http.StatusRequestEntityTooLarge, fmt.Errorf("the request body is larger than the limit of %d bytes", t.maxBody)
	case err != nil:
		return http.StatusBadRequest, errors.New("the request body could not be read")
	}
	body = bytes.TrimSpace(body)
	switch {
	case len(body) == 0:
		return http.StatusBadRequest, errors.New("the request body is empty")
	case body[0] == '[':
		return http.StatusBadRequest, errors.New("batched requests (a JSON array) are not supported: send one request object")
	case body[0] != '{':
		return http.StatusBadRequest, errors.New("the request body must be a JSON object")
	}
	var req request
	if err := json.Unmarshal(body, &req); err != nil {
		// Never echo the body: it is the client's, and may be anything.
		return http.StatusBadRequest, errors.New("the request body is not valid JSON")
	}
	if isNull(req.Query) {
		if isNull(req.Extensions) { // an automatic persisted query may omit it
			return http.StatusBadRequest, errors.New("the request has no query")
		}
	} else if err := json.Unmarshal(req.Query, &p.Query); err != nil {
		return http.StatusBadRequest, errors.New("query must be a string")
	}
	if !isNull(req.OperationName) {
		if err := json.Unmarshal(req.OperationName, &p.OperationName); err != nil {
			return http.StatusBadRequest, errors.New("operationName must be a string or null")
		}
	}
	if !isNull(req.Variables) {
		if err := decodeObject(req.Variables, &p.Variables); err != nil {
			return http.StatusBadRequest, errors.New("variables must be an object or null")
		}
	}
	if !isNull(req.Extensions) {
		if err := decodeObject(req.Extensions, &p.Extensions); err != nil {
			return http.StatusBadRequest, errors.New("extensions must be an object or null")
		}
	}
	return 0, nil
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// decodeObject decodes a JSON object, keeping numbers as json.Number as
// gqlgen expects.
func decodeObject(data []byte, into *map[string]any) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return errors.New("not an object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(into); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// writeResponse writes a GraphQL response. A request error (withData false)
// has no "data" entry at all.
func writeResponse(w http.ResponseWriter, media string, status int, resp *graphql.Response, withData bool) {
	var body []byte
	var err error
	if withData {
		body, err = json.Marshal(resp)
	} else {
		body, err = json.Marshal(struct {
			Errors     gqlerror.List  `json:"errors"`
			Extensions map[string]any `json:"extensions,omitempty"`
		}{resp.Errors, resp.Extensions})
	}
	if err != nil {
		body = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"` + string(graph.CodeInternal) + `"}}]}`)
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(body)
}
