package archive

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
)

// ErrNotEmpty is returned when importing into an archive that already
// holds other interviews.
var ErrNotEmpty = errors.New("archive is not empty")

// ImportResult says what an import restored.
type ImportResult struct {
	Interviews int    `json:"interviews"`
	Tracks     int    `json:"tracks"`
	Originals  int    `json:"originals"`
	Restricted int    `json:"restricted"`
	Unchanged  bool   `json:"unchanged"`  // the archive already held exactly this content
	CreatedAt  string `json:"created_at"` // when the export was written
}

// export is an export read into memory and verified.
type exportData struct {
	files      map[string][]byte
	header     exportHeaderJSON
	interviews []xInterview
	history    []Event
}

// Import restores an export (a folder, or a .tar) into the archive, which
// must be empty or already hold exactly the export's content. Every file is
// checked against the export's manifest, and every original against its
// checksum, before anything is written; the catalogue is then written in
// one transaction, keeping track and alignment ids, versions and times.
func (a *Archive) Import(ctx context.Context, src string) (*ImportResult, error) {
	x, err := readExport(src)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", src, err)
	}
	lock, err := a.Lock("import", LockWait)
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	res := &ImportResult{Interviews: len(x.interviews), Restricted: len(x.header.Restricted), Originals: x.header.Originals, CreatedAt: x.header.CreatedAt}
	for _, iv := range x.interviews {
		res.Tracks += len(iv.Tracks)
	}
	have, err := a.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	if len(have) > 0 {
		if reflect.DeepEqual(have, x.interviews) {
			res.Unchanged = true
			return res, nil
		}
		return nil, fmt.Errorf("import %s: %w: it holds %d interview(s) that are not this export's; import into a new archive", src, ErrNotEmpty, len(have))
	}
	var created []string
	fail := func(err error) (*ImportResult, error) {
		for _, sum := range created {
			a.removeObject(sum)
		}
		return nil, fmt.Errorf("import %s: %w", src, err)
	}
	sums := map[string]bool{}
	for _, iv := range x.interviews {
		for _, t := range iv.Tracks {
			if sums[t.SHA256] {
				continue
			}
			sums[t.SHA256] = true
			made, err := a.putObject(t.SHA256, x.files[t.Original])
			if err != nil {
				return fail(fmt.Errorf("%s: %w", t.Original, err))
			}
			if made {
				created = append(created, t.SHA256)
			}
		}
	}
	if err := a.restore(ctx, x, src); err != nil {
		return fail(err)
	}
	return res, nil
}

// restore writes the catalogue rows of an export in one transaction.
func (a *Archive) restore(ctx context.Context, x *exportData, src string) error {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	for _, iv := range x.interviews {
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
			for _, s := range t.Segments {
				if err := exec(`INSERT INTO segments (track_id, seq, start_ms, end_ms, speaker, text, estimated) VALUES (?,?,?,?,?,?,?)`,
					t.ID, s.Seq, s.StartMS, s.EndMS, s.Speaker, s.Text, s.Estimated); err != nil {
					return fmt.Errorf("restore segment %d of %s/%s: %w", s.Seq, iv.ID, t.Name, err)
				}
			}
			for i, raw := range t.Chapters {
				var c Chapter
				if err := json.Unmarshal(raw, &c); err != nil {
					return fmt.Errorf("restore chapter %d of %s/%s: %w", i+1, iv.ID, t.Name, err)
				}
				if err := exec(`INSERT INTO chapters (track_id, seq, start_ms, data) VALUES (?,?,?,?)`, t.ID, i+1, c.StartMS, string(raw)); err != nil {
					return fmt.Errorf("restore chapter %d of %s/%s: %w", i+1, iv.ID, t.Name, err)
				}
			}
		}
		for _, al := range iv.Alignments {
			if err := exec(`INSERT INTO alignments (id, interview_id, src_track, tgt_track, method, offset_ms, scale) VALUES (?,?,?,?,?,?,?)`,
				al.ID, iv.ID, al.Src, al.Tgt, al.Method, al.OffsetMS, al.Scale); err != nil {
				return fmt.Errorf("restore alignment of %s: %w", iv.ID, err)
			}
			for i, p := range al.Pairs {
				if err := exec(`INSERT INTO alignment_pairs (alignment_id, seq, src_from, src_to, tgt_from, tgt_to, score) VALUES (?,?,?,?,?,?,?)`,
					al.ID, i+1, p.SrcFrom, p.SrcTo, p.TgtFrom, p.TgtTo, p.Score); err != nil {
					return fmt.Errorf("restore alignment of %s: %w", iv.ID, err)
				}
			}
		}
	}
	for _, e := range x.history {
		if err := exec(`INSERT INTO history (at, event, detail, tool) VALUES (?,?,?,?)`, e.At, e.Event, e.Detail, e.Tool); err != nil {
			return err
		}
	}
	if err := addHistory(tx, "import", fmt.Sprintf("%d interview(s) from %s, exported %s by %s",
		len(x.interviews), filepath.Base(src), x.header.CreatedAt, x.header.Tool)); err != nil {
		return err
	}
	if err := exec(`UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'`); err != nil {
		return err
	}
	return tx.Commit()
}

