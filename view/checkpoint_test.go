package view

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"reflect"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// checkpointed writes s to a checkpoint and reads it back.
func checkpointed(t *testing.T, s *Snapshot) *Snapshot {
	t.Helper()
	var buf bytes.Buffer
	if err := s.WriteCheckpoint(&buf, "v1"); err != nil {
		t.Fatal(err)
	}
	got, version, err := ReadCheckpoint(buf.Bytes())
	if err != nil {
		t.Fatalf("read checkpoint: %v", err)
	}
	if version != "v1" {
		t.Fatalf("checkpoint version %q, want v1", version)
	}
	return got
}

// A small graph: two organizations at one event, a source with a title.
//
//	org-a ──participatedIn──▶ event-1 ◀──hosted── org-b
//	(every quad stated by source s1)
func checkpointGraph() []quad.Quad {
	s1 := graph.SourceIRI("s1")
	var qs []quad.Quad
	add := func(s, p, o quad.Value) { qs = append(qs, quad.Quad{Subject: s, Predicate: p, Object: o, Label: s1}) }
	add(s1, graph.PredType, graph.ClassSource)
	add(s1, graph.PredTitle, quad.String("Source one"))
	for _, id := range []string{"org-a", "org-b"} {
		add(graph.NodeIRI(id), graph.PredType, graph.ClassIRI(graph.TypeOrganization))
		add(graph.NodeIRI(id), graph.PredName, quad.String("Org "+id))
	}
	add(graph.NodeIRI("event-1"), graph.PredType, graph.ClassIRI(graph.TypeEvent))
	add(graph.NodeIRI("event-1"), graph.PredName, quad.String("Event One"))
	add(graph.NodeIRI("org-a"), graph.RelIRI(graph.RelParticipatedIn), graph.NodeIRI("event-1"))
	add(graph.NodeIRI("org-b"), graph.RelIRI(graph.RelHosted), graph.NodeIRI("event-1"))
	add(graph.NodeIRI("org-a"), quad.IRI("http://example.org/extra"), quad.Int(3)) // a predicate no table starts with
	return qs
}

// TestCheckpointRoundTrip: a checkpoint of a built snapshot reads back as
// the same snapshot, and a later write applies to it as to the original.
func TestCheckpointRoundTrip(t *testing.T) {
	built := Build(checkpointGraph())
	read := checkpointed(t, built)
	if got, want := describe(read), describe(built); !reflect.DeepEqual(got, want) {
		t.Fatalf("read back:\n got: %v\nwant: %v", got, want)
	}
	write := []Delta{{Quad: quad.Quad{Subject: graph.NodeIRI("org-c"), Predicate: graph.PredType, Object: graph.ClassIRI(graph.TypeOrganization), Label: graph.SourceIRI("s1")}}}
	if got, want := describe(read.Apply(write)), describe(built.Apply(write)); !reflect.DeepEqual(got, want) {
		t.Fatalf("after a write:\n got: %v\nwant: %v", got, want)
	}
}

// TestCheckpointDamaged: every truncation and every flipped byte of a
// checkpoint is refused with an error, never a panic or a snapshot.
func TestCheckpointDamaged(t *testing.T) {
	var buf bytes.Buffer
	if err := Build(checkpointGraph()).WriteCheckpoint(&buf, "v1"); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	for n := range len(data) {
		if s, _, err := ReadCheckpoint(data[:n]); err == nil || s != nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(data))
		}
	}
	for i := range data {
		bad := bytes.Clone(data)
		bad[i] ^= 0x20
		if s, _, err := ReadCheckpoint(bad); err == nil || s != nil {
			t.Fatalf("byte %d flipped: no error", i)
		}
	}
}

// FuzzReadCheckpoint: any bytes give a snapshot or an error, never a
// panic. The checksum is made right for the fuzzed body, so the parser
// behind it is reached.
func FuzzReadCheckpoint(f *testing.F) {
	var buf bytes.Buffer
	if err := Build(checkpointGraph()).WriteCheckpoint(&buf, "v1"); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes()[len(checkpointMagic) : buf.Len()-4])
	f.Fuzz(func(t *testing.T, body []byte) {
		data := append([]byte(checkpointMagic), body...)
		data = binary.LittleEndian.AppendUint32(data, crc32.Checksum(data, checkpointCRC))
		ReadCheckpoint(data)
	})
}
