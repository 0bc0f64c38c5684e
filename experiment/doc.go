// Package experiment runs Parley's experiments: many seeded runs of a
// scenario's staged protocol (package protocol/staged) per arm, compared
// with honest statistics (package experiment/stats).
//
// An arm is a Treatment: a variant of the scenario's declared protocol
// (Sequencing runs every declared variant), possibly on a copy of the
// scenario with some parameters changed (Sweep runs every cell of a grid
// of Params). Every arm runs Config.Runs times on common random numbers:
// run i uses the same seed and the same strategies from the Pool in every
// arm, so a paired test between arms compares like with like. Runs are
// spread over worker goroutines; results are gathered by run index, so
// the Report does not depend on the number of workers.
//
// Each run yields a Record (agreement, ratification, reason, rounds,
// utilities, advantage, welfare, distances to the negotiators' Pareto
// frontier and Nash point), each arm an Arm summary
// with Wilson and t intervals, and the Report the paired Comparisons of
// every pair of arms (McNemar with Newcombe's paired interval on
// agreement, Wilcoxon signed-rank with the t interval of the mean
// difference on utilities and welfare, Holm-adjusted over them all), and
// the Contrasts whose difference is an order, fallback or carry effect.
// WriteTable, WriteCSV and
// WriteRunsCSV render a Report (package chart draws it); it also encodes
// as JSON (schema in docs/mediation.md).
//
// Robustness is a global sensitivity analysis of the sequencing
// experiment: it samples the ranges a scenario declares for its
// assumptions (Assumptions) with Saltelli's design on a Latin hypercube,
// runs the arms at every point, and reports the share of the points at
// which each ordering of two arms holds and the Sobol indices of each
// contrast per assumption (RobustnessReport; WriteRobustnessTable,
// WriteRobustnessCSV; JSON schema in docs/cli.md).
package experiment
