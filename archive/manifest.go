package archive

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// manifestColumns are the columns a batch manifest may have; "id",
// "title", "language" and "files" are required.
var manifestColumns = map[string]bool{
	"id": true, "title": true, "title_en": true, "narrators": true, "interviewers": true, "date": true,
	"place": true, "collection": true, "language": true, "access": true, "summary": true, "summary_en": true,
	"media": true, "fps": true, "start_timecode": true, "files": true,
}

// IsManifest reports whether a CSV file's header makes it a batch
// manifest (with "id" and "files" columns) rather than a transcript.
func IsManifest(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = sniffComma(path)
	head, err := r.Read()
	if err != nil {
		return false
	}
	var id, files bool
	for _, h := range head {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "id":
			id = true
		case "files":
			files = true
		}
	}
	return id && files
}

func sniffComma(path string) rune {
	if strings.EqualFold(filepath.Ext(path), ".tsv") {
		return '\t'
	}
	data, _ := os.ReadFile(path)
	first, _, _ := strings.Cut(string(data), "\n")
	if strings.Count(first, ";") > strings.Count(first, ",") {
		return ';'
	}
	return ','
}

// ManifestError is a problem on one row of a batch manifest.
type ManifestError struct {
	File string
	Line int
	Msg  string
}

func (e *ManifestError) Error() string {
	return fmt.Sprintf("read manifest %q: line %d: %s", e.File, e.Line, e.Msg)
}

// LoadManifest reads a batch manifest: a CSV (or TSV) with a header row
// and one interview per row, as archives keep their catalogues in
// spreadsheets. Columns: id, title, language and files are required;
// title_en, narrators, interviewers (several separated by ";"), date,
// place, collection, access, summary, summary_en, media, fps and
// start_timecode are optional. files lists the interview's files,
// separated by ";", relative to the manifest's folder, each optionally
// followed by "=LANG" ("es.srt=es; en.vtt=en"). Rows that cannot be read
// are returned as errors; the others as sources.
func LoadManifest(path string) ([]*Source, []error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read manifest: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = sniffComma(path)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, nil, &ManifestError{File: path, Line: 1, Msg: err.Error()}
	}
	cols := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !manifestColumns[h] {
			return nil, nil, &ManifestError{File: path, Line: 1, Msg: fmt.Sprintf("unknown column %q", h)}
		}
		cols[h] = i
	}
	for _, need := range []string{"id", "title", "language", "files"} {
		if _, ok := cols[need]; !ok {
			return nil, nil, &ManifestError{File: path, Line: 1, Msg: fmt.Sprintf("missing column %q", need)}
		}
	}
	dir := filepath.Dir(path)
	var srcs []*Source
	var bad []error
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return srcs, bad, &ManifestError{File: path, Line: line, Msg: err.Error()}
		}
		line, _ := r.FieldPos(0)
		get := func(c string) string {
			if i, ok := cols[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		src, err := manifestRow(path, dir, line, get)
		if err != nil {
			bad = append(bad, err)
			continue
		}
		srcs = append(srcs, src)
	}
	return srcs, bad, nil
}

// manifestRow builds one interview from a manifest row, checked by the
// same rules as an interview.yaml.
func manifestRow(path, dir string, line int, get func(string) string) (*Source, error) {
	fail := func(format string, args ...any) error {
		return &ManifestError{File: path, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	var y strings.Builder
	field := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&y, "%s: %q\n", k, v)
		}
	}
	list := func(k, v string) {
		if v == "" {
			return
		}
		fmt.Fprintf(&y, "%s:\n", k)
		for _, s := range strings.Split(v, ";") {
			if s = strings.TrimSpace(s); s != "" {
				fmt.Fprintf(&y, "  - %q\n", s)
			}
		}
	}
	for _, k := range []string{"id", "title", "title_en", "date", "place", "collection", "language", "access", "summary", "summary_en"} {
		field(k, get(k))
	}
	list("narrators", get("narrators"))
	list("interviewers", get("interviewers"))
	if m := get("media"); m != "" {
		fmt.Fprintf(&y, "media:\n  - file: %q\n", m)
		if fps := get("fps"); fps != "" {
			fmt.Fprintf(&y, "    fps: %s\n", fps)
		}
		if tc := get("start_timecode"); tc != "" {
			fmt.Fprintf(&y, "    start_timecode: %q\n", tc)
		}
	}
	src, err := ParseSidecar(path, []byte(y.String()))
	if err != nil {
		var se *SidecarError
		if errors.As(err, &se) {
			return nil, fail("%s", se.Msg)
		}
		return nil, fail("%v", err)
	}
	if src.Interview.ID == "" {
		return nil, fail("missing id")
	}
	for _, item := range strings.Split(get("files"), ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, lang, _ := strings.Cut(item, "=")
		name, lang = strings.TrimSpace(name), strings.ToLower(strings.TrimSpace(lang))
		if lang != "" && !validLang.MatchString(lang) {
			return nil, fail("file %q: language %q: want a two-letter code such as es or en", name, lang)
		}
		// Files are the manifest folder's own: not absolute, no "..", no
		// symlink leading out of it.
		p := filepath.Join(dir, filepath.FromSlash(name))
		data, err := readFileIn(dir, name)
		var fe *FileError
		if errors.As(err, &fe) {
			return nil, fail("file %v", err)
		}
		if err != nil {
			return nil, fail("file %q: %s", name, fileProblem(err))
		}
		src.Files = append(src.Files, File{Path: p, Name: filepath.Base(p), Lang: lang, Data: data})
	}
	// A recording keeps its relative name, for serve --media to find;
	// ParseSidecar refused absolute names and "..", and one beside the
	// manifest may not be a symlink leading out of its folder.
	for i, m := range src.Interview.Media {
		if m.File == "" {
			continue
		}
		var fe *FileError
		if _, err := ResolveFile(dir, m.File); errors.As(err, &fe) {
			return nil, fail("media %d: %v", i+1, err)
		}
	}
	if len(src.Files) == 0 {
		return nil, fail("no files")
	}
	src.Origin = fmt.Sprintf("%s:%d", path, line)
	return src, nil
}
