package lexicon

import (
	"errors"
	"sort"
	"strings"
)

// ReadInstalled reads the dictionaries FindDictionaries finds in dirs
// (DictDirs when none), Spanish-English and English-Spanish, each entry
// with weight w. A dictionary that cannot be read is left out: its error
// comes back (joined with the other's) beside the entries that could be.
func ReadInstalled(w float64, dirs ...string) ([]Entry, error) {
	found := FindDictionaries(dirs...)
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []Entry
	var errs []error
	for _, k := range keys {
		from, to, _ := strings.Cut(k, "-")
		es, err := ReadDictd(found[k], from, to, w)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, es...)
	}
	return out, errors.Join(errs...)
}
