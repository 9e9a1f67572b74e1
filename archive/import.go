package archive

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrNotEmpty is returned when importing into an archive that already
// holds other interviews.
var ErrNotEmpty = errors.New("archive is not empty")

// Limits on what an export may declare, so that a crafted one cannot
// exhaust memory or disk. Transcripts and subtitles are small: the largest
// real export is far below them.
const (
	DefaultMaxImportFile  = 256 << 20 // bytes of one file
	DefaultMaxImportTotal = 16 << 30  // bytes of every file together
	DefaultMaxImportFiles = 1 << 20   // files
)

// ImportOptions adjusts Import; the zero value works.
type ImportOptions struct {
	MaxFileBytes  int64 // the largest file an export may hold; 0 means DefaultMaxImportFile
	MaxTotalBytes int64 // all its files together; 0 means DefaultMaxImportTotal
	MaxFiles      int   // how many files it may hold; 0 means DefaultMaxImportFiles
}

func (o ImportOptions) withDefaults() ImportOptions {
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = DefaultMaxImportFile
	}
	if o.MaxTotalBytes <= 0 {
		o.MaxTotalBytes = DefaultMaxImportTotal
	}
	if o.MaxFiles <= 0 {
		o.MaxFiles = DefaultMaxImportFiles
	}
	return o
}

// ImportResult says what an import restored.
type ImportResult struct {
	Interviews int    `json:"interviews"`
	Tracks     int    `json:"tracks"`
	Originals  int    `json:"originals"`
	Restricted int    `json:"restricted"`
	Unchanged  bool   `json:"unchanged"`  // the archive already held exactly this content
	CreatedAt  string `json:"created_at"` // when the export was written
	// Rederived lists the tracks ("interview/name: what differed") whose
	// segments in the export differ from what their original gives: the
	// original's are kept, and the interview's alignments recomputed.
	Rederived []string `json:"rederived"`
	Notes     []string `json:"notes"` // other things worth a look
}

// Import restores an export (a folder, or a .tar) into the archive, which
// must be empty or already hold exactly the export's content; see
// ImportWith.
func (a *Archive) Import(ctx context.Context, src string) (*ImportResult, error) {
	return a.ImportWith(ctx, src, ImportOptions{})
}

// ImportWith is Import with limits on what the export may hold.
//
// Nothing of the export is trusted as written. Its entries' declared
// sizes are checked against the limits and against MANIFEST.sha256 before
// any is read: sparse files, links and anything but regular files are
// refused. A tar is unpacked one entry at a time into a temporary folder
// inside the archive (removed after), its checksums computed on the way;
// no file is held in memory but one interview's JSON and one original at a
// time. Every reference (ids, tracks, segments, alignment pairs, seals,
// access levels, dates and times) is validated, and every track's segments
// are derived again from its original as ingest would; where they differ
// the original's are kept and reported. Access and seals cannot be derived
// from the originals: where the export's own records of them disagree (the
// restricted list, the sealed marks on segments) in a way that would show
// more than they say, the import is refused. The catalogue is then written
// in one transaction, keeping track and alignment ids, versions and times.
func (a *Archive) ImportWith(ctx context.Context, src string, opts ImportOptions) (*ImportResult, error) {
	lock, err := a.Lock("import", a.LockWait())
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	x, err := openExport(src, opts.withDefaults())
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", src, err)
	}
	have, err := a.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	ids := append([]string(nil), x.header.Interviews...)
	sort.Strings(ids)
	if len(have) > 0 && !sameIDs(have, ids) {
		return nil, fmt.Errorf("import %s: %w: it holds %d interview(s) that are not this export's; import into a new archive", src, ErrNotEmpty, len(have))
	}
	if err := x.unpack(ctx, a.dir); err != nil {
		x.close()
		return nil, fmt.Errorf("import %s: %w", src, err)
	}
	defer x.close()
	res := &ImportResult{Interviews: len(ids), Restricted: len(x.header.Restricted), Originals: x.header.Originals,
		CreatedAt: x.header.CreatedAt, Rederived: []string{}, Notes: []string{}}
	if len(have) > 0 {
		for i, id := range ids {
			iv, err := x.interview(id)
			if err != nil {
				return nil, fmt.Errorf("import %s: %w", src, err)
			}
			res.Tracks += len(iv.Tracks)
			if !reflect.DeepEqual(have[i], *iv) {
				return nil, fmt.Errorf("import %s: %w: its interview %s differs from the export's; import into a new archive", src, ErrNotEmpty, id)
			}
		}
		res.Unchanged = true
		return res, nil
	}
	history, err := x.history()
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", src, err)
	}
	var created []string
	if err := a.restore(ctx, x, ids, history, res, &created); err != nil {
		for _, sum := range created {
			a.removeObject(sum)
		}
		return nil, fmt.Errorf("import %s: %w", src, err)
	}
	return res, nil
}

