package archive

import "testing"

func TestTrackFor(t *testing.T) {
	iv := &Interview{Tracks: []Track{
		{ID: 1, Lang: "es", Kind: "transcript"},
		{ID: 2, Lang: "es", Kind: "subtitles"},
		{ID: 3, Lang: "es", Kind: "subtitles"},
		{ID: 4, Lang: "en", Kind: "transcript"},
		{ID: 5, Lang: "en", Kind: "transcript"},
		{ID: 6, Lang: "fr", Kind: "subtitles"},
	}}
	tests := []struct {
		lang string
		want int64 // 0 for none
	}{
		{"es", 2}, // subtitles before the transcript added first
		{"en", 4}, // only transcripts: the first
		{"fr", 6},
		{"de", 0},
		{"", 0},
	}
	for _, tt := range tests {
		var got int64
		if tr := iv.TrackFor(tt.lang); tr != nil {
			got = tr.ID
		}
		if got != tt.want {
			t.Errorf("TrackFor(%q) = track %d, want %d", tt.lang, got, tt.want)
		}
	}
	if tr := (&Interview{}).TrackFor("es"); tr != nil {
		t.Errorf("TrackFor on no tracks = %+v, want nil", tr)
	}
}
