package main

import (
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// graphmlDoc is what the tests read of a GraphML file.
type graphmlDoc struct {
	Keys []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
	} `xml:"key"`
	Graph struct {
		Nodes []struct {
			ID   string        `xml:"id,attr"`
			Data []graphmlData `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			Source string        `xml:"source,attr"`
			Target string        `xml:"target,attr"`
			Data   []graphmlData `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

type graphmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// attrs names the data of a node or an edge by the keys' names.
func (d *graphmlDoc) attrs(data []graphmlData) map[string]string {
	names := map[string]string{}
	for _, k := range d.Keys {
		names[k.ID] = k.Name
	}
	out := map[string]string{}
	for _, x := range data {
		out[names[x.Key]] = x.Value
	}
	return out
}

// TestNetworkExport: export --format graphml and GET /export?format=graphml
// (and gexf) write the seed's organizations and events with their
// metrics and community, the stated participations and the derived ties;
// Workers Defense Project has the highest betweenness; NetworkX reads both
// files back with the same node and edge counts.
func TestNetworkExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "seed.db")
	if _, errOut, err := runCLI(t, nil, "load", "--db", db, "--progress", "none", "data/templates/example"); err != nil {
		t.Fatalf("load: %v\n%s", err, errOut)
	}
	s := newTestServer(t, defaults(t))
	files := map[string]string{}
	for _, format := range []string{"graphml", "gexf"} {
		out := filepath.Join(dir, "cli."+format)
		if _, errOut, err := runCLI(t, nil, "export", "--db", db, "--format", format, "--out", out); err != nil {
			t.Fatalf("export --format %s: %v\n%s", format, err, errOut)
		}
		files["cli."+format] = out
		rec := s.do("GET", "/export?format="+format, "", nil)
		if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Type"), format) {
			t.Fatalf("GET /export?format=%s: %d %s", format, rec.Code, rec.Header().Get("Content-Type"))
		}
		p := filepath.Join(dir, "http."+format)
		if err := os.WriteFile(p, rec.Body.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		files["http."+format] = p
	}

	counts := map[string][2]int{}
	for _, name := range []string{"cli.graphml", "http.graphml"} {
		b, err := os.ReadFile(files[name])
		if err != nil {
			t.Fatal(err)
		}
		var doc graphmlDoc
		if err := xml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s is not XML: %v", name, err)
		}
		counts[name] = [2]int{len(doc.Graph.Nodes), len(doc.Graph.Edges)}
		types := map[string]int{}
		best, bestB := "", -1.0
		for _, n := range doc.Graph.Nodes {
			a := doc.attrs(n.Data)
			types[a["type"]]++
			if a["type"] != "Organization" {
				continue
			}
			for _, k := range []string{"name", "degree", "weightedDegree", "closeness", "harmonic", "betweenness", "pagerank", "reach", "exact", "reachExact", "community", "themes", "levels", "places"} {
				if _, ok := a[k]; !ok {
					t.Fatalf("%s: organization %s has no %s", name, n.ID, k)
				}
			}
			if b, _ := strconv.ParseFloat(a["betweenness"], 64); b > bestB {
				best, bestB = n.ID, b
			}
		}
		if best != "workers-defense-project" || types["Organization"] < 40 || types["Event"] < 2 {
			t.Errorf("%s: highest betweenness %s (%v), nodes by type %v: want workers-defense-project, 40+ organizations, 2+ events", name, best, bestB, types)
		}
		relations := map[string]int{}
		for _, e := range doc.Graph.Edges {
			a := doc.attrs(e.Data)
			relations[a["relation"]+" derived="+a["derived"]]++
			if a["derived"] == "false" && a["source"] == "" {
				t.Errorf("%s: the stated edge %s-%s has no source", name, e.Source, e.Target)
			}
			if a["derived"] == "true" && (a["events"] == "" || a["weight"] == "") {
				t.Errorf("%s: the derived tie %s-%s has no events or weight", name, e.Source, e.Target)
			}
		}
		if relations["sharedEvent derived=true"] == 0 || relations["participatedIn derived=false"] == 0 || relations["hosted derived=false"] == 0 {
			t.Errorf("%s: edges by relation %v: want stated participations and derived ties", name, relations)
		}
	}
	gexf, err := os.ReadFile(files["http.gexf"])
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Nodes []struct{} `xml:"graph>nodes>node"`
		Edges []struct{} `xml:"graph>edges>edge"`
	}
	if err := xml.Unmarshal(gexf, &g); err != nil {
		t.Fatalf("the GEXF is not XML: %v", err)
	}
	if got, want := [2]int{len(g.Nodes), len(g.Edges)}, counts["http.graphml"]; got != want {
		t.Errorf("GEXF has %v nodes and edges, GraphML %v", got, want)
	}
	counts["http.gexf"] = [2]int{len(g.Nodes), len(g.Edges)}

	if _, err := exec.LookPath("python3"); err == nil && exec.Command("python3", "-c", "import networkx").Run() == nil {
		for _, name := range []string{"cli.graphml", "http.graphml", "http.gexf"} {
			read := "read_graphml"
			if strings.HasSuffix(name, "gexf") {
				read = "read_gexf"
			}
			out, err := exec.Command("python3", "-c", fmt.Sprintf(
				"import sys, networkx as nx; g = nx.%s(sys.argv[1]); print(g.number_of_nodes(), g.number_of_edges())", read), files[name]).CombinedOutput()
			if err != nil {
				t.Fatalf("NetworkX %s %s: %v\n%s", read, name, err, out)
			}
			var nodes, edges int
			if _, err := fmt.Sscan(string(out), &nodes, &edges); err != nil {
				t.Fatalf("NetworkX said %q", out)
			}
			if want := counts[name]; [2]int{nodes, edges} != want {
				t.Errorf("NetworkX reads %s as %d nodes and %d edges, want %v", name, nodes, edges, want)
			}
		}
	} else if os.Getenv("THRIVEGRAPH_TEST_REQUIRE_NETWORKX") == "1" {
		t.Fatal("THRIVEGRAPH_TEST_REQUIRE_NETWORKX=1 but python3 with networkx is missing (apt-get install python3-networkx)")
	} else {
		t.Skip("python3 with networkx is missing (apt-get install python3-networkx): the files were checked, their reading by NetworkX was not")
	}
}

// TestNetworkExportFormat: an unknown export format is a usage error that
// names the network formats.
func TestNetworkExportFormat(t *testing.T) {
	_, errOut, err := runCLI(t, nil, "export", "--format", "dot")
	if err != errUsage || !strings.Contains(errOut, "graphml or gexf") {
		t.Errorf("export --format dot: %v, %q", err, errOut)
	}
}
