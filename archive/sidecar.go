package archive

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"gopkg.in/yaml.v3"
)

// SidecarName is the metadata file of an interview folder.
const SidecarName = "interview.yaml"

// Source is what one ingest brings in: an interview's metadata and files.
type Source struct {
	Interview Interview // metadata; Tracks is ignored
	HasMeta   bool      // whether Interview's metadata should replace what the archive has
	Files     []File
	Origin    string // the folder or sidecar it came from, for messages
	// AcceptLoss ingests files whose words do not all reach the segments
	// (see subtitles.Account), recording it in the history.
	AcceptLoss bool
}

// File is one transcript or subtitle file to ingest.
type File struct {
	Path string // where it was read from, for messages
	Name string // the name kept in the archive
	Lang string // "es", "en", … ; "" to detect
	Kind string // "subtitles" or "transcript"; "" for subtitles
	Data []byte
}

// SidecarError is a problem in an interview.yaml, with its line.
type SidecarError struct {
	File string
	Line int
	Msg  string
}

func (e *SidecarError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("read metadata %q: line %d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("read metadata %q: %s", e.File, e.Msg)
}

type sidecar struct {
	ID           string         `yaml:"id"`
	Title        string         `yaml:"title"`
	TitleEN      string         `yaml:"title_en"`
	Narrators    []string       `yaml:"narrators"`
	Interviewers []string       `yaml:"interviewers"`
	Date         string         `yaml:"date"`
	Place        string         `yaml:"place"`
	Collection   string         `yaml:"collection"`
	Language     string         `yaml:"language"`
	Access       string         `yaml:"access"`
	Summary      string         `yaml:"summary"`
	SummaryEN    string         `yaml:"summary_en"`
	Media        []sidecarMedia `yaml:"media"`
	Sealed       []sidecarSeal  `yaml:"sealed"`
	Tracks       []sidecarTrack `yaml:"tracks"`
}

type sidecarMedia struct {
	File          string  `yaml:"file"`
	FPS           float64 `yaml:"fps"`
	StartTimecode string  `yaml:"start_timecode"`
}

type sidecarSeal struct {
	Start  string `yaml:"start"`
	End    string `yaml:"end"`
	Until  string `yaml:"until"`
	Level  string `yaml:"level"`
	Reason string `yaml:"reason"`
}

type sidecarTrack struct {
	File string `yaml:"file"`
	Lang string `yaml:"lang"`
	Kind string `yaml:"kind"`
}

var (
	validID       = regexp.MustCompile(`^[\p{Ll}\p{Lu}0-9][\p{Ll}\p{Lu}0-9._-]{0,99}$`)
	validLang     = regexp.MustCompile(`^[a-z]{2}$`)
	validDate     = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
	validTimecode = regexp.MustCompile(`^\d{2}:\d{2}:\d{2}[:;]\d{2}$`)
	yamlLine      = regexp.MustCompile(`line (\d+): `)
)

// subtitleExts are the file extensions a folder without a tracks list is scanned for.
// Markdown is left out: a folder's README.md is rarely a transcript (list it in tracks).
var subtitleExts = map[string]bool{".srt": true, ".vtt": true, ".webvtt": true, ".ass": true, ".ssa": true, ".ttml": true, ".dfxp": true, ".stl": true,
	".txt": true, ".json": true, ".csv": true, ".tsv": true, ".docx": true}

// IsSubtitleFile reports whether name has an extension recuerdo reads.
func IsSubtitleFile(name string) bool { return subtitleExts[strings.ToLower(filepath.Ext(name))] }

// LoadFolder reads an interview folder: its interview.yaml and the files
// the sidecar lists (or, when it lists none, every subtitle file in the folder).
func LoadFolder(dir string) (*Source, error) {
	path := filepath.Join(dir, SidecarName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, &SidecarError{File: path, Msg: "missing: an interview folder needs an " + SidecarName + " (see README), or ingest its files with --interview ID"}
	}
	if err != nil {
		return nil, fmt.Errorf("read metadata: %w", err)
	}
	src, err := ParseSidecar(path, data)
	if err != nil {
		return nil, err
	}
	if src.Interview.ID == "" {
		src.Interview.ID = filepath.Base(filepath.Clean(dir))
		if !validID.MatchString(src.Interview.ID) {
			return nil, &SidecarError{File: path, Msg: fmt.Sprintf("no id, and the folder name %q cannot be one (letters, digits, '.', '_' and '-')", src.Interview.ID)}
		}
	}
	var sc sidecar
	yaml.Unmarshal(data, &sc) // already validated by ParseSidecar
	if len(sc.Tracks) == 0 {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("read interview folder: %w", err)
		}
		for _, e := range entries {
			if !e.IsDir() && IsSubtitleFile(e.Name()) {
				sc.Tracks = append(sc.Tracks, sidecarTrack{File: e.Name()})
			}
		}
		if len(sc.Tracks) == 0 {
			return nil, &SidecarError{File: path, Msg: "no tracks listed and no subtitle files in the folder"}
		}
	}
	// A track must be a file of the folder: a symlink leading out of it
	// (notes.txt -> ~/diario.txt) is refused, not ingested as a transcript.
	for _, t := range sc.Tracks {
		p := filepath.Join(dir, filepath.FromSlash(t.File))
		fdata, err := readFileIn(dir, t.File)
		var fe *FileError
		if errors.As(err, &fe) {
			return nil, &SidecarError{File: path, Line: lineOf(data, t.File), Msg: "track " + fe.Error()}
		}
		if err != nil {
			return nil, &SidecarError{File: path, Line: lineOf(data, t.File), Msg: fmt.Sprintf("track %q: %s", t.File, fileProblem(err))}
		}
		src.Files = append(src.Files, File{Path: p, Name: filepath.ToSlash(t.File), Lang: t.Lang, Kind: t.Kind, Data: fdata})
	}
	// A recording inside the folder is recorded where it is, so that the
	// web page finds it wherever it is served from (and checks it again
	// there). One the folder does not hold keeps its relative name, for
	// serve --media to find; one leading out of the folder through a
	// symlink is refused (ParseSidecar refused absolute names and "..").
	mediaLines := itemLines(data, "media", "file")
	for i, m := range src.Interview.Media {
		if m.File == "" {
			continue
		}
		_, err := ResolveFile(dir, m.File)
		var fe *FileError
		switch {
		case errors.As(err, &fe):
			return nil, &SidecarError{File: path, Line: mediaLines[i], Msg: fmt.Sprintf("media %d: %v", i+1, err)}
		case err == nil:
			if abs, err := filepath.Abs(filepath.Join(dir, filepath.FromSlash(m.File))); err == nil {
				src.Interview.Media[i].File = abs
			}
		}
	}
	src.Origin = dir
	return src, nil
}

