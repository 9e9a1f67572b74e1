package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/index"
)

// TestServeKilledWhileIngesting kills `recuerdo serve` (SIGKILL) at random
// moments while `recuerdo ingest BATCH` runs in another process: the server
// may be catching the index up under the archive's lock, or idle. The
// ingest still completes (exit 0); afterwards the archive checks clean,
// holds every interview, the server's leftover note names no one (search
// does not report the index busy) and a search finds the batch.
func TestServeKilledWhileIngesting(t *testing.T) {
	runs, r := killRuns(t)
	bin := recuerdoBin(t)
	tmp := t.TempDir()
	first := filepath.Join(tmp, "first")
	batch := filepath.Join(tmp, "batch")
	ids := append(writeBatch(t, first, 1, 1), writeBatch(t, batch, 2, killInterviews-1)...)
	// How long the batch's ingest takes here, to spread the kills over it.
	timing := filepath.Join(tmp, "timing")
	if out, err := recuerdo(t, bin, timing, "ingest", first); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	start := time.Now()
	if out, err := recuerdo(t, bin, timing, "ingest", batch); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	full := time.Since(start)
	served, early := 0, 0
	for i := 0; i < runs; i++ {
		arch := filepath.Join(tmp, fmt.Sprintf("a%d", i))
		initArchive(t, bin, arch)
		if out, err := recuerdo(t, bin, arch, "ingest", first); err != nil {
			t.Fatalf("run %d: ingest: %v\n%s", i, err, out)
		}
		srv := exec.Command(bin, "--archive", arch, "-q", "serve", "--addr", "127.0.0.1:0", "--poll", "100ms")
		stdout, err := srv.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || !strings.Contains(line, "http://127.0.0.1:") {
			srv.Process.Kill()
			srv.Wait()
			t.Fatalf("run %d: serve printed %q (%v)", i, line, err)
		}
		go io.Copy(io.Discard, stdout)
		ingest := exec.Command(bin, "--archive", arch, "ingest", batch)
		var ingestOut strings.Builder
		ingest.Stdout, ingest.Stderr = &ingestOut, &ingestOut
		if err := ingest.Start(); err != nil {
			t.Fatal(err)
		}
		// Over four times the time: beside a server the ingest shares
		// the archive's lock with the server's catch-ups, and ends
		// without indexing; the server catches up behind it.
		d := time.Duration(r.Int63n(int64(4 * full)))
		ingestDone := make(chan error, 1)
		go func() { ingestDone <- ingest.Wait() }()
		select {
		case err := <-ingestDone:
			ingestDone <- err
			early++
		case <-time.After(d):
		}
		srv.Process.Kill()
		srv.Wait()
		if err := <-ingestDone; err != nil {
			t.Fatalf("run %d (server killed after %s): ingest: %v\n%s", i, d, err, ingestOut.String())
		}
		if strings.Contains(ingestOut.String(), "which will pick up the change") {
			served++
		}
		if n := verifyArchive(t, arch, ids); n != len(ids) {
			t.Fatalf("run %d: %d of %d interviews after the server was killed", i, n, len(ids))
		}
		if h, ok := index.HolderOf(arch); ok {
			t.Fatalf("run %d: the index is still held after the kill, by %s", i, h)
		}
		out, err := recuerdo(t, bin, arch, "search", "--json", "--limit", "100", "autobus")
		if err != nil {
			t.Fatalf("run %d (server killed after %s): search after the kill: %v\n%s", i, d, err, out)
		}
		if !strings.Contains(out, `"interview":"entrevista-04"`) {
			t.Fatalf("run %d (server killed after %s): search after the kill does not find the batch: %.300s", i, d, out)
		}
		if out, err := recuerdo(t, bin, arch, "check"); err != nil {
			t.Fatalf("run %d (server killed after %s): check: %v\n%s", i, d, err, out)
		}
		os.RemoveAll(arch)
	}
	t.Logf("ingest of %d interviews takes %s; %d runs; the server held the index through the ingest's end in %d, the ingest finished before the kill in %d; every ingest completed, every archive checked clean and searched",
		killInterviews-1, full.Round(time.Millisecond), runs, served, early)
}
