package archive

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fixtureArchive is a new archive holding the fixture's content (access,
// seals, a replaced track) plus an interview with chapters.
func fixtureArchive(t *testing.T) *Archive {
	t.Helper()
	a := newArchive(t)
	srcs := append(fixtureSources(), ohmsSource())
	for _, src := range srcs {
		if _, err := a.Ingest(context.Background(), src); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// ohmsSource is an interview whose Spanish track carries chapters.
func ohmsSource() *Source {
	vtt := "WEBVTT\n\nNOTE chapters\n\n1\n00:00:01.000 --> 00:00:03.000\n- ¿Y la cocina?\n\n2\n00:00:03.500 --> 00:00:06.000\n- Siempre llena de gente.\n"
	return &Source{
		Interview: Interview{ID: "cocina-2", Title: "Otra cocina", Language: "es", Narrators: []string{}, Interviewers: []string{}, Media: []Media{}, Sealed: []Seal{}},
		HasMeta:   true,
		Files:     []File{{Name: "es.vtt", Lang: "es", Data: []byte(vtt)}},
	}
}

func snapshotOf(t *testing.T, a *Archive) []xInterview {
	t.Helper()
	s, err := a.snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := fixtureArchive(t)
	// Chapters ride along exactly, whatever produced them.
	if _, err := a.db.Exec(`INSERT INTO chapters (track_id, seq, start_ms, data) SELECT id, 1, 1000, '{"start_ms":1000,"title":"La cocina","keywords":["pan"]}' FROM tracks WHERE interview_id = 'cocina-2'`); err != nil {
		t.Fatal(err)
	}
	want := snapshotOf(t, a)
	for _, name := range []string{"export", "export.tar"} {
		t.Run(name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), name)
			res, err := a.Export(ctx, dst, ExportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Interviews != 3 || res.Tracks != 5 || res.Originals != 4 || res.Restricted != 1 {
				t.Errorf("got %+v, want 3 interviews, 5 tracks, 4 originals, 1 restricted", res)
			}
			b, err := Create(filepath.Join(t.TempDir(), "restored"))
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			ires, err := b.Import(ctx, dst)
			if err != nil {
				t.Fatal(err)
			}
			if ires.Interviews != 3 || ires.Unchanged {
				t.Errorf("got %+v, want 3 interviews restored", ires)
			}
			if got := snapshotOf(t, b); !reflect.DeepEqual(got, want) {
				t.Errorf("restored catalogue differs:\ngot  %+v\nwant %+v", got, want)
			}
			for _, iv := range want {
				for _, tr := range iv.Tracks {
					x, _ := a.Original(tr.SHA256)
					y, err := b.Original(tr.SHA256)
					if err != nil || !bytes.Equal(x, y) {
						t.Errorf("original %s/%s differs after the round trip (%v)", iv.ID, tr.Name, err)
					}
				}
			}
			iv, _ := b.Interview(ctx, "viajes", false)
			if iv.Access != Family || len(iv.Sealed) != 1 || iv.Sealed[0].Level != Staff || iv.Sealed[0].Reason != "a pedido de Ramón" {
				t.Errorf("got access %v seals %+v, want family with the staff seal", iv.Access, iv.Sealed)
			}
			if probs, err := b.Check(ctx); err != nil || len(probs) > 0 {
				t.Errorf("check after import: %v %v", probs, err)
			}
			hist, _ := b.History(ctx)
			if len(hist) < 2 || hist[len(hist)-1].Event != "import" {
				t.Errorf("got history %+v, want the source's history then an import", hist)
			}
			// The same export again changes nothing.
			again, err := b.Import(ctx, dst)
			if err != nil || !again.Unchanged {
				t.Errorf("second import: got %+v %v, want unchanged", again, err)
			}
		})
	}
}

func TestExportIsReadableWithoutRecuerdo(t *testing.T) {
	ctx := context.Background()
	a := fixtureArchive(t)
	dst := filepath.Join(t.TempDir(), "export")
	if _, err := a.Export(ctx, dst, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "--quiet", "-c", "MANIFEST.sha256")
		cmd.Dir = dst
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, out)
		}
	}
	files := readTree(t, dst)
	iv := string(files["interviews/viajes/interview.json"])
	for _, want := range []string{`"access": "family"`, `"level": "staff"`, `"until": "2045-01-01"`, `"original": "originals/`, `"current": false`, `"sealed": {`} {
		if !strings.Contains(iv, want) {
			t.Errorf("interview.json lacks %s", want)
		}
	}
	hdr := string(files["recuerdo-export.json"])
	for _, want := range []string{`"format": "recuerdo-export"`, `"version": 1`, `"restricted": [`, `"viajes"`} {
		if !strings.Contains(hdr, want) {
			t.Errorf("recuerdo-export.json lacks %s:\n%s", want, hdr)
		}
	}
	if !strings.Contains(string(files["README.txt"]), "sha256sum -c MANIFEST.sha256") {
		t.Errorf("README.txt does not say how to verify")
	}
}

