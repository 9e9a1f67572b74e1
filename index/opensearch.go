package index

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/opensearch-project/opensearch-go/v4"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// An archive whose configuration names an OpenSearch cluster
// (archive.Config.Index: opensearch://host:port[,host:port]/PREFIX) keeps
// its index there instead of in index/, through the official client
// (github.com/opensearch-project/opensearch-go/v4). The documents are
// those eachDoc makes for bleve, the analysers do what bleve's do
// (opensearch_analysis.go), searches compile the same parsed query to the
// query DSL (opensearch_search.go), and hits are finished by the same Go
// code (hitOf, finish), so commands answer alike on both backends.
//
// The cluster holds, per archive:
//   - PREFIX-segments, an alias of PREFIX-segments-<n>: one document per
//     segment, as bleve's;
//   - PREFIX-meta, an alias of PREFIX-meta-<n>: what bleve keeps as
//     internal keys (the mapping's version, the catalogue's generation
//     the index was synced to, each interview's version).
//
// A rebuild fills PREFIX-segments-<n+1> and PREFIX-meta-<n+1> and moves
// both aliases in one request, so searches see the old index or the new
// one, never half of one; then it deletes the old pair. The archive's
// lock still serialises catch-ups and rebuilds; the cluster needs no
// holder's note (any number of processes may use it at once).

// osMappingVersion changes with the settings and mappings below, and with
// mappingVersion (the documents and the analysers' tables).
const osMappingVersion = "os5/" + mappingVersion // os5: no pairs analyser

// osIndex is an archive's index on an OpenSearch cluster.
type osIndex struct {
	c        *opensearch.Client
	url      string // opensearch://nodes/prefix, for messages
	prefix   string
	segs     string // the segments index (its alias, or a new index during a rebuild)
	meta     string // the meta index, likewise
	readOnly bool
	m        *mapping.IndexMappingImpl // bleve's mapping: its analysers, for highlights
	// shards and replicas of a new segments index (osShape); with
	// several shards, searches gather the terms' statistics from all of
	// them first (dfs_query_then_fetch), so scores do not depend on
	// which shard a document landed on.
	shards   int
	replicas string // "" means one replica when the cluster has two nodes or more
}

// osBulkDocs and osBulkBytes bound one bulk request; osBulkWorkers bound
// the requests in flight (each worker sends one at a time and waits), so
// a catch-up never queues more on the cluster than it can take.
const (
	osBulkDocs    = 1000
	osBulkBytes   = 5 << 20
	osBulkRetries = 6
)

func osBulkWorkers() int { return max(1, min(runtime.GOMAXPROCS(0), 4)) }

// osRetryable are the statuses a request (or one bulk item) is retried on:
// too many requests (the cluster's queues are full) and its failures.
var osRetryable = []int{429, 500, 502, 503, 504}

// osBackoff waits before retry attempt (1, 2, ...): 100 ms doubling, up to
// 5 s, with jitter.
func osBackoff(attempt int) time.Duration {
	d := 100 * time.Millisecond << min(attempt-1, 6)
	d = min(d, 5*time.Second)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// openOpenSearch connects to the cluster of c (which names one) and
// returns its index, created when missing. An index of another mapping
// version is ErrStale (the owner rebuilds it); read-only opens nothing
// new: a missing index is ErrNoIndex.
func openOpenSearch(ctx context.Context, c archive.Config, readOnly bool) (*osIndex, error) {
	ix, err := dialOpenSearch(c)
	if err != nil {
		return nil, err
	}
	ix.readOnly = readOnly
	n, err := ix.current(ctx)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		if readOnly {
			return nil, fmt.Errorf("open index %s: %w", ix.url, ErrNoIndex)
		}
		if err := ix.createFirst(ctx); err != nil {
			return nil, err
		}
	}
	// An index another process is making right now has no version yet
	// for a moment; one whose maker was killed never gets it (stale).
	v, found, err := ix.getMeta(ctx, "mapping")
	for wait := 0; err == nil && !found && wait < 20; wait++ {
		time.Sleep(250 * time.Millisecond)
		v, found, err = ix.getMeta(ctx, "mapping")
	}
	if err != nil {
		return nil, err
	}
	if v != osMappingVersion {
		return nil, fmt.Errorf("open index %s: %w: built by another version", ix.url, ErrStale)
	}
	return ix, nil
}

