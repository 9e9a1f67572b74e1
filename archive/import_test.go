package archive

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// sparseTar is a tar of one PAX (GNU 1.0) sparse entry that declares
// realSize bytes, all a hole, in a few blocks of tar, as GNU tar --sparse
// writes a file made with truncate. archive/tar writes no sparse entries,
// so the blocks are laid out here.
func sparseTar(realSize int64) []byte {
	name := "originals/" + strings.Repeat("0", 64)
	size := strconv.FormatInt(realSize, 10)
	var pax []byte
	for _, kv := range [][2]string{{"GNU.sparse.major", "1"}, {"GNU.sparse.minor", "0"}, {"GNU.sparse.name", name}, {"GNU.sparse.realsize", size}} {
		rec := " " + kv[0] + "=" + kv[1] + "\n"
		n := len(rec) + 1
		for len(strconv.Itoa(n))+len(rec) != n {
			n++
		}
		pax = append(pax, strconv.Itoa(n)+rec...)
	}
	sparseMap := "1\n" + size + "\n0\n" // one data region: at the end, empty
	var out []byte
	out = append(out, ustarBlock("PaxHeaders/x", 'x', int64(len(pax)))...)
	out = append(out, padBlock([]byte(pax))...)
	out = append(out, ustarBlock("GNUSparseFile.0/x", '0', 512)...)
	out = append(out, padBlock([]byte(sparseMap))...)
	return append(out, make([]byte, 1024)...)
}

// ustarBlock is the 512-byte ustar header of an entry.
func ustarBlock(name string, typ byte, size int64) []byte {
	b := make([]byte, 512)
	copy(b[0:], name)
	copy(b[100:], "0000644\x00")
	copy(b[108:], "0000000\x00")
	copy(b[116:], "0000000\x00")
	copy(b[124:], fmt.Sprintf("%011o\x00", size))
	copy(b[136:], "00000000000\x00")
	b[156] = typ
	copy(b[257:], "ustar\x0000")
	copy(b[148:], "        ")
	sum := 0
	for _, c := range b {
		sum += int(c)
	}
	copy(b[148:], fmt.Sprintf("%06o\x00 ", sum))
	return b
}

func padBlock(data []byte) []byte {
	return append(data, make([]byte, (512-len(data)%512)%512)...)
}

// tarOf writes entries (name → data) into a tar, in order.
func tarOf(t testing.TB, entries ...tar.Header) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range entries {
		h := h
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write(bytes.Repeat([]byte("x"), int(h.Size)))
		}
	}
	tw.Close()
	return buf.Bytes()
}

// allocated returns how many bytes f allocated on the Go heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// assertEmpty fails unless a holds no interview, no original, and no
// leftover of an import.
func assertEmpty(t *testing.T, a *Archive) {
	t.Helper()
	if ivs, _ := a.Interviews(context.Background()); len(ivs) != 0 {
		t.Errorf("got %d interviews after a refused import in %s, want none", len(ivs), a.Dir())
	}
	if objs := readTree(t, filepath.Join(a.Dir(), "objects")); len(objs) != 0 {
		t.Errorf("a refused import stored %d original(s)", len(objs))
	}
	if left, _ := filepath.Glob(filepath.Join(a.Dir(), ".import-*")); len(left) != 0 {
		t.Errorf("a refused import left %v", left)
	}
}