func sameIDs(have []xInterview, ids []string) bool {
	if len(have) != len(ids) {
		return false
	}
	for i := range have {
		if have[i].ID != ids[i] {
			return false
		}
	}
	return true
}

// restore validates and writes the interviews of an export one at a time,
// in one transaction that commits only when every one of them passed.
// Each original is stored (and added to created) as its track is.
func (a *Archive) restore(ctx context.Context, x *export, ids []string, history []Event, res *ImportResult, created *[]string) error {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	restricted := map[string]bool{}
	for _, id := range x.header.Restricted {
		restricted[id] = true
	}
	trackIDs, alignmentIDs := map[int64]string{}, map[int64]string{}
	stored := map[string]bool{} // originals already stored by this import
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		iv, err := x.interview(id)
		if err != nil {
			return err
		}
		name := "interviews/" + id + "/interview.json"
		if restricted[id] && iv.Access == Public && len(iv.Sealed) == 0 {
			return fmt.Errorf("%s lists %s as restricted, but %s makes it public with no seals: the export was edited; refusing it", exportHeader, id, name)
		}
		for _, t := range iv.Tracks {
			if other, dup := trackIDs[t.ID]; dup {
				return fmt.Errorf("%s: track id %d is also a track of %s", name, t.ID, other)
			}
			trackIDs[t.ID] = id
		}
		for _, al := range iv.Alignments {
			if other, dup := alignmentIDs[al.ID]; dup {
				return fmt.Errorf("interviews/%s/alignments.json: alignment id %d is also an alignment of %s", id, al.ID, other)
			}
			alignmentIDs[al.ID] = id
		}
		res.Tracks += len(iv.Tracks)

		// Segments are derived from the originals: derive them again.
		realignIt := false
		for i := range iv.Tracks {
			t := &iv.Tracks[i]
			data, err := x.original(t)
			if err != nil {
				return fmt.Errorf("interview %s track %s: %w", id, t.Name, err)
			}
			if !stored[t.SHA256] {
				made, err := a.putObject(t.SHA256, data)
				if err != nil {
					return fmt.Errorf("%s: %w", t.Original, err)
				}
				if made {
					*created = append(*created, t.SHA256)
				}
				stored[t.SHA256] = true
			}
			derived, err := derive(t.Name, data)
			if err != nil {
				res.Notes = append(res.Notes, fmt.Sprintf("%s/%s: its original could not be read again (%v); kept the export's segments", id, t.Name, err))
				continue
			}
			if diff := diffSegments(xSegments(t.Segments), derived); diff != "" {
				res.Rederived = append(res.Rederived, fmt.Sprintf("%s/%s: %s; kept the original's", id, t.Name, diff))
				t.Segments = make([]xSegment, len(derived))
				for j, s := range derived {
					t.Segments[j] = xSegment{Seq: s.Seq, StartMS: s.StartMS, EndMS: s.EndMS, Speaker: s.Speaker, Text: s.Text, Estimated: s.Estimated}
				}
				realignIt = realignIt || t.Current
			}
		}

		narrators, _ := json.Marshal(iv.Narrators)
		interviewers, _ := json.Marshal(iv.Interviewers)
		if err := exec(`INSERT INTO interviews (id, title, title_en, narrators, interviewers, date, place,
			collection, language, access, summary, summary_en, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			iv.ID, iv.Title, iv.TitleEN, string(narrators), string(interviewers), iv.Date, iv.Place,
			iv.Collection, iv.Language, iv.Access, iv.Summary, iv.SummaryEN, iv.Version); err != nil {
			return fmt.Errorf("restore interview %s: %w", iv.ID, err)
		}
		for i, m := range iv.Media {
			if err := exec(`INSERT INTO media (interview_id, seq, file, fps, start_timecode) VALUES (?,?,?,?,?)`,
				iv.ID, i+1, m.File, m.FPS, m.StartTimecode); err != nil {
				return fmt.Errorf("restore media of %s: %w", iv.ID, err)
			}
		}
		for i, s := range iv.Sealed {
			if err := exec(`INSERT INTO seals (interview_id, seq, start_ms, end_ms, until, level, reason) VALUES (?,?,?,?,?,?,?)`,
				iv.ID, i+1, s.StartMS, s.EndMS, s.Until, s.Level, s.Reason); err != nil {
				return fmt.Errorf("restore seals of %s: %w", iv.ID, err)
			}
		}
		for _, t := range iv.Tracks {
			if err := exec(`INSERT INTO tracks (id, interview_id, lang, kind, format, name, sha256, size, encoding, current, added_at)
				VALUES (?,?,?,?,?,?,?,?,?,?,?)`, t.ID, iv.ID, t.Lang, t.Kind, t.Format, t.Name, t.SHA256, t.Size, t.Encoding, t.Current, t.AddedAt); err != nil {
				return fmt.Errorf("restore track %s of %s: %w", t.Name, iv.ID, err)
			}
			segs, err := newRowWriter(ctx, tx, a.pg != nil, `INSERT INTO segments (track_id, seq, start_ms, end_ms, speaker, text, estimated) VALUES (?,?,?,?,?,?,?)`, true)
			if err != nil {
				return err
			}
			for _, s := range t.Segments {
				if err := segs.add(t.ID, s.Seq, s.StartMS, s.EndMS, s.Speaker, s.Text, s.Estimated); err != nil {
					segs.close()
					return fmt.Errorf("restore segment %d of %s/%s: %w", s.Seq, iv.ID, t.Name, err)
				}
			}
			if err := segs.close(); err != nil {
				return fmt.Errorf("restore segments of %s/%s: %w", iv.ID, t.Name, err)
			}
			for i, raw := range t.Chapters {
				var c Chapter
				json.Unmarshal(raw, &c) // validated by interview
				if err := exec(`INSERT INTO chapters (track_id, seq, start_ms, data) VALUES (?,?,?,?)`, t.ID, i+1, c.StartMS, string(raw)); err != nil {
					return fmt.Errorf("restore chapter %d of %s/%s: %w", i+1, iv.ID, t.Name, err)
				}
			}
		}
		if realignIt {
			if _, err := realign(ctx, tx, a.pg != nil, iv.ID, iv.Language); err != nil {
				return fmt.Errorf("realign %s: %w", iv.ID, err)
			}
			continue
		}
		for _, al := range iv.Alignments {
			if err := exec(`INSERT INTO alignments (id, interview_id, src_track, tgt_track, method, offset_ms, scale) VALUES (?,?,?,?,?,?,?)`,
				al.ID, iv.ID, al.Src, al.Tgt, al.Method, al.OffsetMS, al.Scale); err != nil {
				return fmt.Errorf("restore alignment of %s: %w", iv.ID, err)
			}
			pairs, err := newRowWriter(ctx, tx, a.pg != nil, `INSERT INTO alignment_pairs (alignment_id, seq, src_from, src_to, tgt_from, tgt_to, score) VALUES (?,?,?,?,?,?,?)`, false)
			if err != nil {
				return err
			}
			for i, p := range al.Pairs {
				if err := pairs.add(al.ID, i+1, p.SrcFrom, p.SrcTo, p.TgtFrom, p.TgtTo, p.Score); err != nil {
					return fmt.Errorf("restore alignment of %s: %w", iv.ID, err)
				}
			}
			if err := pairs.close(); err != nil {
				return fmt.Errorf("restore alignment of %s: %w", iv.ID, err)
			}
		}
	}
	if len(stored) != x.header.Originals {
		return fmt.Errorf("%s: says %d original(s), the interviews refer to %d", exportHeader, x.header.Originals, len(stored))
	}
	for name := range x.sizes {
		if sum, ok := strings.CutPrefix(name, "originals/"); ok && !stored[sum] {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: no track refers to it; not stored", name))
		}
	}
	sort.Strings(res.Notes)
	for _, e := range history {
		if err := exec(`INSERT INTO history (at, event, detail, tool, interview) VALUES (?,?,?,?,?)`, e.At, e.Event, e.Detail, e.Tool, e.Interview); err != nil {
			return err
		}
	}
	glossary, err := x.glossary()
	if err != nil {
		return err
	}
	for _, g := range glossary {
		action := "add"
		if g.Remove {
			action = "remove"
		}
		if err := exec(`INSERT OR REPLACE INTO glossary (from_lang, from_word, to_lang, to_word, action, note, added_at) VALUES (?,?,?,?,?,?,?)`,
			g.FromLang, g.From, g.ToLang, g.To, action, g.Note, g.AddedAt); err != nil {
			return err
		}
	}
	if len(glossary) > 0 {
		if err := bumpLexicon(ctx, tx); err != nil {
			return err
		}
	}
	sels, err := x.selections(ids)
	if err != nil {
		return err
	}
	for i := range sels {
		if err := putSelection(ctx, tx, &sels[i]); err != nil {
			return fmt.Errorf("selection %s: %w", sels[i].ID, err)
		}
	}
	if err := addHistory(tx, "import", fmt.Sprintf("%d interview(s) from %s, exported %s by %s",
		len(ids), filepath.Base(x.src), x.header.CreatedAt, x.header.Tool)); err != nil {
		return err
	}
	for _, r := range res.Rederived {
		if err := addHistory(tx, "import", "segments derived again from the original: "+r); err != nil {
			return err
		}
	}
	if err := exec(`UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'`); err != nil {
		return err
	}
	return tx.Commit()
}