// dialOpenSearch makes the client for c's cluster.
func dialOpenSearch(c archive.Config) (*osIndex, error) {
	nodes, prefix, err := c.OpenSearch()
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(c.Index)
	if err != nil {
		return nil, fmt.Errorf("%w: index: %v", archive.ErrConfig, err)
	}
	// A cluster with security takes a user and password from the URL
	// (opensearchs://user:password@host:9200/prefix); messages never show them.
	var user, password string
	if u.User != nil {
		user = u.User.Username()
		password, _ = u.User.Password()
		u.User = nil
	}
	cl, err := opensearch.NewClient(opensearch.Config{
		Addresses:     nodes,
		Username:      user,
		Password:      password,
		RetryOnStatus: osRetryable,
		MaxRetries:    osBulkRetries,
		RetryBackoff:  osBackoff,
	})
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", u, err)
	}
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	shards, replicas, err := osShape(c.Index)
	if err != nil {
		return nil, err
	}
	return &osIndex{c: cl, url: u.String(), prefix: prefix, segs: prefix + "-segments", meta: prefix + "-meta", m: m,
		shards: shards, replicas: replicas}, nil
}

// osShape reads the shape of new indices from the index URL's query:
// opensearch://host:port/PREFIX?shards=3&replicas=1. One shard by
// default; replicas by default "0-1" (auto_expand_replicas: a copy on a
// second node when there is one, so one node stays green).
func osShape(index string) (shards int, replicas string, err error) {
	u, err := url.Parse(index)
	if err != nil {
		return 0, "", fmt.Errorf("%w: index %q: %v", archive.ErrConfig, index, err)
	}
	shards = 1
	for k, vs := range u.Query() {
		v := vs[len(vs)-1]
		n, err := strconv.Atoi(v)
		switch {
		case k == "shards" && err == nil && n >= 1 && n <= 1024:
			shards = n
		case k == "replicas" && err == nil && n >= 0 && n <= 16:
			replicas = v
		default:
			return 0, "", fmt.Errorf("%w: index %q: %s=%s: want shards=1..1024 or replicas=0..16", archive.ErrConfig, index, k, v)
		}
	}
	return shards, replicas, nil
}

// osRequest is one request to the cluster.
type osRequest struct {
	method, path string
	body         []byte
}

func (r osRequest) GetRequest() (*http.Request, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, r.path, body)
	if err != nil {
		return nil, err
	}
	if r.body != nil {
		ct := "application/json"
		if strings.HasSuffix(r.path, "_bulk") || strings.Contains(r.path, "_bulk?") || strings.HasSuffix(r.path, "_msearch") {
			ct = "application/x-ndjson"
		}
		req.Header.Set("Content-Type", ct)
	}
	return req, nil
}

// OpenSearchError is an error the cluster answered with.
type OpenSearchError struct {
	Op     string
	Status int
	Type   string // OpenSearch's error type, such as index_not_found_exception
	Reason string
}

func (e *OpenSearchError) Error() string {
	if e.Type == "" {
		return fmt.Sprintf("%s: opensearch status %d", e.Op, e.Status)
	}
	return fmt.Sprintf("%s: opensearch status %d: %s: %s", e.Op, e.Status, e.Type, e.Reason)
}

// do sends a request with body (marshalled unless []byte) and decodes the
// answer into out (when not nil). An answer of 400 or more is an *OpenSearchError;
// ok lists statuses that are not errors here (404 for "not there").
func (ix *osIndex) do(ctx context.Context, op, method, path string, body, out any, ok ...int) (int, error) {
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			return 0, fmt.Errorf("%s: %w", op, err)
		}
	}
	// A search that lost a shard (a node dying under it) would answer
	// 200 with part of the hits; refused instead, it is an error the
	// client retries (503) on the copies that remain.
	if strings.Contains(path, "/_search") && !strings.Contains(path, "allow_partial_search_results") {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + "allow_partial_search_results=false"
	}
	res, err := ix.c.Do(ctx, osRequest{method: method, path: path, body: raw}, nil)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, fmt.Errorf("%s: %w", op, err)
	}
	if res.StatusCode >= 400 {
		for _, s := range ok {
			if s == res.StatusCode {
				return res.StatusCode, nil
			}
		}
		var e struct {
			Error struct {
				Type   string `json:"type"`
				Reason string `json:"reason"`
			} `json:"error"`
		}
		json.Unmarshal(data, &e)
		return res.StatusCode, &OpenSearchError{Op: op, Status: res.StatusCode, Type: e.Error.Type, Reason: e.Error.Reason}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return res.StatusCode, fmt.Errorf("%s: read answer: %w", op, err)
		}
	}
	return res.StatusCode, nil
}