// TestImportRefusesBombs: a tar's entries are judged by their headers
// before anything is read; nothing refused takes memory.
func TestImportRefusesBombs(t *testing.T) {
	ctx := context.Background()
	reg := func(name string, size int64) tar.Header {
		return tar.Header{Name: name, Size: size, Mode: 0o644, Typeflag: tar.TypeReg}
	}
	tests := []struct {
		name string
		tar  []byte
		opts ImportOptions
		want string
	}{
		{"sparse entry declaring 64 MiB", sparseTar(64 << 20), ImportOptions{}, "sparse file"},
		{"symlink", tarOf(t, tar.Header{Name: "originals/x", Linkname: "/etc/passwd", Typeflag: tar.TypeSymlink}), ImportOptions{}, "not a regular file"},
		{"hard link", tarOf(t, tar.Header{Name: "originals/x", Linkname: "README.txt", Typeflag: tar.TypeLink}), ImportOptions{}, "not a regular file"},
		{"device", tarOf(t, tar.Header{Name: "originals/x", Typeflag: tar.TypeChar}), ImportOptions{}, "not a regular file"},
		{"file over the limit", tarOf(t, reg("README.txt", 4096)), ImportOptions{MaxFileBytes: 1024}, "declares 4096 bytes"},
		{"total over the limit", tarOf(t, reg("README.txt", 800), reg("history.json", 800)), ImportOptions{MaxTotalBytes: 1024}, "in all"},
		{"too many files", tarOf(t, reg("a", 1), reg("b", 1), reg("c", 1)), ImportOptions{MaxFiles: 2}, "more than 2 files"},
		{"unsafe name", tarOf(t, reg("../evil", 1)), ImportOptions{}, "unsafe file name"},
		{"file twice", tarOf(t, reg("README.txt", 1), reg("./README.txt", 1)), ImportOptions{}, "appears twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "bomb.tar")
			os.WriteFile(p, tt.tar, 0o644)
			a := newArchive(t)
			var err error
			n := allocated(func() { _, err = a.ImportWith(ctx, p, tt.opts) })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
			if n > 16<<20 {
				t.Errorf("refusing it allocated %d bytes, want under 16 MiB", n)
			}
			assertEmpty(t, a)
		})
	}
}

// exportOf writes the fixture archive's export into a new folder.
func exportOf(t *testing.T) string {
	t.Helper()
	a := fixtureArchive(t)
	dir := filepath.Join(t.TempDir(), "export")
	if _, err := a.Export(context.Background(), dir, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// reseal rewrites MANIFEST.sha256 for the files as they now are, as
// someone editing an export would.
func reseal(t testing.TB, dir string) {
	t.Helper()
	var b strings.Builder
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files[filepath.ToSlash(rel)], _ = os.ReadFile(p)
		}
		return nil
	})
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if name != exportManifest {
			fmt.Fprintf(&b, "%s  %s\n", Checksum(files[name]), name)
		}
	}
	os.WriteFile(filepath.Join(dir, exportManifest), []byte(b.String()), 0o644)
}

// edit rewrites a JSON file of an export through f, on generic values.
func edit(t testing.TB, dir, name string, f func(v any) any) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.MarshalIndent(f(v), "", "  ")
	os.WriteFile(p, out, 0o644)
}

func obj(v any) map[string]any { return v.(map[string]any) }
func arr(v any) []any          { return v.([]any) }

// track returns the i-th track of an interview.json value.
func track(v any, i int) map[string]any { return obj(arr(obj(v)["tracks"])[i]) }