func xSegments(xs []xSegment) []Segment {
	out := make([]Segment, len(xs))
	for i, s := range xs {
		out[i] = Segment{Seq: s.Seq, StartMS: s.StartMS, EndMS: s.EndMS, Speaker: s.Speaker, Text: s.Text, Estimated: s.Estimated}
	}
	return out
}

// export is an export being read: its header and manifest, what each of
// its entries declares, and the folder its files are read from.
type export struct {
	src    string
	lim    ImportOptions
	tar    bool
	root   string            // the export folder, or where its tar was unpacked
	tmp    string            // that temporary folder inside the archive, removed by close
	sizes  map[string]int64  // every file, by name, as its entry declares it
	order  []string          // the tar's entries, in order
	total  int64             // bytes the entries declare in all
	sums   map[string]string // MANIFEST.sha256: name → checksum
	lines  map[string]int    // name → line of MANIFEST.sha256
	header exportHeaderJSON
}

func (x *export) close() {
	if x.tmp != "" {
		os.RemoveAll(x.tmp)
		x.tmp = ""
	}
}

// openExport reads what an export declares, and only that: the tar's
// headers (skipping over their data) or the folder's entries, the header
// and the manifest. Every entry is checked against the limits and the
// manifest before a byte of it is read.
func openExport(src string, lim ImportOptions) (*export, error) {
	x := &export{src: src, lim: lim, sizes: map[string]int64{}}
	fi, err := os.Stat(src)
	if err != nil {
		return nil, err
	}
	var hdr []byte
	var hdrSum string
	meta := func(name string, r io.Reader) (err error) {
		switch name {
		case exportManifest:
			x.sums, x.lines, err = parseManifest(r, lim.MaxFiles)
		case exportHeader:
			h := sha256.New()
			hdr, err = io.ReadAll(io.TeeReader(r, h))
			hdrSum = hex.EncodeToString(h.Sum(nil))
		}
		return err
	}
	if fi.IsDir() {
		x.root = src
		err = x.scanDir(meta)
	} else {
		x.tar = true
		err = x.scanTar(meta)
	}
	if err != nil {
		return nil, err
	}
	if hdr == nil {
		return nil, fmt.Errorf("no %s: not a recuerdo export, or an incomplete one", exportHeader)
	}
	if err := json.Unmarshal(hdr, &x.header); err != nil {
		return nil, fmt.Errorf("%s: %w", exportHeader, err)
	}
	if x.header.Format != ExportFormat {
		return nil, fmt.Errorf("%s: format %q, want %q", exportHeader, x.header.Format, ExportFormat)
	}
	if x.header.Version > ExportVersion || x.header.Version < 1 {
		return nil, fmt.Errorf("%s: export version %d, this recuerdo reads up to %d; install a newer recuerdo", exportHeader, x.header.Version, ExportVersion)
	}
	if x.sums == nil {
		return nil, fmt.Errorf("no %s", exportManifest)
	}
	// The manifest and the entries must name the same files.
	names := make([]string, 0, len(x.sums))
	for name := range x.sums {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return x.lines[names[i]] < x.lines[names[j]] })
	for _, name := range names {
		if _, ok := x.sizes[name]; !ok {
			return nil, fmt.Errorf("%s: line %d: %s is missing", exportManifest, x.lines[name], name)
		}
	}
	for name := range x.sizes {
		if _, ok := x.sums[name]; !ok && name != exportManifest {
			return nil, fmt.Errorf("%s is not in %s", name, exportManifest)
		}
	}
	if hdrSum != x.sums[exportHeader] {
		return nil, x.mismatch(exportHeader)
	}
	if err := x.checkHeader(); err != nil {
		return nil, err
	}
	return x, nil
}