// current is the generation n of PREFIX-segments-<n> the alias points at,
// 0 when there is none.
func (ix *osIndex) current(ctx context.Context) (int, error) {
	var out map[string]any
	st, err := ix.do(ctx, "open index "+ix.url, http.MethodGet, "/_alias/"+ix.prefix+"-segments", nil, &out, 404)
	if err != nil || st == 404 {
		return 0, err
	}
	n := 0
	for name := range out {
		if k, err := strconv.Atoi(strings.TrimPrefix(name, ix.prefix+"-segments-")); err == nil && k > n {
			n = k
		}
	}
	return n, nil
}

// segmentsName and metaName name generation n's indices.
func (ix *osIndex) segmentsName(n int) string { return ix.prefix + "-segments-" + strconv.Itoa(n) }
func (ix *osIndex) metaName(n int) string     { return ix.prefix + "-meta-" + strconv.Itoa(n) }

// osTextField is a text field's mapping.
func osTextField(analyzer string) map[string]any {
	return map[string]any{"type": "text", "analyzer": analyzer, "norms": true}
}

// osSegmentsBody is the settings and mappings of a segments index.
func (ix *osIndex) osSegmentsBody() map[string]any {
	kw := map[string]any{"type": "keyword"}
	num := map[string]any{"type": "long"}
	stored := map[string]any{"type": "keyword", "index": false, "doc_values": false}
	props := map[string]any{
		fInterview: kw, fTrack: stored, fSeq: stored, fLang: kw,
		fTextES: osTextField(analyzerES), fTextEN: osTextField(analyzerEN), fTextOther: osTextField(osOther),
		fExact: osTextField(analyzerExact), fSpeaker: osTextField(analyzerExact), fNarrator: osTextField(analyzerExact),
		fPlace: osTextField(analyzerExact), fColl: osTextField(analyzerExact),
		fRecorded: num, fStoryYear: num, fStart: stored, fTimeKey: kw, fEnd: stored,
		fAccess: kw, fSealLevel: num, fSealUntil: num,
		fTwinLang: stored, fTwinText: stored, fTwinStart: stored, fTwinEnd: stored,
		fTwinES: osTextField(analyzerES), fTwinEN: osTextField(analyzerEN), fTwinExact: osTextField(analyzerExact),
		// Pairs are not searched here: phrases are match_phrase and
		// neighbouring words span_near on the exact fields' positions.
		fPairs: stored, fTwinPairs: stored,
		fPrimary: kw, fNarratorKW: kw, fPlaceKW: kw, fCollectionKW: kw, fStoryDecade: kw, fRecordedDecade: kw,
	}
	return map[string]any{
		"settings": map[string]any{
			"index": map[string]any{
				"number_of_shards": max(ix.shards, 1),
				// Offset reaches MaxOffset, and a page MaxHits beyond it.
				"max_result_window": MaxOffset + MaxHits,
			},
			"analysis": osAnalysis(),
		},
		"mappings": map[string]any{
			"dynamic": "strict",
			// The source keeps what a hit shows; the fields searched only
			// are copies of it.
			"_source":    map[string]any{"excludes": []string{fExact, fPairs, fTwinExact, fTwinPairs, fTwinES, fTwinEN, fNarrator, fPlace, fColl}},
			"properties": props,
		},
	}
}

// osMetaBody is the settings and mappings of a meta index: one shard,
// copied to every node (it is small and read by every catch-up).
func (ix *osIndex) osMetaBody() map[string]any {
	return map[string]any{
		"settings": map[string]any{"index": map[string]any{"number_of_shards": 1, "auto_expand_replicas": "0-all"}},
		"mappings": map[string]any{"dynamic": "strict", "properties": map[string]any{
			"interview": map[string]any{"type": "keyword"},
			"value":     map[string]any{"type": "keyword"},
			"lengths":   map[string]any{"type": "object", "enabled": false},
		}},
	}
}

