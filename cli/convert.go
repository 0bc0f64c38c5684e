package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/cli/internal/progress"
)

func newConvertCmd() *cobra.Command {
	var to string
	var profiles []string
	var quiet bool
	c := &cobra.Command{
		Use:   "convert IN OUT",
		Short: "Convert a scenario between formats",
		Long: `Convert a scenario (any SCENARIO argument) to another format.

The output format comes from OUT's extension (.yaml/.yml: Parley YAML,
.json: Parley JSON) or from --to:
  yaml       Parley YAML file
  json       Parley JSON file
  genius     GENIUS XML: OUT is a folder that receives NAME_domain.xml and one
             PARTY.xml profile per party
  geniusweb  GeniusWeb JSON: OUT is a folder that receives one PARTY.json
             LinearAdditiveUtilitySpace profile per party

Every outcome's utility is preserved for every party; a model the target
format cannot express (e.g. an agreement bonus in GENIUS) is an error.`,
		Example: `  parley convert ceasefire ceasefire.yaml
  parley convert ../shared/scenarios/genius/EnglandZimbabwe_anac2010 ez.yaml
  parley convert ez.yaml out/ --to genius`,
		Args: exactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			in, out := args[0], args[1]
			format := strings.ToLower(to)
			if format == "" {
				if format = catalog.FormatOf(out); format == "" {
					return usageError{fmt.Errorf("convert: cannot tell the format of %q from its extension: use --to yaml|json|genius|geniusweb", out)}
				}
			}
			bar := progress.New(c.Context(), c.ErrOrStderr(), quiet, "convert", " phases")
			done := false
			defer func() { bar.Finish(done) }()
			bar.Update(0, 2)
			s, err := openScenario(c.ErrOrStderr(), in, profiles)
			if err != nil {
				return err
			}
			bar.Update(1, 2)
			if err := catalog.Write(out, format, s); errors.Is(err, catalog.ErrUnknownFormat) {
				return usageError{fmt.Errorf("convert: unknown format %q (want yaml, json, genius or geniusweb)", to)}
			} else if err != nil {
				return err
			}
			bar.Update(2, 2)
			done = true
			fmt.Fprintf(c.OutOrStdout(), "wrote %s (%s: %d issues, %d outcomes, parties %s)\n",
				out, format, len(s.Space.Issues), s.Space.Size(), strings.Join(s.Names(), ", "))
			return nil
		},
	}
	c.Flags().StringVar(&to, "to", "", "output format: yaml, json, genius or geniusweb")
	c.Flags().StringSliceVar(&profiles, "profiles", nil, "GENIUS profile files for a domain-file IN, in party order")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, quietHelp)
	return c
}
