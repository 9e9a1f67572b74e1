package archive

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/recuerdo-archive/recuerdo/internal/atomicfile"
)

// The export format: a folder, or the same files in a tar, that anyone can
// read without recuerdo. See exportReadme for the layout.
const (
	ExportFormat  = "recuerdo-export" // the format name in recuerdo-export.json
	ExportVersion = 1                 // the version of the export layout this code writes and reads

	exportHeader   = "recuerdo-export.json"
	exportManifest = "MANIFEST.sha256"
)

// exportEpoch is every file's time in an exported tar, so two exports of
// the same archive are the same bytes but for the creation time they record.
var exportEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

const exportReadme = `This folder is an export of a recuerdo oral-history archive. Everything in it
is plain files in open formats; you do not need recuerdo to read it.

recuerdo-export.json        what this is: format name and version, when and by
                            which recuerdo it was written, the interviews it
                            holds and which of them are restricted
MANIFEST.sha256             the SHA-256 checksum of every other file; verify
                            the export with:  sha256sum -c MANIFEST.sha256
originals/<sha256>          every transcript and subtitle file exactly as it was
                            ingested, byte for byte, named by its SHA-256
                            checksum (older versions of replaced files too)
interviews/<id>/interview.json
                            the interview's metadata (title, narrators, date,
                            place, language, access, sealed stretches, media)
                            and its tracks: for each file its name, language,
                            format, text encoding, checksum, the path of its
                            original, whether it is the current version, and
                            its segments (start_ms, end_ms in milliseconds
                            from the start of the recording, speaker, text)
interviews/<id>/alignments.json
                            which translation segments go with which source
                            segments: pairs of 1-based, inclusive segment
                            ranges of the two tracks (0-0 for an unpaired side)
history.json                what happened to the archive: creation, format
                            upgrades, imports, forced repairs
glossary.json               the bilingual lexicon's word pairs people added
                            or took out (the learned part is learned again)
selections.json             named lists of moments (interview, start_ms,
                            end_ms) with a note each: favourites, selects

ACCESS AND SEALS. "access" says who may see an interview: "public" (anyone),
"family" (the family and people they trust) or "staff" (the archivists).
"sealed" lists stretches (start_ms to end_ms) that only that level or a
narrower one may see until the given date. Segments inside a sealed stretch
are marked with "sealed": {"level", "until"}. This export holds sealed and
restricted material in the clear: keep it as carefully as the archive.

To restore it into a new archive:  recuerdo --archive NEW-FOLDER import THIS-FOLDER
`

type exportHeaderJSON struct {
	Format        string   `json:"format"`
	Version       int      `json:"version"`
	CreatedAt     string   `json:"created_at"`
	Tool          string   `json:"tool"`
	ArchiveFormat int      `json:"archive_format"`
	Interviews    []string `json:"interviews"`
	Restricted    []string `json:"restricted"` // interviews not public or with sealed stretches
	Originals     int      `json:"originals"`
}

// xInterview is interviews/<id>/interview.json.
type xInterview struct {
	ID           string       `json:"id"`
	Title        string       `json:"title"`
	TitleEN      string       `json:"title_en"`
	Narrators    []string     `json:"narrators"`
	Interviewers []string     `json:"interviewers"`
	Date         string       `json:"date"`
	Place        string       `json:"place"`
	Collection   string       `json:"collection"`
	Language     string       `json:"language"`
	Access       Access       `json:"access"`
	Summary      string       `json:"summary"`
	SummaryEN    string       `json:"summary_en"`
	Media        []Media      `json:"media"`
	Sealed       []Seal       `json:"sealed"`
	Version      int64        `json:"version"`
	Tracks       []xTrack     `json:"tracks"`
	Alignments   []xAlignment `json:"-"` // in alignments.json
}

type xTrack struct {
	ID       int64             `json:"id"`
	Name     string            `json:"name"`
	Lang     string            `json:"lang"`
	Kind     string            `json:"kind"`
	Format   string            `json:"format"`
	Encoding string            `json:"encoding"`
	SHA256   string            `json:"sha256"`
	Size     int64             `json:"size"`
	Original string            `json:"original"` // path of the original in the export
	Current  bool              `json:"current"`  // false for a version replaced by a later ingest
	AddedAt  string            `json:"added_at"`
	Segments []xSegment        `json:"segments"`
	Chapters []json.RawMessage `json:"chapters"`
}

type xSegment struct {
	Seq       int       `json:"seq"`
	StartMS   int64     `json:"start_ms"`
	EndMS     int64     `json:"end_ms"`
	Speaker   string    `json:"speaker"`
	Text      string    `json:"text"`
	Estimated bool      `json:"estimated"`
	Sealed    *xSealing `json:"sealed,omitempty"` // derived from the interview's seals, for readers; ignored by import
}

type xSealing struct {
	Level Access `json:"level"`
	Until string `json:"until"`
}

type xAlignment struct {
	ID       int64   `json:"id"`
	Src      int64   `json:"src_track"`
	Tgt      int64   `json:"tgt_track"`
	Method   string  `json:"method"`
	OffsetMS int64   `json:"offset_ms"`
	Scale    float64 `json:"scale"`
	Pairs    []Pair  `json:"pairs"`
}

