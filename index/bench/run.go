package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/recuerdo-archive/recuerdo/index"
	"github.com/recuerdo-archive/recuerdo/subtitles/lexicon"
)

// batchSize is how many segments go to the index at once: large enough to
// amortise each batch's segment build, small enough to bound memory.
const batchSize = 5_000

// buildMemoryLimit is the soft limit on the Go heap while the corpus is
// indexed (mapped index files come on top): at a million segments, peak
// memory 880 MB with it, 1.1 GB without (two batches building at once).
const buildMemoryLimit = 480 << 20

// Result is what one engine measured, in the shape peers.py prints.
type Result struct {
	Engine    string  `json:"engine"`
	Version   string  `json:"version"`
	Segments  int     `json:"segments"`
	BuildS    float64 `json:"build_s"`
	SizeBytes int64   `json:"size_bytes"`
	// PeakRSSBytes is the process's peak resident memory after building
	// and querying.
	PeakRSSBytes int64                  `json:"peak_rss_bytes"`
	Classes      map[string]ClassResult `json:"classes"`
	// Cluster is set for a run on OpenSearch (RunOptions.IndexURL).
	Cluster *Cluster `json:"cluster,omitempty"`
}

// ClassResult is the latency of one class of queries.
type ClassResult struct {
	N        int     `json:"n"`
	P50MS    float64 `json:"p50_ms"`
	P99MS    float64 `json:"p99_ms"`
	MeanHits float64 `json:"mean_hits"`
}

// RunOptions tune Run. The zero value builds the index in a temporary
// folder and removes it afterwards.
type RunOptions struct {
	IndexDir string // build here and keep it; "" for a temporary folder
	// IndexURL, opensearch://host:port/PREFIX, builds the index on that
	// OpenSearch cluster instead (PREFIX's indices are deleted first and
	// kept afterwards); IndexDir is then unused.
	IndexURL string
	Progress func(done, total int) // called while indexing, if set
	// Lexicon expands each query word with its translations, as searches
	// of an archive do with its bilingual lexicon (nil: words as typed).
	Lexicon *lexicon.Lexicon
}