// TestImportValidatesEverything: an export edited and resealed (its
// manifest rewritten) is refused whenever a reference, level, date or
// time would break a reader or show what its seals hide, and the archive
// is left as it was.
func TestImportValidatesEverything(t *testing.T) {
	ctx := context.Background()
	src := exportOf(t)
	viajes := "interviews/viajes/interview.json"
	als := "interviews/viajes/alignments.json"
	pair := func(field string, value float64) func(v any) any {
		return func(v any) any {
			obj(arr(obj(arr(v)[0])["pairs"])[0])[field] = value
			return v
		}
	}
	set := func(field string, value any) func(v any) any {
		return func(v any) any { obj(v)[field] = value; return v }
	}
	tests := []struct {
		name, file string
		f          func(v any) any
		want       string
	}{
		{"negative pair start", als, pair("tgt_from", -3), "do not exist"},
		{"pair past the track", als, pair("src_to", 1<<40), "do not exist"},
		{"pair beyond its last segment", als, pair("tgt_to", 5), "do not exist"},
		{"pair with both sides empty", als, func(v any) any {
			p := obj(arr(obj(arr(v)[0])["pairs"])[0])
			p["src_from"], p["src_to"], p["tgt_from"], p["tgt_to"] = 0.0, 0.0, 0.0, 0.0
			return v
		}, "do not exist"},
		{"alignment with another interview's track", als, func(v any) any { obj(arr(v)[0])["tgt_track"] = 4.0; return v }, "not two current tracks"},
		{"alignment with a replaced track", als, func(v any) any { obj(arr(v)[0])["tgt_track"] = 2.0; return v }, "not two current tracks"},
		{"access as a number", viajes, set("access", 7.0), "access"},
		{"unknown access", viajes, set("access", "everyone"), "unknown access level"},
		{"seal level below public", viajes, func(v any) any { obj(arr(obj(v)["sealed"])[0])["level"] = -1.0; return v }, "level"},
		{"seal without a date", viajes, func(v any) any { obj(arr(obj(v)["sealed"])[0])["until"] = "never"; return v }, "until \"never\""},
		{"seal ending before it starts", viajes, func(v any) any { obj(arr(obj(v)["sealed"])[0])["end_ms"] = 100.0; return v }, "not a stretch"},
		{"seal removed, segments still marked", viajes, set("sealed", []any{}), "the export was edited"},
		{"seal lowered, segments still marked staff", viajes, func(v any) any { obj(arr(obj(v)["sealed"])[0])["level"] = "family"; return v }, "the export was edited"},
		{"date", viajes, set("date", "ayer"), "date \"ayer\""},
		{"language", viajes, set("language", "spanish"), "language \"spanish\""},
		{"version", viajes, set("version", 0.0), "version 0"},
		{"fps", viajes, func(v any) any { obj(arr(obj(v)["media"])[0])["fps"] = -1.0; return v }, "fps"},
		{"segment numbering", viajes, func(v any) any { obj(arr(track(v, 0)["segments"])[1])["seq"] = 7.0; return v }, "numbered 7"},
		{"segment ending before it starts", viajes, func(v any) any { obj(arr(track(v, 0)["segments"])[1])["end_ms"] = 1.0; return v }, "not a stretch"},
		{"segment at a negative time", viajes, func(v any) any { obj(arr(track(v, 0)["segments"])[0])["start_ms"] = -5.0; return v }, "not a stretch"},
		{"track without segments", viajes, func(v any) any { track(v, 0)["segments"] = []any{}; return v }, "no segments"},
		{"track id of another interview", "interviews/cocina/interview.json", func(v any) any { track(v, 0)["id"] = 1.0; return v }, "track id 1 is also a track of cocina"},
		{"track id zero", viajes, func(v any) any { track(v, 0)["id"] = 0.0; return v }, "bad or repeated id"},
		{"two current tracks of one name", viajes, func(v any) any { track(v, 1)["current"] = true; return v }, "two current tracks"},
		{"track kind", viajes, func(v any) any { track(v, 0)["kind"] = "video"; return v }, "kind \"video\""},
		{"track added_at", viajes, func(v any) any { track(v, 0)["added_at"] = "lunes"; return v }, "added_at"},
		{"track size", viajes, func(v any) any { track(v, 0)["size"] = 3.0; return v }, "the track says 3"},
		{"chapter", "interviews/cocina-2/interview.json", func(v any) any { track(v, 0)["chapters"] = []any{"x"}; return v }, "chapter 1"},
		{"restricted but public", viajes, func(v any) any {
			obj(v)["access"], obj(v)["sealed"] = "public", []any{}
			for _, tr := range arr(obj(v)["tracks"]) {
				for _, s := range arr(obj(tr)["segments"]) {
					delete(obj(s), "sealed")
				}
			}
			return v
		}, "lists viajes as restricted"},
		{"history time", "history.json", func(v any) any { obj(arr(v)[0])["at"] = "hoy"; return v }, "history.json: event 1"},
		{"originals count", exportHeader, set("originals", 9.0), "says 9 original(s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "export")
			os.CopyFS(dir, os.DirFS(src))
			edit(t, dir, tt.file, tt.f)
			reseal(t, dir)
			a := newArchive(t)
			_, err := a.Import(ctx, dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			}
			assertEmpty(t, a)
		})
	}
}

// TestImportDerivesSegments: segments whose text or timing an export
// changed are derived again from the originals; the original's are kept,
// reported, recorded in the history, and the alignments recomputed.
func TestImportDerivesSegments(t *testing.T) {
	ctx := context.Background()
	dir := exportOf(t)
	edit(t, dir, "interviews/viajes/interview.json", func(v any) any {
		segs := arr(track(v, 0)["segments"])
		obj(segs[1])["text"] = "RAMÓN: Nunca fui a El Paso."
		obj(segs[2])["end_ms"] = 9999.0
		return v
	})
	reseal(t, dir)
	a := newArchive(t)
	res, err := a.Import(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rederived) != 1 || !strings.Contains(res.Rederived[0], "viajes/es.srt: segment 2 reads") {
		t.Errorf("got rederived %q, want viajes/es.srt reported", res.Rederived)
	}
	iv, err := a.Interview(ctx, "viajes", true)
	if err != nil {
		t.Fatal(err)
	}
	if got := iv.Tracks[0].Segments[1].Text; strings.Contains(got, "Nunca") {
		t.Errorf("got segment 2 %q, want the original's text", got)
	}
	if got := iv.Tracks[0].Segments[2].EndMS; got != 9000 {
		t.Errorf("got segment 3 ending at %d, want the original's 9000", got)
	}
	if probs, err := a.CheckWith(ctx, CheckOptions{Full: true}); err != nil || len(probs) != 0 {
		t.Errorf("check after import: %v %v", probs, err)
	}
	hist, _ := a.History(ctx)
	if last := hist[len(hist)-1]; !strings.Contains(last.Detail, "viajes/es.srt") {
		t.Errorf("got last history %+v, want the derivation recorded", last)
	}
}

