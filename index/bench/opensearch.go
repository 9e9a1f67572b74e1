package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// Cluster is what the benchmark read from an OpenSearch cluster: the
// segments index's shape and size (index stats API) and its nodes' CPU
// time and memory (nodes stats API, and /proc for a node on this machine).
type Cluster struct {
	Version  string `json:"version"`
	Nodes    int    `json:"nodes"`
	Shards   int    `json:"shards"`
	Replicas int    `json:"replicas"`
	Docs     int64  `json:"docs"`
	// PrimaryBytes is the primaries' store (Result.SizeBytes); TotalBytes
	// counts the replicas too.
	PrimaryBytes int64 `json:"primary_bytes"`
	TotalBytes   int64 `json:"total_bytes"`
	// Segments is the number of Lucene segments of the primaries after
	// the build.
	Segments int          `json:"lucene_segments"`
	Node     []NodeResult `json:"node"`
}

// NodeResult is one node's share of the work.
type NodeResult struct {
	Name string `json:"name"`
	PID  int    `json:"pid"`
	// CPU seconds the node's process spent building the index and
	// answering the queries (process.cpu.total_in_millis, before and after).
	BuildCPUS   float64 `json:"build_cpu_s"`
	QueryCPUS   float64 `json:"query_cpu_s"`
	HeapMaxB    int64   `json:"heap_max_bytes"`
	HeapUsedB   int64   `json:"heap_used_bytes"`
	YoungGCs    int64   `json:"young_gcs"`
	OldGCs      int64   `json:"old_gcs"`
	RSSBytes    int64   `json:"rss_bytes,omitempty"`      // VmRSS at the end, from /proc when the node runs here
	PeakRSSB    int64   `json:"peak_rss_bytes,omitempty"` // VmHWM, likewise
	MemoryNotes string  `json:"memory_note,omitempty"`    // why RSS is missing
}

// osClient talks to the cluster of an index URL over plain HTTP, for what
// the index package does not expose: versions, stats and flushes.
type osClient struct {
	base     string // http(s)://host:port of the first node
	segments string // the segments alias
	user     string
	password string
	hc       *http.Client
}

func newOSClient(indexURL string) (*osClient, error) {
	nodes, prefix, err := archive.Config{Index: indexURL}.OpenSearch()
	if err != nil {
		return nil, err
	}
	c := &osClient{base: nodes[0], segments: prefix + "-segments", hc: &http.Client{Timeout: 10 * time.Minute}}
	if u, err := url.Parse(indexURL); err == nil && u.User != nil {
		c.user = u.User.Username()
		c.password, _ = u.User.Password()
	}
	return c, nil
}

