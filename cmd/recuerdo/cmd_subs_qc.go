package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/qc"
)

type subsQCOptions struct {
	profile string
	fps     float64
	csv     bool
	list    bool
}

func newSubsQCCmd(g *globals) *cobra.Command {
	var o subsQCOptions
	c := &cobra.Command{
		Use:   "qc FILE|INTERVIEW:LANG",
		Short: "Check subtitles against a style guide's limits",
		Long: `Check a subtitle file (or an archive track, INTERVIEW:LANG) against a
profile's limits: characters per line, lines, reading speed (characters per
second, or words per minute for the BBC), minimum and maximum duration, the
frame gap between events, overlaps, empty cues, badly balanced lines, the
speaker-dash style and, for Spanish, ¿…? and ¡…! pairs. Every limit comes
from a published guide; --list-profiles shows them with their sources.

One line per issue, then a summary:

  cue 12 00:01:02,500  error  cps: 24.3 characters per second (max 20)

--json prints {"profile", "issues": [{"cue", "check", "severity",
"message"}]} with 1-based cue numbers in file order; --csv prints the same
as CSV. The exit code is 3 when an error-severity issue is found (warnings
alone exit 0). Frame-based limits use --fps (default 23.976).

Without --profile, the profile follows the file's language (an archive
track's, one the file declares or its name gives, else the one its words
show): netflix-es-419 for Spanish (netflix-es-es for es-ES), netflix-en
for English. The choice is printed on stderr.

Examples:
  recuerdo subs qc samples/abuelo-autobus/es.srt --profile netflix-es-419
  recuerdo subs qc --json en.vtt --profile bbc
  recuerdo subs qc abuelo-autobus:es --profile netflix-es-es --fps 25 --csv
  recuerdo subs qc --list-profiles`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSubsQC(cmd.Context(), g, o, args)
		},
	}
	c.Flags().StringVar(&o.profile, "profile", "", `the style guide to check against ("help" lists them; default: by the file's language)`)
	c.Flags().Float64Var(&o.fps, "fps", 0, "frame rate for frame-based limits (default 24000/1001)")
	c.Flags().BoolVar(&o.csv, "csv", false, "print the issues as CSV")
	c.Flags().BoolVar(&o.list, "list-profiles", false, "list the profiles with their limits and sources")
	c.RegisterFlagCompletionFunc("profile", completeProfiles)
	return c
}