// TestTwinsIgnoresBadPairs: no pair, however crafted, makes Twins panic
// or name a segment that does not exist.
func TestTwinsIgnoresBadPairs(t *testing.T) {
	iv := &Interview{Tracks: []Track{
		{ID: 1, Lang: "es", Segments: []Segment{{Seq: 1, Text: "uno"}, {Seq: 2, Text: "dos"}}},
		{ID: 2, Lang: "en", Segments: []Segment{{Seq: 1, Text: "one"}, {Seq: 2, Text: "two"}}},
	}}
	pairs := []Pair{
		{SrcFrom: 1, SrcTo: 1, TgtFrom: -3, TgtTo: 1},
		{SrcFrom: -5, SrcTo: -2, TgtFrom: 1, TgtTo: 1},
		{SrcFrom: 2, SrcTo: 1 << 20, TgtFrom: 2, TgtTo: 2},
		{SrcFrom: 2, SrcTo: 2, TgtFrom: 3, TgtTo: 3},
		{SrcFrom: 0, SrcTo: 2, TgtFrom: 1, TgtTo: 1},
		{SrcFrom: 2, SrcTo: 1, TgtFrom: 1, TgtTo: 2},
		{SrcFrom: 1, SrcTo: 1, TgtFrom: 1, TgtTo: 1}, // the one good pair
	}
	for i, p := range pairs {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			tw := Twins(iv, []Alignment{{Src: 1, Tgt: 2, Pairs: []Pair{p}}})
			for k := range tw {
				if k.Seq < 1 || k.Seq > 2 {
					t.Errorf("pair %+v gave a twin for segment %d of track %d", p, k.Seq, k.Track)
				}
			}
			if good := i == len(pairs)-1; good != (len(tw) == 2) {
				t.Errorf("pair %+v: got %d twins", p, len(tw))
			}
		})
	}
}

// TestCheckDerivesSegments: a segment edited in the catalogue (not through
// an ingest) is reported, as is a track whose rows were removed while its
// original stayed.
func TestCheckDerivesSegments(t *testing.T) {
	ctx := context.Background()
	a := fixtureArchive(t)
	if _, err := a.db.Exec(`UPDATE segments SET text = 'Nunca fui.' WHERE track_id = 1 AND seq = 2`); err != nil {
		t.Fatal(err)
	}
	probs, err := a.Check(ctx) // five tracks: the default sample holds them all
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != 1 || probs[0].What != "segments" || probs[0].Subject != "viajes/es.srt" || !strings.Contains(probs[0].Msg, "segment 2 reads") {
		t.Errorf("got %v, want viajes/es.srt segment 2 reported", probs)
	}
}

// TestOrphanAfterForcedRepair: a track removed by a forced repair while
// its original was missing leaves that original an orphan once it is
// back, and check says so.
func TestOrphanAfterForcedRepair(t *testing.T) {
	ctx := context.Background()
	a := fixtureArchive(t)
	p := a.objectPath(Checksum(ohmsSource().Files[0].Data))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(p)
	rep, err := a.Repair(ctx, RepairOptions{Force: true})
	if err != nil || len(rep.RemovedTracks) != 1 {
		t.Fatalf("got %+v %v, want one track removed", rep, err)
	}
	os.WriteFile(p, data, 0o444)
	probs, err := a.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != 1 || probs[0].What != "orphan" || !strings.Contains(probs[0].Msg, "cocina-2/es.vtt (id 5)") {
		t.Errorf("got %v, want the orphan of cocina-2/es.vtt", probs)
	}
	orphans, _ := a.Orphans(ctx)
	if len(orphans) != 1 || orphans[0].RemovedTrack == "" {
		t.Errorf("got orphans %+v", orphans)
	}
}

