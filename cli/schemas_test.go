package cli

import (
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/tracefile"
)

// Schema names of the JSON outputs, as the tests expect them: every JSON
// object a command prints carries one in its "schema" field, and
// docs/cli.md documents each. The packages that print them own the names.
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
