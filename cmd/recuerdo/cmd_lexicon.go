package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/subtitles/lexicon"
)

func newLexiconCmd(g *globals) *cobra.Command {
	var lang string
	c := &cobra.Command{
		Use:   "lexicon [WORD]",
		Short: "Show and edit the bilingual lexicon that lets a question in one language find speech in the other",
		Long: `The archive's bilingual lexicon says which Spanish words translate which
English ones. search uses it so that an English question finds Spanish
speech nobody has translated (and the reverse); hits found so say which
words carried them.

It comes from three places, most trusted first:
  glossary    entries you add or take out (lexicon add / remove)
  learned     the archive's own aligned translations (learned again by
              reindex and lexicon learn; sealed moments are never used)
  dictionary  Debian's dict-freedict-spa-eng and dict-freedict-eng-spa,
              when installed (apt-get install dict-freedict-spa-eng
              dict-freedict-eng-spa), read where the package puts them

Examples:
  recuerdo lexicon grandmother
  recuerdo lexicon licuadora --json
  recuerdo lexicon add es:troca en:truck --note "norteño for a pickup"
  recuerdo lexicon remove es:licuadora en:mixer
  recuerdo lexicon forget es:troca en:truck
  recuerdo lexicon glossary
  recuerdo lexicon learn`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return runLexiconShow(cmd.Context(), g, args[0], lang)
		},
	}
	c.Flags().StringVar(&lang, "lang", "", "the word's language (es, en); default: both")
	glossaryCmd := func(use, short string, remove bool) *cobra.Command {
		var note string
		c := &cobra.Command{
			Use:   use + " LANG:WORD LANG:WORD",
			Short: short,
			Args:  cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runGlossary(cmd.Context(), g, args, remove, note)
			},
		}
		c.Flags().StringVar(&note, "note", "", "why, for the next person")
		return c
	}
	add := glossaryCmd("add", "Add a word pair to the glossary (a family's word, a nickname, a regional word)", false)
	remove := glossaryCmd("remove", "Keep a wrong word pair out of the lexicon, even after learning again", true)
	forget := &cobra.Command{
		Use:   "forget LANG:WORD LANG:WORD",
		Short: "Delete a glossary entry (added or removed), back to what was learned",
		Args:  cobra.ExactArgs(2),
		RunE:  func(cmd *cobra.Command, args []string) error { return runForget(cmd.Context(), g, args) },
	}
	glossary := &cobra.Command{
		Use:   "glossary",
		Short: "List the glossary",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return runGlossaryList(cmd.Context(), g) },
	}
	learn := &cobra.Command{
		Use:   "learn",
		Short: "Learn the lexicon again from every aligned translation in the archive",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return runLearn(cmd.Context(), g) },
	}
	c.AddCommand(add, remove, forget, glossary, learn)
	return c
}

func runLexiconShow(ctx context.Context, g *globals, word, lang string) error {
	a, err := openArchive(g)
	if err != nil {
		return err
	}
	defer a.Close()
	lx, err := a.Lexicon(ctx)
	if err != nil {
		return err
	}
	langs := []string{"es", "en"}
	if lang != "" {
		langs = []string{lang}
	}
	var es []lexicon.Entry
	for _, l := range langs {
		es = append(es, lx.Translations(l, word)...)
	}
	if g.json {
		if es == nil {
			es = []lexicon.Entry{}
		}
		return json.NewEncoder(g.stdout).Encode(map[string]any{"word": word, "translations": es})
	}
	if len(es) == 0 {
		fmt.Fprintf(g.stdout, "%s: not in the lexicon (add it: recuerdo lexicon add es:%s en:WORD)\n", word, lexicon.Norm(word))
		return nil
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FROM\tTO\tWEIGHT\tSOURCE")
	for _, e := range es {
		src := e.Source
		if e.Count > 0 {
			src = fmt.Sprintf("%s (%d pairs)", src, e.Count)
		}
		fmt.Fprintf(tw, "%s:%s\t%s:%s\t%.2f\t%s\n", e.FromLang, e.From, e.ToLang, e.To, e.Weight, src)
	}
	return tw.Flush()
}

// langWord reads "es:mija".
func langWord(s string) (string, string, error) {
	l, w, ok := strings.Cut(s, ":")
	if !ok || l == "" || w == "" {
		return "", "", usageError{fmt.Errorf("%q: want LANG:WORD, such as es:troca", s)}
	}
	return strings.ToLower(l), w, nil
}

// glossaryPair reads the two LANG:WORD arguments of a glossary command.
func glossaryPair(args []string) (archive.GlossaryEntry, error) {
	fl, fw, err := langWord(args[0])
	if err != nil {
		return archive.GlossaryEntry{}, err
	}
	tl, tw, err := langWord(args[1])
	if err != nil {
		return archive.GlossaryEntry{}, err
	}
	return archive.GlossaryEntry{FromLang: fl, From: fw, ToLang: tl, To: tw}, nil
}

// pairName is how a glossary pair is shown: es:troca = en:truck.
func pairName(e archive.GlossaryEntry) string {
	return fmt.Sprintf("%s:%s = %s:%s", e.FromLang, lexicon.Norm(e.From), e.ToLang, lexicon.Norm(e.To))
}

func runGlossary(ctx context.Context, g *globals, args []string, remove bool, note string) error {
	e, err := glossaryPair(args)
	if err != nil {
		return err
	}
	e.Remove, e.Note = remove, note
	a, err := archive.Open(g.archive)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.SetGlossary(ctx, e); err != nil {
		return err
	}
	verb := "added"
	if remove {
		verb = "kept out"
	}
	fmt.Fprintf(g.stdout, "%s %s\n", verb, pairName(e))
	return nil
}

func runForget(ctx context.Context, g *globals, args []string) error {
	e, err := glossaryPair(args)
	if err != nil {
		return err
	}
	a, err := archive.Open(g.archive)
	if err != nil {
		return err
	}
	defer a.Close()
	ok, err := a.DeleteGlossary(ctx, e.FromLang, e.From, e.ToLang, e.To)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s is not in the glossary (see recuerdo lexicon glossary)", pairName(e))
	}
	fmt.Fprintf(g.stdout, "forgot %s\n", pairName(e))
	return nil
}

func runGlossaryList(ctx context.Context, g *globals) error {
	a, err := openArchive(g)
	if err != nil {
		return err
	}
	defer a.Close()
	gl, err := a.Glossary(ctx)
	if err != nil {
		return err
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"glossary": gl})
	}
	if len(gl) == 0 {
		fmt.Fprintln(g.stdout, "the glossary is empty (add to it: recuerdo lexicon add es:WORD en:WORD)")
		return nil
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PAIR\tACTION\tNOTE")
	for _, e := range gl {
		action := "added"
		if e.Remove {
			action = "kept out"
		}
		fmt.Fprintf(tw, "%s:%s = %s:%s\t%s\t%s\n", e.FromLang, e.From, e.ToLang, e.To, action, e.Note)
	}
	return tw.Flush()
}

func runLearn(ctx context.Context, g *globals) error {
	a, err := archive.Open(g.archive)
	if err != nil {
		return err
	}
	defer a.Close()
	st, err := a.LearnLexicon(ctx)
	if err != nil {
		return err
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(st)
	}
	fmt.Fprintf(g.stdout, "learned %d word pairs from %d aligned moments\n", st.Entries/2, st.Pairs)
	return nil
}
