package index_test

import (
	"fmt"

	"github.com/recuerdo-archive/recuerdo/index"
)

func ExampleFold() {
	fmt.Println(index.Fold("Autobús"), index.Fold("AÑO"), index.Fold("pingüino"))
	// Output: autobus ano pinguino
}
