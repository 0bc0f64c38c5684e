package cli

import (
	"fmt"
	"io"

	"github.com/parley-dev/parley/chart"
)

// quietHelp is the help of every --quiet flag that only silences the
// progress bar.
const quietHelp = "show no progress bar"

// plotFlagHelp is the help of every --plot flag after its "draw ... ".
const plotFlagHelp = "to this file (.png, .svg or .pdf)"

// checkPlot rejects a --plot file whose extension names no format, before
// anything runs.
func checkPlot(cmd, path string) error {
	if _, err := chart.FormatOf(path); path != "" && err != nil {
		return usageError{fmt.Errorf("%s: --plot: %w", cmd, err)}
	}
	return nil
}

// savePlot draws the figure that fig makes to path ("": none) and says so
// on errOut; an error names cmd and --plot.
func savePlot(errOut io.Writer, cmd, path string, fig func() (chart.Figure, error)) error {
	if path == "" {
		return nil
	}
	f, err := fig()
	if err == nil {
		err = chart.Save(path, f)
	}
	if err != nil {
		return fmt.Errorf("%s: --plot: %w", cmd, err)
	}
	fmt.Fprintf(errOut, "%s: wrote the plot to %s\n", cmd, path)
	return nil
}
