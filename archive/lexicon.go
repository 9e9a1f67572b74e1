package archive

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles/lexicon"
)

// The archive's bilingual lexicon (issue 16): which words of one language
// translate which of another. Three sources, most trusted last:
//   - learned from the archive's own aligned pairs (LearnLexicon, run by
//     reindex and by `recuerdo lexicon learn`), kept in the lexicon table;
//   - a dictionary installed on this computer (Debian's dict-freedict-spa-eng
//     and -eng-spa, GPL), read where the package put it and never copied;
//   - the glossary: entries a family or an editor added or took out
//     (mija, troca, a place's nickname), kept in the glossary table and
//     carried by export and import.
// Sealed moments are never learned from, so no word of theirs can surface
// through the lexicon.

// migrate4 adds the learned lexicon and the glossary.
func migrate4(tx *sql.Tx) error {
	for _, s := range []string{
		`CREATE TABLE IF NOT EXISTS lexicon (
		from_lang TEXT NOT NULL, from_word TEXT NOT NULL, to_lang TEXT NOT NULL, to_word TEXT NOT NULL,
		weight REAL NOT NULL, count INTEGER NOT NULL,
		PRIMARY KEY (from_lang, from_word, to_lang, to_word))`,
		`CREATE TABLE IF NOT EXISTS glossary (
		from_lang TEXT NOT NULL, from_word TEXT NOT NULL, to_lang TEXT NOT NULL, to_word TEXT NOT NULL,
		action TEXT NOT NULL CHECK (action IN ('add', 'remove')), note TEXT NOT NULL DEFAULT '', added_at TEXT NOT NULL,
		PRIMARY KEY (from_lang, from_word, to_lang, to_word))`,
	} {
		if _, err := tx.Exec(s); err != nil {
			return err
		}
	}
	return nil
}

// hasLexicon reports whether the catalogue has the tables of format 4.
func (a *Archive) hasLexicon() bool {
	if a.readOnly {
		return a.format >= 4
	}
	ok, err := a.hasTable("glossary")
	return err != nil || ok
}

// GlossaryEntry is a word pair a person added to the lexicon or took out.
type GlossaryEntry struct {
	FromLang string `json:"from_lang"`
	From     string `json:"from"`
	ToLang   string `json:"to_lang"`
	To       string `json:"to"`
	Remove   bool   `json:"remove,omitempty"` // the pair is wrong: keep it out
	Note     string `json:"note,omitempty"`
	AddedAt  string `json:"added_at"`
}

// dictionaryEntries are the installed dictionaries' entries, read once.
var dictionaryEntries = sync.OnceValue(func() []lexicon.Entry {
	var out []lexicon.Entry
	for k, p := range lexicon.FindDictionaries() {
		from, to, _ := strings.Cut(k, "-")
		es, err := lexicon.ReadDictd(p, from, to, dictionaryWeight)
		if err == nil {
			out = append(out, es...)
		}
	}
	return out
})

// dictionaryWeight is how sure a dictionary's entry is: a word has several
// senses and a dictionary lists them all, while the archive's own pairs say
// which one its speakers use.
const dictionaryWeight = 0.5

// lexCache holds the lexicon last built, for the lexicon version it was
// built at: searches read it on every query.
type lexCache struct {
	mu      sync.Mutex
	version string
	lx      *lexicon.Lexicon
}

// Lexicon returns the archive's lexicon: what it learned, the installed
// dictionaries and its glossary.
func (a *Archive) Lexicon(ctx context.Context) (*lexicon.Lexicon, error) {
	version := "none"
	if a.hasLexicon() {
		v, err := a.metaString(ctx, "lexicon_version")
		if err != nil {
			return nil, err
		}
		version = v
	}
	a.lex.mu.Lock()
	defer a.lex.mu.Unlock()
	if a.lex.lx != nil && a.lex.version == version {
		return a.lex.lx, nil
	}
	lx := lexicon.New()
	lx.Add(dictionaryEntries()...)
	if version != "none" {
		rows, err := a.db.QueryContext(ctx, `SELECT from_lang, from_word, to_lang, to_word, weight, count FROM lexicon`)
		if err != nil {
			return nil, fmt.Errorf("read lexicon: %w", err)
		}
		var learned []lexicon.Entry
		for rows.Next() {
			e := lexicon.Entry{Source: lexicon.Learned}
			if err := rows.Scan(&e.FromLang, &e.From, &e.ToLang, &e.To, &e.Weight, &e.Count); err != nil {
				rows.Close()
				return nil, err
			}
			learned = append(learned, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read lexicon: %w", err)
		}
		lx.Add(learned...)
		gl, err := a.Glossary(ctx)
		if err != nil {
			return nil, err
		}
		for _, g := range gl {
			if g.Remove {
				lx.Remove(g.FromLang, g.From, g.ToLang, g.To)
				continue
			}
			lx.Add(lexicon.Entry{FromLang: g.FromLang, From: g.From, ToLang: g.ToLang, To: g.To, Weight: 1, Source: lexicon.Glossary},
				lexicon.Entry{FromLang: g.ToLang, From: g.To, ToLang: g.FromLang, To: g.From, Weight: 1, Source: lexicon.Glossary})
		}
	}
	a.lex.version, a.lex.lx = version, lx
	return lx, nil
}

func (a *Archive) metaString(ctx context.Context, key string) (string, error) {
	var v string
	err := a.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "0", nil
	}
	return v, err
}