// itemLines returns, for each item of the top-level list key, the line of
// its field (or of the item when the field is missing); 0 where unknown.
func itemLines(data []byte, key, field string) map[int]int {
	lines := map[int]int{}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return lines
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != key || m.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		for j, item := range m.Content[i+1].Content {
			lines[j] = item.Line
			for k := 0; item.Kind == yaml.MappingNode && k+1 < len(item.Content); k += 2 {
				if item.Content[k].Value == field {
					lines[j] = item.Content[k+1].Line
				}
			}
		}
	}
	return lines
}

// lineOf returns the 1-based line of data where s first appears, or 0.
func lineOf(data []byte, s string) int {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 0
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

// ParseSidecar reads and checks the metadata of an interview.yaml.
func ParseSidecar(path string, data []byte) (*Source, error) {
	var sc sidecar
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&sc); err != nil && !errors.Is(err, io.EOF) {
		e := &SidecarError{File: path, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			fmt.Sscan(m[1], &e.Line)
			e.Msg = strings.TrimPrefix(strings.SplitN(e.Msg, "\n", 2)[len(strings.SplitN(e.Msg, "\n", 2))-1], "  ")
			e.Msg = yamlLine.ReplaceAllString(e.Msg, "")
			e.Msg = strings.TrimPrefix(e.Msg, "unmarshal errors:")
			e.Msg = strings.TrimSpace(e.Msg)
		}
		return nil, e
	}
	var root yaml.Node
	yaml.Unmarshal(data, &root)
	lines := fieldLines(&root)
	fail := func(field, format string, args ...any) error {
		return &SidecarError{File: path, Line: lines[field], Msg: fmt.Sprintf(format, args...)}
	}
	iv := Interview{
		ID: strings.TrimSpace(sc.ID), Title: strings.TrimSpace(sc.Title), TitleEN: strings.TrimSpace(sc.TitleEN),
		Narrators: nonEmpty(sc.Narrators), Interviewers: nonEmpty(sc.Interviewers),
		Date: strings.TrimSpace(sc.Date), Place: strings.TrimSpace(sc.Place), Collection: strings.TrimSpace(sc.Collection),
		Language: strings.ToLower(strings.TrimSpace(sc.Language)), Summary: strings.TrimSpace(sc.Summary), SummaryEN: strings.TrimSpace(sc.SummaryEN),
		Media: []Media{}, Sealed: []Seal{},
	}
	if iv.ID != "" && !validID.MatchString(iv.ID) {
		return nil, fail("id", "id %q: use letters, digits, '.', '_' and '-' (at most 100)", iv.ID)
	}
	if iv.Title == "" {
		return nil, fail("", "missing field \"title\"")
	}
	if iv.Language == "" {
		return nil, fail("", "missing field \"language\" (the language of the original speech, e.g. es)")
	}
	if !validLang.MatchString(iv.Language) {
		return nil, fail("language", "language %q: want a two-letter code such as es or en", sc.Language)
	}
	if iv.Date != "" && !validDate.MatchString(iv.Date) {
		return nil, fail("date", "date %q: want YYYY, YYYY-MM or YYYY-MM-DD", iv.Date)
	}
	if sc.Access != "" {
		a, err := ParseAccess(sc.Access)
		if err != nil {
			return nil, fail("access", "%v", err)
		}
		iv.Access = a
	}
	mediaLines := itemLines(data, "media", "file")
	for i, m := range sc.Media {
		if m.File != "" {
			if err := checkName(m.File); err != nil {
				return nil, &SidecarError{File: path, Line: mediaLines[i], Msg: fmt.Sprintf("media %d: %v", i+1, err)}
			}
		}
		if m.FPS < 0 || m.FPS > 300 {
			return nil, fail("media", "media %d: fps %v out of range", i+1, m.FPS)
		}
		if m.StartTimecode != "" && !validTimecode.MatchString(m.StartTimecode) {
			return nil, fail("media", "media %d: start_timecode %q: want HH:MM:SS:FF", i+1, m.StartTimecode)
		}
		iv.Media = append(iv.Media, Media{File: m.File, FPS: m.FPS, StartTimecode: m.StartTimecode})
	}
	for i, s := range sc.Sealed {
		start, err := subtitles.ParseTime(strings.TrimSpace(s.Start))
		if err != nil {
			return nil, fail("sealed", "sealed %d: start: %v", i+1, err)
		}
		end, err := subtitles.ParseTime(strings.TrimSpace(s.End))
		if err != nil {
			return nil, fail("sealed", "sealed %d: end: %v", i+1, err)
		}
		if end <= start {
			return nil, fail("sealed", "sealed %d: end %s is not after start %s", i+1, s.End, s.Start)
		}
		if _, err := time.Parse("2006-01-02", strings.TrimSpace(s.Until)); err != nil {
			return nil, fail("sealed", "sealed %d: until %q: want a date YYYY-MM-DD", i+1, s.Until)
		}
		seal := Seal{StartMS: start.Milliseconds(), EndMS: end.Milliseconds(), Until: strings.TrimSpace(s.Until), Level: Staff, Reason: s.Reason}
		if s.Level != "" {
			if seal.Level, err = ParseAccess(s.Level); err != nil {
				return nil, fail("sealed", "sealed %d: level: %v", i+1, err)
			}
		}
		iv.Sealed = append(iv.Sealed, seal)
	}
	for i, t := range sc.Tracks {
		if strings.TrimSpace(t.File) == "" {
			return nil, fail("tracks", "track %d: missing field \"file\"", i+1)
		}
		if t.Lang != "" && !validLang.MatchString(t.Lang) {
			return nil, fail("tracks", "track %d: lang %q: want a two-letter code such as es or en", i+1, t.Lang)
		}
		if t.Kind != "" && t.Kind != "subtitles" && t.Kind != "transcript" {
			return nil, fail("tracks", "track %d: kind %q: want subtitles or transcript", i+1, t.Kind)
		}
		if filepath.IsAbs(t.File) || strings.HasPrefix(filepath.Clean(t.File), "..") {
			return nil, fail("tracks", "track %d: file %q must be inside the interview folder", i+1, t.File)
		}
	}
	return &Source{Interview: iv, HasMeta: true, Origin: path}, nil
}