func (x *export) mismatch(name string) error {
	return fmt.Errorf("%s: line %d: %s does not match its checksum", exportManifest, x.lines[name], name)
}

var (
	originalName  = regexp.MustCompile(`^originals/[0-9a-f]{64}$`)
	interviewName = regexp.MustCompile(`^interviews/([^/]+)/(interview|alignments)\.json$`)
)

// checkHeader checks the header's own fields and that the export holds
// the files of version 1 and no others.
func (x *export) checkHeader() error {
	h := &x.header
	if _, err := time.Parse(time.RFC3339, h.CreatedAt); err != nil {
		return fmt.Errorf("%s: created_at %q: want a time such as 2026-01-02T15:04:05Z", exportHeader, h.CreatedAt)
	}
	listed := map[string]bool{}
	for _, id := range h.Interviews {
		if !validID.MatchString(id) || listed[id] {
			return fmt.Errorf("%s: bad or repeated interview id %q", exportHeader, id)
		}
		listed[id] = true
		for _, f := range []string{"interview", "alignments"} {
			name := "interviews/" + id + "/" + f + ".json"
			if _, ok := x.sizes[name]; !ok {
				return fmt.Errorf("%s: interview %s has no %s", exportHeader, id, name)
			}
		}
	}
	for _, id := range h.Restricted {
		if !listed[id] {
			return fmt.Errorf("%s: restricted interview %q is not one of its interviews", exportHeader, id)
		}
	}
	if h.Originals < 0 {
		return fmt.Errorf("%s: originals %d", exportHeader, h.Originals)
	}
	if _, ok := x.sizes["history.json"]; !ok {
		return fmt.Errorf("no history.json")
	}
	for name := range x.sizes {
		switch m := interviewName.FindStringSubmatch(name); {
		case name == exportHeader || name == exportManifest || name == "README.txt" || name == "history.json" || name == "glossary.json" || name == "selections.json" || originalName.MatchString(name):
		case m != nil && !listed[m[1]]:
			return fmt.Errorf("%s: interview %q is not listed in %s", name, m[1], exportHeader)
		case m != nil:
		default:
			return fmt.Errorf("%s: not a file of a recuerdo export (version %d)", name, ExportVersion)
		}
	}
	return nil
}