func bumpLexicon(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('lexicon_version', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, time.Now().UTC().Format(time.RFC3339Nano))
	return err
}

// Glossary lists the entries people added or took out, in order.
func (a *Archive) Glossary(ctx context.Context) ([]GlossaryEntry, error) {
	if !a.hasLexicon() {
		return []GlossaryEntry{}, nil
	}
	rows, err := a.db.QueryContext(ctx, `SELECT from_lang, from_word, to_lang, to_word, action, note, added_at
		FROM glossary ORDER BY from_lang, from_word, to_lang, to_word`)
	if err != nil {
		return nil, fmt.Errorf("read glossary: %w", err)
	}
	defer rows.Close()
	out := []GlossaryEntry{}
	for rows.Next() {
		var g GlossaryEntry
		var action string
		if err := rows.Scan(&g.FromLang, &g.From, &g.ToLang, &g.To, &action, &g.Note, &g.AddedAt); err != nil {
			return nil, err
		}
		g.Remove = action == "remove"
		out = append(out, g)
	}
	return out, rows.Err()
}

// SetGlossary records a glossary entry (replacing one for the same pair):
// a pair to add, or with Remove a pair to keep out of the lexicon.
func (a *Archive) SetGlossary(ctx context.Context, g GlossaryEntry) error {
	if err := checkGlossary(&g); err != nil {
		return fmt.Errorf("glossary: %w", err)
	}
	action := "add"
	if g.Remove {
		action = "remove"
	}
	return a.writeLexicon(ctx, "glossary", func(tx *sql.Tx) error {
		// One entry a pair, whichever way it was said.
		if _, err := tx.ExecContext(ctx, `DELETE FROM glossary WHERE from_lang = ? AND from_word = ? AND to_lang = ? AND to_word = ?`,
			g.ToLang, g.To, g.FromLang, g.From); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO glossary (from_lang, from_word, to_lang, to_word, action, note, added_at)
			VALUES (?,?,?,?,?,?,?) ON CONFLICT (from_lang, from_word, to_lang, to_word)
			DO UPDATE SET action = excluded.action, note = excluded.note, added_at = excluded.added_at`,
			g.FromLang, g.From, g.ToLang, g.To, action, g.Note, g.AddedAt)
		if err != nil {
			return err
		}
		verb := "added"
		if g.Remove {
			verb = "took out"
		}
		return addHistory(tx, "glossary", fmt.Sprintf("%s %s:%s = %s:%s", verb, g.FromLang, g.From, g.ToLang, g.To))
	})
}

// checkGlossary normalises g's words and says what is wrong with it.
func checkGlossary(g *GlossaryEntry) error {
	g.From, g.To = lexicon.Norm(g.From), lexicon.Norm(g.To)
	if g.From == "" || g.To == "" || strings.ContainsAny(g.From+g.To, " \t\n") || len(g.From)+len(g.To) > 200 {
		return fmt.Errorf("%q → %q: want one word on each side", g.From, g.To)
	}
	if !validLang.MatchString(g.FromLang) || !validLang.MatchString(g.ToLang) || g.FromLang == g.ToLang {
		return fmt.Errorf("languages %q and %q: want two different language codes such as es and en", g.FromLang, g.ToLang)
	}
	if g.AddedAt == "" {
		g.AddedAt = time.Now().UTC().Format(time.RFC3339)
	} else if _, err := time.Parse(time.RFC3339Nano, g.AddedAt); err != nil {
		return fmt.Errorf("added_at %q: want a time such as 2026-12-03T14:00:00Z", g.AddedAt)
	}
	if len(g.Note) > 2000 {
		return fmt.Errorf("note longer than 2000 bytes")
	}
	return nil
}

// DeleteGlossary forgets a glossary entry, whichever way it was written;
// it reports whether there was one.
func (a *Archive) DeleteGlossary(ctx context.Context, fromLang, from, toLang, to string) (bool, error) {
	from, to = lexicon.Norm(from), lexicon.Norm(to)
	var n int64
	err := a.writeLexicon(ctx, "glossary", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM glossary WHERE (from_lang = ? AND from_word = ? AND to_lang = ? AND to_word = ?)
			OR (from_lang = ? AND from_word = ? AND to_lang = ? AND to_word = ?)`, fromLang, from, toLang, to, toLang, to, fromLang, from)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		if n == 0 {
			return nil
		}
		return addHistory(tx, "glossary", fmt.Sprintf("forgot %s:%s = %s:%s", fromLang, from, toLang, to))
	})
	return n > 0, err
}