// create makes generation n's indices, with the aliases when alias is
// set (a first index), and records the mapping's version.
func (ix *osIndex) create(ctx context.Context, n int, alias bool) error {
	op := "create index " + ix.url
	segs, meta := ix.osSegmentsBody(), ix.osMetaBody()
	settings := segs["settings"].(map[string]any)["index"].(map[string]any)
	if !alias {
		// A rebuild's index is searched by no one until it is complete:
		// no refreshes while it fills (rebuild restores the default).
		settings["refresh_interval"] = "-1"
	}
	if ix.replicas == "" {
		settings["auto_expand_replicas"] = "0-1"
	} else {
		settings["number_of_replicas"] = ix.replicas
	}
	if alias {
		segs["aliases"] = map[string]any{ix.prefix + "-segments": map[string]any{}}
		meta["aliases"] = map[string]any{ix.prefix + "-meta": map[string]any{}}
	}
	if _, err := ix.do(ctx, op, http.MethodPut, "/"+ix.metaName(n), meta, nil); err != nil {
		return err
	}
	if _, err := ix.do(ctx, op, http.MethodPut, "/"+ix.segmentsName(n), segs, nil); err != nil {
		return err
	}
	m := &osIndex{c: ix.c, url: ix.url, prefix: ix.prefix, meta: ix.metaName(n), shards: ix.shards, replicas: ix.replicas}
	return m.setMeta(ctx, "mapping", osMappingVersion, true)
}

