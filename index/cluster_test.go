package index

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestOpenSearchTwoNodes shows the OpenSearch backend on a real cluster:
// two nodes on loopback (deploy/opensearch-node) form one cluster; the
// archive's index, with 2 shards and 1 replica, goes green; one node is
// killed (SIGKILL) while searches run, and every search keeps answering
// with the same hits; an interview ingested after the kill is caught up
// (acknowledged) and found, and nothing indexed before is lost.
//
// It starts and stops its own nodes (ports 9270-9271, 9370-9371), so it
// runs only with RECUERDO_TEST_OPENSEARCH_CLUSTER=1 (.ci/run sets it):
// it needs Java 17 and Maven.
func TestOpenSearchTwoNodes(t *testing.T) {
	if os.Getenv("RECUERDO_TEST_OPENSEARCH_CLUSTER") == "" {
		t.Skip("RECUERDO_TEST_OPENSEARCH_CLUSTER is not set: the two-node cluster test starts its own nodes with deploy/opensearch-node/run (Java 17, Maven)")
	}
	ctx := context.Background()
	run, err := filepath.Abs("../deploy/opensearch-node/run")
	if err != nil {
		t.Fatal(err)
	}
	cluster := fmt.Sprintf("recuerdo-two-%08x", rand.Uint32())
	dir := t.TempDir()
	seeds := "127.0.0.1:9370,127.0.0.1:9371"
	type node struct {
		name string
		port int
	}
	nodes := []node{{"c1", 9270}, {"c2", 9271}}
	args := func(n node) []string {
		return []string{"--http-port", strconv.Itoa(n.port), "--node-name", n.name, "--cluster-name", cluster,
			"--data", filepath.Join(dir, n.name), "--seed-hosts", seeds, "--initial-cluster-managers", "c1"}
	}
	// Built once before two starts at once would each build it.
	if out, err := exec.Command(run, "build").CombinedOutput(); err != nil {
		t.Fatalf("build the node launcher: %v\n%s", err, out)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(nodes))
	for i, n := range nodes {
		t.Cleanup(func() {
			out, err := exec.Command(run, append([]string{"stop"}, args(n)...)...).CombinedOutput()
			if err != nil && !strings.Contains(string(out), "not running") {
				t.Logf("stop %s: %v\n%s", n.name, err, out)
			}
		})
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out, err := exec.Command(run, append(args(n), "--fresh")...).CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("start %s: %v\n%s", n.name, err, out)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	health := func(path string) map[string]any {
		t.Helper()
		resp, err := http.Get("http://127.0.0.1:9270" + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var h map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	if h := health("/_cluster/health?wait_for_nodes=2&timeout=60s"); h["number_of_nodes"] != 2.0 {
		t.Fatalf("the two nodes did not form one cluster: %v", h)
	}

	c := archive.Config{Index: "opensearch://127.0.0.1:9270,127.0.0.1:9271/two?shards=2&replicas=1"}
	a := conformanceArchive(t, c)
	ix, err := OpenArchive(ctx, a, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	h := health("/_cluster/health/two-segments?wait_for_status=green&timeout=60s")
	if h["status"] != "green" || h["active_primary_shards"] != 2.0 || h["active_shards"] != 4.0 {
		t.Fatalf("index not green with 2 shards and a replica of each: %v", h)
	}

	queries := []string{"autobus", "licuadora", "abuela", `"puerta azul"`, "Durango", "trabajo"}
	want := map[string]uint64{}
	for _, q := range queries {
		res, err := ix.Search(ctx, a, q, Options{Audience: archive.Staff, Limit: 50})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		want[q] = res.Total
	}
	before, err := ix.Counts()
	if err != nil {
		t.Fatal(err)
	}

	// Searches from four clients for 6 s; the second node dies after 1.5 s.
	var answered, failed, wrong atomic.Int64
	var firstErr atomic.Value
	stop := make(chan struct{})
	var load sync.WaitGroup
	for w := range 4 {
		load.Add(1)
		go func() {
			defer load.Done()
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := queries[i%len(queries)]
				res, err := ix.Search(ctx, a, q, Options{Audience: archive.Staff, Limit: 50})
				switch {
				case err != nil:
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				case res.Total != want[q]:
					wrong.Add(1)
				default:
					answered.Add(1)
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	pid, err := os.ReadFile(filepath.Join(dir, "c2", "node.pid"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(strings.TrimSpace(string(pid)))
	proc, err := os.FindProcess(p)
	if err == nil {
		err = proc.Kill() // SIGKILL
	}
	if err != nil {
		t.Fatalf("kill c2 (pid %d): %v", p, err)
	}
	killed := answered.Load()
	time.Sleep(4500 * time.Millisecond)
	close(stop)
	load.Wait()
	t.Logf("searches answered %d (%d after the kill), failed %d, with other totals %d", answered.Load(), answered.Load()-killed, failed.Load(), wrong.Load())
	if failed.Load() > 0 || wrong.Load() > 0 {
		t.Errorf("with a node killed: %d searches failed (first: %v), %d answered other totals", failed.Load(), firstErr.Load(), wrong.Load())
	}
	if answered.Load() == killed {
		t.Error("no search answered after the kill")
	}

	// Nothing acknowledged is lost, and the survivor takes writes.
	after, err := ix.Counts()
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("counts after the kill %v, before %v", after, before)
	}
	ingestOwned(t, a, "despues")
	if n, err := CatchUp(ctx, a, OpenOptions{Wait: 30 * time.Second}); err != nil || n != 1 {
		t.Fatalf("catch-up with one node: %d %v", n, err)
	}
	res, err := ix.Search(ctx, a, "interview:despues", Options{Audience: archive.Staff, Limit: 100})
	if err != nil || res.Total == 0 {
		t.Fatalf("the interview indexed after the kill: %v %v", res, err)
	}
	probs, err := ix.Check(ctx, a)
	if err != nil || len(probs) > 0 {
		t.Errorf("check after the kill: %v %v", probs, err)
	}
}
