// Package samples embeds recuerdo's bundled sample interviews: invented
// bilingual conversations written for this project, one folder each, used
// by the demo command, the README and the tests.
package samples

import "embed"

// FS holds the sample interview folders.
//
//go:embed */*
var FS embed.FS
