package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// treeState lists every file and folder under dir with its mode, size,
// modification time and (for files) checksum: any write shows.
func treeState(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		s := fmt.Sprintf("%v %d %d", fi.Mode(), fi.Size(), fi.ModTime().UnixNano())
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			s += " " + hex.EncodeToString(sum[:])
		}
		out[rel] = s
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diffTrees(t *testing.T, before, after map[string]string) {
	t.Helper()
	for p, s := range after {
		if before[p] != s {
			t.Errorf("%s: got %q, want %q", p, s, before[p])
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("%s: removed", p)
		}
	}
}

// closedFixture is a closed archive of the fixture's content, with no
// journal left: what a backup or a read-only mount holds.
func closedFixture(t *testing.T) string {
	t.Helper()
	a := fixtureArchive(t)
	dir := a.Dir()
	a.Close()
	return dir
}

// readEverything does what the read-only commands do (list, show, check,
// export) and fails the test if any of it fails.
func readEverything(t *testing.T, a *Archive, exportTo string) {
	t.Helper()
	ctx := context.Background()
	ivs, err := a.Interviews(ctx)
	if err != nil || len(ivs) != 3 {
		t.Fatalf("interviews: got %d, %v; want 3", len(ivs), err)
	}
	iv, err := a.Interview(ctx, "viajes", true)
	if err != nil || len(iv.Tracks) == 0 || len(iv.Tracks[0].Segments) == 0 || len(iv.Sealed) != 1 {
		t.Fatalf("interview viajes: got %+v, %v", iv, err)
	}
	if _, err := a.Generation(ctx); err != nil {
		t.Errorf("generation: %v", err)
	}
	probs, err := a.Check(ctx)
	if err != nil || len(probs) > 0 {
		t.Errorf("check: got %v, %v; want no problems", probs, err)
	}
	res, err := a.Export(ctx, exportTo, ExportOptions{})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	if res.Interviews != 3 {
		t.Errorf("export: got %d interviews, want 3", res.Interviews)
	}
	if _, err := a.Lock("ingest", 0); !errors.Is(err, ErrReadOnly) {
		t.Errorf("lock: got %v, want ErrReadOnly", err)
	}
	if _, err := a.Ingest(ctx, testSource("nueva")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("ingest: got %v, want ErrReadOnly", err)
	}
	if _, err := a.Repair(ctx, RepairOptions{}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("repair: got %v, want ErrReadOnly", err)
	}
}

// TestOpenReadOnly: an archive opened read-only lists, shows, checks and
// exports, refuses writes, and nothing in its folder changes.
func TestOpenReadOnly(t *testing.T) {
	dir := closedFixture(t)
	before := treeState(t, dir)
	a, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !a.ReadOnly() {
		t.Errorf("ReadOnly: got false")
	}
	readEverything(t, a, filepath.Join(t.TempDir(), "export"))
	if h, err := a.History(context.Background()); err != nil || len(h) == 0 {
		t.Errorf("history: got %v, %v", h, err)
	}
	a.Close()
	diffTrees(t, before, treeState(t, dir))
}

// TestReadOnlyKeepsWritersOut: while an archive is open read-only no
// recuerdo writes to it (its catalogue is read without SQLite's locks),
// and a read-only open waits for a writer to finish.
func TestReadOnlyKeepsWritersOut(t *testing.T) {
	sqliteOnly(t, "a read-only PostgreSQL archive keeps writers out only while it exports (TestPostgresReadOnlyExport)")
	dir := closedFixture(t)
	short := Options{LockWait: 200 * time.Millisecond}
	ro, err := OpenWith(dir, Options{ReadOnly: true, LockWait: short.LockWait})
	if err != nil {
		t.Fatal(err)
	}
	w, err := OpenWith(dir, short)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.ReadOnly() {
		t.Fatalf("a writable archive opened read-only")
	}
	if _, err := w.Ingest(context.Background(), testSource("nueva")); !errors.Is(err, ErrBusy) {
		t.Errorf("ingest while open read-only: got %v, want ErrBusy", err)
	}
	ro.Close()
	l, err := w.Lock("ingest", 0)
	if err != nil {
		t.Fatalf("lock after the reader closed: %v", err)
	}
	if _, err := OpenWith(dir, Options{ReadOnly: true, LockWait: short.LockWait}); !errors.Is(err, ErrBusy) {
		t.Errorf("open read-only while a writer holds the lock: got %v, want ErrBusy", err)
	}
	l.Unlock()
}

// TestReadOnlyReadsJournal: changes still in the write-ahead log are read,
// both while the writer runs and from a copy taken while it ran.
func TestReadOnlyReadsJournal(t *testing.T) {
	sqliteOnly(t, "the write-ahead log is SQLite's")
	ctx := context.Background()
	w := newArchive(t)
	if _, err := w.Ingest(ctx, testSource("viajes")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(w.Dir(), catalogueName+"-wal")); err != nil || fi.Size() == 0 {
		t.Fatalf("want a journal with the ingest in it: %v", err)
	}
	snap := filepath.Join(t.TempDir(), "snap")
	if err := os.CopyFS(snap, os.DirFS(w.Dir())); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(snap, catalogueName+"-shm"))
	for _, dir := range []string{w.Dir(), snap} {
		before := treeState(t, snap)
		a, err := OpenReadOnly(dir)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if _, err := a.Interview(ctx, "viajes", true); err != nil {
			t.Errorf("%s: %v", dir, err)
		}
		a.Close()
		if dir == snap {
			diffTrees(t, before, treeState(t, snap))
		}
	}
}

