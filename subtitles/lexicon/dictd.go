package lexicon

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// DictDirs are where Debian installs dictd dictionaries.
var DictDirs = []string{"/usr/share/dictd"}

// FindDictionaries returns the FreeDict Spanish-English and
// English-Spanish dictionaries installed in dirs (DictDirs when none),
// keyed "es-en" and "en-es"; missing ones are absent.
func FindDictionaries(dirs ...string) map[string]string {
	if len(dirs) == 0 {
		dirs = DictDirs
	}
	out := map[string]string{}
	for _, d := range dirs {
		for k, name := range map[string]string{"es-en": "freedict-spa-eng", "en-es": "freedict-eng-spa"} {
			if _, ok := out[k]; ok {
				continue
			}
			for _, ext := range []string{".dict.dz", ".dict"} {
				p := filepath.Join(d, name+ext)
				if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
					out[k] = p
					break
				}
			}
		}
	}
	return out
}

// MaxDictSize bounds a dictionary file read by ReadDictd, uncompressed.
const MaxDictSize = 64 << 20

// ReadDictd reads a dictd dictionary: the .dict (or gzip/dictzip .dict.dz)
// file at path and the .index file beside it, whose lines give each
// headword's entry as base64 offset and length. An entry is a headword line
// ("abuela /aˈβwela/") then lines of translations ("grandmother",
// "1. chófer", "2. chauffeur, mecánico"). It returns an entry for each
// single-word headword and single-word translation, from fromLang to
// toLang, with weight w; the dictionary's own header entries (00database…)
// are skipped.
func ReadDictd(path, fromLang, toLang string, w float64) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read dictionary: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".dz") || strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("read dictionary %s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxDictSize+1))
	if err != nil {
		return nil, fmt.Errorf("read dictionary %s: %w", path, err)
	}
	if len(data) > MaxDictSize {
		return nil, fmt.Errorf("read dictionary %s: larger than %d MiB", path, MaxDictSize>>20)
	}
	idxPath := strings.TrimSuffix(strings.TrimSuffix(path, ".dz"), ".dict") + ".index"
	idx, err := os.Open(idxPath)
	if err != nil {
		return nil, fmt.Errorf("read dictionary %s: %w", path, err)
	}
	defer idx.Close()
	var out []Entry
	sc := bufio.NewScanner(io.LimitReader(idx, MaxDictSize))
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) < 3 {
			return nil, fmt.Errorf("read dictionary %s: line %d: want headword, offset and length separated by tabs", idxPath, line)
		}
		head := fields[0]
		off, err1 := b64(fields[1])
		n, err2 := b64(fields[2])
		if err1 != nil || err2 != nil || off+n > int64(len(data)) {
			return nil, fmt.Errorf("read dictionary %s: line %d: bad offset or length", idxPath, line)
		}
		if strings.HasPrefix(head, "00database") || strings.HasPrefix(head, "00-database") || strings.ContainsAny(head, " ‐-") {
			continue // the header, or a phrase: the lexicon holds words
		}
		body := string(data[off : off+n])
		_, body, _ = strings.Cut(body, "\n") // the headword line
		for _, l := range strings.Split(body, "\n") {
			for _, t := range strings.Split(numbered.ReplaceAllString(l, ""), ",") {
				t = strings.TrimSpace(parens.ReplaceAllString(t, ""))
				if t == "" || strings.ContainsAny(t, " /‐-") {
					continue
				}
				out = append(out, Entry{FromLang: fromLang, From: head, ToLang: toLang, To: t, Weight: w, Source: Dictionary})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read dictionary %s: line %d: %w", idxPath, line, err)
	}
	return out, nil
}

// b64 reads a dictd index number: base64 digits, most significant first.
func b64(s string) (int64, error) {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	if s == "" || len(s) > 8 {
		return 0, fmt.Errorf("bad number %q", s)
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(digits, s[i])
		if d < 0 {
			return 0, fmt.Errorf("bad number %q", s)
		}
		n = n*64 + int64(d)
	}
	return n, nil
}

var (
	numbered = regexp.MustCompile(`^\s*\d+\.\s*`)
	parens   = regexp.MustCompile(`\([^)]*\)`)
)