// TestExportIsDeterministic: two exports of the same archive differ only in
// the creation time they record (and the manifest line that covers it).
func TestExportIsDeterministic(t *testing.T) {
	ctx := context.Background()
	a := fixtureArchive(t)
	at := time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	var tars [2][]byte
	for i := range tars {
		p := filepath.Join(dir, "e"+strconv.Itoa(i)+".tar")
		if _, err := a.Export(ctx, p, ExportOptions{CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		tars[i], _ = os.ReadFile(p)
	}
	if !bytes.Equal(tars[0], tars[1]) {
		t.Errorf("two tar exports with the same creation time differ")
	}
	if _, err := a.Export(ctx, filepath.Join(dir, "d1"), ExportOptions{CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Export(ctx, filepath.Join(dir, "d2"), ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	x, y := readTree(t, filepath.Join(dir, "d1")), readTree(t, filepath.Join(dir, "d2"))
	if len(x) != len(y) {
		t.Fatalf("got %d and %d files", len(x), len(y))
	}
	for name := range x {
		if !bytes.Equal(x[name], y[name]) && name != exportHeader && name != exportManifest {
			t.Errorf("%s differs between two exports", name)
		}
	}
	// The tar holds the same files as the folder.
	tr := tar.NewReader(bytes.NewReader(tars[0]))
	n := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		if !bytes.Equal(data, x[h.Name]) {
			t.Errorf("tar entry %s differs from the folder's", h.Name)
		}
		n++
	}
	if n != len(x) {
		t.Errorf("tar has %d files, folder %d", n, len(x))
	}
}

func TestImportRefusesDamagedExport(t *testing.T) {
	ctx := context.Background()
	a := fixtureArchive(t)
	src := filepath.Join(t.TempDir(), "export")
	if _, err := a.Export(ctx, src, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	originals, _ := filepath.Glob(filepath.Join(src, "originals", "*"))
	tests := []struct {
		name   string
		damage func(dir string)
		want   string
	}{
		{"flipped byte in an original", func(dir string) {
			p := filepath.Join(dir, "originals", filepath.Base(originals[0]))
			data, _ := os.ReadFile(p)
			data[10] ^= 1
			os.WriteFile(p, data, 0o644)
		}, "does not match its checksum"},
		{"missing original", func(dir string) { os.Remove(filepath.Join(dir, "originals", filepath.Base(originals[0]))) }, "is missing"},
		{"unlisted file", func(dir string) { os.WriteFile(filepath.Join(dir, "extra.txt"), []byte("x"), 0o644) }, "not in MANIFEST.sha256"},
		{"edited seal", func(dir string) {
			p := filepath.Join(dir, "interviews", "viajes", "interview.json")
			data, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(data, []byte("2045-01-01"), []byte("2000-01-01"), 1), 0o644)
		}, "does not match its checksum"},
		{"no header", func(dir string) { os.Remove(filepath.Join(dir, exportHeader)) }, "not a recuerdo export"},
		{"newer export", func(dir string) {
			p := filepath.Join(dir, exportHeader)
			data, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(data, []byte(`"version": 1`), []byte(`"version": 7`), 1), 0o644)
		}, "export version 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "export")
			os.CopyFS(dir, os.DirFS(src))
			tt.damage(dir)
			b := newArchive(t)
			_, err := b.Import(ctx, dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			}
			if ivs, _ := b.Interviews(ctx); len(ivs) != 0 {
				t.Errorf("got %d interviews after a refused import, want none", len(ivs))
			}
			if objs := readTree(t, filepath.Join(b.Dir(), "objects")); len(objs) != 0 {
				t.Errorf("a refused import stored %d original(s)", len(objs))
			}
		})
	}
}

func TestImportRefusesOtherContent(t *testing.T) {
	ctx := context.Background()
	a := fixtureArchive(t)
	dst := filepath.Join(t.TempDir(), "e.tar")
	if _, err := a.Export(ctx, dst, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	b := newArchive(t)
	if _, err := b.Ingest(ctx, testSource("otra")); err != nil {
		t.Fatal(err)
	}
	before := snapshotOf(t, b)
	if _, err := b.Import(ctx, dst); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("got %v, want ErrNotEmpty", err)
	}
	if !reflect.DeepEqual(snapshotOf(t, b), before) {
		t.Errorf("a refused import changed the archive")
	}
}

func TestRepair(t *testing.T) {
	ctx := context.Background()
	t.Run("damaged original is kept", func(t *testing.T) {
		a := fixtureArchive(t)
		p := a.objectPath(Checksum([]byte(esSRT)))
		os.Chmod(p, 0o644)
		data, _ := os.ReadFile(p)
		data[5] ^= 1
		os.WriteFile(p, data, 0o644)
		for _, force := range []bool{false, true} {
			rep, err := a.Repair(ctx, RepairOptions{Force: force})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Unrepaired) != 2 || !strings.Contains(rep.Unrepaired[0].Msg, "damaged") || len(rep.RemovedTracks) != 0 {
				t.Errorf("force=%v: got %+v, want the damaged original (two tracks share it) reported, nothing removed", force, rep)
			}
			if got, _ := os.ReadFile(p); !bytes.Equal(got, data) {
				t.Errorf("force=%v: repair touched the damaged original", force)
			}
		}
		// Ingesting the file again restores it.
		res, err := a.Ingest(ctx, fixtureSources()[2])
		if err != nil || len(res.Notes) == 0 || !strings.Contains(res.Notes[len(res.Notes)-1], "restored") {
			t.Errorf("re-ingest: got %+v %v, want a note that the original was restored", res, err)
		}
		if probs, _ := a.Check(ctx); len(probs) != 0 {
			t.Errorf("check after restoring: %v", probs)
		}
	})
	t.Run("broken alignment is recomputed", func(t *testing.T) {
		a := fixtureArchive(t)
		want, _ := a.Alignments(ctx, "viajes")
		if _, err := a.db.Exec(`UPDATE alignment_pairs SET src_to = 999 WHERE seq = 1`); err != nil {
			t.Fatal(err)
		}
		if probs, _ := a.Check(ctx); len(probs) != 1 || probs[0].What != "alignment" {
			t.Fatalf("check: got %v, want one alignment problem", probs)
		}
		before, _ := a.Interview(ctx, "viajes", false)
		rep, err := a.Repair(ctx, RepairOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rep.Realigned, []string{"viajes"}) {
			t.Errorf("got realigned %v, want [viajes]", rep.Realigned)
		}
		got, _ := a.Alignments(ctx, "viajes")
		if len(got) != 1 || !reflect.DeepEqual(got[0].Pairs, want[0].Pairs) {
			t.Errorf("recomputed alignment differs from the original one")
		}
		after, _ := a.Interview(ctx, "viajes", false)
		if after.Version != before.Version+1 || after.Access != before.Access || !reflect.DeepEqual(after.Sealed, before.Sealed) {
			t.Errorf("repair: got version %d access %v seals %+v; want version %d, access and seals untouched", after.Version, after.Access, after.Sealed, before.Version+1)
		}
		if probs, _ := a.Check(ctx); len(probs) != 0 {
			t.Errorf("check after repair: %v", probs)
		}
	})
	t.Run("missing original needs force", func(t *testing.T) {
		a := fixtureArchive(t)
		os.Remove(a.objectPath(Checksum([]byte(enSRT)))) // the replaced, older en.srt
		tmp := filepath.Join(a.Dir(), "objects", "sha256", "ab", ".tmp-123")
		os.MkdirAll(filepath.Dir(tmp), 0o755)
		os.WriteFile(tmp, []byte("half"), 0o644)
		rep, err := a.Repair(ctx, RepairOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Unrepaired) != 1 || !strings.Contains(rep.Unrepaired[0].Msg, "missing") || len(rep.RemovedTracks) != 0 || rep.TempFiles != 1 {
			t.Errorf("got %+v, want the missing original reported, no track removed, one temp file removed", rep)
		}
		var n int
		a.db.QueryRow(`SELECT count(*) FROM tracks`).Scan(&n)
		if n != 5 {
			t.Errorf("got %d tracks, want 5: no row removed without force", n)
		}
		rep, err = a.Repair(ctx, RepairOptions{Force: true})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rep.RemovedTracks, []string{"viajes/en.srt"}) {
			t.Errorf("got removed %v, want [viajes/en.srt]", rep.RemovedTracks)
		}
		iv, _ := a.Interview(ctx, "viajes", true)
		if len(iv.Tracks) != 2 || iv.Access != Family || len(iv.Sealed) != 1 {
			t.Errorf("got %d current tracks, access %v, %d seals; want the 2 current tracks, family, 1 seal", len(iv.Tracks), iv.Access, len(iv.Sealed))
		}
		if probs, _ := a.Check(ctx); len(probs) != 0 {
			t.Errorf("check after forced repair: %v", probs)
		}
		hist, _ := a.History(ctx)
		if hist[len(hist)-1].Event != "repair" {
			t.Errorf("got history %+v, want the forced repair recorded", hist)
		}
	})
}

