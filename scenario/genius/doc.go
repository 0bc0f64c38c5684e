// Package genius reads and writes negotiation scenarios in the XML format of
// GENIUS, the Java negotiation environment of TU Delft (ANAC 2010-2019).
//
// A GENIUS scenario is a folder holding one domain file (root element
// negotiation_template) and one preference profile per party (root element
// utility_space). ReadDir reads such a folder; ReadFiles reads explicit
// files; ParseDomain and ParseProfile work on bytes. Write produces a folder
// that GENIUS and ReadDir both read back to the same utilities.
//
// The semantics follow the GENIUS 9 sources (genius.core.utility and
// genius.core.issue; the same classes live under negotiator.utility in older
// copies such as Escheck/NegotiatorGUI):
//
//   - Issue weights are used as written, whatever they sum to, as GENIUS 9
//     does when it loads a profile file (AdditiveUtilitySpace.loadTreeRecursive;
//     normalizeWeights is not called), and U = Σ weight·evaluation is summed
//     over the issues in GENIUS's order and clamped to 1
//     (AdditiveUtilitySpace.getUtility), so utilities are bit-identical to
//     GENIUS's. Weights that do not sum to 1 give a warning.
//   - Issues are ordered as GENIUS orders them: preorder of the objective
//     tree with each objective's sub-objectives before its own issues
//     (DomainImpl.buildTreeRecursive, Objective.getPreorderIssueEnumeration);
//     for the usual flat domain this is file order.
//   - A discrete evaluation is divided by the largest evaluation of its issue;
//     when that largest evaluation is below 1e-5 every value scores 0
//     (EvaluatorDiscrete.normalize).
//   - An integer evaluator is clamp01(slope·(v−lowerbound)+offset), with the
//     lower bound taken from the profile's issue element
//     (EvaluatorInteger.getEvaluation).
//   - A real evaluator is linear clamp01(parameter1·x+parameter0), constant
//     parameter0, triangular (parameter0 = lower, parameter1 = upper,
//     parameter2 = top) or triangular_variable_top (parameter3 = the value at
//     the top) (EvaluatorReal, EVALFUNCTYPE).
//   - Real issues are enumerated on DefaultRealSteps evenly spaced points, the
//     number GENIUS itself uses for analysis (IssueReal
//     fNumberOfDiscretizationSteps = 21); Reader.RealSteps overrides it.
//     Evaluators are sampled at GENIUS's grid points lower + step·k
//     (BidIterator; see RealValue).
//   - The discount factor d is read as 1 (no discounting) when d <= 0 or
//     d > 1 (AbstractUtilitySpace.validateDiscount); the reservation value
//     defaults to 0.
//   - Non-linear ANAC 2014 profiles (utility_space type="nonlinear") sum the
//     utility·weight of every satisfied hyperRectangle and divide by
//     maxutility (NonlinearUtilitySpace, InclusiveHyperRectangle,
//     ExclusiveHyperRectangle, UtilityFunction).
//
// What GENIUS accepts but looks like a mistake (a value evaluated twice, a
// weight for no issue, weights that do not sum to 1, ...) is read as GENIUS
// reads it, and reported in the warnings that ParseProfile returns and that
// ReadDir and ReadFiles collect in Scenario.Warnings; the package never
// prints. Where GENIUS would fail (an issue without a weight, a value
// without an evaluation), or where Parley cannot represent what GENIUS
// computes (negative weights or evaluations), it returns an error naming the
// file, the line and the issue.
package genius
