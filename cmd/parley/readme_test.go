package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeTour runs every parley command of the README's CLI tour, so the
// README stays true. Commands that need ../shared are skipped (loudly) when
// it is absent.
func TestReadmeTour(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, tour, ok := strings.Cut(string(readme), "## A tour of the CLI")
	if !ok {
		t.Fatal("README has no CLI tour")
	}
	_, block, _ := strings.Cut(tour, "```sh\n")
	block, _, _ = strings.Cut(block, "```")

	shared, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared"))
	_, serr := os.Stat(shared)
	// Run from a scratch folder that has ../shared beside it, like the repo.
	tmp := t.TempDir()
	work := filepath.Join(tmp, "repo")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	if serr == nil {
		if err := os.Symlink(shared, filepath.Join(tmp, "shared")); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)
	vars := map[string]string{}
	skippedOutputs := map[string]bool{} // files a skipped command would have written
	ran := 0
	for _, line := range strings.Split(block, "\n") {
		line, _, _ = strings.Cut(line, "#")
		line = strings.TrimSpace(line)
		if name, val, ok := strings.Cut(line, "="); ok && !strings.Contains(name, " ") {
			vars[name] = val
			continue
		}
		if !strings.HasPrefix(line, "parley ") {
			continue
		}
		for k, v := range vars {
			line = strings.ReplaceAll(line, "$"+k, v)
		}
		args := strings.Fields(line)[1:]
		needsSkipped := false
		for _, a := range args {
			needsSkipped = needsSkipped || skippedOutputs[a]
		}
		if (strings.Contains(line, "../shared") && serr != nil) || needsSkipped {
			t.Logf("SKIPPING README command (no ../shared): %s", line)
			if args[0] == "convert" && len(args) >= 3 {
				skippedOutputs[args[2]] = true
			}
			continue
		}
		if args[0] == "bench" {
			args = append(args, "--duration", "100ms")
		}
		t.Run(line, func(t *testing.T) { cli(t, args...) })
		ran++
	}
	if ran < 5 {
		t.Fatalf("only %d README commands ran", ran)
	}
}
