package main

// hintError is an error with what to do about it, in the command line's
// words; run prints the hint after the error ("recuerdo: hint: …").
type hintError struct {
	error
	hint string
}

func (e hintError) Unwrap() error { return e.error }
