package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// The kill tests run the real command (the test binary, installed as
// "recuerdo" in $PATH by testscript.Main) on a batch of interviews and
// SIGKILL it at random moments. RECUERDO_KILL_RUNS sets how many times
// (default 3, 1 under -race); RECUERDO_KILL_SEED the random seed.

const killInterviews = 5

// killCues is the size of each track: smaller under -race, which slows
// the child processes several times over.
var killCues = map[bool]int{false: 500, true: 120}[raceEnabled]

func killRuns(t *testing.T) (int, *rand.Rand) {
	t.Helper()
	if testing.Short() {
		t.Skip("kills child processes")
	}
	runs := 3
	if raceEnabled {
		runs = 1
	}
	if s := os.Getenv("RECUERDO_KILL_RUNS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("RECUERDO_KILL_RUNS=%q: %v", s, err)
		}
		runs = n
	}
	seed := time.Now().UnixNano()
	if s := os.Getenv("RECUERDO_KILL_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("runs %d, seed %d", runs, seed)
	return runs, rand.New(rand.NewSource(seed))
}

func srtOf(n int, lang string, seed int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		s := 1000 + i*3000
		fmt.Fprintf(&b, "%d\n%s --> %s\n", i+1, srtTime(s), srtTime(s+2500))
		if lang == "es" {
			fmt.Fprintf(&b, "Segmento %d de la entrevista %d: el autobús salía de Durango cada mes.\n\n", i+1, seed)
		} else {
			fmt.Fprintf(&b, "Segment %d of interview %d: the bus left Durango every month.\n\n", i+1, seed)
		}
	}
	return []byte(b.String())
}