// readExport reads an export folder or tar and verifies it whole: the
// manifest covers every file and every checksum matches, the header names
// a format this code reads, and every interview's originals are there.
func readExport(src string) (*exportData, error) {
	files := map[string][]byte{}
	add := func(name string, data []byte) error {
		if name != path.Clean(name) || path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") || strings.Contains(name, "\\") {
			return fmt.Errorf("unsafe file name %q", name)
		}
		if _, dup := files[name]; dup {
			return fmt.Errorf("%s appears twice", name)
		}
		files[name] = data
		return nil
	}
	fi, err := os.Stat(src)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if !d.Type().IsRegular() {
				return fmt.Errorf("%s: not a regular file", p)
			}
			rel, _ := filepath.Rel(src, p)
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return add(filepath.ToSlash(rel), data)
		})
	} else {
		err = readTar(src, add)
	}
	if err != nil {
		return nil, err
	}
	x := &exportData{files: files}
	if _, ok := files[exportHeader]; !ok {
		return nil, fmt.Errorf("no %s: not a recuerdo export, or an incomplete one", exportHeader)
	}
	if err := json.Unmarshal(files[exportHeader], &x.header); err != nil {
		return nil, fmt.Errorf("%s: %w", exportHeader, err)
	}
	if x.header.Format != ExportFormat {
		return nil, fmt.Errorf("%s: format %q, want %q", exportHeader, x.header.Format, ExportFormat)
	}
	if x.header.Version > ExportVersion || x.header.Version < 1 {
		return nil, fmt.Errorf("%s: export version %d, this recuerdo reads up to %d; install a newer recuerdo", exportHeader, x.header.Version, ExportVersion)
	}
	if err := verifyManifest(files); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(files["history.json"], &x.history); err != nil {
		return nil, fmt.Errorf("history.json: %w", err)
	}
	listed := map[string]bool{}
	for _, id := range x.header.Interviews {
		if !validID.MatchString(id) || listed[id] {
			return nil, fmt.Errorf("%s: bad or repeated interview id %q", exportHeader, id)
		}
		listed[id] = true
		var iv xInterview
		name := "interviews/" + id + "/interview.json"
		if err := json.Unmarshal(files[name], &iv); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if iv.ID != id {
			return nil, fmt.Errorf("%s: holds interview %q", name, iv.ID)
		}
		if err := importMedia(name, iv.Media); err != nil {
			return nil, err
		}
		name = "interviews/" + id + "/alignments.json"
		if err := json.Unmarshal(files[name], &iv.Alignments); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for i := range iv.Tracks {
			t := &iv.Tracks[i]
			data, ok := files[t.Original]
			switch {
			case !ok || t.Original != "originals/"+t.SHA256:
				return nil, fmt.Errorf("interview %s track %s: original %q missing", id, t.Name, t.Original)
			case Checksum(data) != t.SHA256 || int64(len(data)) != t.Size:
				return nil, fmt.Errorf("interview %s track %s: original %s does not match its checksum or size", id, t.Name, t.Original)
			}
			for j, raw := range t.Chapters {
				var c bytes.Buffer
				if err := json.Compact(&c, raw); err != nil {
					return nil, fmt.Errorf("interview %s track %s chapter %d: %w", id, t.Name, j+1, err)
				}
				t.Chapters[j] = c.Bytes()
			}
		}
		x.interviews = append(x.interviews, iv)
	}
	for name := range files {
		if rest, ok := strings.CutPrefix(name, "interviews/"); ok {
			if id, _, _ := strings.Cut(rest, "/"); !listed[id] {
				return nil, fmt.Errorf("%s: interview %q is not listed in %s", name, id, exportHeader)
			}
		}
	}
	sort.Slice(x.interviews, func(i, j int) bool { return x.interviews[i].ID < x.interviews[j].ID })
	for i := range x.interviews {
		markSeals(&x.interviews[i])
	}
	return x, nil
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

func readTar(name string, add func(string, []byte) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	tr := tar.NewReader(bufio.NewReader(f))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			continue
		case tar.TypeReg:
		default:
			return fmt.Errorf("read %s: %s is not a regular file", name, h.Name)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return fmt.Errorf("read %s: %s: %w", name, h.Name, err)
		}
		if err := add(strings.TrimPrefix(h.Name, "./"), data); err != nil {
			return err
		}
	}
}

// verifyManifest checks MANIFEST.sha256 against the files: every file but
// the manifest is listed once, and every checksum matches.
func verifyManifest(files map[string][]byte) error {
	m, ok := files[exportManifest]
	if !ok {
		return fmt.Errorf("no %s", exportManifest)
	}
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.TrimRight(string(m), "\n"), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			sum, name, ok = strings.Cut(line, " *")
		}
		if !ok || len(sum) != 64 {
			return fmt.Errorf("%s: line %d: want \"SHA256  PATH\"", exportManifest, i+1)
		}
		data, ok := files[name]
		switch {
		case !ok:
			return fmt.Errorf("%s: line %d: %s is missing", exportManifest, i+1, name)
		case seen[name]:
			return fmt.Errorf("%s: line %d: %s listed twice", exportManifest, i+1, name)
		case Checksum(data) != strings.ToLower(sum):
			return fmt.Errorf("%s: line %d: %s does not match its checksum", exportManifest, i+1, name)
		}
		seen[name] = true
	}
	for name := range files {
		if name != exportManifest && !seen[name] {
			return fmt.Errorf("%s is not in %s", name, exportManifest)
		}
	}
	return nil
}
