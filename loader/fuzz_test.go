package loader

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
)

// The fuzz targets run as regular tests on their seeds and on the inputs
// under testdata/fuzz/FuzzX (where go test -fuzz puts a crash it finds);
// .ci/run fuzzes each for a bounded time.

// addFiles adds the files matching glob to the seed corpus.
func addFiles(f *testing.F, glob string) {
	paths, _ := filepath.Glob(glob)
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
}

// checkIssues fails unless err is nil or a *ValidationError whose issues
// all name the file.
func checkIssues(t *testing.T, err error, names ...string) {
	if err == nil {
		return
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Issues) == 0 {
		t.Fatalf("error %T %v is not a validation error", err, err)
	}
	for _, i := range ve.Issues {
		ok := false
		for _, n := range names {
			ok = ok || i.File == n
		}
		if !ok || i.Msg == "" || i.Line < 0 || i.Column < 0 {
			t.Fatalf("issue %+v", i)
		}
	}
}

func FuzzParseYAML(f *testing.F) {
	addFiles(f, "testdata/good/*.yaml")
	addFiles(f, "testdata/bad/*.yaml")
	addFiles(f, "../data/seed/*.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Parse("f.yaml", bytes.NewReader(data))
		checkIssues(t, err, "f.yaml")
		if err == nil && (b == nil || b.Source.ID == "") {
			t.Fatalf("a valid file without a source: %+v", b)
		}
		if err == nil {
			// What Parse accepts, the batch check accepts too (references
			// aside, which need the store).
			if err := CheckBatch(context.Background(), nil, b); err != nil && !strings.Contains(err.Error(), "not defined in the files loaded") {
				t.Fatalf("Parse accepts what CheckBatch rejects: %v", err)
			}
		}
	})
}

func FuzzCSVSheet(f *testing.F) {
	for _, s := range csvSheets {
		data, _ := os.ReadFile(filepath.Join(csvExampleDir, s.name+".csv"))
		f.Add(uint8(0), data)
		f.Add(uint8(len(s.name)), []byte(strings.Join(s.columns, ",")+"\n"))
	}
	f.Add(uint8(1), []byte("\uFEFFid,name\r\nacme,\"Acme, Inc.\"\r\n"))
	f.Add(uint8(3), []byte("name,classification,start_date\n\"Meet\nup\",x,2020-02-30\n"))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		s := csvSheets[int(which)%len(csvSheets)]
		name := s.name + ".csv"
		files := memFiles("sources.csv", "id,title\nfuzz,Fuzz\n", name, string(data))
		if s.name == "sources" {
			files = files[1:]
		}
		_, err := LoadWith(context.Background(), nil, Options{DryRun: true}, files...)
		checkIssues(t, err, name, "sources.csv")
	})
}

func FuzzNQuads(f *testing.F) {
	addFiles(f, "../network/testdata/small.nq") // small seeds: large ones make minimizing slow
	f.Add([]byte("<a:s> <a:p> \"o\"@en .\n<a:s> <a:p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> <https://thrivegraph.org/source/x> .\n_:b <a:p> <a:o> .\n"))
	f.Add([]byte("# comment\n\n<https://thrivegraph.org/id/x> <http://schema.org/name> \"X\\u00e9\\n\" .\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		qs, problems, err := ReadNQuads(bytes.NewReader(data), ReadOptions{Source: "fuzz"})
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) > 0 {
			return
		}
		// What is read is written, exported and read again as the same.
		s, _ := graphtest.OpenGraph(context.Background(), graph.Config{Backend: graph.BackendMemory})
		defer s.Close()
		if _, err := s.Apply(context.Background(), graph.Change{Quads: []*graph.Quads{qs}}); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		s.Export(context.Background(), &out)
		again, problems, err := ReadNQuads(bytes.NewReader(out.Bytes()), ReadOptions{})
		if err != nil || len(problems) > 0 {
			t.Fatalf("the export does not read back: %v %v\n%s", err, problems, out.String())
		}
		if again.Len() != strings.Count(out.String(), "\n") {
			t.Fatalf("read %d quads of an export of %d", again.Len(), strings.Count(out.String(), "\n"))
		}
	})
}

func FuzzJSONLD(f *testing.F) {
	f.Add([]byte(`{"@context": {"name": "http://schema.org/name"}, "@id": "https://thrivegraph.org/id/x", "name": "X"}`))
	f.Add([]byte(`[{"@id": "https://thrivegraph.org/source/s", "@graph": [{"@id": "https://thrivegraph.org/id/x", "@type": "https://thrivegraph.org/ns#Organization"}]}]`))
	f.Add([]byte(`{"@context": "https://schema.org/", "@type": "Person", "name": "Jane"}`))
	f.Add([]byte(`{"@id": "_:b0", "http://example.org/p": {"@value": "2020-01-02", "@type": "http://www.w3.org/2001/XMLSchema#date"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		qs, problems, err := ReadJSONLD(bytes.NewReader(data), ReadOptions{Source: "fuzz"})
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) == 0 && qs == nil {
			t.Fatal("no quads and no problems")
		}
	})
}
