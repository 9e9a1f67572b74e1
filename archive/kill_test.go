package archive

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bigSRT makes a subtitle file of n cues.
func bigSRT(n int, lang string) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		s := 1000 + i*3000
		fmt.Fprintf(&b, "%d\n%s --> %s\n", i+1, srtTime(s), srtTime(s+2500))
		if lang == "es" {
			fmt.Fprintf(&b, "Segmento %d: el autobús salía de Durango cada mes.\n\n", i+1)
		} else {
			fmt.Fprintf(&b, "Segment %d: the bus left Durango every month.\n\n", i+1)
		}
	}
	return []byte(b.String())
}

func srtTime(ms int) string {
	return fmt.Sprintf("%02d:%02d:%02d,%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// TestKillHelper is not a test: run by TestIngestSurvivesKill in a child
// process, it ingests one large interview into the archive it is given.
func TestKillHelper(t *testing.T) {
	dir := os.Getenv("RECUERDO_KILL_ARCHIVE")
	if dir == "" {
		t.Skip("helper process only")
	}
	a, err := OpenOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	id := os.Getenv("RECUERDO_KILL_ID")
	src := &Source{
		Interview: Interview{ID: id, Title: id, Language: "es", Narrators: []string{}, Interviewers: []string{}, Media: []Media{}, Sealed: []Seal{}},
		HasMeta:   true,
		Files: []File{
			{Name: "es.srt", Lang: "es", Data: bigSRT(4000, "es")},
			{Name: "en.srt", Lang: "en", Data: bigSRT(4000, "en")},
		},
	}
	if _, err := a.Ingest(context.Background(), src); err != nil {
		t.Fatal(err)
	}
}

// TestIngestSurvivesKill kills an ingest at random moments: afterwards the
// archive opens, checks clean, and holds each interview fully or not at all.
func TestIngestSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	dir := filepath.Join(t.TempDir(), "arch")
	a, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	killIngests(t, dir, 8, func(r *rand.Rand, _ int, _ string) string {
		time.Sleep(time.Duration(50+r.Intn(600)) * time.Millisecond)
		return ""
	})
}

// killOutcome is what one killed ingest left: when the kill came, as the
// plan said, and whether the interview is absent (else it is whole).
type killOutcome struct {
	when   string
	absent bool
}

// killIngests kills runs ingests into the archive in dir at random
// moments: afterwards the archive opens, checks clean, and holds each
// interview fully or not at all; a re-run completes it. Each kill comes
// when wait returns, called after run i's child started; the child's
// connections to a PostgreSQL catalogue are named app.
func killIngests(t *testing.T, dir string, runs int, wait func(r *rand.Rand, i int, app string) string) []killOutcome {
	t.Helper()
	r := rand.New(rand.NewSource(1))
	var out []killOutcome
	for i := 0; i < runs; i++ {
		id := fmt.Sprintf("big-%d", i)
		app := fmt.Sprintf("recuerdo-kill-%d", i)
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$")
		cmd.Env = append(os.Environ(), "RECUERDO_KILL_ARCHIVE="+dir, "RECUERDO_KILL_ID="+id, "PGAPPNAME="+app)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		when := wait(r, i, app)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		killed := err != nil

		a, err := Open(dir)
		if err != nil {
			t.Fatalf("run %d: archive does not open after kill: %v", i, err)
		}
		probs, err := a.Check(context.Background())
		if err != nil || len(probs) != 0 {
			t.Fatalf("run %d: check after kill: %v %v", i, probs, err)
		}
		iv, err := a.Interview(context.Background(), id, true)
		switch {
		case err != nil:
			t.Logf("run %d: killed=%v%s, interview absent", i, killed, strings.TrimRight(" "+when, " "))
		case len(iv.Tracks) != 2 || len(iv.Tracks[0].Segments) != 4000 || len(iv.Tracks[1].Segments) != 4000:
			t.Fatalf("run %d: interview half there: %d tracks", i, len(iv.Tracks))
		default:
			t.Logf("run %d: killed=%v%s, interview complete", i, killed, strings.TrimRight(" "+when, " "))
		}
		// A re-run completes what the kill interrupted.
		res, err := a.Ingest(context.Background(), &Source{
			Interview: Interview{ID: id, Title: id, Language: "es", Narrators: []string{}, Interviewers: []string{}, Media: []Media{}, Sealed: []Seal{}},
			HasMeta:   true,
			Files:     []File{{Name: "es.srt", Lang: "es", Data: bigSRT(4000, "es")}, {Name: "en.srt", Lang: "en", Data: bigSRT(4000, "en")}},
		})
		if err != nil {
			t.Fatalf("run %d: re-run: %v", i, err)
		}
		if iv != nil && res.Changed() {
			t.Errorf("run %d: re-run changed a complete interview: %+v", i, res)
		}
		a.Close()
		out = append(out, killOutcome{when: when, absent: iv == nil})
	}
	return out
}