// declare records one entry of the export, checking its name and size
// against the limits before anything of it is read.
func (x *export) declare(name string, size int64) error {
	if name != path.Clean(name) || !fs.ValidPath(name) || name == "." || strings.Contains(name, "\\") {
		return fmt.Errorf("unsafe file name %q", name)
	}
	if _, dup := x.sizes[name]; dup {
		return fmt.Errorf("%s appears twice", name)
	}
	if len(x.sizes) >= x.lim.MaxFiles {
		return fmt.Errorf("more than %d files: not an export recuerdo would write", x.lim.MaxFiles)
	}
	if size < 0 || size > x.lim.MaxFileBytes {
		return fmt.Errorf("%s declares %d bytes, more than the %d a file of an export may hold", name, size, x.lim.MaxFileBytes)
	}
	if x.total+size > x.lim.MaxTotalBytes {
		return fmt.Errorf("the files declare more than the %d bytes an export may hold in all", x.lim.MaxTotalBytes)
	}
	x.sizes[name] = size
	x.total += size
	return nil
}

// scanTar reads the tar's headers, skipping over the data (the file is
// seekable, so nothing is read), but for the header and manifest.
func (x *export) scanTar(meta func(string, io.Reader) error) error {
	f, err := os.Open(x.src)
	if err != nil {
		return err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", x.src, err)
		}
		name, ok, err := tarEntry(h)
		if err != nil || !ok {
			if err != nil {
				return fmt.Errorf("read %s: %w", x.src, err)
			}
			continue
		}
		if err := x.declare(name, h.Size); err != nil {
			return err
		}
		x.order = append(x.order, name)
		if err := meta(name, tr); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
}

// tarEntry returns the name of a regular file's entry; folders are
// skipped, and anything else refused: a sparse file can declare gigabytes
// in a few bytes of tar, and links could lead out of the export.
func tarEntry(h *tar.Header) (string, bool, error) {
	switch h.Typeflag {
	case tar.TypeDir, tar.TypeXGlobalHeader:
		return "", false, nil
	case tar.TypeGNUSparse:
		return "", false, fmt.Errorf("%s is a sparse file: an export holds none", h.Name)
	case tar.TypeReg:
	default:
		return "", false, fmt.Errorf("%s is not a regular file", h.Name)
	}
	for k := range h.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return "", false, fmt.Errorf("%s is a sparse file: an export holds none", h.Name)
		}
	}
	return strings.TrimPrefix(h.Name, "./"), true, nil
}

// scanDir lists an export folder: regular files only.
func (x *export) scanDir(meta func(string, io.Reader) error) error {
	err := filepath.WalkDir(x.src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(x.src, p)
		name := filepath.ToSlash(rel)
		if err := x.declare(name, fi.Size()); err != nil {
			return err
		}
		if name != exportManifest && name != exportHeader {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := meta(name, io.LimitReader(f, fi.Size())); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
	return err
}

// parseManifest reads MANIFEST.sha256 line by line.
func parseManifest(r io.Reader, maxFiles int) (map[string]string, map[string]int, error) {
	sums, lines := map[string]string{}, map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			sum, name, ok = strings.Cut(line, " *")
		}
		sum = strings.ToLower(sum)
		if _, err := hex.DecodeString(sum); err != nil || !ok || len(sum) != 64 {
			return nil, nil, fmt.Errorf("line %d: want \"SHA256  PATH\"", n)
		}
		if _, dup := sums[name]; dup {
			return nil, nil, fmt.Errorf("line %d: %s listed twice", n, name)
		}
		if len(sums) >= maxFiles {
			return nil, nil, fmt.Errorf("line %d: more than %d files", n, maxFiles)
		}
		sums[name], lines[name] = sum, n
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("line %d: %w", n+1, err)
	}
	return sums, lines, nil
}