// TestRepairNeverEmptiesTheCatalogue: with objects/ missing or empty,
// repair refuses outright; with many originals missing, --force removes
// none unless the tracks are named.
func TestRepairNeverEmptiesTheCatalogue(t *testing.T) {
	ctx := context.Background()
	count := func(a *Archive) int {
		var n int
		a.db.QueryRow(`SELECT count(*) FROM tracks`).Scan(&n)
		return n
	}
	for _, how := range []string{"missing", "empty"} {
		t.Run("objects "+how, func(t *testing.T) {
			a := fixtureArchive(t)
			objects := filepath.Join(a.Dir(), "objects")
			os.Rename(objects, objects+".away")
			if how == "empty" {
				os.MkdirAll(filepath.Join(objects, "sha256"), 0o755)
			}
			_, err := a.Repair(ctx, RepairOptions{Force: true})
			if !errors.Is(err, ErrNoOriginals) {
				t.Errorf("got %v, want ErrNoOriginals", err)
			}
			if n := count(a); n != 5 {
				t.Errorf("got %d tracks, want the 5 kept", n)
			}
			probs, _ := a.Check(ctx)
			if len(probs) == 0 || probs[0].Subject != "objects/" {
				t.Errorf("got %v, want objects/ reported first", probs)
			}
		})
	}
	t.Run("many missing", func(t *testing.T) {
		a := newArchive(t)
		for i := 0; i < 6; i++ {
			src := testSource(fmt.Sprintf("iv%d", i))
			for j := range src.Files {
				src.Files[j].Data = append(src.Files[j].Data, []byte(fmt.Sprintf("\n%d\n00:00:10,000 --> 00:00:11,000\nfin %d\n", 9+j, i))...)
			}
			if _, err := a.Ingest(ctx, src); err != nil {
				t.Fatal(err)
			}
		}
		var ids []int64
		for i := 0; i < 3; i++ {
			iv, _ := a.Interview(ctx, fmt.Sprintf("iv%d", i), false)
			os.Remove(a.objectPath(iv.Tracks[1].SHA256))
			ids = append(ids, iv.Tracks[1].ID)
		}
		if got := MaxForcedRemovals(12); got != 1 {
			t.Fatalf("got limit %d for 12 tracks, want 1", got)
		}
		_, err := a.Repair(ctx, RepairOptions{Force: true})
		if !errors.Is(err, ErrTooManyRemovals) || !strings.Contains(err.Error(), "--remove-track") {
			t.Errorf("got %v, want ErrTooManyRemovals naming --remove-track", err)
		}
		if n := count(a); n != 12 {
			t.Errorf("got %d tracks, want the 12 kept", n)
		}
		iv, _ := a.Interview(ctx, "iv4", false)
		if _, err := a.Repair(ctx, RepairOptions{RemoveTracks: []int64{iv.Tracks[0].ID}}); !errors.Is(err, ErrTrackNotRemovable) {
			t.Errorf("naming a track whose original is there: got %v, want ErrTrackNotRemovable", err)
		}
		rep, err := a.Repair(ctx, RepairOptions{Force: true, RemoveTracks: ids})
		if err != nil || len(rep.RemovedTracks) != 3 {
			t.Fatalf("named: got %+v %v, want 3 tracks removed", rep, err)
		}
		if n := count(a); n != 9 {
			t.Errorf("got %d tracks, want 9", n)
		}
		if probs, _ := a.Check(ctx); len(probs) != 0 {
			t.Errorf("check after repair: %v", probs)
		}
	})
}

