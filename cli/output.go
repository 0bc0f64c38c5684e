package cli

import (
	"fmt"
	"os"

	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tracefile"
)

// Schema names of the JSON outputs: every JSON object a command prints
// carries one in its "schema" field, and docs/cli.md documents each.
const (
	schemaRun        = tracefile.SchemaRun
	schemaTrace      = tracefile.SchemaTrace
	schemaAnalyze    = render.SchemaAnalyze
	schemaAgents     = render.SchemaAgents
	schemaExperiment = "parley.experiment/2"
	schemaReport     = render.SchemaReport
	schemaScenarios  = render.SchemaScenarios
	schemaBench      = render.SchemaBench
)

// traceFile is a run's --trace file (nil without one): a header line,
// event lines, a result line, written by tracefile.Writer.
type traceFile struct {
	f *os.File
	w *tracefile.Writer
}

// createTrace creates path (none when "") and writes the header of j's run
// of s.
func createTrace(path string, s *scenario.Scenario, j *tracefile.Run) (*traceFile, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("run: trace: %w", err)
	}
	return &traceFile{f: f, w: tracefile.NewWriter(f, s.Space, &j.Setup)}, nil
}

func (t *traceFile) event(e tracefile.Entry) {
	if t != nil {
		t.w.Event(e)
	}
}

// close writes the result line and closes the file, returning the first
// error met.
func (t *traceFile) close(j *tracefile.Run) error {
	if t == nil {
		return nil
	}
	name := t.f.Name()
	err := t.w.Result(j)
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	t.f = nil
	if err != nil {
		return fmt.Errorf("run: trace %s: %w", name, err)
	}
	return nil
}

// abort closes the file if close was not reached (an error return).
func (t *traceFile) abort() {
	if t != nil && t.f != nil {
		t.f.Close()
	}
}