// unpack verifies every file against the manifest, streaming it: a tar's
// entries are written on the way to a temporary folder inside the archive
// dir, which close removes.
func (x *export) unpack(ctx context.Context, dir string) error {
	if !x.tar {
		names := make([]string, 0, len(x.sizes))
		for name := range x.sizes {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := ctx.Err(); err != nil {
				return err
			}
			if name == exportManifest || name == exportHeader {
				continue
			}
			f, err := os.Open(filepath.Join(x.root, filepath.FromSlash(name)))
			if err != nil {
				return err
			}
			err = x.copyVerified(name, io.Discard, f)
			f.Close()
			if err != nil {
				return err
			}
		}
		return nil
	}
	tmp, err := os.MkdirTemp(dir, ".import-")
	if err != nil {
		return fmt.Errorf("unpack: %w", err)
	}
	x.tmp, x.root = tmp, tmp
	f, err := os.Open(x.src)
	if err != nil {
		return err
	}
	defer f.Close()
	tr := tar.NewReader(bufio.NewReaderSize(f, 1<<16))
	i := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", x.src, err)
		}
		name, ok, err := tarEntry(h)
		if err != nil {
			return fmt.Errorf("read %s: %w", x.src, err)
		}
		if !ok {
			continue
		}
		if i >= len(x.order) || x.order[i] != name || x.sizes[name] != h.Size {
			return fmt.Errorf("read %s: it changed while it was read", x.src)
		}
		i++
		if name == exportManifest || name == exportHeader {
			continue
		}
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return fmt.Errorf("unpack: %w", err)
		}
		out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("unpack: %w", err)
		}
		err = x.copyVerified(name, out, tr)
		if cerr := out.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("unpack: %w", cerr)
		}
		if err != nil {
			return err
		}
	}
	if i != len(x.order) {
		return fmt.Errorf("read %s: it changed while it was read", x.src)
	}
	return nil
}

