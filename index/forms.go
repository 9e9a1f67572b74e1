package index

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Word forms that stemming gets wrong for the people recuerdo serves.
//
// Snowball's Spanish stemmer cuts the gender vowel, so abuela and abuelo,
// tía and tío, hija and hijo become one word; in a family archive they are
// different people. Nouns for people that change gender by their ending
// keep it: every form (plural, diminutive) is indexed as its singular of
// the same gender. Other words are stemmed as before, so verb forms still
// meet (trabajaba, trabajar).
//
// English: irregular plurals and past forms are indexed as their lemma
// (children → child, went → go), and plurals in -es after s, x, ch, sh
// or z lose the -es (buses → bus) before the plural and Snowball rules run.
// Forms that are also common words of another meaning (rose, saw, left,
// found, lay) are left alone.

// esPeople are masculine singular nouns of people whose feminine is the
// same word ending in -a (abuelo → abuela; señor → señora).
var esPeople = strings.Fields(`
	abuelo bisabuelo tatarabuelo tio tatarabuelo primo hijo nieto bisnieto sobrino hermano
	esposo suegro cuñado concuño novio niño muchacho chamaco chavo nino ahijado viudo
	vecino amigo compañero maestro patron señor doctor profesor abogado ingeniero enfermero
	cocinero costurero panadero carpintero albañil campesino minero obrero empleado
	difunto soltero gemelo cuate huerfano
	`)

// esForms maps each folded form of a gendered person noun to its folded
// singular of the same gender.
var esForms = func() map[string]string {
	m := map[string]string{}
	add := func(lemma string, forms ...string) {
		for _, f := range forms {
			if _, ok := m[f]; !ok {
				m[f] = lemma
			}
		}
	}
	for _, w := range esPeople {
		w = Fold(w)
		if stem, ok := strings.CutSuffix(w, "o"); ok {
			masc, fem := w, stem+"a"
			add(masc, masc, masc+"s", stem+"ito", stem+"itos")
			add(fem, fem, fem+"s", stem+"ita", stem+"itas")
			continue
		}
		// A consonant: señor → señora, señores, señoras.
		add(w, w, w+"es")
		add(w+"a", w+"a", w+"as")
	}
	return m
}()

// enLemmas maps irregular English forms (folded) to their lemma.
var enLemmas = func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(enIrregular, "\n") {
		words := strings.Fields(line)
		for _, w := range words[min(1, len(words)):] {
			m[w] = words[0]
		}
	}
	return m
}()

// enIrregular lists a lemma and its irregular forms, one lemma a line.
const enIrregular = `
child children
grandchild grandchildren
man men
woman women
gentleman gentlemen
person people
foot feet
tooth teeth
goose geese
mouse mice
ox oxen
wife wives
knife knives
leaf leaves
wolf wolves
half halves
shelf shelves
thief thieves
loaf loaves
calf calves
begin began begun
bite bit bitten
blow blew blown
break broke broken
bring brought
build built
buy bought
catch caught
choose chose chosen
come came
dig dug
do did done
draw drew drawn
dream dreamt
drink drank drunk
drive drove driven
eat ate eaten
feed fed
feel felt
fight fought
fly flew flown
forget forgot forgotten
freeze froze frozen
get got gotten
give gave given
go went gone
grow grew grown
hang hung
have had
hear heard
hide hid hidden
hold held
keep kept
know knew known
lend lent
lose lost
make made
mean meant
meet met
pay paid
ride rode ridden
run ran
say said
see seen
sell sold
send sent
shake shook shaken
shoot shot
sing sang sung
sink sank sunk
sit sat
sleep slept
speak spoke spoken
spend spent
stand stood
steal stole stolen
sweep swept
swim swam swum
take took taken
teach taught
tear tore torn
tell told
think thought
throw threw thrown
understand understood
wake woke woken
wear wore worn
weep wept
win won
write wrote written
`

// enForms replaces irregular forms by their lemma and cuts -es after a
// sibilant, before the plural and Snowball stemmers.
type enForms struct{}

func (enForms) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		w := string(t.Term)
		if l, ok := enLemmas[w]; ok {
			t.Term = []byte(l)
			continue
		}
		if len(w) > 4 && strings.HasSuffix(w, "es") {
			switch stem := w[:len(w)-2]; {
			case strings.HasSuffix(stem, "us"), strings.HasSuffix(stem, "x"), strings.HasSuffix(stem, "ch"),
				strings.HasSuffix(stem, "sh"), strings.HasSuffix(stem, "zz"):
				t.Term = []byte(stem)
			}
		}
	}
	return in
}
