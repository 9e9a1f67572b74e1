package index

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// bulkFaults stands between the client and the real node and makes its
// bulk requests fail as a busy cluster does: whole requests refused with
// 429, then items of an accepted request refused one by one.
type bulkFaults struct {
	mu       sync.Mutex
	bulks    int      // bulk requests seen
	refuse   int      // bulk requests still to refuse whole
	itemCode int      // status given to the first items of the next accepted bulk
	items    int      // how many items
	seen     [][]byte // each bulk body as sent
}

func (f *bulkFaults) proxy(t *testing.T, node string) *httptest.Server {
	u, err := url.Parse(node)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	direct := rp.Director
	rp.Director = func(r *http.Request) {
		direct(r)
		r.Header.Del("Accept-Encoding") // answers read here, not gzipped
	}
	rp.ModifyResponse = func(res *http.Response) error {
		if !strings.HasSuffix(res.Request.URL.Path, "/_bulk") {
			return nil
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.items == 0 {
			return nil
		}
		body, err := io.ReadAll(res.Body)
		if err != nil {
			return err
		}
		var r map[string]any
		if err := json.Unmarshal(body, &r); err != nil {
			return err
		}
		items := r["items"].([]any)
		for i := 0; i < f.items && i < len(items); i++ {
			for _, v := range items[i].(map[string]any) {
				v.(map[string]any)["status"] = f.itemCode
				v.(map[string]any)["error"] = map[string]any{"type": "es_rejected_execution_exception", "reason": "test: queue full"}
			}
		}
		r["errors"] = true
		f.items = 0
		body, _ = json.Marshal(r)
		res.Body = io.NopCloser(bytes.NewReader(body))
		res.ContentLength = int64(len(body))
		res.Header.Del("Content-Length")
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/_bulk") {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			f.mu.Lock()
			f.bulks++
			f.seen = append(f.seen, body)
			refuse := f.refuse > 0
			if refuse {
				f.refuse--
			}
			f.mu.Unlock()
			if refuse {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				io.WriteString(w, `{"error":{"type":"es_rejected_execution_exception","reason":"test: queue full"},"status":429}`)
				return
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestOpenSearchBulkRetries: bulk requests the cluster refuses for want of
// capacity are sent again after a pause, whole or item by item, and
// nothing is lost; an item refused for another reason is an error.
func TestOpenSearchBulkRetries(t *testing.T) {
	c := osTestConfig(t)
	ctx := context.Background()
	nodes, prefix, _ := c.OpenSearch()
	f := &bulkFaults{refuse: 2, itemCode: 429, items: 3}
	srv := f.proxy(t, nodes[0])
	c.Index = "opensearch://" + strings.TrimPrefix(srv.URL, "http://") + "/" + prefix
	a := ownerArchive(t)
	if err := archive.WriteConfig(a.Dir(), c); err != nil {
		t.Fatal(err)
	}
	ix, err := OpenArchive(ctx, a, OpenOptions{What: "test"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := ix.Counts()
	if err != nil || n["viajes"] != 8 {
		t.Fatalf("counts %v %v, want viajes 8", n, err)
	}
	// Two refused whole, one accepted with 3 items refused, one with those 3.
	if f.bulks != 4 || bytes.Count(f.seen[3], []byte(`{"index"`)) != 3 || !bytes.Equal(f.seen[0], f.seen[2]) {
		t.Errorf("%d bulk requests, the last with %d actions; want 4, the last with the 3 refused", f.bulks, bytes.Count(f.seen[len(f.seen)-1], []byte(`{"index"`)))
	}
	if probs, err := ix.Check(ctx, a); err != nil || len(probs) != 0 {
		t.Errorf("check: %v %v", probs, err)
	}

	// An item refused for a reason other than capacity fails the catch-up.
	f.mu.Lock()
	f.itemCode, f.items = 400, 1
	f.mu.Unlock()
	ingestOwned(t, a, "otra")
	_, err = CatchUp(ctx, a, OpenOptions{What: "test"})
	var oe *OpenSearchError
	if !errors.As(err, &oe) || oe.Status != 400 {
		t.Errorf("catch-up with an item refused: %v, want a 400 *OpenSearchError", err)
	}
	if stale, _ := ix.stale(ctx, a); !stale {
		t.Error("the index is not behind the catalogue after a failed catch-up")
	}
}