// copyVerified copies exactly the declared size of name from r to w and
// checks it against the manifest.
func (x *export) copyVerified(name string, w io.Writer, r io.Reader) error {
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(r, x.sizes[name]+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if n != x.sizes[name] {
		return fmt.Errorf("%s: %d bytes, its entry declares %d", name, n, x.sizes[name])
	}
	if hex.EncodeToString(h.Sum(nil)) != x.sums[name] {
		return x.mismatch(name)
	}
	return nil
}

// read returns the bytes of one file of the export, checked again against
// the manifest (a folder can change while it is imported).
func (x *export) read(name string) ([]byte, error) {
	f, err := os.Open(filepath.Join(x.root, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	buf.Grow(int(x.sizes[name]))
	if err := x.copyVerified(name, &buf, f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// original returns the bytes of a track's original, after checking the
// size the track declares against the file's entry.
func (x *export) original(t *xTrack) ([]byte, error) {
	if n := x.sizes[t.Original]; n != t.Size {
		return nil, fmt.Errorf("original %s holds %d bytes, the track says %d", t.Original, n, t.Size)
	}
	data, err := x.read(t.Original)
	if err != nil {
		return nil, err
	}
	if Checksum(data) != t.SHA256 {
		return nil, fmt.Errorf("original %s does not match its checksum", t.Original)
	}
	return data, nil
}

// glossary reads glossary.json, which exports before format 4 lack.
func (x *export) glossary() ([]GlossaryEntry, error) {
	if _, ok := x.sizes["glossary.json"]; !ok {
		return nil, nil
	}
	data, err := x.read("glossary.json")
	if err != nil {
		return nil, err
	}
	var gl []GlossaryEntry
	if err := json.Unmarshal(data, &gl); err != nil {
		return nil, fmt.Errorf("glossary.json: %w", err)
	}
	for i, g := range gl {
		if err := checkGlossary(&g); err != nil {
			return nil, fmt.Errorf("glossary.json: entry %d: %w", i+1, err)
		}
		gl[i] = g
	}
	return gl, nil
}

// selections reads selections.json, which exports before format 5 lack;
// every moment must name one of the exported interviews ids.
func (x *export) selections(ids []string) ([]Selection, error) {
	if _, ok := x.sizes["selections.json"]; !ok {
		return nil, nil
	}
	data, err := x.read("selections.json")
	if err != nil {
		return nil, err
	}
	var sels []Selection
	if err := json.Unmarshal(data, &sels); err != nil {
		return nil, fmt.Errorf("selections.json: %w", err)
	}
	have := map[string]bool{}
	for _, id := range ids {
		have[id] = true
	}
	seen := map[string]bool{}
	for i := range sels {
		s := &sels[i]
		if err := checkSelection(s); err != nil {
			return nil, fmt.Errorf("selections.json: %w", err)
		}
		if seen[s.ID] {
			return nil, fmt.Errorf("selections.json: selection %s twice", s.ID)
		}
		seen[s.ID] = true
		if s.Created == "" || s.Updated == "" {
			return nil, fmt.Errorf("selections.json: selection %s: no created or updated time", s.ID)
		}
		for j, it := range s.Items {
			if !have[it.Interview] {
				return nil, fmt.Errorf("selections.json: selection %s: moment %d names interview %q, which the export does not hold", s.ID, j+1, it.Interview)
			}
		}
	}
	return sels, nil
}

func (x *export) history() ([]Event, error) {
	data, err := x.read("history.json")
	if err != nil {
		return nil, err
	}
	var hist []Event
	if err := json.Unmarshal(data, &hist); err != nil {
		return nil, fmt.Errorf("history.json: %w", err)
	}
	for i, e := range hist {
		if _, err := time.Parse(time.RFC3339Nano, e.At); err != nil || e.Event == "" {
			return nil, fmt.Errorf("history.json: event %d: want a time (at) and an event", i+1)
		}
	}
	return hist, nil
}

// interview reads and validates one interview of the export, with its
// alignments, in the canonical form of snapshot.
func (x *export) interview(id string) (*xInterview, error) {
	name := "interviews/" + id + "/interview.json"
	data, err := x.read(name)
	if err != nil {
		return nil, err
	}
	var iv xInterview
	if err := json.Unmarshal(data, &iv); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if iv.ID != id {
		return nil, fmt.Errorf("%s: holds interview %q", name, iv.ID)
	}
	if err := importMedia(name, iv.Media); err != nil {
		return nil, err
	}
	aname := "interviews/" + id + "/alignments.json"
	if data, err = x.read(aname); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &iv.Alignments); err != nil {
		return nil, fmt.Errorf("%s: %w", aname, err)
	}
	if err := validateInterview(&iv, name, aname); err != nil {
		return nil, err
	}
	for i := range iv.Tracks {
		t := &iv.Tracks[i]
		if _, ok := x.sizes[t.Original]; !ok || t.Original != "originals/"+t.SHA256 {
			return nil, fmt.Errorf("interview %s track %s: original %q missing", id, t.Name, t.Original)
		}
	}
	// The sealed marks on segments are derived from the seals; a mark no
	// seal accounts for means the seals were edited.
	marks := map[SegmentKey]*xSealing{}
	for _, t := range iv.Tracks {
		for _, s := range t.Segments {
			if s.Sealed != nil {
				marks[SegmentKey{t.ID, s.Seq}] = s.Sealed
			}
		}
	}
	markSeals(&iv)
	for _, t := range iv.Tracks {
		for _, s := range t.Segments {
			w := marks[SegmentKey{t.ID, s.Seq}]
			if w != nil && (s.Sealed == nil || s.Sealed.Level < w.Level || s.Sealed.Until < w.Until) {
				return nil, fmt.Errorf("%s: track %s segment %d is marked sealed (%s until %s) but no seal of the interview covers it so: the export was edited; refusing it",
					name, t.Name, s.Seq, w.Level, w.Until)
			}
		}
	}
	if iv.Alignments == nil {
		iv.Alignments = []xAlignment{}
	}
	return &iv, nil
}

// maxMS bounds every time in an export: past 139 years, a time is not a
// time in a recording but an overflow waiting to happen.
const maxMS = 1 << 42

var (
	validFormat = regexp.MustCompile(`^[a-z0-9]{1,32}$`)
	validSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// validateInterview checks every field and reference of an exported
// interview and its alignments, so that nothing imported can break a
// reader: levels, dates, times, ids, segment numbering and pair ranges.
func validateInterview(iv *xInterview, name, aname string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: "+format, append([]any{name}, args...)...)
	}
	switch {
	case strings.TrimSpace(iv.Title) == "":
		return bad("no title")
	case !validLang.MatchString(iv.Language):
		return bad("language %q: want a two-letter code such as es or en", iv.Language)
	case iv.Date != "" && !validDate.MatchString(iv.Date):
		return bad("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", iv.Date)
	case iv.Access < Public || iv.Access > Staff:
		return bad("access %d: want public, family or staff", int(iv.Access))
	case iv.Version < 1:
		return bad("version %d", iv.Version)
	}
	for i, m := range iv.Media {
		if math.IsNaN(m.FPS) || m.FPS < 0 || m.FPS > 300 {
			return bad("media %d: fps %v out of range", i+1, m.FPS)
		}
		if m.StartTimecode != "" && !validTimecode.MatchString(m.StartTimecode) {
			return bad("media %d: start_timecode %q: want HH:MM:SS:FF", i+1, m.StartTimecode)
		}
	}
	for i, s := range iv.Sealed {
		if s.StartMS < 0 || s.EndMS <= s.StartMS || s.EndMS > maxMS {
			return bad("sealed %d: %d-%d ms is not a stretch of a recording", i+1, s.StartMS, s.EndMS)
		}
		if _, err := time.Parse("2006-01-02", s.Until); err != nil {
			return bad("sealed %d: until %q: want a date YYYY-MM-DD", i+1, s.Until)
		}
		if s.Level < Public || s.Level > Staff {
			return bad("sealed %d: level %d: want public, family or staff", i+1, int(s.Level))
		}
	}
	counts := map[int64]int{} // current tracks: segment counts
	names := map[string]bool{}
	ids := map[int64]bool{}
	for i := range iv.Tracks {
		t := &iv.Tracks[i]
		what := fmt.Sprintf("track %d (%q)", i+1, t.Name)
		switch {
		case t.ID < 1 || ids[t.ID]:
			return bad("%s: bad or repeated id %d", what, t.ID)
		case t.Name == "" || len(t.Name) > 4096 || !utf8.ValidString(t.Name) || strings.ContainsFunc(t.Name, func(r rune) bool { return r < ' ' || r == 0x7f }):
			return bad("%s: bad name", what)
		case !validLang.MatchString(t.Lang):
			return bad("%s: lang %q: want a two-letter code such as es or en", what, t.Lang)
		case t.Kind != "subtitles" && t.Kind != "transcript":
			return bad("%s: kind %q: want subtitles or transcript", what, t.Kind)
		case !validFormat.MatchString(t.Format):
			return bad("%s: format %q", what, t.Format)
		case !validSHA256.MatchString(t.SHA256):
			return bad("%s: sha256 %q", what, t.SHA256)
		case t.Size < 0:
			return bad("%s: size %d", what, t.Size)
		case t.Current && names[t.Name]:
			return bad("%s: two current tracks named %q", what, t.Name)
		case len(t.Segments) == 0:
			return bad("%s: no segments", what)
		}
		if _, err := time.Parse(time.RFC3339Nano, t.AddedAt); err != nil {
			return bad("%s: added_at %q: want a time such as 2026-01-02T15:04:05Z", what, t.AddedAt)
		}
		ids[t.ID] = true
		for j, s := range t.Segments {
			if s.Seq != j+1 {
				return bad("%s: segment %d is numbered %d", what, j+1, s.Seq)
			}
			if s.StartMS < 0 || s.EndMS < s.StartMS || s.EndMS > maxMS {
				return bad("%s: segment %d: %d-%d ms is not a stretch of a recording", what, s.Seq, s.StartMS, s.EndMS)
			}
			if !utf8.ValidString(s.Text) || !utf8.ValidString(s.Speaker) {
				return bad("%s: segment %d: text that is not UTF-8", what, s.Seq)
			}
		}
		for j, raw := range t.Chapters {
			var c bytes.Buffer
			if err := json.Compact(&c, raw); err != nil {
				return bad("%s: chapter %d: %v", what, j+1, err)
			}
			var ch Chapter
			if err := json.Unmarshal(c.Bytes(), &ch); err != nil || ch.StartMS < 0 || ch.StartMS > maxMS {
				return bad("%s: chapter %d: want an object with a start_ms", what, j+1)
			}
			t.Chapters[j] = c.Bytes()
		}
		if t.Current {
			names[t.Name] = true
			counts[t.ID] = len(t.Segments)
		}
	}
	abad := func(format string, args ...any) error {
		return fmt.Errorf("%s: "+format, append([]any{aname}, args...)...)
	}
	alIDs := map[int64]bool{}
	for i, al := range iv.Alignments {
		ns, okS := counts[al.Src]
		nt, okT := counts[al.Tgt]
		switch {
		case al.ID < 1 || alIDs[al.ID]:
			return abad("alignment %d: bad or repeated id %d", i+1, al.ID)
		case !okS || !okT || al.Src == al.Tgt:
			return abad("alignment %d: tracks %d and %d are not two current tracks of the interview", i+1, al.Src, al.Tgt)
		case al.Method == "" || math.IsNaN(al.Scale) || math.IsInf(al.Scale, 0) || al.Scale <= 0 || al.OffsetMS < -maxMS || al.OffsetMS > maxMS:
			return abad("alignment %d: bad method, scale or offset", i+1)
		}
		alIDs[al.ID] = true
		for j, p := range al.Pairs {
			if !PairFits(p, ns, nt) || math.IsNaN(p.Score) {
				return abad("alignment %d pair %d: segments %d-%d of %d and %d-%d of %d do not exist",
					i+1, j+1, p.SrcFrom, p.SrcTo, ns, p.TgtFrom, p.TgtTo, nt)
			}
		}
	}
	return nil
}

// PairFits reports whether a pair refers to segments that exist in a
// source track of ns segments and a target of nt: each side is a range
// 1 <= from <= to <= n, or 0-0 when that side has none, and not both are.
func PairFits(p Pair, ns, nt int) bool {
	side := func(from, to, n int) (ok, empty bool) {
		if from == 0 && to == 0 {
			return true, true
		}
		return 1 <= from && from <= to && to <= n, false
	}
	okS, emptyS := side(p.SrcFrom, p.SrcTo, ns)
	okT, emptyT := side(p.TgtFrom, p.TgtTo, nt)
	return okS && okT && !(emptyS && emptyT)
}

// markSeals sets each segment's derived seal mark from the interview's seals.
func markSeals(iv *xInterview) {
	for i := range iv.Tracks {
		for j := range iv.Tracks[i].Segments {
			s := &iv.Tracks[i].Segments[j]
			s.Sealed = nil
			for _, seal := range iv.Sealed {
				if s.StartMS < seal.EndMS && s.EndMS > seal.StartMS {
					if s.Sealed == nil {
						s.Sealed = &xSealing{Level: seal.Level, Until: seal.Until}
					}
					s.Sealed.Level, s.Sealed.Until = max(s.Sealed.Level, seal.Level), max(s.Sealed.Until, seal.Until)
				}
			}
		}
	}
}
