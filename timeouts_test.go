package main

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestServerTimeouts starts the real binary with short http.Server timeouts
// and checks that a client that stops sending its headers (slowloris) and
// an idle keep-alive connection are both cut off.
func TestServerTimeouts(t *testing.T) {
	bin := buildBinary(t)
	addr := freeAddr(t)
	var logs bytes.Buffer
	cmd := exec.Command(bin, "serve", "--store", "memory", "--addr", addr,
		"--read-header-timeout", "300ms", "--idle-timeout", "300ms")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready; logs:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	// closedWithin reads from conn until the server closes it, or fails
	// after limit.
	closedWithin := func(conn net.Conn, limit time.Duration) (time.Duration, string) {
		start := time.Now()
		conn.SetReadDeadline(start.Add(limit))
		rest, err := io.ReadAll(conn)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("connection still open after %s", limit)
		}
		return time.Since(start), string(rest)
	}

	t.Run("headers never finished", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n")) // no blank line: headers go on forever
		took, _ := closedWithin(conn, 5*time.Second)
		if took > 3*time.Second {
			t.Errorf("slow headers cut off after %s, want about 300ms", took)
		}
	})

	t.Run("idle keep-alive", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("first request: %v %v", resp, err)
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 100))
		resp.Body.Close()
		if !strings.Contains(string(body), "ok") {
			t.Errorf("healthz body %q", body)
		}
		took, _ := closedWithin(conn, 5*time.Second)
		if took > 3*time.Second {
			t.Errorf("idle connection closed after %s, want about 300ms", took)
		}
	})
}