// createFirst makes an archive's first index. Another process may be
// making it at the same moment (then its index is used), or one killed
// half-way may have left a meta index without segments (removed, and
// made again).
func (ix *osIndex) createFirst(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		err := ix.create(ctx, 1, true)
		var oe *OpenSearchError
		if err == nil || !errors.As(err, &oe) || oe.Type != "resource_already_exists_exception" || attempt > 0 {
			return err
		}
		// Another process's creation: wait for it to finish (its index
		// is then current), up to 15 s; one that never finishes was
		// killed half-way, and what it left is removed.
		for wait := time.Now().Add(15 * time.Second); ; {
			if n, err := ix.current(ctx); err != nil || n > 0 {
				return err
			}
			if time.Now().After(wait) || ctx.Err() != nil {
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
		for _, name := range []string{ix.segmentsName(1), ix.metaName(1)} {
			if _, err := ix.do(ctx, "remove "+name, http.MethodDelete, "/"+name, nil, nil, 404); err != nil {
				return err
			}
		}
	}
}

// metaDoc is a document of the meta index.
type metaDoc struct {
	Interview string `json:"interview,omitempty"`
	Value     string `json:"value"`
}

// getMeta reads a meta value ("" and false when missing).
func (ix *osIndex) getMeta(ctx context.Context, key string) (string, bool, error) {
	var out struct {
		Found  bool    `json:"found"`
		Source metaDoc `json:"_source"`
	}
	st, err := ix.do(ctx, "read index metadata", http.MethodGet, "/"+ix.meta+"/_doc/"+escapeID(key), nil, &out, 404)
	if err != nil || st == 404 {
		return "", false, err
	}
	return out.Source.Value, out.Found, nil
}

// setMeta writes a meta value, visible to the next read at once when
// refresh is set.
func (ix *osIndex) setMeta(ctx context.Context, key, value string, refresh bool) error {
	path := "/" + ix.meta + "/_doc/" + escapeID(key)
	if refresh {
		path += "?refresh=true"
	}
	doc := metaDoc{Value: value}
	if id, ok := strings.CutPrefix(key, "v/"); ok {
		doc.Interview = id
	}
	_, err := ix.do(ctx, "write index metadata", http.MethodPut, path, doc, nil)
	return err
}

// escapeID makes a document id safe in a URL path.
func escapeID(id string) string {
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// versions reads every interview's indexed version.
func (ix *osIndex) versions(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	var after []any
	for {
		body := map[string]any{
			"size": 5000, "query": map[string]any{"exists": map[string]any{"field": "interview"}},
			"sort": []any{map[string]any{"interview": "asc"}}, "_source": []string{"interview", "value"},
		}
		if after != nil {
			body["search_after"] = after
		}
		var res struct {
			Hits struct {
				Hits []struct {
					Source metaDoc `json:"_source"`
					Sort   []any   `json:"sort"`
				} `json:"hits"`
			} `json:"hits"`
		}
		if _, err := ix.do(ctx, "read indexed versions", http.MethodPost, "/"+ix.meta+"/_search", body, &res); err != nil {
			return nil, err
		}
		for _, h := range res.Hits.Hits {
			out[h.Source.Interview] = h.Source.Value
			after = h.Sort
		}
		if len(res.Hits.Hits) < 5000 {
			return out, nil
		}
	}
}

// stale reports whether the index was built from an older catalogue.
func (ix *osIndex) stale(ctx context.Context, a *archive.Archive) (bool, error) {
	gen, err := a.Generation(ctx)
	if err != nil {
		return false, err
	}
	v, _, err := ix.getMeta(ctx, "generation")
	if err != nil {
		return false, err
	}
	return v != strconv.FormatInt(gen, 10), nil
}

// sync brings the index up to date with the catalogue, as Index.sync
// does for bleve. The caller holds the archive's lock.
func (ix *osIndex) sync(ctx context.Context, a *archive.Archive) (int, error) {
	if ix.readOnly {
		return 0, fmt.Errorf("update index %s: %w", ix.url, ErrReadOnly)
	}
	have, err := ix.versions(ctx)
	if err != nil {
		return 0, err
	}
	gen, known, todo, err := toIndex(ctx, a, func(id string) string { return have[id] })
	if err != nil {
		return 0, err
	}
	updated, err := ix.indexAll(ctx, a, todo)
	if err != nil {
		return updated, err
	}
	counts, err := ix.counts(ctx)
	if err != nil {
		return updated, err
	}
	gone := map[string]bool{}
	for id := range counts {
		gone[id] = !known[id]
	}
	for id := range have {
		gone[id] = gone[id] || !known[id]
	}
	for id, g := range gone {
		if !g {
			continue
		}
		if err := ix.deleteInterview(ctx, id); err != nil {
			return updated, err
		}
		updated++
	}
	if err := ix.refresh(ctx); err != nil {
		return updated, err
	}
	return updated, ix.setMeta(ctx, "generation", strconv.FormatInt(gen, 10), true)
}

// refresh makes what was written visible to searches.
func (ix *osIndex) refresh(ctx context.Context) error {
	_, err := ix.do(ctx, "refresh index "+ix.url, http.MethodPost, "/"+ix.segs+","+ix.meta+"/_refresh", nil, nil)
	return err
}

// indexAll indexes interviews, a few at a time (osBulkWorkers), each
// sending its bulk requests one after another.
func (ix *osIndex) indexAll(ctx context.Context, a *archive.Archive, ids []string) (int, error) {
	return eachParallel(ctx, ids, osBulkWorkers(), func(ctx context.Context, id string) error {
		return ix.indexInterview(ctx, a, id)
	})
}

// indexInterview writes one interview's documents over its old ones,
// deletes those it no longer has, and records its version last.
func (ix *osIndex) indexInterview(ctx context.Context, a *archive.Archive, id string) error {
	iv, err := a.Interview(ctx, id, true)
	if err != nil {
		return err
	}
	als, err := a.Alignments(ctx, id)
	if err != nil {
		return err
	}
	old, err := ix.docIDs(ctx, id)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	b := &osBulk{ix: ix}
	err = eachDoc(iv, archive.Twins(iv, als), archive.NewMoments(iv, als), func(d string, doc segmentDoc) error {
		keep[d] = true
		return b.index(ctx, d, doc)
	})
	for _, d := range old {
		if err == nil && !keep[d] {
			err = b.delete(ctx, d)
		}
	}
	if err == nil {
		err = b.flush(ctx)
	}
	if err != nil {
		return fmt.Errorf("index %s: %w", id, err)
	}
	return ix.setMeta(ctx, "v/"+id, strconv.FormatInt(iv.Version, 10), false)
}

// deleteInterview removes an interview the catalogue no longer has: its
// documents listed and deleted in bulk (delete_by_query is a module a
// cluster may not have), then its version.
func (ix *osIndex) deleteInterview(ctx context.Context, id string) error {
	ids, err := ix.docIDs(ctx, id)
	if err != nil {
		return err
	}
	b := &osBulk{ix: ix}
	for _, d := range ids {
		if err := b.delete(ctx, d); err != nil {
			return fmt.Errorf("remove %s from the index: %w", id, err)
		}
	}
	if err := b.flush(ctx); err != nil {
		return fmt.Errorf("remove %s from the index: %w", id, err)
	}
	_, err = ix.do(ctx, "remove "+id+" from the index", http.MethodDelete, "/"+ix.meta+"/_doc/"+escapeID("v/"+id), nil, nil, 404)
	return err
}

// docIDs lists the documents of one interview, in time order.
func (ix *osIndex) docIDs(ctx context.Context, id string) ([]string, error) {
	var out []string
	var after []any
	for {
		body := map[string]any{"size": 5000, "_source": false, "query": map[string]any{"term": map[string]any{fInterview: id}},
			"sort": []any{map[string]any{fTimeKey: "asc"}}}
		if after != nil {
			body["search_after"] = after
		}
		var res osSearchResp
		if _, err := ix.do(ctx, "list documents of "+id, http.MethodPost, "/"+ix.segs+"/_search", body, &res); err != nil {
			return nil, err
		}
		for _, h := range res.Hits.Hits {
			out = append(out, h.ID)
			after = h.Sort
		}
		if len(res.Hits.Hits) < 5000 {
			return out, nil
		}
	}
}

// osBulk gathers bulk actions and sends them osBulkDocs at a time.
type osBulk struct {
	ix  *osIndex
	buf bytes.Buffer
	n   int
}

func (b *osBulk) index(ctx context.Context, id string, doc segmentDoc) error {
	head, _ := json.Marshal(map[string]any{"index": map[string]any{"_id": id}})
	body, err := json.Marshal(map[string]any(doc))
	if err != nil {
		return err
	}
	b.buf.Write(head)
	b.buf.WriteByte('\n')
	b.buf.Write(body)
	b.buf.WriteByte('\n')
	return b.added(ctx)
}

func (b *osBulk) delete(ctx context.Context, id string) error {
	head, _ := json.Marshal(map[string]any{"delete": map[string]any{"_id": id}})
	b.buf.Write(head)
	b.buf.WriteByte('\n')
	return b.added(ctx)
}

func (b *osBulk) added(ctx context.Context) error {
	b.n++
	if b.n >= osBulkDocs || b.buf.Len() >= osBulkBytes {
		return b.flush(ctx)
	}
	return nil
}

// flush sends what is gathered, retrying the actions the cluster refused
// for want of capacity (429) or by failing (5xx), with backoff; any other
// refusal is an error.
func (b *osBulk) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	lines := bytes.SplitAfter(b.buf.Bytes(), []byte("\n"))
	b.buf.Reset()
	b.n = 0
	// Each action: its head line and, for index, its document.
	var actions [][]byte
	for i := 0; i < len(lines); i++ {
		if len(lines[i]) == 0 {
			continue
		}
		act := append([]byte(nil), lines[i]...)
		if bytes.HasPrefix(lines[i], []byte(`{"index"`)) && i+1 < len(lines) {
			act = append(act, lines[i+1]...)
			i++
		}
		actions = append(actions, act)
	}
	for attempt := 0; ; attempt++ {
		body := bytes.Join(actions, nil)
		var res struct {
			Errors bool `json:"errors"`
			Items  []map[string]struct {
				Status int `json:"status"`
				Error  struct {
					Type   string `json:"type"`
					Reason string `json:"reason"`
				} `json:"error"`
			} `json:"items"`
		}
		if _, err := b.ix.do(ctx, "index documents", http.MethodPost, "/"+b.ix.segs+"/_bulk", body, &res); err != nil {
			return err
		}
		if !res.Errors {
			return nil
		}
		var again [][]byte
		for i, it := range res.Items {
			for kind, r := range it {
				switch {
				case r.Status < 300, kind == "delete" && r.Status == 404:
				case isRetryable(r.Status) && i < len(actions):
					again = append(again, actions[i])
				default:
					return &OpenSearchError{Op: "index documents", Status: r.Status, Type: r.Error.Type, Reason: r.Error.Reason}
				}
			}
		}
		if len(again) == 0 {
			return nil
		}
		if attempt >= osBulkRetries {
			return &OpenSearchError{Op: "index documents", Status: 429, Reason: fmt.Sprintf("%d action(s) still refused after %d tries", len(again), attempt+1)}
		}
		actions = again
		select {
		case <-time.After(osBackoff(attempt + 1)):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func isRetryable(status int) bool {
	for _, s := range osRetryable {
		if s == status {
			return true
		}
	}
	return false
}

// counts returns how many documents the index holds per interview,
// reading every interview (a composite aggregation, page by page).
func (ix *osIndex) counts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	var after map[string]any
	for {
		comp := map[string]any{"size": 1000, "sources": []any{map[string]any{"iv": map[string]any{"terms": map[string]any{"field": fInterview}}}}}
		if after != nil {
			comp["after"] = after
		}
		body := map[string]any{"size": 0, "aggs": map[string]any{"iv": map[string]any{"composite": comp}}}
		var res struct {
			Aggregations struct {
				IV struct {
					AfterKey map[string]any `json:"after_key"`
					Buckets  []struct {
						Key      map[string]any `json:"key"`
						DocCount int            `json:"doc_count"`
					} `json:"buckets"`
				} `json:"iv"`
			} `json:"aggregations"`
		}
		if _, err := ix.do(ctx, "count index documents", http.MethodPost, "/"+ix.segs+"/_search", body, &res); err != nil {
			return nil, err
		}
		for _, b := range res.Aggregations.IV.Buckets {
			id, _ := b.Key["iv"].(string)
			out[id] = b.DocCount
		}
		if len(res.Aggregations.IV.Buckets) < 1000 || res.Aggregations.IV.AfterKey == nil {
			return out, nil
		}
		after = res.Aggregations.IV.AfterKey
	}
}

// osCheckSample is how many interviews Check compares document by
// document, and how many of each one's segments.
const (
	osCheckInterviews = 8
	osCheckSegments   = 25
)

// check compares the index with the catalogue: each interview's count of
// documents, and a sample of documents field by field against those the
// catalogue makes now.
func (ix *osIndex) check(ctx context.Context, a *archive.Archive) ([]archive.Problem, error) {
	var probs []archive.Problem
	if stale, err := ix.stale(ctx, a); err != nil {
		return nil, err
	} else if stale {
		probs = append(probs, archive.Problem{What: "index", Subject: ix.url, Msg: "built from an older catalogue (run recuerdo reindex)"})
	}
	want, err := a.SegmentCounts(ctx)
	if err != nil {
		return nil, err
	}
	got, err := ix.counts(ctx)
	if err != nil {
		return nil, err
	}
	for id, n := range want {
		if got[id] != n {
			probs = append(probs, archive.Problem{What: "index", Subject: id, Msg: fmt.Sprintf("index has %d segments, catalogue %d (run recuerdo reindex)", got[id], n)})
		}
	}
	for id, n := range got {
		if _, ok := want[id]; !ok {
			probs = append(probs, archive.Problem{What: "index", Subject: id, Msg: fmt.Sprintf("index has %d segments of an interview the catalogue does not have", n)})
		}
	}
	ids := make([]string, 0, len(want))
	for id, n := range want {
		if got[id] == n && n > 0 {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	for _, id := range ids[:min(len(ids), osCheckInterviews)] {
		p, err := ix.checkSample(ctx, a, id)
		if err != nil {
			return nil, err
		}
		probs = append(probs, p...)
	}
	return probs, nil
}

// osCheckFields are the fields a sampled document must hold as the
// catalogue makes them.
var osCheckFields = []string{fInterview, fLang, fTextES, fTextEN, fTextOther, fSpeaker, fStart, fEnd, fAccess, fSealLevel, fSealUntil, fPrimary, fTwinText, fTwinLang}

// checkSample compares some of interview id's documents with the
// catalogue's.
func (ix *osIndex) checkSample(ctx context.Context, a *archive.Archive, id string) ([]archive.Problem, error) {
	iv, err := a.Interview(ctx, id, true)
	if err != nil {
		return nil, err
	}
	als, err := a.Alignments(ctx, id)
	if err != nil {
		return nil, err
	}
	total := 0
	for _, t := range iv.Tracks {
		total += len(t.Segments)
	}
	every := max(1, total/osCheckSegments)
	want := map[string]segmentDoc{}
	i := 0
	err = eachDoc(iv, archive.Twins(iv, als), archive.NewMoments(iv, als), func(d string, doc segmentDoc) error {
		if i%every == 0 {
			want[d] = doc
		}
		i++
		return nil
	})
	if err != nil {
		return nil, err
	}
	docs := make([]string, 0, len(want))
	for d := range want {
		docs = append(docs, d)
	}
	sort.Strings(docs)
	var res struct {
		Docs []struct {
			ID     string         `json:"_id"`
			Found  bool           `json:"found"`
			Source map[string]any `json:"_source"`
		} `json:"docs"`
	}
	if _, err := ix.do(ctx, "check index documents of "+id, http.MethodPost, "/"+ix.segs+"/_mget", map[string]any{"ids": docs}, &res); err != nil {
		return nil, err
	}
	var probs []archive.Problem
	for _, d := range res.Docs {
		if !d.Found {
			probs = append(probs, archive.Problem{What: "index", Subject: id, Msg: fmt.Sprintf("index lacks segment %s (run recuerdo reindex)", d.ID)})
			continue
		}
		w := want[d.ID]
		for _, f := range osCheckFields {
			if !sameValue(w[f], d.Source[f]) {
				probs = append(probs, archive.Problem{What: "index", Subject: id, Msg: fmt.Sprintf("segment %s: index has %s %v, catalogue %v (run recuerdo reindex)", d.ID, f, d.Source[f], w[f])})
				break
			}
		}
	}
	return probs, nil
}

// sameValue compares a document's value as eachDoc made it with the
// value read back from the cluster's JSON.
func sameValue(want, got any) bool {
	if want == nil || got == nil {
		return want == nil && got == nil
	}
	a, _ := json.Marshal(want)
	b, _ := json.Marshal(got)
	return bytes.Equal(a, b)
}

// rebuild builds generation n+1 from the catalogue beside the current
// one, moves both aliases to it in one request and deletes the old
// indices. The caller holds the archive's lock.
func (ix *osIndex) rebuild(ctx context.Context, a *archive.Archive) (Rebuilt, error) {
	cur, err := ix.current(ctx)
	if err != nil {
		return Rebuilt{}, err
	}
	n := cur + 1
	// Leftovers of a rebuild that was interrupted.
	for _, name := range []string{ix.segmentsName(n), ix.metaName(n)} {
		if _, err := ix.do(ctx, "remove "+name, http.MethodDelete, "/"+name, nil, nil, 404); err != nil {
			return Rebuilt{}, err
		}
	}
	if err := ix.create(ctx, n, false); err != nil {
		return Rebuilt{}, err
	}
	fresh := &osIndex{c: ix.c, url: ix.url, prefix: ix.prefix, segs: ix.segmentsName(n), meta: ix.metaName(n), m: ix.m, shards: ix.shards, replicas: ix.replicas}
	dropNew := func() {
		for _, name := range []string{fresh.segs, fresh.meta} {
			ix.do(context.WithoutCancel(ctx), "remove "+name, http.MethodDelete, "/"+name, nil, nil, 404)
		}
	}
	done, err := fresh.sync(ctx, a)
	if err == nil {
		_, err = ix.do(ctx, "rebuild index "+ix.url, http.MethodPut, "/"+fresh.segs+"/_settings", map[string]any{"index": map[string]any{"refresh_interval": nil}}, nil)
	}
	if err == nil {
		err = fresh.refresh(ctx)
	}
	var counts map[string]int
	if err == nil {
		counts, err = fresh.counts(ctx)
	}
	if err != nil {
		dropNew()
		return Rebuilt{}, err
	}
	r := Rebuilt{Interviews: done}
	for _, c := range counts {
		r.Segments += c
	}
	actions := []any{
		map[string]any{"add": map[string]any{"index": fresh.segs, "alias": ix.prefix + "-segments"}},
		map[string]any{"add": map[string]any{"index": fresh.meta, "alias": ix.prefix + "-meta"}},
	}
	var old []string
	if cur > 0 {
		old = []string{ix.segmentsName(cur), ix.metaName(cur)}
		actions = append(actions,
			map[string]any{"remove": map[string]any{"index": old[0], "alias": ix.prefix + "-segments"}},
			map[string]any{"remove": map[string]any{"index": old[1], "alias": ix.prefix + "-meta"}})
	}
	if _, err := ix.do(ctx, "switch index "+ix.url, http.MethodPost, "/_aliases", map[string]any{"actions": actions}, nil); err != nil {
		dropNew()
		return Rebuilt{}, err
	}
	for _, name := range old {
		if _, err := ix.do(ctx, "remove "+name, http.MethodDelete, "/"+name, nil, nil, 404); err != nil {
			return r, err
		}
	}
	return r, nil
}

// remove deletes every index of the archive (its tests' clean-up, and
// what a caller wanting a fresh cluster index asks).
func (ix *osIndex) remove(ctx context.Context) error {
	_, err := ix.do(ctx, "remove index "+ix.url, http.MethodDelete, "/"+ix.prefix+"-segments-*,"+ix.prefix+"-meta-*", nil, nil, 404)
	return err
}

// add indexes segments that come from no catalogue (Index.Add), a few
// bulk requests at a time, and makes them visible to searches.
func (ix *osIndex) add(ctx context.Context, segs []Segment) error {
	if ix.readOnly {
		return fmt.Errorf("index %d segments: %w", len(segs), ErrReadOnly)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	next := make(chan []Segment)
	for w := 0; w < osBulkWorkers(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for part := range next {
				b := &osBulk{ix: ix}
				var err error
				for _, s := range part {
					if err = b.index(ctx, s.ID, segmentDocOf(s)); err != nil {
						break
					}
				}
				if err == nil {
					err = b.flush(ctx)
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
						cancel()
					}
					mu.Unlock()
				}
			}
		}()
	}
send:
	for i := 0; i < len(segs); i += osBulkDocs {
		select {
		case next <- segs[i:min(i+osBulkDocs, len(segs))]:
		case <-ctx.Done():
			break send
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return fmt.Errorf("index %d segments: %w", len(segs), firstErr)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return ix.refresh(ctx)
}