// TestIngestFaultLeavesArchiveAsItWas fails the disk while the second
// original of an interview is written: the error names the file, nothing
// of the interview stays (not even its first original), and no temporary
// file is left.
func TestIngestFaultLeavesArchiveAsItWas(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	if _, err := a.Ingest(ctx, testSource("antes")); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, filepath.Join(a.Dir(), "objects"))
	src := testSource("viajes")
	src.Files[0].Data = append([]byte(nil), bigSRT(50, "es")...)
	src.Files[1].Data = append([]byte(nil), bigSRT(50, "en")...)
	calls := 0
	writeFault = func(f *os.File, data []byte) (int, error) {
		calls++
		if calls < 2 {
			return f.Write(data)
		}
		n, _ := f.Write(data[:len(data)/2])
		return n, syscall.ENOSPC
	}
	defer func() { writeFault = nil }()
	_, err := a.Ingest(ctx, src)
	if err == nil || !strings.Contains(err.Error(), "en.srt") || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("got %v, want ENOSPC naming en.srt", err)
	}
	if got := readTree(t, filepath.Join(a.Dir(), "objects")); !reflect.DeepEqual(got, before) {
		t.Errorf("objects changed: got %d files, want %d", len(got), len(before))
	}
	if _, err := a.Interview(ctx, "viajes", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("got %v, want the interview absent", err)
	}
	if probs, err := a.Check(ctx); err != nil || len(probs) > 0 {
		t.Errorf("check: %v %v", probs, err)
	}
}