// TestReadOnlyOldFormat: a read-only archive of an older format is read as
// it is, not upgraded.
func TestReadOnlyOldFormat(t *testing.T) {
	for _, f := range fixtureFormats {
		t.Run(fmt.Sprintf("format-%d", f), func(t *testing.T) {
			dir := copyFixture(t, f)
			before := treeState(t, dir)
			a, err := OpenReadOnly(dir)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			ivs, err := a.Interviews(ctx)
			if err != nil || len(ivs) != 2 {
				t.Errorf("interviews: got %d, %v; want 2", len(ivs), err)
			}
			for _, iv := range ivs {
				if _, err := a.Interview(ctx, iv.ID, true); err != nil {
					t.Errorf("interview %s: %v", iv.ID, err)
				}
				if _, err := a.Alignments(ctx, iv.ID); err != nil {
					t.Errorf("alignments of %s: %v", iv.ID, err)
				}
			}
			if _, err := a.History(ctx); err != nil {
				t.Errorf("history: %v", err)
			}
			if probs, err := a.Check(ctx); err != nil || len(probs) > 0 {
				t.Errorf("check: got %v, %v", probs, err)
			}
			if _, err := a.Export(ctx, filepath.Join(t.TempDir(), "x"), ExportOptions{}); err != nil {
				t.Errorf("export: %v", err)
			}
			a.Close()
			diffTrees(t, before, treeState(t, dir))
		})
	}
}

// TestReadOnlyHelper runs in a child process where the archive in
// $RECUERDO_RO_ARCHIVE cannot be written (a read-only mount, another
// user): Open must find that out by itself.
func TestReadOnlyHelper(t *testing.T) {
	dir := os.Getenv("RECUERDO_RO_ARCHIVE")
	if dir == "" {
		t.Skip("helper process only")
	}
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if !a.ReadOnly() {
		t.Fatalf("Open of an archive this process cannot write: not read-only")
	}
	readEverything(t, a, os.Getenv("RECUERDO_RO_EXPORT"))
}

// TestOpenDetectsReadOnly runs TestReadOnlyHelper where the archive cannot
// be written: on a read-only bind mount in a user namespace, and as the
// unprivileged user nobody (tests run as root, which permissions do not
// stop). Each is skipped, saying why, where this machine cannot do it.
func TestOpenDetectsReadOnly(t *testing.T) {
	sqliteOnly(t, "whether a PostgreSQL catalogue can be written is up to its role, not the folder")
	if testing.Short() {
		t.Skip("runs child processes")
	}
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, dir, bin string) []string // the command to run bin in
	}{
		{"read-only mount", func(t *testing.T, dir, bin string) []string {
			if out, err := exec.Command("unshare", "-rm", "true").CombinedOutput(); err != nil {
				t.Skipf("unshare -rm does not work here: %v %s", err, out)
			}
			return []string{"unshare", "-rm", "sh", "-c", `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" -test.run '^TestReadOnlyHelper$' -test.v`, "sh", dir, bin}
		}},
		{"user nobody", func(t *testing.T, dir, bin string) []string {
			if os.Geteuid() != 0 {
				if err := exec.Command("sh", "-c", "touch "+filepath.Join(dir, "probe")+" && rm "+filepath.Join(dir, "probe")).Run(); err == nil {
					t.Skip("not root: cannot switch to nobody")
				}
			}
			if _, err := exec.LookPath("setpriv"); err != nil {
				t.Skip("no setpriv to run as nobody")
			}
			// The archive, the export's folder and a copy of this binary
			// readable by everyone, writable by their owner only.
			exe := filepath.Join(filepath.Dir(dir), "bin", "archive.test")
			if err := os.MkdirAll(filepath.Dir(exe), 0o755); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(bin)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(exe, b, 0o755); err != nil {
				t.Fatal(err)
			}
			// The test's own temporary folders (made 0700) open to others.
			os.Chmod(filepath.Dir(dir), 0o755)
			os.Chmod(filepath.Dir(filepath.Dir(dir)), 0o755)
			nobody := []string{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"}
			if out, err := exec.Command(nobody[0], append(nobody[1:], "test", "-r", filepath.Join(dir, catalogueName))...).CombinedOutput(); err != nil {
				t.Skipf("nobody cannot read the test archive: %v %s", err, out)
			}
			if exec.Command(nobody[0], append(nobody[1:], "test", "-w", dir)...).Run() == nil {
				t.Skip("nobody can write the test archive")
			}
			return append(nobody, exe, "-test.run", "^TestReadOnlyHelper$", "-test.v")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := closedFixture(t)
			filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil {
					fi, _ := d.Info()
					if d.IsDir() {
						os.Chmod(p, fi.Mode().Perm()|0o555)
					} else {
						os.Chmod(p, fi.Mode().Perm()|0o444)
					}
				}
				return nil
			})
			out := filepath.Join(t.TempDir(), "out")
			if err := os.Mkdir(out, 0o777); err != nil {
				t.Fatal(err)
			}
			os.Chmod(out, 0o777)
			os.Chmod(filepath.Dir(out), 0o755)
			args := tt.setup(t, dir, bin)
			before := treeState(t, dir)
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Env = append(os.Environ(), "RECUERDO_RO_ARCHIVE="+dir, "RECUERDO_RO_EXPORT="+filepath.Join(out, "x.tar"))
			b, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(b), "--- PASS: TestReadOnlyHelper") {
				t.Fatalf("%v: %v\n%s", args, err, b)
			}
			if _, err := os.Stat(filepath.Join(out, "x.tar")); err != nil {
				t.Errorf("no export: %v", err)
			}
			if after := treeState(t, dir); !reflect.DeepEqual(before, after) {
				diffTrees(t, before, after)
			}
		})
	}
}
