// Command barehandler is the floor that bench/readmodel.sh compares
// ThriveGraph's simplest lookup with: a bare net/http handler that decodes
// a JSON request body (as a GraphQL POST body) and encodes ten small
// objects, with nothing else in between — no router, no middleware, no
// store. It listens on a loopback address (port 0: any free port) and
// prints "listening ADDR" once it accepts connections.
//
//	go run ./bench/barehandler -addr 127.0.0.1:0
//
// It is a measurement aid, not part of the service: nothing imports it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
)

type request struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables"`
}

type object struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	flag.Parse()
	host, _, err := net.SplitHostPort(*addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		fmt.Fprintln(os.Stderr, "barehandler: listen on a loopback address only")
		os.Exit(2)
	}
	objects := make([]object, 10)
	for i := range objects {
		objects[i] = object{ID: "organization-" + strconv.Itoa(i), Name: "Organization " + strconv.Itoa(i)}
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req request
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "bad JSON", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"objects": objects}})
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "barehandler:", err)
		os.Exit(1)
	}
	fmt.Println("listening", ln.Addr().String())
	if err := http.Serve(ln, handler); err != nil {
		fmt.Fprintln(os.Stderr, "barehandler:", err)
		os.Exit(1)
	}
}