// Run indexes dir/corpus.jsonl with recuerdo's index and times every
// query of dir/queries.jsonl: the top 10 hits with highlights and the
// exact total, as a search page shows them.
func Run(ctx context.Context, dir string, opt RunOptions) (*Result, error) {
	qs, err := readQueries(filepath.Join(dir, "queries.jsonl"))
	if err != nil {
		return nil, err
	}
	if opt.IndexURL != "" {
		return runOpenSearch(ctx, dir, qs, opt)
	}
	ixDir := opt.IndexDir
	if ixDir == "" {
		tmp, err := os.MkdirTemp("", "recuerdo-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		ixDir = filepath.Join(tmp, "index")
	} else if err := index.Remove(ixDir); err != nil {
		return nil, err
	}
	start := time.Now()
	ix, err := index.Open(ixDir)
	if err != nil {
		return nil, err
	}
	n, err := loadLimited(ctx, ix, filepath.Join(dir, "corpus.jsonl"), opt.Progress)
	if err != nil {
		ix.Close()
		return nil, err
	}
	// The build ends when the index is on disk: closing waits for bleve
	// to write what it holds in memory, and the system's buffers are
	// flushed as the peers' commits flush theirs. Queries then run on the
	// index opened afresh, as a search command finds it.
	if err := ix.Close(); err != nil {
		return nil, err
	}
	flushDisk()
	build := time.Since(start)
	if ix, err = index.Open(ixDir); err != nil {
		return nil, err
	}
	defer ix.Close()
	size, err := dirSize(ixDir)
	if err != nil {
		return nil, err
	}
	res := &Result{Engine: engineName("recuerdo (bleve "+index.BleveVersion()+")", opt), Version: runtime.Version(), Segments: n,
		BuildS: round(build.Seconds(), 3), SizeBytes: size}
	if res.Classes, err = timeQueries(ctx, ix, qs, opt); err != nil {
		return nil, err
	}
	res.PeakRSSBytes = peakRSS()
	return res, nil
}

// runOpenSearch is Run on the cluster of opt.IndexURL: the index of its
// prefix is deleted, filled through the same Add batches, flushed (a
// Lucene commit, as bleve's close writes its segments), and searched
// through the same Search. SizeBytes is the primaries' store from the
// index stats API; PeakRSSBytes is this process's (the client's), the
// nodes' memory and CPU time are in Cluster.
func runOpenSearch(ctx context.Context, dir string, qs []Query, opt RunOptions) (*Result, error) {
	oc, err := newOSClient(opt.IndexURL)
	if err != nil {
		return nil, err
	}
	version, err := oc.version(ctx)
	if err != nil {
		return nil, fmt.Errorf("benchmark on %s: %w", opt.IndexURL, err)
	}
	if err := index.RemoveOpenSearch(ctx, opt.IndexURL); err != nil {
		return nil, err
	}
	before, err := oc.nodes(ctx)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	ix, err := index.OpenOpenSearch(ctx, opt.IndexURL)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	n, err := loadLimited(ctx, ix, filepath.Join(dir, "corpus.jsonl"), opt.Progress)
	if err != nil {
		return nil, err
	}
	if err := oc.flush(ctx); err != nil {
		return nil, err
	}
	build := time.Since(start)
	built, err := oc.nodes(ctx)
	if err != nil {
		return nil, err
	}
	cl := &Cluster{Version: version, Nodes: len(built)}
	if err := oc.indexStats(ctx, cl); err != nil {
		return nil, err
	}
	if cl.Docs != int64(n) {
		return nil, fmt.Errorf("benchmark on %s: the index holds %d documents after adding %d segments", opt.IndexURL, cl.Docs, n)
	}
	res := &Result{Engine: engineName("recuerdo (OpenSearch "+version+")", opt), Version: runtime.Version(), Segments: n,
		BuildS: round(build.Seconds(), 3), SizeBytes: cl.PrimaryBytes, Cluster: cl}
	if res.Classes, err = timeQueries(ctx, ix, qs, opt); err != nil {
		return nil, err
	}
	after, err := oc.nodes(ctx)
	if err != nil {
		return nil, err
	}
	cl.Node = nodeResults(before, built, after)
	res.PeakRSSBytes = peakRSS()
	return res, nil
}

func engineName(name string, opt RunOptions) string {
	if opt.Lexicon != nil {
		name += fmt.Sprintf(" + lexicon of %d entries", opt.Lexicon.Len())
	}
	return name
}

// loadLimited is load with the Go heap held to buildMemoryLimit (unless
// GOMEMLIMIT says otherwise): batches build two at a time; queries run
// with Go's defaults afterwards.
func loadLimited(ctx context.Context, ix *index.Index, name string, progress func(int, int)) (int, error) {
	limit := int64(-1) // a negative limit reads the current one
	if os.Getenv("GOMEMLIMIT") == "" {
		limit = buildMemoryLimit
	}
	prev := debug.SetMemoryLimit(limit)
	defer debug.SetMemoryLimit(prev)
	return load(ctx, ix, name, progress)
}

// timeQueries runs every query, class by class, and gives each class's
// latencies.
func timeQueries(ctx context.Context, ix *index.Index, qs []Query, opt RunOptions) (map[string]ClassResult, error) {
	out := map[string]ClassResult{}
	for _, class := range Classes {
		var lat []time.Duration
		hits := 0
		for _, q := range qs {
			if q.Class != class {
				continue
			}
			text := searchText(q)
			t := time.Now()
			r, err := ix.Search(ctx, nil, text, index.Options{Limit: 10, Lang: q.Lang, Lexicon: opt.Lexicon})
			if err != nil {
				return nil, fmt.Errorf("query %q: %w", text, err)
			}
			lat = append(lat, time.Since(t))
			hits += int(r.Total)
		}
		if len(lat) == 0 {
			continue
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		out[class] = ClassResult{N: len(lat), P50MS: ms(lat[len(lat)/2]), P99MS: ms(lat[min(len(lat)-1, len(lat)*99/100)]),
			MeanHits: round(float64(hits)/float64(len(lat)), 1)}
	}
	return out, nil
}

// searchText writes a benchmark query in recuerdo's query language.
func searchText(q Query) string {
	switch q.Class {
	case "phrase":
		return `"` + q.Q + `"`
	case "prefix":
		return q.Q + "*"
	case "fuzzy":
		return q.Q + "~"
	}
	return q.Q
}

// load indexes the corpus in batches, several at a time: bleve analyses a
// batch's documents in parallel but builds its segment on the calling
// goroutine, so one batch at a time leaves cores idle.
func load(ctx context.Context, ix *index.Index, name string, progress func(int, int)) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	total := 0
	if progress != nil {
		if fi, err := f.Stat(); err == nil {
			total = int(fi.Size())
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		n        int
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}
	batches := make(chan []index.Segment)
	for w := 0; w < max(1, min(runtime.GOMAXPROCS(0), 4)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				if err := ix.Add(b); err != nil {
					fail(err)
					continue
				}
				mu.Lock()
				n += len(b)
				mu.Unlock()
			}
		}()
	}
	send := func(b []index.Segment) bool {
		select {
		case batches <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	read := func() error {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		line, read := 0, 0
		batch := make([]index.Segment, 0, batchSize)
		for sc.Scan() {
			line++
			read += len(sc.Bytes()) + 1
			if len(strings.TrimSpace(sc.Text())) == 0 {
				continue
			}
			var s index.Segment
			if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
				return fmt.Errorf("%s: line %d: %w", name, line, err)
			}
			if s.ID == "" {
				return fmt.Errorf("%s: line %d: segment without an id", name, line)
			}
			batch = append(batch, s)
			if len(batch) == batchSize {
				if !send(batch) {
					return ctx.Err()
				}
				batch = make([]index.Segment, 0, batchSize)
				if progress != nil {
					progress(read, total)
				}
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if len(batch) > 0 && !send(batch) {
			return ctx.Err()
		}
		return nil
	}
	if err := read(); err != nil {
		fail(err)
	}
	close(batches)
	wg.Wait()
	return n, firstErr
}

func readQueries(name string) ([]Query, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []Query
	for i, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		var q Query
		if err := json.Unmarshal([]byte(l), &q); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", name, i+1, err)
		}
		out = append(out, q)
	}
	return out, nil
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			n += fi.Size()
		}
		return err
	})
	return n, err
}

func ms(d time.Duration) float64 { return round(float64(d.Microseconds())/1000, 3) }

func round(v float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	return float64(int64(v*p+0.5)) / p
}