func (c *osClient) do(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, nil)
	if err != nil {
		return err
	}
	if c.user != "" {
		req.SetBasicAuth(c.user, c.password)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %.300s", method, path, resp.Status, body)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}

func (c *osClient) version(ctx context.Context) (string, error) {
	var v struct {
		Version struct {
			Number string `json:"number"`
		} `json:"version"`
	}
	err := c.do(ctx, http.MethodGet, "/", &v)
	return v.Version.Number, err
}

// flush commits the segments index to disk (Lucene commit, translog
// trimmed), as bleve's close does.
func (c *osClient) flush(ctx context.Context) error {
	return c.do(ctx, http.MethodPost, "/"+c.segments+"/_flush?wait_if_ongoing=true", nil)
}

// nodeStat is one node's counters at one moment.
type nodeStat struct {
	name     string
	pid      int
	cpuMS    int64
	heapMax  int64
	heapUsed int64
	young    int64
	old      int64
	local    bool
}

func (c *osClient) nodes(ctx context.Context) (map[string]nodeStat, error) {
	var v struct {
		Nodes map[string]struct {
			Name    string `json:"name"`
			Host    string `json:"host"`
			Process struct {
				CPU struct {
					TotalMS int64 `json:"total_in_millis"`
				} `json:"cpu"`
			} `json:"process"`
			JVM struct {
				Mem struct {
					HeapUsed int64 `json:"heap_used_in_bytes"`
					HeapMax  int64 `json:"heap_max_in_bytes"`
				} `json:"mem"`
				GC struct {
					Collectors map[string]struct {
						Count int64 `json:"collection_count"`
					} `json:"collectors"`
				} `json:"gc"`
			} `json:"jvm"`
		} `json:"nodes"`
	}
	if err := c.do(ctx, http.MethodGet, "/_nodes/stats/process,jvm", &v); err != nil {
		return nil, err
	}
	// The process id is in the nodes info API, not in the stats.
	var info struct {
		Nodes map[string]struct {
			Process struct {
				ID int `json:"id"`
			} `json:"process"`
		} `json:"nodes"`
	}
	if err := c.do(ctx, http.MethodGet, "/_nodes/process", &info); err != nil {
		return nil, err
	}
	out := map[string]nodeStat{}
	for id, n := range v.Nodes {
		ip := net.ParseIP(n.Host)
		out[id] = nodeStat{name: n.Name, pid: info.Nodes[id].Process.ID, cpuMS: n.Process.CPU.TotalMS,
			heapMax: n.JVM.Mem.HeapMax, heapUsed: n.JVM.Mem.HeapUsed,
			young: n.JVM.GC.Collectors["young"].Count, old: n.JVM.GC.Collectors["old"].Count,
			local: n.Host == "localhost" || ip != nil && ip.IsLoopback()}
	}
	return out, nil
}

// indexStats reads the segments index's shape and size.
func (c *osClient) indexStats(ctx context.Context, cl *Cluster) error {
	var st struct {
		All struct {
			Primaries struct {
				Docs struct {
					Count int64 `json:"count"`
				} `json:"docs"`
				Store struct {
					Size int64 `json:"size_in_bytes"`
				} `json:"store"`
				Segments struct {
					Count int `json:"count"`
				} `json:"segments"`
			} `json:"primaries"`
			Total struct {
				Store struct {
					Size int64 `json:"size_in_bytes"`
				} `json:"store"`
			} `json:"total"`
		} `json:"_all"`
	}
	if err := c.do(ctx, http.MethodGet, "/"+c.segments+"/_stats/docs,store,segments", &st); err != nil {
		return err
	}
	cl.Docs = st.All.Primaries.Docs.Count
	cl.PrimaryBytes = st.All.Primaries.Store.Size
	cl.TotalBytes = st.All.Total.Store.Size
	cl.Segments = st.All.Primaries.Segments.Count
	var set map[string]struct {
		Settings struct {
			Index struct {
				Shards   string `json:"number_of_shards"`
				Replicas string `json:"number_of_replicas"`
			} `json:"index"`
		} `json:"settings"`
	}
	if err := c.do(ctx, http.MethodGet, "/"+c.segments+"/_settings", &set); err != nil {
		return err
	}
	for _, s := range set {
		cl.Shards, _ = strconv.Atoi(s.Settings.Index.Shards)
		cl.Replicas, _ = strconv.Atoi(s.Settings.Index.Replicas)
	}
	return nil
}

// nodeResults pairs the counters taken before the build (a), after it
// (b) and after the queries (c).
func nodeResults(a, b, c map[string]nodeStat) []NodeResult {
	var out []NodeResult
	for id, end := range c {
		r := NodeResult{Name: end.name, PID: end.pid, HeapMaxB: end.heapMax, HeapUsedB: end.heapUsed,
			YoungGCs: end.young - a[id].young, OldGCs: end.old - a[id].old,
			BuildCPUS: round(float64(b[id].cpuMS-a[id].cpuMS)/1000, 1),
			QueryCPUS: round(float64(end.cpuMS-b[id].cpuMS)/1000, 1)}
		r.RSSBytes, r.PeakRSSB, r.MemoryNotes = procMemory(end)
		out = append(out, r)
	}
	return out
}

// procMemory reads a node's resident memory from /proc when its process
// is a Java one of this machine; otherwise it says why not.
func procMemory(n nodeStat) (rss, peak int64, note string) {
	if !n.local {
		return 0, 0, "node not on loopback: RSS not read"
	}
	cmd, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", n.pid))
	if err != nil || !strings.Contains(string(cmd), "java") {
		return 0, 0, fmt.Sprintf("no Java process %d in /proc here: RSS not read", n.pid)
	}
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", n.pid))
	if err != nil {
		return 0, 0, fmt.Sprintf("read /proc/%d/status: %v", n.pid, err)
	}
	for _, l := range strings.Split(string(st), "\n") {
		f := strings.Fields(l)
		if len(f) != 3 || f[2] != "kB" {
			continue
		}
		v, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = v << 10
		case "VmHWM:":
			peak = v << 10
		}
	}
	return rss, peak, ""
}
