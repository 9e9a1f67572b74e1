package archive

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the tests' own schemas
)

// The PostgreSQL catalogue's tests run against a real server named by
// RECUERDO_TEST_POSTGRES (deploy/postgres/run start prints one), each in
// a schema of its own, made and dropped by the test.

// testPostgres returns the URL of a fresh, empty schema on the test server.
func testPostgres(t *testing.T) string {
	t.Helper()
	base := os.Getenv("RECUERDO_TEST_POSTGRES")
	if base == "" {
		t.Skip("RECUERDO_TEST_POSTGRES is not set: start a server with deploy/postgres/run start and set it to the URL it prints")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, strings.ToLower(t.Name()))
	schema := fmt.Sprintf("t_%.30s_%d", name, time.Now().UnixNano()%1e9)
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema on %s: %v", redact(base), err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// pgMachine is one machine's folder on an archive whose catalogue is at catalogue.
func pgMachine(t *testing.T, catalogue string) (string, Config) {
	t.Helper()
	return filepath.Join(t.TempDir(), "arch"), Config{Catalogue: catalogue}
}

func TestPostgresCreateJoinOpen(t *testing.T) {
	ctx := context.Background()
	pg := testPostgres(t)
	shared := t.TempDir()
	dir1 := filepath.Join(t.TempDir(), "one")
	c := Config{Catalogue: pg, Originals: shared}
	a1, err := CreateWith(dir1, c)
	if err != nil {
		t.Fatal(err)
	}
	defer a1.Close()
	if a1.Joined() {
		t.Errorf("first CreateWith: Joined() = true, want false")
	}
	if _, err := os.Stat(filepath.Join(dir1, catalogueName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a PostgreSQL archive's folder holds %s (err %v)", catalogueName, err)
	}
	if got, err := ReadConfig(dir1); err != nil || got != c {
		t.Errorf("ReadConfig = %+v, %v; want %+v", got, err, c)
	}
	if strings.Contains(a1.Catalogue(), ":recuerdo@") && strings.Contains(pg, ":recuerdo@") {
		t.Errorf("Catalogue() = %q shows the password", a1.Catalogue())
	}
	if _, err := a1.Ingest(ctx, testSource("abuelo")); err != nil {
		t.Fatal(err)
	}
	iv, err := a1.Interview(ctx, "abuelo", true)
	if err != nil {
		t.Fatal(err)
	}
	sum := iv.Tracks[0].SHA256
	if _, err := os.Stat(filepath.Join(shared, "objects", "sha256", sum[:2], sum)); err != nil {
		t.Errorf("the original is not in the shared folder: %v", err)
	}

	// A second machine joins the catalogue instead of making it again.
	dir2 := filepath.Join(t.TempDir(), "two")
	a2, err := CreateWith(dir2, c)
	if err != nil {
		t.Fatal(err)
	}
	if !a2.Joined() {
		t.Errorf("second CreateWith: Joined() = false, want true")
	}
	got, err := a2.Interview(ctx, "abuelo", true)
	if err != nil {
		t.Fatalf("the second machine does not see the first's interview: %v", err)
	}
	if !reflect.DeepEqual(got, iv) {
		t.Errorf("the second machine reads\n%+v\nwant\n%+v", got, iv)
	}
	if data, err := a2.Original(sum); err != nil || string(data) != esSRT {
		t.Errorf("Original from the second machine: %d bytes, %v", len(data), err)
	}
	a2.Close()
	for _, open := range []func(string) (*Archive, error){Open, OpenReadOnly, OpenOrCreate} {
		a, err := open(dir2)
		if err != nil {
			t.Fatal(err)
		}
		n, err := a.Interviews(ctx)
		if err != nil || len(n) != 1 {
			t.Errorf("Interviews after open: %d, %v; want 1", len(n), err)
		}
		a.Close()
	}
	ro, err := OpenReadOnly(dir2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.Ingest(ctx, testSource("otra")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Ingest read-only = %v, want ErrReadOnly", err)
	}
	ro.Close()

	// Open without a schema made, and a folder configured otherwise.
	empty := testPostgres(t)
	dir3 := filepath.Join(t.TempDir(), "three")
	os.MkdirAll(dir3, 0o755)
	if err := WriteConfig(dir3, Config{Catalogue: empty}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir3); !errors.Is(err, ErrNoArchive) {
		t.Errorf("Open of an empty schema = %v, want ErrNoArchive", err)
	}
	if _, err := CreateWith(dir1, Config{Catalogue: empty}); err == nil {
		t.Errorf("CreateWith over a folder configured otherwise succeeded")
	}
}

// TestPostgresCreateRace: machines that create the same archive at once
// make it once; the others join it.
func TestPostgresCreateRace(t *testing.T) {
	pg := testPostgres(t)
	const n = 4
	var wg sync.WaitGroup
	joined := make(chan bool, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dir, c := pgMachine(t, pg)
			a, err := CreateWith(dir, c)
			if err != nil {
				t.Error(err)
				return
			}
			joined <- a.Joined()
			a.Close()
		}()
	}
	wg.Wait()
	close(joined)
	made := 0
	for j := range joined {
		if !j {
			made++
		}
	}
	if made != 1 {
		t.Errorf("%d of %d machines made the catalogue, want 1", made, n)
	}
	dir, _ := pgMachine(t, pg)
	os.MkdirAll(dir, 0o755)
	WriteConfig(dir, Config{Catalogue: pg})
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	hist, err := a.History(context.Background())
	if err != nil || len(hist) != 1 || hist[0].Event != "create" {
		t.Errorf("history = %+v, %v; want one create", hist, err)
	}
}

// ingestAll runs the same ingests on an archive: the samples, a second
// version of one of their tracks, a new interview and a selection, a
// glossary entry and the learned lexicon.
func ingestAll(t *testing.T, a *Archive) {
	t.Helper()
	ctx := context.Background()
	dirs, _ := filepath.Glob("../samples/*/interview.yaml")
	if len(dirs) == 0 {
		t.Fatal("no samples")
	}
	for _, y := range dirs {
		src, err := LoadFolder(filepath.Dir(y))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Ingest(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Ingest(ctx, testSource("abuelo")); err != nil {
		t.Fatal(err)
	}
	src := testSource("abuelo")
	src.Interview.Title = "Los viajes a El Paso"
	src.Interview.Sealed = []Seal{{StartMS: 3000, EndMS: 6000, Until: "2090-01-01", Level: Family, Reason: "privado"}}
	src.Files = []File{{Name: "en.srt", Lang: "en", Data: []byte(strings.Replace(enSRT, "bus", "coach", 1))}}
	if _, err := a.Ingest(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := a.SetGlossary(ctx, GlossaryEntry{FromLang: "es", From: "troca", ToLang: "en", To: "truck", Note: "norteño"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.LearnLexicon(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.SaveSelection(ctx, &Selection{ID: "favoritas", Title: "Favoritas", Items: []SelectionItem{{Interview: "abuelo", StartMS: 1000, EndMS: 3000, Note: "el autobús"}}}); err != nil {
		t.Fatal(err)
	}
}

// catalogueView is what an archive holds, with what only the clock
// decides (when a track was added, when an event happened) left out.
type catalogueView struct {
	Interviews []*Interview
	Alignments map[string][]Alignment
	Generation int64
	Events     []string
	Glossary   []GlossaryEntry
	Selections []Selection
}

func viewOf(t *testing.T, a *Archive) catalogueView {
	t.Helper()
	ctx := context.Background()
	v := catalogueView{Alignments: map[string][]Alignment{}}
	ivs, err := a.Interviews(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range ivs {
		full, err := a.Interview(ctx, iv.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		for i := range full.Tracks {
			full.Tracks[i].AddedAt = time.Time{}
		}
		v.Interviews = append(v.Interviews, full)
		if v.Alignments[iv.ID], err = a.Alignments(ctx, iv.ID); err != nil {
			t.Fatal(err)
		}
	}
	if v.Generation, err = a.Generation(ctx); err != nil {
		t.Fatal(err)
	}
	hist, err := a.History(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range hist {
		v.Events = append(v.Events, e.Event+" "+e.Interview+" "+e.Detail)
	}
	if v.Glossary, err = a.Glossary(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range v.Glossary {
		v.Glossary[i].AddedAt = ""
	}
	if v.Selections, err = a.Selections(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range v.Selections {
		v.Selections[i].Created, v.Selections[i].Updated = "", ""
	}
	return v
}

// TestPostgresSameAsSQLite makes the same ingests on both catalogues and
// reads back the same archive: interviews, tracks (ids too), segments,
// chapters, word accounting, alignments and their pairs, the generation,
// the history, the glossary and the selections.
func TestPostgresSameAsSQLite(t *testing.T) {
	ctx := context.Background()
	dir, c := pgMachine(t, testPostgres(t))
	pa, err := CreateWith(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	defer pa.Close()
	sa := newSQLiteArchive(t)
	ingestAll(t, sa)
	ingestAll(t, pa)
	sv, pv := viewOf(t, sa), viewOf(t, pa)
	if len(sv.Interviews) != 4 {
		t.Fatalf("SQLite holds %d interviews, want 4", len(sv.Interviews))
	}
	compareViews(t, sv, pv)
	for name, a := range map[string]*Archive{"sqlite": sa, "postgres": pa} {
		probs, err := a.CheckWith(ctx, CheckOptions{Full: true})
		if err != nil || len(probs) != 0 {
			t.Errorf("%s: check: %v %v", name, probs, err)
		}
	}
	sl, err := sa.Lexicon(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := pa.Lexicon(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"autobús", "troca", "abuela", "casa"} {
		if s, p := sl.Translations("es", w), pl.Translations("es", w); !reflect.DeepEqual(s, p) {
			t.Errorf("lexicon %q: sqlite %v, postgres %v", w, s, p)
		}
	}
}

func compareViews(t *testing.T, sv, pv catalogueView) {
	t.Helper()
	if !reflect.DeepEqual(sv.Interviews, pv.Interviews) {
		for i := range sv.Interviews {
			if i >= len(pv.Interviews) || !reflect.DeepEqual(sv.Interviews[i], pv.Interviews[i]) {
				t.Errorf("interview %d differs:\nsqlite   %+v\npostgres %+v", i, sv.Interviews[i], pv.Interviews[min(i, len(pv.Interviews)-1)])
				break
			}
		}
	}
	if !reflect.DeepEqual(sv.Alignments, pv.Alignments) {
		t.Errorf("alignments differ:\nsqlite   %+v\npostgres %+v", sv.Alignments, pv.Alignments)
	}
	if sv.Generation != pv.Generation {
		t.Errorf("generation: sqlite %d, postgres %d", sv.Generation, pv.Generation)
	}
	if !reflect.DeepEqual(sv.Events, pv.Events) {
		t.Errorf("history:\nsqlite   %q\npostgres %q", sv.Events, pv.Events)
	}
	if !reflect.DeepEqual(sv.Glossary, pv.Glossary) {
		t.Errorf("glossary: sqlite %+v, postgres %+v", sv.Glossary, pv.Glossary)
	}
	if !reflect.DeepEqual(sv.Selections, pv.Selections) {
		t.Errorf("selections: sqlite %+v, postgres %+v", sv.Selections, pv.Selections)
	}
}

// TestPostgresExportImport moves an archive between the catalogues both
// ways through an export and reads the same archive back.
func TestPostgresExportImport(t *testing.T) {
	ctx := context.Background()
	dir, c := pgMachine(t, testPostgres(t))
	pa, err := CreateWith(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	defer pa.Close()
	ingestAll(t, pa)
	want := viewOf(t, pa)
	for _, tarred := range []bool{false, true} {
		dst := filepath.Join(t.TempDir(), "export")
		if tarred {
			dst += ".tar"
		}
		if _, err := pa.Export(ctx, dst, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		sa := newSQLiteArchive(t)
		if _, err := sa.Import(ctx, dst); err != nil {
			t.Fatalf("import into sqlite: %v", err)
		}
		dir2, c2 := pgMachine(t, testPostgres(t))
		pb, err := CreateWith(dir2, c2)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pb.Import(ctx, dst); err != nil {
			t.Fatalf("import into postgres: %v", err)
		}
		sv, pv := viewOf(t, sa), viewOf(t, pb)
		compareViews(t, sv, pv)
		for i := range want.Interviews {
			for j := range want.Interviews[i].Tracks {
				want.Interviews[i].Tracks[j].Words = nil // an export does not carry the word accounting
			}
			if !reflect.DeepEqual(pv.Interviews[i], want.Interviews[i]) {
				t.Errorf("tar=%v: imported interview differs from the exported one:\n%+v\n%+v", tarred, pv.Interviews[i], want.Interviews[i])
			}
		}
		if !reflect.DeepEqual(pv.Alignments, want.Alignments) {
			t.Errorf("tar=%v: the imported alignments differ from the exported ones", tarred)
		}
		// New rows after an import are numbered after the imported ones.
		if _, err := pb.Ingest(ctx, testSource("nueva")); err != nil {
			t.Fatalf("ingest after import: %v", err)
		}
		if _, err := sa.Ingest(ctx, testSource("nueva")); err != nil {
			t.Fatal(err)
		}
		compareViews(t, viewOf(t, sa), viewOf(t, pb))
		for name, a := range map[string]*Archive{"sqlite": sa, "postgres": pb} {
			if probs, err := a.Check(ctx); err != nil || len(probs) != 0 {
				t.Errorf("tar=%v %s: check after import: %v %v", tarred, name, probs, err)
			}
		}
		pb.Close()
	}
}

// TestPostgresLockAcrossMachines holds the write lock from one machine:
// another waits, then is told who holds it.
func TestPostgresLockAcrossMachines(t *testing.T) {
	ctx := context.Background()
	pg := testPostgres(t)
	dir1, c := pgMachine(t, pg)
	a1, err := CreateWith(dir1, c)
	if err != nil {
		t.Fatal(err)
	}
	defer a1.Close()
	dir2, _ := pgMachine(t, pg)
	a2, err := CreateWith(dir2, c)
	if err != nil {
		t.Fatal(err)
	}
	defer a2.Close()
	a2.SetLockWait(300 * time.Millisecond)

	l, err := a1.Lock("ingest on the first machine", 0)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = a2.Lock("second", a2.LockWait())
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("second machine's Lock = %v, want ErrBusy", err)
	}
	host, _ := os.Hostname()
	want := fmt.Sprintf("pid %d on %s (ingest on the first machine)", os.Getpid(), host)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("ErrBusy = %q, want it to name the holder %q", err, want)
	}
	if waited := time.Since(start); waited < 250*time.Millisecond {
		t.Errorf("the second machine waited %v, want about 300ms", waited)
	}
	if _, err := a2.Ingest(ctx, testSource("abuelo")); !errors.Is(err, ErrBusy) {
		t.Errorf("Ingest on the second machine while the first holds the lock = %v, want ErrBusy", err)
	}
	if iv, err := a1.Interviews(ctx); err != nil || len(iv) != 0 {
		t.Errorf("a refused ingest left %d interviews (%v)", len(iv), err)
	}
	// The first machine still writes under its own lock? No: its writes
	// take the lock too, so it releases first.
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	l2, err := a2.Lock("second", a2.LockWait())
	if err != nil {
		t.Fatalf("Lock after the first machine let go: %v", err)
	}
	l2.Unlock()

	// A machine that dies holding the lock does not keep it.
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelper$")
	cmd.Env = append(os.Environ(), "RECUERDO_LOCK_ARCHIVE="+dir1)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "locked" {
		t.Fatalf("the helper said %q, %v; want locked", line, err)
	}
	_, err = a2.Lock("while the child holds it", 0)
	if want := fmt.Sprintf("pid %d on %s (held by a child)", cmd.Process.Pid, host); !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), want) {
		t.Errorf("Lock while a child holds it = %v, want ErrBusy naming %q", err, want)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if l3, err := a2.Lock("after a death", 10*time.Second); err != nil {
		t.Errorf("Lock after the holder was killed: %v", err)
	} else {
		l3.Unlock()
	}
}

// TestLockHelper is not a test: run by TestPostgresLockAcrossMachines in
// a child process, it takes the archive's write lock, says so and waits
// to be killed.
func TestLockHelper(t *testing.T) {
	dir := os.Getenv("RECUERDO_LOCK_ARCHIVE")
	if dir == "" {
		t.Skip("helper process only")
	}
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Lock("held by a child", 0); err != nil {
		t.Fatal(err)
	}
	fmt.Println("locked")
	time.Sleep(time.Minute)
}

// TestPostgresConcurrentIngests ingests from two machines at once: every
// interview is whole, versions and the generation count every change.
func TestPostgresConcurrentIngests(t *testing.T) {
	ctx := context.Background()
	pg := testPostgres(t)
	var machines []*Archive
	for i := 0; i < 2; i++ {
		dir, c := pgMachine(t, pg)
		a, err := CreateWith(dir, c)
		if err != nil {
			t.Fatal(err)
		}
		a.SetLockWait(time.Minute)
		defer a.Close()
		machines = append(machines, a)
	}
	gen0, err := machines[0].Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const each = 4
	var wg sync.WaitGroup
	errs := make(chan error, 2*each*2)
	for m, a := range machines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				// Each machine ingests its own interviews and a shared one.
				for _, id := range []string{fmt.Sprintf("m%d-%d", m, i), "shared"} {
					src := testSource(id)
					src.Interview.Title = fmt.Sprintf("machine %d, round %d", m, i)
					if _, err := a.Ingest(ctx, src); err != nil {
						errs <- fmt.Errorf("machine %d: %w", m, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	a := machines[1]
	ivs, err := a.Interviews(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ivs) != 2*each+1 {
		t.Fatalf("%d interviews, want %d", len(ivs), 2*each+1)
	}
	changes := int64(0)
	for _, iv := range ivs {
		full, err := a.Interview(ctx, iv.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Tracks) != 2 || len(full.Tracks[0].Segments) != 3 || len(full.Tracks[1].Segments) != 4 {
			t.Errorf("%s is not whole: %d tracks", iv.ID, len(full.Tracks))
		}
		changes += full.Version
	}
	if got := ivs[len(ivs)-1]; got.ID != "shared" || got.Version != 2*each {
		t.Errorf("shared interview: %s version %d, want version %d (one per change)", got.ID, got.Version, 2*each)
	}
	gen, err := a.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if gen-gen0 != changes {
		t.Errorf("generation went from %d to %d, want %d more (one per change)", gen0, gen, changes)
	}
	if probs, err := a.Check(ctx); err != nil || len(probs) != 0 {
		t.Errorf("check: %v %v", probs, err)
	}
}

// TestPostgresCheckFinds breaks a PostgreSQL archive in ways Check must see.
func TestPostgresCheckFinds(t *testing.T) {
	ctx := context.Background()
	pg := testPostgres(t)
	dir, c := pgMachine(t, pg)
	a, err := CreateWith(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Ingest(ctx, testSource("abuelo")); err != nil {
		t.Fatal(err)
	}
	if probs, err := a.Check(ctx); err != nil || len(probs) != 0 {
		t.Fatalf("check of a sound archive: %v %v", probs, err)
	}
	// A constraint that some rows break, added without checking them.
	if _, err := a.db.Exec(`ALTER TABLE segments ADD CONSTRAINT late_start CHECK (start_ms > 5000) NOT VALID`); err != nil {
		t.Fatal(err)
	}
	// An original gone from the shared folder.
	iv, err := a.Interview(ctx, "abuelo", false)
	if err != nil {
		t.Fatal(err)
	}
	sum := iv.Tracks[0].SHA256
	p := a.objectPath(sum)
	os.Chmod(p, 0o644)
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	probs, err := a.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var what []string
	for _, p := range probs {
		what = append(what, p.What+": "+p.Msg)
	}
	got := strings.Join(what, "\n")
	for _, want := range []string{"late_start is not validated", "original"} {
		if !strings.Contains(got, want) {
			t.Errorf("check found\n%s\nwant a problem mentioning %q", got, want)
		}
	}
}

// TestPostgresIngestSurvivesKill kills ingests into a PostgreSQL
// catalogue at random moments, as TestIngestSurvivesKill does on SQLite.
func TestPostgresIngestSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	pg := testPostgres(t)
	dir, c := pgMachine(t, pg)
	a, err := CreateWith(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	watch, err := sql.Open("pgx", pg)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close()
	// writing reports whether the child named app is inside its ingest's
	// transaction, storing segments.
	writing := func(app string) bool {
		var n int
		err := watch.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE application_name = $1
			AND xact_start IS NOT NULL AND query LIKE 'INSERT INTO segments%'`, app).Scan(&n)
		return err == nil && n > 0
	}
	// How long one whole ingest takes, child process and all, so that the
	// kills fall before, during and after its transaction.
	start := time.Now()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$")
	cmd.Env = append(os.Environ(), "RECUERDO_KILL_ARCHIVE="+dir, "RECUERDO_KILL_ID=timing")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("a whole ingest: %v\n%s", err, out)
	}
	whole := time.Since(start)
	t.Logf("a whole ingest of 8000 segments takes %v", whole.Round(time.Millisecond))
	// Even runs: a kill at any moment of the child's life. Odd runs: a kill
	// while the child is seen storing segments, its transaction half
	// written; the interview must then be absent.
	outcomes := killIngests(t, dir, 8, func(r *rand.Rand, i int, app string) string {
		if i%2 == 0 {
			time.Sleep(50*time.Millisecond + time.Duration(r.Int63n(int64(whole))))
			return "at a random moment"
		}
		deadline := time.Now().Add(30 * time.Second)
		for !writing(app) {
			if time.Now().After(deadline) {
				return "(never seen writing)"
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(r.Intn(100)) * time.Millisecond)
		if !writing(app) {
			return "after its segments"
		}
		return "mid-transaction"
	})
	midTx := 0
	for i, o := range outcomes {
		if o.when == "mid-transaction" {
			midTx++
			if !o.absent {
				t.Errorf("run %d: killed mid-transaction, yet the interview is there", i)
			}
		}
	}
	if midTx == 0 {
		t.Errorf("no kill came mid-transaction: %+v", outcomes)
	}
}

func TestPgQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{`SELECT a FROM t WHERE x = ? AND y = '?' AND z = ?`, `SELECT a FROM t WHERE x = $1 AND y = '?' AND z = $2`},
		{`UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'`, `UPDATE meta SET value = CAST(value AS BIGINT) + 1 WHERE key = 'generation'`},
		{"CREATE TABLE s (id INTEGER PRIMARY KEY, w REAL NOT NULL, b BLOB) WITHOUT ROWID", "CREATE TABLE s (id BIGINT PRIMARY KEY, w DOUBLE PRECISION NOT NULL, b BYTEA)"},
		{`INSERT OR REPLACE INTO lexicon (from_lang, from_word, to_lang, to_word, weight, count) VALUES (?,?,?,?,?,?)`,
			`INSERT INTO lexicon (from_lang, from_word, to_lang, to_word, weight, count) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (from_lang, from_word, to_lang, to_word) DO UPDATE SET weight = excluded.weight, count = excluded.count`},
		{`INSERT OR IGNORE INTO x (a) VALUES (?)`, `INSERT INTO x (a) VALUES ($1) ON CONFLICT DO NOTHING`},
		{`SELECT 'it''s ? INTEGER', "INTEGER" FROM t WHERE a = ?`, `SELECT 'it''s ? INTEGER', "INTEGER" FROM t WHERE a = $1`},
		{"CREATE FUNCTION f() RETURNS trigger AS $$ SELECT ? INTEGER $$", "CREATE FUNCTION f() RETURNS trigger AS $$ SELECT ? INTEGER $$"},
	}
	for _, tt := range tests {
		if got := rewritePG(tt.in); got != tt.want {
			t.Errorf("rewritePG(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// sqliteOnly skips a test that is about SQLite itself when the archive's
// tests run on PostgreSQL (RECUERDO_TEST_CATALOGUE=postgres), saying why.
func sqliteOnly(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("RECUERDO_TEST_CATALOGUE") == "postgres" {
		t.Skip("SQLite only: " + why)
	}
}

// TestPostgresReadOnlyExport: a read-only archive on PostgreSQL does not
// keep other machines' writers out while it is open, only while it
// exports; and it waits for a writer to finish before exporting.
func TestPostgresReadOnlyExport(t *testing.T) {
	ctx := context.Background()
	pg := testPostgres(t)
	dir, c := pgMachine(t, pg)
	w, err := CreateWith(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.SetLockWait(200 * time.Millisecond)
	if _, err := w.Ingest(ctx, testSource("viajes")); err != nil {
		t.Fatal(err)
	}
	ro, err := OpenWith(dir, Options{ReadOnly: true, LockWait: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := w.Ingest(ctx, testSource("nueva")); err != nil {
		t.Errorf("ingest while another handle reads: %v", err)
	}
	if _, err := ro.db.Exec(`DELETE FROM history`); err == nil {
		t.Errorf("a read-only archive's connection wrote to the catalogue")
	}
	l, err := w.Lock("ingest", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.Export(ctx, filepath.Join(t.TempDir(), "x"), ExportOptions{}); !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "(ingest)") {
		t.Errorf("export while a writer holds the lock = %v, want ErrBusy naming it", err)
	}
	l.Unlock()
	hold, err := ro.holdToRead("export")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Ingest(ctx, testSource("otra")); !errors.Is(err, ErrBusy) {
		t.Errorf("ingest while a read-only archive exports = %v, want ErrBusy", err)
	}
	hold.Unlock()
	res, err := ro.Export(ctx, filepath.Join(t.TempDir(), "y"), ExportOptions{})
	if err != nil || res.Interviews != 2 {
		t.Errorf("export from the read-only archive: %+v, %v; want 2 interviews", res, err)
	}
}

// TestPostgresUpgradeFromEachFormat makes a PostgreSQL catalogue of each
// released format, with the fixtures' content, and opens it with today's
// recuerdo: it is upgraded to today's format, every interview is as it
// was, the history says so, and check passes. (The SQLite fixtures of
// testdata/ are read by TestUpgradeFromEachFormat.)
func TestPostgresUpgradeFromEachFormat(t *testing.T) {
	ctx := context.Background()
	for _, format := range fixtureFormats {
		t.Run("format-"+strconv.Itoa(format), func(t *testing.T) {
			pg := testPostgres(t)
			dir, c := pgMachine(t, pg)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := WriteConfig(dir, c); err != nil {
				t.Fatal(err)
			}
			db, st, err := openPostgres(ctx, pg, false)
			if err != nil {
				t.Fatal(err)
			}
			old := &Archive{dir: dir, db: db, pg: st}
			if err := ensureLockTable(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := old.upgrade(migrations, format); err != nil {
				t.Fatal(err)
			}
			// The fixture's rows, as that format's recuerdo wrote them.
			fixture := copyFixture(t, format)
			copyRows(t, filepath.Join(fixture, catalogueName), db)
			if err := os.CopyFS(filepath.Join(dir, "objects"), os.DirFS(filepath.Join(fixture, "objects"))); err != nil {
				t.Fatal(err)
			}
			if v, _ := old.formatVersion(); int(v) != format {
				t.Fatalf("made format %d, want %d", v, format)
			}
			before, err := old.snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			priorUpgrades := 0
			if format >= 2 {
				if err := db.QueryRow(`SELECT count(*) FROM history WHERE event = 'upgrade'`).Scan(&priorUpgrades); err != nil {
					t.Fatal(err)
				}
			}
			old.Close()

			a, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if v, _ := a.formatVersion(); v != FormatVersion {
				t.Errorf("after Open: format %d, want %d", v, FormatVersion)
			}
			after, err := a.snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) {
				t.Errorf("the interviews changed in the upgrade:\nbefore %+v\nafter  %+v", before, after)
			}
			hist, err := a.History(ctx)
			if err != nil {
				t.Fatal(err)
			}
			upgrades := 0
			for _, e := range hist {
				if e.Event == "upgrade" {
					upgrades++
					if strings.Contains(e.Detail, "backup") {
						t.Errorf("history mentions a backup PostgreSQL upgrades do not take: %q", e.Detail)
					}
				}
			}
			if want := FormatVersion - format + priorUpgrades; upgrades != want {
				t.Errorf("history has %d upgrade(s), want %d: %+v", upgrades, want, hist)
			}
			if probs, err := a.CheckWith(ctx, CheckOptions{Full: true}); err != nil || len(probs) != 0 {
				t.Errorf("check after upgrade: %v %v", probs, err)
			}
			if _, err := a.Ingest(ctx, testSource("nueva")); err != nil {
				t.Errorf("ingest after upgrade: %v", err)
			}
		})
	}
}

// copyRows copies every row of a SQLite catalogue into the PostgreSQL
// catalogue db, whose tables a recuerdo of the same format made,
// replacing what they held.
func copyRows(t *testing.T, sqlitePath string, db *sql.DB) {
	t.Helper()
	src, err := sql.Open("sqlite", sqliteURI(sqlitePath)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var tables []string
	rows, err := src.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := tx.Exec(`DELETE FROM ` + tables[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, table := range tables {
		rows, err := src.Query(`SELECT * FROM ` + table + ` ORDER BY rowid`)
		if err != nil {
			rows, err = src.Query(`SELECT * FROM ` + table) // WITHOUT ROWID: in key order
		}
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		insert := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES (?` + strings.Repeat(",?", len(cols)-1) + `)`
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(insert, vals...); err != nil {
				t.Fatalf("copy %s: %v", table, err)
			}
		}
		rows.Close()
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestExists(t *testing.T) {
	top := t.TempDir()
	sqlite := filepath.Join(top, "sqlite")
	if Exists(sqlite) {
		t.Errorf("Exists(a missing folder) = true")
	}
	a, err := Create(sqlite)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	pg := filepath.Join(top, "pg")
	os.MkdirAll(pg, 0o755)
	if err := WriteConfig(pg, Config{Catalogue: "postgres://u@db.invalid:5432/r"}); err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(top, "shared")
	os.MkdirAll(shared, 0o755)
	if err := WriteConfig(shared, Config{Originals: "/srv/originals"}); err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]bool{sqlite: true, pg: true, shared: false, top: false} {
		if got := Exists(dir); got != want {
			t.Errorf("Exists(%s) = %v, want %v", filepath.Base(dir), got, want)
		}
	}
}

// TestRowWriterBatches stores more segments and pairs than one batch
// holds, and fewer, on both catalogues: every row arrives, in order.
func TestRowWriterBatches(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{1, pgBatchRows - 1, pgBatchRows, pgBatchRows + 1, 3*pgBatchRows + 7} {
		archives := map[string]*Archive{"sqlite": newSQLiteArchive(t)}
		if os.Getenv("RECUERDO_TEST_POSTGRES") != "" {
			dir, c := pgMachine(t, testPostgres(t))
			pa, err := CreateWith(dir, c)
			if err != nil {
				t.Fatal(err)
			}
			defer pa.Close()
			archives["postgres"] = pa
		}
		for name, a := range archives {
			src := &Source{Interview: Interview{ID: "n", Title: "n", Language: "es", Narrators: []string{}, Interviewers: []string{}, Media: []Media{}, Sealed: []Seal{}}, HasMeta: true,
				Files: []File{{Name: "es.srt", Lang: "es", Data: bigSRT(n, "es")}, {Name: "en.srt", Lang: "en", Data: bigSRT(n, "en")}}}
			if _, err := a.Ingest(ctx, src); err != nil {
				t.Fatalf("%s, %d cues: %v", name, n, err)
			}
			iv, err := a.Interview(ctx, "n", true)
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range iv.Tracks {
				if len(tr.Segments) != n {
					t.Errorf("%s: %s has %d segments, want %d", name, tr.Name, len(tr.Segments), n)
				}
				for i, s := range tr.Segments {
					if s.Seq != i+1 || s.StartMS != int64(1000+i*3000) {
						t.Errorf("%s: %s segment %d is %+v", name, tr.Name, i+1, s)
						break
					}
				}
			}
			als, err := a.Alignments(ctx, "n")
			if err != nil || len(als) != 1 || len(als[0].Pairs) != n {
				t.Errorf("%s, %d cues: alignments %v, %v; want one of %d pairs", name, n, len(als), err, n)
			}
		}
	}
}