// writeLexicon runs f in a transaction under the archive's write lock and
// marks the lexicon changed.
func (a *Archive) writeLexicon(ctx context.Context, what string, f func(tx *sql.Tx) error) error {
	lock, err := a.Lock(what, a.LockWait())
	if err != nil {
		return err
	}
	defer lock.Unlock()
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := bumpLexicon(ctx, tx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// LearnStats is what LearnLexicon did.
type LearnStats struct {
	Pairs   int `json:"pairs"`   // aligned moments read
	Entries int `json:"entries"` // word pairs learned, each direction counted
}

// LearnLexicon learns the lexicon again from every alignment in the
// archive, leaving out sealed moments, and replaces the learned part (the
// glossary stays). Words are learned as written, folded (lexicon.Norm).
func (a *Archive) LearnLexicon(ctx context.Context) (LearnStats, error) {
	var st LearnStats
	ivs, err := a.Interviews(ctx)
	if err != nil {
		return st, err
	}
	groups := map[[2]string][]lexicon.Pair{}
	for _, meta := range ivs {
		iv, err := a.Interview(ctx, meta.ID, true)
		if err != nil {
			return st, err
		}
		als, err := a.Alignments(ctx, iv.ID)
		if err != nil {
			return st, err
		}
		m := NewMoments(iv, als)
		tracks := map[int64]*Track{}
		for i := range iv.Tracks {
			tracks[iv.Tracks[i].ID] = &iv.Tracks[i]
		}
		for _, al := range als {
			src, tgt := tracks[al.Src], tracks[al.Tgt]
			if src == nil || tgt == nil || src.Lang == tgt.Lang {
				continue
			}
			langs := [2]string{src.Lang, tgt.Lang}
			swap := langs[0] > langs[1]
			if swap {
				langs = [2]string{langs[1], langs[0]}
			}
			for _, p := range al.Pairs {
				sa, okA := pairText(src, p.SrcFrom, p.SrcTo, m)
				sb, okB := pairText(tgt, p.TgtFrom, p.TgtTo, m)
				if !okA || !okB {
					continue
				}
				if swap {
					sa, sb = sb, sa
				}
				groups[langs] = append(groups[langs], lexicon.Pair{A: sa, B: sb})
			}
		}
	}
	var learned []lexicon.Entry
	keys := make([][2]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		st.Pairs += len(groups[k])
		learned = append(learned, lexicon.Learn(groups[k], lexicon.Options{LangA: k[0], LangB: k[1]})...)
	}
	st.Entries = len(learned)
	err = a.writeLexicon(ctx, "learn lexicon", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM lexicon`); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO lexicon (from_lang, from_word, to_lang, to_word, weight, count) VALUES (?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, e := range learned {
			if _, err := stmt.ExecContext(ctx, e.FromLang, e.From, e.ToLang, e.To, e.Weight, e.Count); err != nil {
				return err
			}
		}
		return nil
	})
	return st, err
}

// pairText is the text of segments [from, to] of t, unless the side is
// empty or any of them is under a seal (of any level, lifted or not).
func pairText(t *Track, from, to int, m *Moments) (string, bool) {
	if from < 1 || to < from || to > len(t.Segments) {
		return "", false
	}
	var b strings.Builder
	for s := from; s <= to; s++ {
		if len(m.Seals(t.ID, s)) > 0 {
			return "", false
		}
		b.WriteString(t.Segments[s-1].Text)
		b.WriteByte(' ')
	}
	return b.String(), true
}

// LexiconLearned reports whether the lexicon was ever learned or edited in
// this archive.
func (a *Archive) LexiconLearned(ctx context.Context) (bool, error) {
	if !a.hasLexicon() {
		return false, nil
	}
	var n int
	err := a.db.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE key = 'lexicon_version'`).Scan(&n)
	return n > 0, err
}
