package subtitles

import (
	"reflect"
	"testing"
)

func TestOnScreen(t *testing.T) {
	type cue struct{ Speaker, Text string }
	tests := []struct {
		name, data string
		want       []cue
	}{
		{"es.srt", "1\n00:00:01,000 --> 00:00:02,000\nLUCÍA: ¿Cuándo empezó?\n\n2\n00:00:02,500 --> 00:00:04,000\nRAMÓN: En 1968.\n\n3\n00:00:04,500 --> 00:00:06,000\nCada mes.\n",
			[]cue{{"", "LUCÍA: ¿Cuándo empezó?"}, {"", "RAMÓN: En 1968."}, {"", "Cada mes."}}},
		{"crlf.srt", "1\r\n00:00:01,000 --> 00:00:02,000\r\n- LUCÍA: ¿Y qué llevaba?\r\n",
			[]cue{{"", "- LUCÍA: ¿Y qué llevaba?"}}},
		{"es.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nLUCÍA: ¿Cuándo?\n\n00:00:02.500 --> 00:00:04.000\n<v Ramón>En 1968.\n",
			[]cue{{"", "LUCÍA: ¿Cuándo?"}, {"Ramón", "En 1968."}}},
		{"nolabel.srt", "1\n00:00:01,000 --> 00:00:02,000\nHola.\n",
			[]cue{{"", "Hola."}}},
		// Not SRT or WebVTT: as Read gives them.
		{"t.txt", "LUCÍA: ¿Cuándo empezó? [00:00:01]\n\nRAMÓN: En 1968. [00:00:05]\n",
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := Read(tt.name, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			before := append([]Cue(nil), tr.Cues...)
			cues := OnScreen(tr, []byte(tt.data))
			if !reflect.DeepEqual(tr.Cues, before) {
				t.Errorf("OnScreen changed the track's cues")
			}
			want := tt.want
			if want == nil {
				if len(cues) == 0 || cues[0].Speaker == "" {
					t.Errorf("OnScreen(%s) = %+v, want the speakers kept", tt.name, cues)
				}
				if !reflect.DeepEqual(cues, tr.Cues) {
					t.Errorf("OnScreen(%s) = %+v, want the cues as read %+v", tt.name, cues, tr.Cues)
				}
				return
			}
			var got []cue
			for _, c := range cues {
				got = append(got, cue{c.Speaker, c.Text})
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("OnScreen(%s) = %q, want %q", tt.name, got, want)
			}
		})
	}
}