// fuzzArchive makes a new archive for one fuzz input, in a folder of its
// own: not t.TempDir, whose name holds the '#' of "seed#0", which the
// catalogue's file: URI would cut at.
func fuzzArchive(t *testing.T) *Archive {
	dir, err := os.MkdirTemp("", "recuerdo-fuzz-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	a, err := Create(filepath.Join(dir, "arch"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// fuzzExport writes the fixture's export, as a folder and as a tar.
func fuzzExport(f *testing.F) (dir, tarPath string) {
	a, err := Create(filepath.Join(f.TempDir(), "arch"))
	if err != nil {
		f.Fatal(err)
	}
	defer a.Close()
	for _, src := range append(fixtureSources(), ohmsSource()) {
		if _, err := a.Ingest(context.Background(), src); err != nil {
			f.Fatal(err)
		}
	}
	dir, tarPath = filepath.Join(f.TempDir(), "export"), filepath.Join(f.TempDir(), "export.tar")
	for _, p := range []string{dir, tarPath} {
		if _, err := a.Export(context.Background(), p, ExportOptions{}); err != nil {
			f.Fatal(err)
		}
	}
	return dir, tarPath
}

// importBounded imports src into a new archive and fails when that
// allocated more than limit bytes; it returns the import's error. What
// Import reads and validates before it touches the catalogue runs first
// on its own: most fuzzed inputs stop there, before the (slow, under the
// fuzzer's instrumentation) SQLite work of a new archive.
func importBounded(t *testing.T, src string, limit uint64) (*Archive, error) {
	var err error
	n := allocated(func() {
		var x *export
		if x, err = openExport(src, ImportOptions{}.withDefaults()); err != nil {
			return
		}
		defer x.close()
		if err = x.unpack(context.Background(), t.TempDir()); err != nil {
			return
		}
		for _, id := range x.header.Interviews {
			if _, err = x.interview(id); err != nil {
				return
			}
		}
		_, err = x.history()
	})
	if n > limit {
		t.Fatalf("reading the export allocated %d bytes, over the bound of %d (err %v)", n, limit, err)
	}
	if err != nil {
		return nil, err
	}
	a := fuzzArchive(t)
	n = allocated(func() { _, err = a.Import(context.Background(), src) })
	if n > limit {
		t.Fatalf("import allocated %d bytes, over the bound of %d (err %v)", n, limit, err)
	}
	if err != nil {
		assertEmpty(t, a)
	}
	return a, err
}

// checkImported runs what every reader runs on what an import accepted:
// none of it may panic, and check finds no broken reference.
func checkImported(t *testing.T, a *Archive) {
	ctx := context.Background()
	ivs, err := a.Interviews(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, sum := range ivs {
		iv, err := a.Interview(ctx, sum.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		als, err := a.Alignments(ctx, iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		Twins(iv, als)
		NewMoments(iv, als)
	}
	probs, err := a.CheckWith(ctx, CheckOptions{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		if p.What == "catalogue" || p.What == "alignment" || p.What == "original" {
			t.Errorf("an accepted import fails check: %v", p)
		}
	}
}

// FuzzImportTar imports any bytes as a tar: never a panic, never more
// memory than a bound that does not grow with what the tar declares.
func FuzzImportTar(f *testing.F) {
	_, tarPath := fuzzExport(f)
	good, err := os.ReadFile(tarPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(sparseTar(64 << 20))
	f.Add(tarOf(f, tar.Header{Name: "README.txt", Size: 3, Typeflag: tar.TypeReg}))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "x.tar")
		os.WriteFile(p, data, 0o644)
		if a, err := importBounded(t, p, 32<<20+uint64(64*len(data))); err == nil {
			checkImported(t, a)
		}
	})
}

// FuzzImportExport imports the fixture's export with one interview's
// interview.json and alignments.json replaced by the fuzzer's bytes and
// the manifest rewritten to match, as a forger would: whatever is
// accepted must be safe for every reader.
func FuzzImportExport(f *testing.F) {
	base, _ := fuzzExport(f)
	iv, _ := os.ReadFile(filepath.Join(base, "interviews", "viajes", "interview.json"))
	als, _ := os.ReadFile(filepath.Join(base, "interviews", "viajes", "alignments.json"))
	f.Add(iv, als)
	f.Add(iv, bytes.Replace(als, []byte(`"tgt_from": 1,`), []byte(`"tgt_from": -3,`), 1))
	f.Add(iv, bytes.Replace(als, []byte(`"src_to": 1,`), []byte(`"src_to": 1099511627776,`), 1))
	f.Add(bytes.Replace(iv, []byte(`"level": "staff"`), []byte(`"level": "public"`), 1), als)
	f.Add(bytes.Replace(iv, []byte(`"access": "family"`), []byte(`"access": 9`), 1), als)
	f.Add(bytes.Replace(iv, []byte(`"start_ms": 3500`), []byte(`"start_ms": -3500`), 1), als)
	f.Fuzz(func(t *testing.T, ivJSON, alsJSON []byte) {
		dir := filepath.Join(t.TempDir(), "export")
		if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "interviews", "viajes", "interview.json"), ivJSON, 0o644)
		os.WriteFile(filepath.Join(dir, "interviews", "viajes", "alignments.json"), alsJSON, 0o644)
		reseal(t, dir)
		if a, err := importBounded(t, dir, 48<<20+uint64(256*(len(ivJSON)+len(alsJSON)))); err == nil {
			checkImported(t, a)
		}
	})
}