// snapshot reads the whole catalogue (but its history) in a canonical
// form: what an export holds and what an import must restore exactly.
func (a *Archive) snapshot(ctx context.Context) ([]xInterview, error) {
	ivs, err := a.Interviews(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]xInterview, 0, len(ivs))
	for _, iv := range ivs {
		x := xInterview{ID: iv.ID, Title: iv.Title, TitleEN: iv.TitleEN, Narrators: iv.Narrators, Interviewers: iv.Interviewers,
			Date: iv.Date, Place: iv.Place, Collection: iv.Collection, Language: iv.Language, Access: iv.Access,
			Summary: iv.Summary, SummaryEN: iv.SummaryEN, Media: iv.Media, Sealed: iv.Sealed, Version: iv.Version,
			Tracks: []xTrack{}, Alignments: []xAlignment{}}
		rows, err := a.db.QueryContext(ctx, `SELECT id, name, lang, kind, format, encoding, sha256, size, current, added_at
			FROM tracks WHERE interview_id = ? ORDER BY id`, iv.ID)
		if err != nil {
			return nil, fmt.Errorf("read tracks of %q: %w", iv.ID, err)
		}
		for rows.Next() {
			var t xTrack
			if err := rows.Scan(&t.ID, &t.Name, &t.Lang, &t.Kind, &t.Format, &t.Encoding, &t.SHA256, &t.Size, &t.Current, &t.AddedAt); err != nil {
				rows.Close()
				return nil, err
			}
			t.Original = "originals/" + t.SHA256
			x.Tracks = append(x.Tracks, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for i := range x.Tracks {
			t := &x.Tracks[i]
			segs, err := a.Segments(ctx, t.ID)
			if err != nil {
				return nil, err
			}
			t.Segments = make([]xSegment, len(segs))
			for j, s := range segs {
				t.Segments[j] = xSegment{Seq: s.Seq, StartMS: s.StartMS, EndMS: s.EndMS, Speaker: s.Speaker, Text: s.Text, Estimated: s.Estimated}
			}
			if t.Chapters, err = a.rawChapters(ctx, t.ID); err != nil {
				return nil, err
			}
		}
		markSeals(&x)
		als, err := a.Alignments(ctx, iv.ID)
		if err != nil {
			return nil, err
		}
		for _, al := range als {
			if al.Pairs == nil {
				al.Pairs = []Pair{}
			}
			x.Alignments = append(x.Alignments, xAlignment{ID: al.ID, Src: al.Src, Tgt: al.Tgt, Method: al.Method, OffsetMS: al.OffsetMS, Scale: al.Scale, Pairs: al.Pairs})
		}
		out = append(out, x)
	}
	return out, nil
}

func (a *Archive) rawChapters(ctx context.Context, track int64) ([]json.RawMessage, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT data FROM chapters WHERE track_id = ? ORDER BY seq`, track)
	if err != nil {
		return nil, fmt.Errorf("read chapters of track %d: %w", track, err)
	}
	defer rows.Close()
	out := []json.RawMessage{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, json.RawMessage(s))
	}
	return out, rows.Err()
}

// ExportOptions adjusts Export; the zero value works.
type ExportOptions struct {
	CreatedAt time.Time // recorded in recuerdo-export.json; zero means now
}

// ExportResult says what an export wrote.
type ExportResult struct {
	Path       string `json:"path"`
	Interviews int    `json:"interviews"`
	Tracks     int    `json:"tracks"`
	Originals  int    `json:"originals"`
	Restricted int    `json:"restricted"` // interviews not public or with sealed stretches
	Files      int    `json:"files"`
	Bytes      int64  `json:"bytes"`
}

// Export writes a portable, self-describing copy of the archive to dst: a
// folder, or a tar file when dst ends in .tar. The copy appears whole or
// not at all. It keeps writers out (the write lock, or the shared hold of
// a read-only archive), so it is a consistent snapshot.
func (a *Archive) Export(ctx context.Context, dst string, opts ExportOptions) (*ExportResult, error) {
	lock, err := a.holdToRead("export")
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	var s sink
	if strings.HasSuffix(strings.ToLower(dst), ".tar") {
		s, err = newTarSink(dst)
	} else {
		s, err = newDirSink(dst)
	}
	if err != nil {
		return nil, fmt.Errorf("export to %s: %w", dst, err)
	}
	res, err := a.export(ctx, s, opts)
	if err != nil {
		s.abort()
		return nil, fmt.Errorf("export to %s: %w", dst, err)
	}
	if err := s.commit(); err != nil {
		s.abort()
		return nil, fmt.Errorf("export to %s: %w", dst, err)
	}
	res.Path = dst
	return res, nil
}

func (a *Archive) export(ctx context.Context, s sink, opts ExportOptions) (*ExportResult, error) {
	ivs, err := a.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	hist, err := a.History(ctx)
	if err != nil {
		return nil, err
	}
	created := opts.CreatedAt
	if created.IsZero() {
		created = time.Now()
	}
	res := &ExportResult{}
	var manifest bytes.Buffer
	put := func(name string, data []byte) error {
		if err := s.add(name, data); err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&manifest, "%s  %s\n", hex.EncodeToString(sum[:]), name)
		res.Files++
		res.Bytes += int64(len(data))
		return nil
	}
	putJSON := func(name string, v any) error {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		return put(name, append(b, '\n'))
	}
	if err := put("README.txt", []byte(exportReadme)); err != nil {
		return nil, err
	}
	hdr := exportHeaderJSON{Format: ExportFormat, Version: ExportVersion, CreatedAt: created.UTC().Format(time.RFC3339),
		Tool: ToolVersion(), ArchiveFormat: FormatVersion, Interviews: []string{}, Restricted: []string{}}
	sums := map[string]bool{}
	for _, iv := range ivs {
		if !validID.MatchString(iv.ID) {
			return nil, fmt.Errorf("interview %q: id unfit for a file name", iv.ID)
		}
		hdr.Interviews = append(hdr.Interviews, iv.ID)
		if iv.Access != Public || len(iv.Sealed) > 0 {
			hdr.Restricted = append(hdr.Restricted, iv.ID)
		}
		for _, t := range iv.Tracks {
			sums[t.SHA256] = true
		}
		res.Tracks += len(iv.Tracks)
		if err := putJSON("interviews/"+iv.ID+"/interview.json", iv); err != nil {
			return nil, err
		}
		if err := putJSON("interviews/"+iv.ID+"/alignments.json", iv.Alignments); err != nil {
			return nil, err
		}
	}
	if err := putJSON("history.json", hist); err != nil {
		return nil, err
	}
	gl, err := a.Glossary(ctx)
	if err != nil {
		return nil, err
	}
	if err := putJSON("glossary.json", gl); err != nil {
		return nil, err
	}
	sel, err := a.Selections(ctx)
	if err != nil {
		return nil, err
	}
	if err := putJSON("selections.json", sel); err != nil {
		return nil, err
	}
	order := make([]string, 0, len(sums))
	for sum := range sums {
		order = append(order, sum)
	}
	sort.Strings(order)
	for _, sum := range order {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := a.Original(sum)
		if err != nil {
			return nil, err
		}
		if Checksum(data) != sum {
			return nil, fmt.Errorf("original %s is damaged (run recuerdo check)", sum[:12])
		}
		if err := put("originals/"+sum, data); err != nil {
			return nil, err
		}
	}
	hdr.Originals = len(order)
	if err := putJSON(exportHeader, hdr); err != nil {
		return nil, err
	}
	if err := s.add(exportManifest, manifest.Bytes()); err != nil {
		return nil, err
	}
	res.Files++
	res.Interviews, res.Originals, res.Restricted = len(ivs), len(order), len(hdr.Restricted)
	return res, nil
}

// A sink receives the files of an export.
type sink interface {
	add(name string, data []byte) error
	commit() error // make the export appear whole
	abort()        // remove what was written
}

// dirSink writes into a temporary folder beside dst and renames it into place.
type dirSink struct{ dst, tmp string }

func newDirSink(dst string) (*dirSink, error) {
	if entries, err := os.ReadDir(dst); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s is not empty", dst)
	} else if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(dst)), 0o755); err != nil {
		return nil, err
	}
	// Not os.MkdirTemp: its 0700 would be the export's mode once renamed.
	tmp, err := atomicfile.MkdirTemp(filepath.Dir(filepath.Clean(dst)), "."+filepath.Base(dst)+".tmp-")
	if err != nil {
		return nil, err
	}
	return &dirSink{dst: dst, tmp: tmp}, nil
}

func (d *dirSink) add(name string, data []byte) error {
	p := filepath.Join(d.tmp, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (d *dirSink) commit() error {
	os.Remove(d.dst) // an empty folder given as the destination
	if err := os.Rename(d.tmp, d.dst); err != nil {
		return err
	}
	return syncDir(filepath.Dir(filepath.Clean(d.dst)))
}

func (d *dirSink) abort() { os.RemoveAll(d.tmp) }

// tarSink writes a tar to a temporary file beside dst and renames it into place.
type tarSink struct {
	f  *atomicfile.File
	tw *tar.Writer
}

func newTarSink(dst string) (*tarSink, error) {
	if _, err := os.Stat(dst); err == nil {
		return nil, fmt.Errorf("%s already exists", dst)
	}
	f, err := atomicfile.Create(dst)
	if err != nil {
		return nil, err
	}
	return &tarSink{f: f, tw: tar.NewWriter(f)}, nil
}

func (t *tarSink) add(name string, data []byte) error {
	hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: exportEpoch, Typeflag: tar.TypeReg}
	if err := t.tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := t.tw.Write(data)
	return err
}

func (t *tarSink) commit() error {
	if err := t.tw.Close(); err != nil {
		return err
	}
	return t.f.Commit()
}

func (t *tarSink) abort() { t.f.Abort() }