func srtTime(ms int) string {
	return fmt.Sprintf("%02d:%02d:%02d,%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// writeBatch writes a folder of interview folders; every other one is for
// the family with a sealed stretch.
func writeBatch(t *testing.T, dir string, from, n int) []string {
	t.Helper()
	var ids []string
	for i := from; i < from+n; i++ {
		id := fmt.Sprintf("entrevista-%02d", i)
		ids = append(ids, id)
		d := filepath.Join(dir, id)
		os.MkdirAll(d, 0o755)
		meta := fmt.Sprintf("id: %s\ntitle: Entrevista %d\nlanguage: es\n", id, i)
		if i%2 == 1 {
			meta += "access: family\nsealed:\n  - start: \"00:01:00\"\n    end: \"00:02:00\"\n    until: 2045-01-01\n    level: staff\n"
		}
		for name, data := range map[string][]byte{"interview.yaml": []byte(meta), "es.srt": srtOf(killCues, "es", i), "en.srt": srtOf(killCues, "en", i)} {
			if err := os.WriteFile(filepath.Join(d, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ids
}

func recuerdoBin(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("recuerdo")
	if err != nil {
		t.Skipf("no recuerdo in PATH (set up by testscript.Main): %v", err)
	}
	return bin
}

func recuerdo(t *testing.T, bin, arch string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--archive", arch}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// killAfter starts recuerdo and kills it after d, reporting whether it was
// still running (false: it finished first).
func killAfter(t *testing.T, bin, arch string, d time.Duration, args ...string) bool {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--archive", arch, "-q"}, args...)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("recuerdo %v failed before the kill: %v", args, err)
		}
		return false
	case <-time.After(d):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		return true
	}
}

// verifyArchive opens the archive and checks it: catalogue and originals
// agree, and each interview is fully there (both tracks, every segment,
// its seal) or absent. It returns how many are there.
func verifyArchive(t *testing.T, arch string, ids []string) int {
	t.Helper()
	ctx := context.Background()
	a, err := archive.Open(arch)
	if err != nil {
		t.Fatalf("archive does not open: %v", err)
	}
	defer a.Close()
	if probs, err := a.Check(ctx); err != nil || len(probs) > 0 {
		t.Fatalf("archive check: %v %v", probs, err)
	}
	present := 0
	for i, id := range ids {
		iv, err := a.Interview(ctx, id, true)
		if err != nil {
			continue
		}
		present++
		if len(iv.Tracks) != 2 || len(iv.Tracks[0].Segments) != killCues || len(iv.Tracks[1].Segments) != killCues {
			t.Fatalf("%s is half there: %d tracks", id, len(iv.Tracks))
		}
		if n, _ := strconv.Atoi(id[len(id)-2:]); n%2 == 1 && (iv.Access != archive.Family || len(iv.Sealed) != 1) {
			t.Fatalf("%s (%d) lost its access or seal: %v %+v", id, i, iv.Access, iv.Sealed)
		}
		if als, _ := a.Alignments(ctx, id); len(als) != 1 {
			t.Fatalf("%s has %d alignments, want 1", id, len(als))
		}
	}
	return present
}

// TestIngestKilled kills `recuerdo ingest BATCH` at random moments; after
// each kill the archive opens, checks clean (recuerdo check included),
// holds each interview fully or not at all, and a re-run completes the batch.
func TestIngestKilled(t *testing.T) {
	runs, r := killRuns(t)
	bin := recuerdoBin(t)
	tmp := t.TempDir()
	batch := filepath.Join(tmp, "batch")
	ids := writeBatch(t, batch, 1, killInterviews)
	// How long a whole ingest takes here, to spread the kills over it.
	start := time.Now()
	if out, err := recuerdo(t, bin, filepath.Join(tmp, "timing"), "ingest", batch); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	full := time.Since(start)
	kills, partial := 0, 0
	hist := make([]int, killInterviews+1)
	for i := 0; i < runs; i++ {
		arch := filepath.Join(tmp, fmt.Sprintf("a%d", i))
		initArchive(t, bin, arch)
		// Most kills early: storing the catalogue is the short first part
		// of an ingest, indexing the long second.
		u := r.Float64()
		d := time.Duration(u * u * u * float64(full+full/4))
		if killAfter(t, bin, arch, d, "ingest", batch) {
			kills++
		}
		n := verifyArchive(t, arch, ids)
		hist[n]++
		if n > 0 && n < len(ids) {
			partial++
		}
		if out, err := recuerdo(t, bin, arch, "check"); err != nil {
			t.Fatalf("run %d (killed after %s, %d of %d interviews in): recuerdo check: %v\n%s", i, d, n, len(ids), err, out)
		}
		if out, err := recuerdo(t, bin, arch, "ingest", batch); err != nil {
			t.Fatalf("run %d: re-run: %v\n%s", i, err, out)
		}
		if n := verifyArchive(t, arch, ids); n != len(ids) {
			t.Fatalf("run %d: re-run left %d of %d interviews", i, n, len(ids))
		}
		if out, err := recuerdo(t, bin, arch, "check"); err != nil {
			t.Fatalf("run %d: check after re-run: %v\n%s", i, err, out)
		}
		os.RemoveAll(arch)
	}
	t.Logf("ingest of %d interviews (%d segments each) takes %s; %d runs, %d killed mid-way, %d with the batch partly in; interviews present after the kill (0..%d): %v; every archive checked clean and every re-run completed",
		killInterviews, 2*killCues, full.Round(time.Millisecond), runs, kills, partial, killInterviews, hist)
}

// TestReindexKilled kills `recuerdo reindex` at random moments: the
// archive checks clean afterwards (the index is the old one, or missing and
// rebuilt by the next command), and a re-run completes.
func TestReindexKilled(t *testing.T) {
	runs, r := killRuns(t)
	bin := recuerdoBin(t)
	tmp := t.TempDir()
	batch := filepath.Join(tmp, "batch")
	ids := writeBatch(t, batch, 1, killInterviews)
	arch := filepath.Join(tmp, "arch")
	initArchive(t, bin, arch)
	if out, err := recuerdo(t, bin, arch, "ingest", batch); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	start := time.Now()
	if out, err := recuerdo(t, bin, arch, "reindex"); err != nil {
		t.Fatalf("reindex: %v\n%s", err, out)
	}
	full := time.Since(start)
	kills, missing, leftovers := 0, 0, 0
	for i := 0; i < runs; i++ {
		d := time.Duration(r.Int63n(int64(full + full/4)))
		if killAfter(t, bin, arch, d, "reindex") {
			kills++
		}
		if _, err := os.Stat(filepath.Join(arch, "index")); err != nil {
			missing++
		}
		if _, err := os.Stat(filepath.Join(arch, "index.new")); err == nil {
			leftovers++
		}
		verifyArchive(t, arch, ids)
		if out, err := recuerdo(t, bin, arch, "check"); err != nil {
			t.Fatalf("run %d (killed after %s): recuerdo check: %v\n%s", i, d, err, out)
		}
		if out, err := recuerdo(t, bin, arch, "reindex"); err != nil {
			t.Fatalf("run %d: re-run: %v\n%s", i, err, out)
		}
		if _, err := os.Stat(filepath.Join(arch, "index.new")); err == nil {
			t.Fatalf("run %d: reindex left index.new behind", i)
		}
	}
	if out, err := recuerdo(t, bin, arch, "check"); err != nil {
		t.Fatalf("final check: %v\n%s", err, out)
	}
	t.Logf("reindex of %d segments takes %s; %d runs, %d killed mid-way; after the kill the index was missing %d time(s) and a half-built index.new was left %d time(s); every check passed and every re-run completed",
		killInterviews*2*killCues, full.Round(time.Millisecond), runs, kills, missing, leftovers)
}

// TestConcurrentWriters runs two ingests of different interviews at once,
// then an ingest while reindex runs: one waits for the other, both
// succeed, and the archive checks clean.
func TestConcurrentWriters(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	bin := recuerdoBin(t)
	tmp := t.TempDir()
	one, two, three := filepath.Join(tmp, "one"), filepath.Join(tmp, "two"), filepath.Join(tmp, "three")
	ids := append(append(writeBatch(t, one, 1, 2), writeBatch(t, two, 3, 2)...), writeBatch(t, three, 5, 2)...)
	arch := filepath.Join(tmp, "arch")
	if out, err := recuerdo(t, bin, arch, "init"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	both := func(a, b []string) {
		t.Helper()
		outs := make(chan string, 2)
		for _, args := range [][]string{a, b} {
			go func() {
				out, err := recuerdo(t, bin, arch, args...)
				if err != nil {
					out = fmt.Sprintf("recuerdo %v: %v\n%s", args, err, out)
				} else {
					out = ""
				}
				outs <- out
			}()
		}
		for range 2 {
			if out := <-outs; out != "" {
				t.Error(out)
			}
		}
	}
	both([]string{"ingest", one}, []string{"ingest", two})
	if n := verifyArchive(t, arch, ids[:4]); n != 4 {
		t.Errorf("got %d of 4 interviews after two ingests at once", n)
	}
	both([]string{"reindex"}, []string{"ingest", three})
	if n := verifyArchive(t, arch, ids); n != 6 {
		t.Errorf("got %d of 6 interviews after ingest during reindex", n)
	}
	if out, err := recuerdo(t, bin, arch, "check"); err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
}

// TestBusyNamesHolder: a writer that cannot get the archive says who holds
// it, and exits 4.
func TestBusyNamesHolder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	bin := recuerdoBin(t)
	arch := filepath.Join(t.TempDir(), "arch")
	a, err := archive.Create(arch)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	lock, err := a.Lock("ingest abuelo-autobus", 0)
	if err != nil {
		t.Fatal(err)
	}
	// Release it after the other process has waited a while: it gets in.
	go func() { time.Sleep(time.Second); lock.Unlock() }()
	if out, err := recuerdo(t, bin, arch, "reindex"); err != nil {
		t.Fatalf("reindex after waiting: %v\n%s", err, out)
	}
	// Held for longer than archive.LockWait: it fails, naming the holder.
	if os.Getenv("RECUERDO_SLOW_TESTS") != "" {
		lock, err := a.Lock("ingest abuelo-autobus", 0)
		if err != nil {
			t.Fatal(err)
		}
		defer lock.Unlock()
		out, err := recuerdo(t, bin, arch, "reindex")
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitBusy {
			t.Fatalf("got %v, want exit %d\n%s", err, exitBusy, out)
		}
		want := fmt.Sprintf("archive is busy: held by pid %d (ingest abuelo-autobus) since ", os.Getpid())
		if !strings.Contains(out, want) {
			t.Errorf("got %q, want it to contain %q", out, want)
		}
	}
}