// TestIngestOnFullDisk ingests into an archive on a tiny tmpfs (root only,
// where mount works): the catalogue or the originals run out of room, the
// error says so, and the archive is as it was.
func TestIngestOnFullDisk(t *testing.T) {
	if os.Geteuid() != 0 || testing.Short() {
		t.Skip("needs root to mount a tmpfs")
	}
	ctx := context.Background()
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	a, err := Create(filepath.Join(mnt, "arch"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ingest(ctx, testSource("antes")); err != nil {
		t.Fatal(err)
	}
	before := snapshotOf(t, a)
	objs := readTree(t, filepath.Join(a.Dir(), "objects"))
	src := testSource("grande")
	src.Files[0].Data = bigSRT(3000, "es")
	src.Files[1].Data = bigSRT(3000, "en")
	_, err = a.Ingest(ctx, src)
	if err == nil {
		t.Fatal("ingest of 400 KB of subtitles into 512 KB succeeded; want a full disk")
	}
	if !strings.Contains(err.Error(), "no space left") && !strings.Contains(err.Error(), "full") {
		t.Errorf("got %v, want the error to say the disk is full", err)
	}
	t.Logf("error: %v", err)
	if !reflect.DeepEqual(snapshotOf(t, a), before) {
		t.Errorf("the catalogue changed")
	}
	if got := readTree(t, filepath.Join(a.Dir(), "objects")); !reflect.DeepEqual(got, objs) {
		t.Errorf("objects changed: got %d files, want %d", len(got), len(objs))
	}
	if probs, err := a.Check(ctx); err != nil || len(probs) > 0 {
		t.Errorf("check: %v %v", probs, err)
	}
	// A read-only archive: the same, with the error saying so.
	a.Close()
	if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only: %v %s", err, out)
	}
	ro, err := Open(a.Dir())
	if err == nil {
		_, err = ro.Ingest(ctx, testSource("pequena"))
		ro.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "read-only") && !strings.Contains(err.Error(), "readonly") {
		t.Errorf("got %v, want a read-only file system error", err)
	}
	t.Logf("read-only: %v", err)
	if out, err := exec.Command("mount", "-o", "remount,rw", mnt).CombinedOutput(); err != nil {
		t.Fatalf("remount: %v %s", err, out)
	}
	b, err := Open(a.Dir())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !reflect.DeepEqual(snapshotOf(t, b), before) {
		t.Errorf("the catalogue changed")
	}
}

// TestLockNamesHolder: a second writer fails fast (or after its wait)
// with who holds the archive: process id, command and since when.
func TestLockNamesHolder(t *testing.T) {
	a := newArchive(t)
	b, err := Open(a.Dir())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	l, err := a.Lock("ingest abuelo-autobus", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = b.Lock("reindex", 200*time.Millisecond)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("got %v, want ErrBusy", err)
	}
	if d := time.Since(start); d < 200*time.Millisecond || d > 2*time.Second {
		t.Errorf("waited %s, want about 200ms", d)
	}
	for _, want := range []string{"pid " + strconv.Itoa(os.Getpid()), "(ingest abuelo-autobus)", "since " + time.Now().Format("2006-01-02")} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to name %q", err, want)
		}
	}
	l.Unlock()
	l2, err := b.Lock("reindex", 0)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	l2.Unlock()
}