func completeProfiles(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	var names []string
	for _, p := range qc.Profiles() {
		names = append(names, p.Name+"\t"+p.Title)
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}

type qcOutput struct {
	Profile string     `json:"profile"`
	Issues  []qc.Issue `json:"issues"`
}

func runSubsQC(ctx context.Context, g *globals, o subsQCOptions, args []string) error {
	if o.list || o.profile == "help" {
		return listProfiles(g)
	}
	if len(args) != 1 {
		return usageError{errors.New("qc needs a subtitle file or INTERVIEW:LANG (or --list-profiles)")}
	}
	if o.profile != "" {
		if _, err := lookupProfile(o.profile); err != nil {
			return err
		}
	}
	if err := checkFPS(g, "--fps", o.fps); err != nil {
		return err
	}
	in, err := readSubs(ctx, g, args[0])
	if err != nil {
		return err
	}
	p, err := chooseProfile(g, o.profile, in)
	if err != nil {
		return err
	}
	cues := subtitles.OnScreen(in.Track, in.Data)
	issues := qc.Check(cues, p, qc.Options{FPS: o.fps})
	if issues == nil {
		issues = []qc.Issue{}
	}
	errs := 0
	for _, is := range issues {
		if is.Severity == qc.Error {
			errs++
		}
	}
	switch {
	case g.json:
		if err := json.NewEncoder(g.stdout).Encode(qcOutput{Profile: p.Name, Issues: issues}); err != nil {
			return err
		}
	case o.csv:
		w := csv.NewWriter(g.stdout)
		w.Write([]string{"cue", "start", "check", "severity", "message"})
		for _, is := range issues {
			w.Write([]string{fmt.Sprint(is.Cue), qcTime(cues[is.Cue-1].Start), is.Check, string(is.Severity), is.Message})
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
	default:
		for _, is := range issues {
			fmt.Fprintf(g.stdout, "cue %d %s  %-7s  %s: %s\n", is.Cue, qcTime(cues[is.Cue-1].Start), is.Severity, is.Check, is.Message)
		}
		fmt.Fprintf(g.stdout, "%s: %d cues, %s, %s (%s)\n", in.Name, len(cues), qcPlural(errs, "error"), qcPlural(len(issues)-errs, "warning"), p.Title)
	}
	if errs > 0 {
		return problemsError{errs}
	}
	return nil
}

type subsFixOptions struct {
	profile string
	fps     float64
	output  string
}

func newSubsFixCmd(g *globals) *cobra.Command {
	var o subsFixOptions
	c := &cobra.Command{
		Use:   "fix FILE|INTERVIEW:LANG [--profile P] -o OUT",
		Short: "Make the safe automatic fixes a style guide asks for",
		Long: `Fix what can be fixed without touching a word, and list every change:

  - gaps of 12 frames or fewer are closed to the profile's minimum gap
    (2 frames for Netflix) by ending the earlier cue later;
  - overlaps and gaps under the minimum are opened, by ending the earlier
    cue sooner (or starting the later one later, when the earlier one would
    become too short);
  - cues too short, or too fast to read, are extended into the free time
    after them, up to the next cue and the maximum duration;
  - lines too long, too many lines, and lines ending with an article are
    broken again: the same words in the same order, breaking after
    punctuation or before a conjunction or preposition, never between an
    article and its noun. Lines within the limits keep their breaks, even
    unbalanced ones (qc warns about those), and two-speaker (dash) cues
    are left as they are.

Without --profile, the profile follows the file's language, as in subs qc.
The result is written to OUT (in the input's format, e.g. SRT or WebVTT;
styling such as italics is not kept), then checked again: what remains is
for a person (see subs qc). --json prints {"profile", "output", "changes":
[{"cue", "fix", "message"}], "remaining": {"errors", "warnings"}}.

Examples:
  recuerdo subs fix es.srt --profile netflix-es-419 -o es.fixed.srt
  recuerdo subs fix --json abuelo-autobus:en --profile netflix-en --fps 25 -o en.vtt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSubsFix(cmd.Context(), g, o, args[0])
		},
	}
	c.Flags().StringVar(&o.profile, "profile", "", "the style guide to fix for (see subs qc --list-profiles; default: by the file's language)")
	c.Flags().Float64Var(&o.fps, "fps", 0, "frame rate for frame-based limits (default 24000/1001)")
	c.Flags().StringVarP(&o.output, "output", "o", "", "where to write the fixed file (required)")
	c.MarkFlagRequired("output")
	c.RegisterFlagCompletionFunc("profile", completeProfiles)
	return c
}

type fixOutput struct {
	Profile   string         `json:"profile"`
	Output    string         `json:"output"`
	Changes   []qc.Change    `json:"changes"`
	Remaining map[string]int `json:"remaining"`
}

func runSubsFix(ctx context.Context, g *globals, o subsFixOptions, input string) error {
	if o.profile != "" {
		if _, err := lookupProfile(o.profile); err != nil {
			return err
		}
	}
	if err := checkFPS(g, "--fps", o.fps); err != nil {
		return err
	}
	in, err := readSubs(ctx, g, input)
	if err != nil {
		return err
	}
	p, err := chooseProfile(g, o.profile, in)
	if err != nil {
		return err
	}
	opt := qc.Options{FPS: o.fps}
	fixed, changes := qc.Fix(subtitles.OnScreen(in.Track, in.Data), p, opt)
	var b bytes.Buffer
	if err := subtitles.Write(&b, in.Track.Format, fixed); err != nil {
		return fmt.Errorf("fix %s: %w", in.Name, err)
	}
	if err := writeAtomic(o.output, b.Bytes()); err != nil {
		return err
	}
	out := fixOutput{Profile: p.Name, Output: o.output, Changes: changes, Remaining: map[string]int{"errors": 0, "warnings": 0}}
	if out.Changes == nil {
		out.Changes = []qc.Change{}
	}
	for _, is := range qc.Check(fixed, p, opt) {
		out.Remaining[string(is.Severity)+"s"]++
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(out)
	}
	for _, c := range changes {
		fmt.Fprintf(g.stdout, "cue %d  %s: %s\n", c.Cue, c.Fix, c.Message)
	}
	fmt.Fprintf(g.stdout, "wrote %s: %s; %s and %s remain (see subs qc)\n", o.output, qcPlural(len(changes), "change"),
		qcPlural(out.Remaining["errors"], "error"), qcPlural(out.Remaining["warnings"], "warning"))
	return nil
}

// lookupProfile is qc.Lookup with an unknown name as a usage error.
func lookupProfile(name string) (qc.Profile, error) {
	p, err := qc.Lookup(name)
	if err != nil {
		return p, usageError{fmt.Errorf("--profile: %w", err)}
	}
	return p, nil
}

type profileJSON struct {
	Name     string            `json:"name"`
	Title    string            `json:"title"`
	Language string            `json:"language"`
	Limits   map[string]any    `json:"limits"`
	Sources  map[string]string `json:"sources"`
}

func listProfiles(g *globals) error {
	var all []profileJSON
	for _, p := range qc.Profiles() {
		limits := map[string]any{}
		put := func(key string, v any, set bool) {
			if set {
				limits[key] = v
			}
		}
		put("max_line_chars", p.MaxLineChars, p.MaxLineChars > 0)
		put("max_lines", p.MaxLines, p.MaxLines > 0)
		put("max_cps", p.MaxCPS, p.MaxCPS > 0)
		put("max_wpm", p.MaxWPM, p.MaxWPM > 0)
		put("min_duration", p.MinDuration.Seconds(), p.MinDuration > 0)
		put("max_duration", p.MaxDuration.Seconds(), p.MaxDuration > 0)
		put("min_gap_frames", p.MinGapFrames, p.MinGapFrames > 0)
		put("close_gap_frames", p.CloseGapFrames, p.CloseGapFrames > 0)
		put("speaker_dash", p.SpeakerDash, p.SpeakerDash != "")
		all = append(all, profileJSON{Name: p.Name, Title: p.Title, Language: p.Language, Limits: limits, Sources: p.Sources})
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(all)
	}
	for i, p := range all {
		if i > 0 {
			fmt.Fprintln(g.stdout)
		}
		fmt.Fprintf(g.stdout, "%s  %s (%s)\n", p.Name, p.Title, p.Language)
		keys := make([]string, 0, len(p.Limits))
		for k := range p.Limits {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := p.Limits[k]
			if f, ok := v.(float64); ok && strings.HasSuffix(k, "duration") {
				v = fmt.Sprintf("%.3f s", f)
			} else if s, ok := v.(string); ok {
				v = fmt.Sprintf("%q", s)
			}
			fmt.Fprintf(g.stdout, "  %-16s %-8v %s\n", k, v, p.Sources[k])
		}
	}
	return nil
}

// qcTime writes d as an SRT timecode, HH:MM:SS,mmm.
func qcTime(d time.Duration) string {
	return strings.Replace(subtitles.FormatTime(d), ".", ",", 1)
}

func qcPlural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