// fieldLines maps each top-level key of a YAML mapping to its line; "" is
// the mapping's own line.
func fieldLines(root *yaml.Node) map[string]int {
	lines := map[string]int{"": 1}
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		m := root.Content[0]
		lines[""] = m.Line
		for i := 0; i+1 < len(m.Content); i += 2 {
			lines[m.Content[i].Value] = m.Content[i].Line
		}
	}
	return lines
}

func nonEmpty(ss []string) []string {
	out := []string{}
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// LoadFiles makes a source of loose files for the interview id, with no
// sidecar. lang, when set, is the language of every file.
func LoadFiles(id, lang string, paths []string) (*Source, error) {
	if !validID.MatchString(id) {
		return nil, fmt.Errorf("interview id %q: use letters, digits, '.', '_' and '-'", id)
	}
	if lang != "" && !validLang.MatchString(lang) {
		return nil, fmt.Errorf("language %q: want a two-letter code such as es or en", lang)
	}
	src := &Source{Interview: Interview{ID: id, Title: id, Media: []Media{}, Sealed: []Seal{}}, Origin: strings.Join(paths, ", ")}
	names := map[string]bool{}
	for _, p := range paths {
		// The folder of a loose file is its own: a symlink leading out of
		// it is refused, as in an interview folder.
		data, err := readFileIn(filepath.Dir(p), filepath.Base(p))
		var fe *FileError
		if errors.As(err, &fe) {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, errors.Unwrap(err))
		}
		name := filepath.Base(p)
		if names[name] {
			return nil, fmt.Errorf("read %s: two files named %q in one interview", p, name)
		}
		names[name] = true
		src.Files = append(src.Files, File{Path: p, Name: name, Lang: lang, Data: data})
	}
	return src, nil
}
